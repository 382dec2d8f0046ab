"""Awaiting an async stream object opens it; the sync twin has nothing to await.

`await client.chat.parse_stream(...)` sends the request and gives the open
stream, as `await client.chat.stream(...)` does; `async with` (no `await`)
does the same and closes it at the end of the block. A generated sync twin
cannot express `__await__`, so it lives here as a pair of bases.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from typing_extensions import Self

__all__ = ["AsyncOpenOnAwait", "SyncOpenOnAwait"]


class AsyncOpenOnAwait:
    """`await` it to send the request and get the open stream itself."""

    async def _open(self) -> object:
        raise NotImplementedError

    def __await__(self) -> Generator[Any, None, Self]:
        """Send the request (once); give this stream, open."""
        return self._opened_self().__await__()

    async def _opened_self(self) -> Self:
        await self._open()
        return self


class SyncOpenOnAwait:
    """The sync stream opens on entering or iterating it; there is nothing to await."""

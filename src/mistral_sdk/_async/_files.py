"""`AsyncBinaryResponse`: a downloaded body handed out in chunks."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import httpx2

from mistral_sdk._async._response import AsyncCloseable, iter_body, read_body
from mistral_sdk._files import CHUNK_SIZE
from mistral_sdk._response import AsyncGuard, HeldResponse

__all__ = ["AsyncBinaryResponse"]


class AsyncBinaryResponse(HeldResponse, AsyncCloseable):
    """A downloaded body, read on demand; close it (or use it as a context manager).

    Only `read()` holds the whole body in memory; `iter_bytes()` and
    `write_to_file()` hold one chunk at a time. One dropped unread is closed
    when it is garbage-collected.
    """

    def __init__(
        self, response: httpx2.Response, *, guard: AsyncGuard | None = None
    ) -> None:
        super().__init__(response)
        self._guard = guard

    async def read(self) -> bytes:
        """Return the whole body, then release the connection."""
        return await read_body(self._response, self._guard)

    def iter_bytes(self, chunk_size: int = CHUNK_SIZE) -> AsyncIterator[bytes]:
        """Yield the body in chunks of `chunk_size` bytes (the last may be shorter)."""
        return iter_body(self._response, self._guard, chunk_size)

    async def write_to_file(self, path: str | os.PathLike[str]) -> None:
        """Stream the body into the file at `path`, chunk by chunk."""
        with open(path, "wb") as file:
            async for chunk in self.iter_bytes():
                file.write(chunk)

"""`AsyncStream`: the events of a streamed response, read as they arrive.

Decoding is sans-IO (`mistral_sdk._streaming.EventReader`); this module only
moves bytes into it and releases the connection.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, Generic, TypeVar

import httpx2
from typing_extensions import Self

from mistral_sdk._async._response import release
from mistral_sdk._errors import connection_error
from mistral_sdk._response import AsyncGen, AsyncGuard, HeldResponse
from mistral_sdk._streaming import (
    DRAIN_BYTES,
    EventReader,
    async_drain_scope,
    is_event_stream,
    not_a_stream,
)

__all__ = ["AsyncStream"]

T = TypeVar("T")


async def _events(
    response: httpx2.Response, cast_to: Any, strict: bool, guard: AsyncGuard | None
) -> AsyncGen[Any]:
    try:
        if not is_event_stream(response):
            await response.aread()
            raise not_a_stream(response)
        reader = EventReader(cast_to, strict=strict, response=response)
        chunks = response.aiter_bytes()
        async for chunk in chunks:
            for value in reader.feed(chunk):
                yield value
            if reader.done:
                await _drain(chunks)
                return
        for value in reader.end():
            yield value
    except httpx2.HTTPError as exc:
        raise connection_error(exc, response.request) from exc
    finally:
        await release(response, guard)


async def _drain(chunks: AsyncIterator[bytes]) -> None:
    # Reading the body to its end is what returns the connection to the pool;
    # a server that keeps sending after [DONE] only costs a new connection.
    left = DRAIN_BYTES
    with async_drain_scope():
        async for chunk in chunks:
            left -= len(chunk)
            if left < 0:
                return


class AsyncStream(HeldResponse, Generic[T]):
    """An async iterator over the events of a streamed response.

    Use it in an `async with` block, or iterate it to the end, or `await close()`:
    each releases the connection. One dropped unread or half read is closed when
    it is garbage-collected (by the event loop's async-generator finalizer).
    """

    def __init__(
        self,
        response: httpx2.Response,
        *,
        cast_to: Any,
        strict: bool,
        guard: AsyncGuard | None = None,
    ) -> None:
        super().__init__(response)
        self._guard = guard
        # The generator gets no reference to `self`: a stream dropped without
        # `close()` is then freed at once, not at the next garbage collection, and
        # freeing it releases the connection.
        self._iterator: AsyncGen[T] = _events(response, cast_to, strict, guard)

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        """Stop reading and release the connection; later iteration yields nothing."""
        await self._iterator.aclose()
        await release(self._response, self._guard)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

"""`AsyncAPIResponse`: one response with its metadata, its body and how to parse it.

Every request helper of `AsyncResource` returns one. Generated methods return
its `parse()`; `with_raw_response.<method>` returns it as is;
`with_streaming_response.<method>` returns an `AsyncResponseContextManager`
that sends on entry, hands it out before the body is read, and closes it on exit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, Generic, Protocol, TypeVar, overload

import httpx2
from typing_extensions import ParamSpec, Self

from mistral_sdk._errors import connection_error
from mistral_sdk._response import UNSET, AsyncGuard, ResponseInfo

__all__ = [
    "AsyncAPIResponse",
    "AsyncCloseable",
    "AsyncResponseContextManager",
    "AsyncStreamedMethod",
    "hold",
    "iter_body",
    "read_body",
    "release",
]

T = TypeVar("T")
P = ParamSpec("P")


async def _close_when_finalized(response: httpx2.Response) -> AsyncGuard:
    try:
        yield
    finally:
        await response.aclose()


async def hold(response: httpx2.Response) -> AsyncGuard:
    """Return a started guard that closes `response` when closed or dropped."""
    guard = _close_when_finalized(response)
    await guard.__anext__()
    return guard


async def release(response: httpx2.Response, guard: AsyncGuard | None) -> None:
    """Close `response` and its guard, if any (both are idempotent)."""
    if guard is not None:
        await guard.aclose()
    await response.aclose()


async def read_body(response: httpx2.Response, guard: AsyncGuard | None) -> bytes:
    """Return the whole body of `response`, then release it (and its guard)."""
    try:
        return await response.aread()
    except httpx2.HTTPError as exc:
        raise connection_error(exc, response.request) from exc
    finally:
        await release(response, guard)


async def iter_body(
    response: httpx2.Response, guard: AsyncGuard | None, chunk_size: int | None
) -> AsyncIterator[bytes]:
    """Yield the body of `response` in chunks; release it at the end."""
    try:
        async for chunk in response.aiter_bytes(chunk_size):
            yield chunk
    except httpx2.HTTPError as exc:
        raise connection_error(exc, response.request) from exc
    finally:
        await release(response, guard)


class AsyncCloseable:
    """`close()` and the context manager of what holds a response's body.

    Responses, downloads and streams release their connection alike: closing
    twice is harmless (`release` is idempotent), and the context manager closes
    on exit.
    """

    # Slotless, so that slotted subclasses (`AsyncAPIResponse`) stay slotted; the
    # subclasses set both attributes.
    __slots__ = ()
    _response: httpx2.Response
    _guard: AsyncGuard | None

    async def close(self) -> None:
        """Release the connection; an unread rest of the body is discarded."""
        await release(self._response, self._guard)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class AsyncAPIResponse(ResponseInfo, AsyncCloseable, Generic[T]):
    """An HTTP response, its metadata, and `parse()` for what the method returns.

    A raw JSON response has its body read already; a raw stream or download and
    every response from `with_streaming_response` do not, until asked. Close it
    (or use it as a context manager) when its body is not read to the end; one
    dropped unread is closed when it is garbage-collected, so it never holds its
    connection.
    """

    __slots__ = ("_guard", "_parse", "_parsed", "_reads_body")

    def __init__(
        self,
        response: httpx2.Response,
        parse: Callable[[httpx2.Response], T],
        *,
        reads_body: bool,
        guard: AsyncGuard | None = None,
    ) -> None:
        super().__init__(response)
        self._parse = parse
        self._parsed: Any = UNSET
        self._reads_body = reads_body
        self._guard = guard

    async def parse(self) -> T:
        """Return what the normal method returns: a model, a stream, a page, ...

        The body is read first when the value is made from it (models, pages).
        The first call parses; later calls return the same object.
        """
        if self._parsed is UNSET:
            if self._reads_body and not self._response.is_stream_consumed:
                await self.read()
            self._parsed = self._parse(self._response)
        result: T = self._parsed
        return result

    async def read(self) -> bytes:
        """Return the whole body (read once, then kept) and release the connection."""
        return await read_body(self._response, self._guard)

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """Yield the body in decoded chunks; release the connection at the end."""
        return iter_body(self._response, self._guard, chunk_size)

    async def iter_lines(self) -> AsyncIterator[str]:
        """Yield the body line by line, as text; release the connection at the end."""
        try:
            async for line in self._response.aiter_lines():
                yield line
        except httpx2.HTTPError as exc:
            raise connection_error(exc, self._response.request) from exc
        finally:
            await release(self._response, self._guard)


class _Sends(Protocol[P, T]):
    # A method of a generated `...WithRawResponse` class, seen from its class.
    async def __call__(
        self, view: Any, /, *args: P.args, **kwargs: P.kwargs
    ) -> AsyncAPIResponse[T]: ...


class AsyncResponseContextManager(Generic[T]):
    """What `with_streaming_response.<method>(...)` returns.

    Entering it sends the request and gives the `AsyncAPIResponse` before its
    body is read (read it with `iter_bytes()`, `iter_lines()`, `read()` or
    `parse()`); leaving the block closes it.
    """

    __slots__ = ("_args", "_kwargs", "_method", "_response", "_view")

    def __init__(
        self,
        send: _Sends[P, T],
        view: object,
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
    ) -> None:
        self._method: _Sends[Any, T] = send
        self._view = view
        self._args = args
        self._kwargs = kwargs
        self._response: AsyncAPIResponse[T] | None = None

    async def __aenter__(self) -> AsyncAPIResponse[T]:
        self._response = await self._method(self._view, *self._args, **self._kwargs)
        return self._response

    async def __aexit__(self, *exc_info: object) -> None:
        if self._response is not None:
            await self._response.close()


class AsyncStreamedMethod(Generic[P, T]):
    """A `with_raw_response` method seen through `with_streaming_response`.

    Generated streaming classes declare
    `complete = AsyncStreamedMethod(AsyncChatWithRawResponse.complete)`; called,
    it returns an `AsyncResponseContextManager` that runs the raw method on the
    instance's unread view.
    """

    def __init__(self, send: _Sends[P, T]) -> None:
        self._send = send
        self.__doc__ = getattr(send, "__doc__", None)
        self.__wrapped__ = send

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, instance: object, owner: type[Any]
    ) -> Callable[P, AsyncResponseContextManager[T]]: ...
    def __get__(
        self, instance: object | None, owner: type[Any]
    ) -> Self | Callable[P, AsyncResponseContextManager[T]]:
        if instance is None:
            return self
        send = self._send
        view: object = getattr(instance, "_view")  # noqa: B009 - set by the base

        def call(*args: P.args, **kwargs: P.kwargs) -> AsyncResponseContextManager[T]:
            return AsyncResponseContextManager(send, view, args, kwargs)

        return call

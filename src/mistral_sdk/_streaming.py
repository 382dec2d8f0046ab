"""Server-sent event streams: `Stream` and `AsyncStream`.

Bytes become events in httpx2's SSE decoder (`httpx2.EventSource`), which keeps
partial lines and partial UTF-8 sequences across network chunks. Three gaps between
it and the SSE specification are closed here: the body is always decoded as UTF-8
and a leading byte-order mark is dropped (the decoder would follow a `charset=`
parameter and keep the BOM inside the first field name), and events without data
(`event: ping`, a lone `id:`) are skipped rather than handed out empty.

The decoder drops an event the body ends in the middle of, as the specification
says; for the API that means a cut connection (a proxy that delimits the body by
closing the connection cannot show a cut any other way), so `EventBoundary`
watches the bytes and such an end raises `APIConnectionError` instead of passing
for the end of the stream.

Each event is turned into a value by `decode_event`, a pure function; the twins
only move bytes and release the connection when closed, exited, exhausted, broken
or garbage-collected.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from typing import Any, Final, Generic, TypeVar

import httpx2
from typing_extensions import Self

from ._errors import (
    APIConnectionError,
    ResponseDecodeError,
    connection_error,
    error_from_payload,
    is_error_payload,
    request_id_of,
)
from ._response import parse_response

__all__ = ["AsyncStream", "EventBoundary", "Stream", "decode_event"]

T = TypeVar("T")

DONE: Final = object()
"""`decode_event` result: the stream says it is finished."""
SKIP: Final = object()
"""`decode_event` result: an event that carries nothing to hand out."""


def decode_event(
    event: httpx2.ServerSentEvent,
    cast_to: Any,
    *,
    strict: bool,
    response: httpx2.Response,
) -> Any:
    """Return the value of one event, `DONE`, or `SKIP`.

    Raises:
        APIError: The event is one of the API's error payloads.
        ResponseDecodeError: The data is not JSON.
        ResponseValidationError: Strict mode, and the data departs from the spec.
    """
    data = event.data
    if not data.strip():
        return SKIP
    if data.strip() == "[DONE]":
        return DONE
    # Error payloads are rare; look for them only when the text could hold one, so
    # that ordinary events are decoded once, by the model's validator.
    if "error" in data or event.event == "error":
        try:
            payload: object = json.loads(data)
        except ValueError:
            payload = {"message": data} if event.event == "error" else None
        if is_error_payload(payload) or (event.event == "error" and payload):
            raise error_from_payload(payload, response=response)
    return parse_response(cast_to, data, strict=strict, response=response)


_LINE_BREAK: Final = re.compile(rb"\r\n|\r|\n")


class EventBoundary:
    """Tells whether an event stream's bytes so far end inside an event (sans-IO).

    Feed it the body's bytes in any chunks; `inside_event` is true when a field
    line (anything but a comment) came after the last blank line, i.e. when the
    SSE decoder still holds an event it has not dispatched.
    """

    __slots__ = ("_after_cr", "_line", "_pending")

    def __init__(self) -> None:
        self._after_cr = False  # the last chunk ended with CR: a LF may follow
        self._line = b""  # the first byte of the current line, b"" while empty
        self._pending = False  # a field line since the last blank line

    def feed(self, data: bytes) -> None:
        """Account for the next bytes of the body."""
        if not data:
            return
        if self._after_cr and data[0] == 0x0A:  # the LF of a CRLF split in two
            data = data[1:]
        self._after_cr = data.endswith(b"\r")
        for index, piece in enumerate(_LINE_BREAK.split(data)):
            if index:
                self._end_line()
            if piece and not self._line:
                self._line = piece[:1]

    def _end_line(self) -> None:
        if not self._line:
            self._pending = False  # a blank line dispatches the event
        elif self._line != b":":
            self._pending = True
        self._line = b""

    @property
    def inside_event(self) -> bool:
        """Whether the bytes so far stop before the end of an event.

        A body ending in a lone CR is not: httpx2's decoder then dispatches the
        pending event, whose lines are all complete.
        """
        if self._after_cr:
            return False
        return self._pending or self._line not in (b"", b":")


class _Watched(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    # The decoded body of `response`, passing through an `EventBoundary`.
    def __init__(self, response: httpx2.Response, boundary: EventBoundary) -> None:
        self._response = response
        self._boundary = boundary

    def __iter__(self) -> Iterator[bytes]:
        for data in self._response.iter_bytes():
            self._boundary.feed(data)
            yield data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for data in self._response.aiter_bytes():
            self._boundary.feed(data)
            yield data


def _event_source(
    response: httpx2.Response, boundary: EventBoundary
) -> httpx2.EventSource:
    # The decoder reads the body through a response of its own, so that it sees
    # the bytes after content decoding and the boundary sees the same bytes.
    # Event streams are UTF-8 whatever `charset=` says, and a leading BOM is not
    # part of the first field name: `utf-8-sig` gives both.
    source = httpx2.Response(
        response.status_code,
        headers={"content-type": "text/event-stream"},
        stream=_Watched(response, boundary),
        request=response.request,
    )
    source.encoding = "utf-8-sig"
    return httpx2.EventSource(source)


def _cut(response: httpx2.Response) -> APIConnectionError:
    return APIConnectionError(
        "connection error: the event stream ended in the middle of an event",
        request=response.request,
    )


def _is_event_stream(response: httpx2.Response) -> bool:
    content_type = response.headers.get("content-type", "")
    return content_type.partition(";")[0].strip().lower() == "text/event-stream"


def _not_a_stream(response: httpx2.Response) -> Exception:
    # A JSON error body on a 200 is still the API's error; anything else is a
    # response the SDK cannot read as events.
    text = response.text
    try:
        payload: object = json.loads(text)
    except ValueError:
        payload = None
    if is_error_payload(payload):
        return error_from_payload(payload, response=response)
    content_type = response.headers.get("content-type", "none")
    return ResponseDecodeError(
        f"expected an event stream, got content type {content_type!r}",
        status_code=response.status_code,
        body=text,
        response=response,
    )


def _events(
    response: httpx2.Response, cast_to: Any, strict: bool
) -> Generator[Any, None, None]:
    try:
        if not _is_event_stream(response):
            response.read()
            raise _not_a_stream(response)
        boundary = EventBoundary()
        for event in _event_source(response, boundary):
            value = decode_event(event, cast_to, strict=strict, response=response)
            if value is DONE:
                return
            if value is not SKIP:
                yield value
        if boundary.inside_event:
            raise _cut(response)
    except httpx2.HTTPError as exc:
        raise connection_error(exc, response.request) from exc
    finally:
        response.close()


async def _aevents(
    response: httpx2.Response, cast_to: Any, strict: bool
) -> AsyncGenerator[Any, None]:
    try:
        if not _is_event_stream(response):
            await response.aread()
            raise _not_a_stream(response)
        boundary = EventBoundary()
        async for event in _event_source(response, boundary):
            value = decode_event(event, cast_to, strict=strict, response=response)
            if value is DONE:
                return
            if value is not SKIP:
                yield value
        if boundary.inside_event:
            raise _cut(response)
    except httpx2.HTTPError as exc:
        raise connection_error(exc, response.request) from exc
    finally:
        await response.aclose()


class Stream(Generic[T]):
    """An iterator over the events of a streamed response.

    Use it in a `with` block, or iterate it to the end, or call `close()`: each
    releases the connection. Breaking out of a `for` loop inside `with` is safe.
    """

    def __init__(
        self, response: httpx2.Response, *, cast_to: Any, strict: bool
    ) -> None:
        self._response = response
        # The generator gets no reference to `self`: a stream dropped without
        # `close()` is then freed at once, not at the next garbage collection, and
        # freeing it releases the connection.
        self._iterator: Generator[T, None, None] = _events(response, cast_to, strict)

    @property
    def response(self) -> httpx2.Response:
        """The HTTP response carrying the stream."""
        return self._response

    @property
    def request_id(self) -> str | None:
        """The request id the API returned, if any."""
        return request_id_of(self._response.headers)

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        return next(self._iterator)

    def close(self) -> None:
        """Stop reading and release the connection; later iteration yields nothing."""
        self._iterator.close()
        self._response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        # An abandoned stream would otherwise hold its pooled connection forever.
        response = getattr(self, "_response", None)
        if response is not None and not response.is_closed:
            response.close()


class AsyncStream(Generic[T]):
    """An async iterator over the events of a streamed response.

    Use it in an `async with` block, or iterate it to the end, or `await close()`:
    each releases the connection. A partly read stream that is dropped is closed
    by the event loop's async-generator finalizer; one dropped before its first
    event cannot be (closing is a coroutine, and `__del__` cannot await it), so
    close streams you do not read.
    """

    def __init__(
        self, response: httpx2.Response, *, cast_to: Any, strict: bool
    ) -> None:
        self._response = response
        self._iterator: AsyncGenerator[T, None] = _aevents(response, cast_to, strict)

    @property
    def response(self) -> httpx2.Response:
        """The HTTP response carrying the stream."""
        return self._response

    @property
    def request_id(self) -> str | None:
        """The request id the API returned, if any."""
        return request_id_of(self._response.headers)

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        """Stop reading and release the connection; later iteration yields nothing."""
        await self._iterator.aclose()
        await self._response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

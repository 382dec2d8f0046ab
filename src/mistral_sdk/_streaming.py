"""Server-sent event streams: `Stream` and `AsyncStream`.

Bytes become events in httpx2's SSE decoder (`httpx2.EventSource`), which keeps
partial lines and partial UTF-8 sequences across network chunks. Three gaps between
it and the SSE specification are closed here: the body is always decoded as UTF-8
and a leading byte-order mark is dropped (the decoder would follow a `charset=`
parameter and keep the BOM inside the first field name), and events without data
(`event: ping`, a lone `id:`) are skipped rather than handed out empty.

Each event is turned into a value by `decode_event`, a pure function; the twins
only move bytes and release the connection when closed, exited, exhausted, broken
or garbage-collected.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from typing import Any, Final, Generic, TypeVar

import httpx2
from typing_extensions import Self

from ._errors import (
    ResponseDecodeError,
    connection_error,
    error_from_payload,
    is_error_payload,
    request_id_of,
)
from ._response import parse_response

__all__ = ["AsyncStream", "Stream", "decode_event"]

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


class Stream(Generic[T]):
    """An iterator over the events of a streamed response.

    Use it in a `with` block, or iterate it to the end, or call `close()`: each
    releases the connection. Breaking out of a `for` loop inside `with` is safe.
    """

    def __init__(
        self, response: httpx2.Response, *, cast_to: Any, strict: bool
    ) -> None:
        self._response = response
        self._cast_to = cast_to
        self._strict = strict
        self._closed = False
        self._iterator = self._events()

    @property
    def response(self) -> httpx2.Response:
        """The HTTP response carrying the stream."""
        return self._response

    @property
    def request_id(self) -> str | None:
        """The request id the API returned, if any."""
        return request_id_of(self._response.headers)

    def _events(self) -> Generator[T, None, None]:
        response = self._response
        try:
            if not _is_event_stream(response):
                response.read()
                raise _not_a_stream(response)
            response.encoding = "utf-8-sig"
            for event in httpx2.EventSource(response):
                value = decode_event(
                    event, self._cast_to, strict=self._strict, response=response
                )
                if value is DONE:
                    return
                if value is not SKIP:
                    yield value
        except httpx2.HTTPError as exc:
            raise connection_error(exc, response.request) from exc
        finally:
            self._closed = True
            response.close()

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._closed:
            raise StopIteration
        return next(self._iterator)

    def close(self) -> None:
        """Stop reading and release the connection; later iteration yields nothing."""
        self._closed = True
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
        self._cast_to = cast_to
        self._strict = strict
        self._closed = False
        self._iterator = self._events()

    @property
    def response(self) -> httpx2.Response:
        """The HTTP response carrying the stream."""
        return self._response

    @property
    def request_id(self) -> str | None:
        """The request id the API returned, if any."""
        return request_id_of(self._response.headers)

    async def _events(self) -> AsyncGenerator[T, None]:
        response = self._response
        try:
            if not _is_event_stream(response):
                await response.aread()
                raise _not_a_stream(response)
            response.encoding = "utf-8-sig"
            async for event in httpx2.EventSource(response):
                value = decode_event(
                    event, self._cast_to, strict=self._strict, response=response
                )
                if value is DONE:
                    return
                if value is not SKIP:
                    yield value
        except httpx2.HTTPError as exc:
            raise connection_error(exc, response.request) from exc
        finally:
            self._closed = True
            await response.aclose()

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._closed:
            raise StopAsyncIteration
        return await self._iterator.__anext__()

    async def close(self) -> None:
        """Stop reading and release the connection; later iteration yields nothing."""
        self._closed = True
        await self._iterator.aclose()
        await self._response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

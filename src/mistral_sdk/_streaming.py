"""Server-sent event streams: `Stream` and `AsyncStream`.

The body's bytes become events in `EventDecoder` (see `_sse`), and each event
becomes a value in `EventReader`, whose common case is one call into the
model's compiled validator on the event's bytes: no text decoding, no
`json.loads`, no second parse. Anything unusual (an error payload, `[DONE]`, a
departure from the spec, bytes that are not UTF-8) takes `decode_event`, the
complete and slower path.

A body that ends inside an event means a cut connection (a proxy that
delimits the body by closing the connection cannot show a cut any other way),
so it raises `APIConnectionError` instead of passing for the end of the stream.

The twins only move bytes and release the connection when closed, exited,
exhausted, broken or garbage-collected.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterator
from typing import Any, Final, Generic, TypeVar

import httpx2
from typing_extensions import Self

from ._errors import (
    APIConnectionError,
    ResponseDecodeError,
    connection_error,
    error_from_payload,
    is_error_payload,
)
from ._response import HeldResponse, SyncHeldResponse, parse_response
from ._sse import Event, EventDecoder, EventTooLarge

__all__ = ["AsyncStream", "EventReader", "Stream", "decode_event"]

T = TypeVar("T")

DONE: Final = object()
"""`decode_event` result: the stream says it is finished."""
SKIP: Final = object()
"""`decode_event` result: an event that carries nothing to hand out."""


def decode_event(
    event: Event,
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
    # Event streams are UTF-8; a stray invalid byte is replaced, not fatal.
    data = event.data.decode("utf-8", "replace").strip()
    if not data:
        return SKIP
    if data == "[DONE]":
        return DONE
    # Error payloads are rare; look for them only when the text could hold one, so
    # that ordinary events are decoded once, by the model's validator.
    if "error" in data or event.name == "error":
        try:
            payload: object = json.loads(data)
        except ValueError:
            payload = {"message": data} if event.name == "error" else None
        if is_error_payload(payload) or (event.name == "error" and payload):
            raise error_from_payload(payload, response=response)
    return parse_response(cast_to, data, strict=strict, response=response)


class EventReader:
    """Turns the bytes of one stream into values of `cast_to`, fast when it can.

    An ordinary event (a JSON object that does not mention "error" and
    matches the spec) is validated from its bytes in one step; every other
    event goes through `decode_event`. Sans-IO: the twins feed it the body.
    """

    __slots__ = (
        "_cast_to",
        "_decoder",
        "_invalid",
        "_response",
        "_strict",
        "_validate",
        "done",
    )

    def __init__(
        self, cast_to: Any, *, strict: bool, response: httpx2.Response
    ) -> None:
        # pydantic loads with the first stream, not with `import mistral_sdk`.
        from pydantic import ValidationError

        from ._model_base import json_validator

        self._cast_to = cast_to
        self._strict = strict
        self._response = response
        self._validate: Callable[[bytes | str], Any] = json_validator(cast_to)
        self._invalid = ValidationError
        self._decoder = EventDecoder()
        self.done = False
        """Whether the stream said it is finished (`[DONE]`); nothing follows."""

    def feed(self, chunk: bytes) -> Iterator[Any]:
        """Yield the values of the events `chunk` completes, up to `[DONE]`.

        Raises:
            ResponseDecodeError: An event is longer than the decoder's limit.
        """
        try:
            events = self._decoder.feed(chunk)
        except EventTooLarge as exc:
            raise ResponseDecodeError(
                f"unreadable event stream: {exc}",
                status_code=self._response.status_code,
                body="",
                response=self._response,
            ) from exc
        return self._values(events)

    def end(self) -> Iterator[Any]:
        """Yield the values the end of the body completes, like `feed`.

        Raises:
            APIConnectionError: The body stopped inside an event.
        """
        events, inside = self._decoder.end()
        yield from self._values(events)
        if inside:
            raise _cut(self._response)

    def _values(self, events: list[Event]) -> Iterator[Any]:
        for event in events:
            value = self.read(event)
            if value is DONE:
                self.done = True
                return
            if value is not SKIP:
                yield value

    def read(self, event: Event) -> Any:
        """Return the value of `event`, `DONE` or `SKIP` (see `decode_event`)."""
        data = event.data
        if data[:1] == b"{" and event.name == "message" and b"error" not in data:
            try:
                return self._validate(data)
            except self._invalid:
                pass  # a departure or bad bytes: the slow path explains
        return decode_event(
            event, self._cast_to, strict=self._strict, response=self._response
        )


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
        reader = EventReader(cast_to, strict=strict, response=response)
        for chunk in response.iter_bytes():
            for value in reader.feed(chunk):
                yield value
            if reader.done:
                return
        for value in reader.end():
            yield value
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
        reader = EventReader(cast_to, strict=strict, response=response)
        async for chunk in response.aiter_bytes():
            for value in reader.feed(chunk):
                yield value
            if reader.done:
                return
        for value in reader.end():
            yield value
    except httpx2.HTTPError as exc:
        raise connection_error(exc, response.request) from exc
    finally:
        await response.aclose()


class Stream(SyncHeldResponse, Generic[T]):
    """An iterator over the events of a streamed response.

    Use it in a `with` block, or iterate it to the end, or call `close()`: each
    releases the connection. Breaking out of a `for` loop inside `with` is safe.
    """

    def __init__(
        self, response: httpx2.Response, *, cast_to: Any, strict: bool
    ) -> None:
        super().__init__(response)
        # The generator gets no reference to `self`: a stream dropped without
        # `close()` is then freed at once, not at the next garbage collection, and
        # freeing it releases the connection.
        self._iterator: Generator[T, None, None] = _events(response, cast_to, strict)

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


class AsyncStream(HeldResponse, Generic[T]):
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
        super().__init__(response)
        self._iterator: AsyncGenerator[T, None] = _aevents(response, cast_to, strict)

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

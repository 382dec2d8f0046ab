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

The twins (`AsyncStream` in `_async/_streaming.py`, `Stream` generated from it)
only move bytes and release the connection when closed, exited, exhausted,
broken or garbage-collected. After `[DONE]` they read what is left of the body,
up to `DRAIN_BYTES` (and `DRAIN_SECONDS` on the async side), so that the
connection goes back to the pool instead of being closed.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Generator, Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Final, Generic, Protocol, TypeVar

import httpx2

from ._errors import (
    APIConnectionError,
    ResponseDecodeError,
    error_from_payload,
    is_error_payload,
)
from ._response import parse_response
from ._sse import Event, EventDecoder, EventTooLarge

__all__ = [
    "DONE",
    "DRAIN_BYTES",
    "DRAIN_SECONDS",
    "SKIP",
    "AsyncStreamManager",
    "EventReader",
    "Recorder",
    "async_drain_scope",
    "cut",
    "decode_event",
    "is_event_stream",
    "not_a_stream",
    "sync_drain_scope",
]

S_co = TypeVar("S_co", covariant=True)
E = TypeVar("E")
R = TypeVar("R")
_Event_contra = TypeVar("_Event_contra", contravariant=True)
_Final_co = TypeVar("_Final_co", covariant=True)

DRAIN_BYTES: Final = 16 * 1024
"""After `[DONE]`, read at most this much of the rest of the body, then close."""
DRAIN_SECONDS: Final = 1.0
"""After `[DONE]`, async streams wait at most this long for the body's end."""

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
    With `record`, the data of every event handed out is appended to it (see
    `Recorder`). `last_event_id` is what a resumed stream would start after.
    """

    __slots__ = (
        "_cast_to",
        "_decoder",
        "_invalid",
        "_record",
        "_response",
        "_strict",
        "_validate",
        "done",
        "last_event_id",
    )

    def __init__(
        self,
        cast_to: Any,
        *,
        strict: bool,
        response: httpx2.Response,
        record: list[bytes] | None = None,
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
        self._record = record
        self.done = False
        """Whether the stream said it is finished (`[DONE]`); nothing follows."""
        self.last_event_id = ""
        """The SSE id of the last event handed out (see `Event.id`); empty if none."""

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
            raise cut(self._response)

    def _values(self, events: list[Event]) -> Iterator[Any]:
        record = self._record
        for event in events:
            value = self.read(event)
            if value is DONE:
                self.done = True
                return
            if value is not SKIP:
                if record is not None:
                    record.append(event.data)
                # Set just before the value is handed out: the id resumes after it.
                self.last_event_id = event.id
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


def cut(response: httpx2.Response) -> APIConnectionError:
    """Return the error for a body that ended in the middle of an event."""
    return APIConnectionError(
        "connection error: the event stream ended in the middle of an event",
        request=response.request,
    )


def is_event_stream(response: httpx2.Response) -> bool:
    """Tell whether the response's content type is `text/event-stream`."""
    content_type = response.headers.get("content-type", "")
    return content_type.partition(";")[0].strip().lower() == "text/event-stream"


def not_a_stream(response: httpx2.Response) -> Exception:
    """Return the error for a (read) response that is not an event stream."""
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


def sync_drain_scope() -> AbstractContextManager[object]:
    """The time limit of the drain after `[DONE]` in sync streams: the read timeout."""
    # A blocking read cannot be interrupted from here; the request's read timeout
    # bounds it, and the byte limit bounds what a chatty server can send.
    return nullcontext()


def async_drain_scope() -> AbstractContextManager[object]:
    """The time limit of the drain after `[DONE]` in async streams: `DRAIN_SECONDS`."""
    try:
        import anyio
    except ImportError:  # pragma: no cover - httpx2 for emscripten comes without anyio
        return nullcontext()
    return anyio.move_on_after(DRAIN_SECONDS)


class _Accumulator(Protocol[_Event_contra, _Final_co]):
    def add(self, event: _Event_contra, /) -> str: ...
    def final(self) -> _Final_co: ...


class Recorder(Generic[E, R]):
    """The events a stream handed out, folded into an accumulator when asked.

    The stream's `EventReader` appends the data of each event it hands out to
    `data`: bytes, which the garbage collector never traverses, so a long
    stream costs one list append per event and no collector time (keeping the
    event models alive instead made every chunk of a 2,000-chunk stream cost
    half as much again). `fold()` validates them again into the accumulator,
    only for callers of `text_stream` and the `get_final_...()` methods.
    """

    __slots__ = ("_accumulator", "_folded", "_parse", "data")

    def __init__(
        self, accumulator: _Accumulator[E, R], parse: Callable[[bytes], E]
    ) -> None:
        self._accumulator = accumulator
        self._parse = parse
        self._folded = 0
        self.data: list[bytes] = []
        """The data of every event the stream handed out so far."""

    def fold(self) -> str:
        """Fold the events not folded yet; return the text they add."""
        data, start = self.data, self._folded
        self._folded = len(data)
        add, parse = self._accumulator.add, self._parse
        return "".join([add(parse(item)) for item in data[start:]])

    def final(self) -> R:
        """Return the response every event seen so far amounts to."""
        self.fold()
        return self._accumulator.final()


class _Closes(Protocol):
    async def close(self) -> None: ...


S = TypeVar("S", bound=_Closes)


class _Parses(Protocol[S_co]):
    async def parse(self) -> S_co: ...


class AsyncStreamManager(Generic[S]):
    """What async stream methods return: `await` it, or use it in `async with`.

    `stream = await client.chat.stream(...)` sends and gives the stream;
    `async with client.chat.stream(...) as stream:` does the same and closes the
    stream when the block ends. Nothing is sent before either happens.
    """

    __slots__ = ("_open", "_stream")

    def __init__(self, open: Callable[[], Awaitable[_Parses[S]]]) -> None:  # noqa: A002
        self._open = open
        self._stream: S | None = None

    def __await__(self) -> Generator[Any, None, S]:
        return self._start().__await__()

    async def _start(self) -> S:
        response = await self._open()
        return await response.parse()

    async def __aenter__(self) -> S:
        self._stream = await self._start()
        return self._stream

    async def __aexit__(self, *exc_info: object) -> None:
        if self._stream is not None:
            await self._stream.close()

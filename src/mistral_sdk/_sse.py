"""Server-sent events decoded straight from bytes (sans-IO): `EventDecoder`.

The SSE rules (WHATWG HTML, "Interpreting an event stream") applied to bytes
rather than text: line breaks are CRLF, LF or CR, a blank line dispatches the
event, `data:` lines are joined with LF, a leading space after the colon is
dropped, lines starting with a colon are comments, an event without data is not
dispatched and a leading UTF-8 byte-order mark is ignored. The last event ID
buffer follows the spec too: an `id` field whose value has no NUL sets it (an
empty value resets it), it outlives each event (an `id` in a block without data
still counts), and every event carries its value when dispatched, as
`Event.id`; a stream resumes from there. `retry` is ignored: this API does not
ask for reconnection delays. Event data stays bytes, since JSON is validated
from bytes; splitting on ASCII line breaks never cuts a UTF-8 sequence, so the
body need not be decoded first.

httpx2's `EventSource` decodes the whole body to text first, line by line, and
was the largest single cost of a stream (docs/benchmarks.md); it also follows a
`charset=` parameter, keeps the BOM, and cannot tell a body cut inside an event
from one that ended cleanly. This decoder handles the common case (one
`data:` line per event, LF line breaks) with a single split per network chunk.
"""

from __future__ import annotations

from typing import Final, NamedTuple

__all__ = ["MAX_EVENT_BYTES", "Event", "EventDecoder", "EventTooLarge"]

MAX_EVENT_BYTES: Final = 16 * 1024 * 1024
"""The most bytes one event may take before the decoder gives up on the body."""

_BOM: Final = b"\xef\xbb\xbf"


class Event(NamedTuple):
    """One dispatched event: its type (`"message"` unless named), data and id.

    `id` is the last event ID buffer when the event was dispatched (the
    spec's `lastEventId`): the latest `id` field so far, in this event or an
    earlier one; empty if the stream never set it or reset it.
    """

    name: str
    data: bytes
    id: str = ""


class EventTooLarge(ValueError):
    """An event grew past the decoder's limit without ending."""


class EventDecoder:
    """Turns the bytes of an event stream, in any chunks, into `Event`s.

    Call `feed` with each chunk and `end` once the body is over; `end` tells
    whether the body stopped inside an event (a field line after the last blank
    line), which for this API means the connection was cut.
    """

    __slots__ = ("_last_id", "_limit", "_pending", "_started")

    def __init__(self, max_event_bytes: int = MAX_EVENT_BYTES) -> None:
        self._limit = max_event_bytes
        # The bytes after the last blank line, line breaks already turned into
        # LF except a final CR, whose LF may come in the next chunk.
        self._pending = b""
        self._started = False  # past the place a byte-order mark could be
        self._last_id = ""  # the last event ID buffer, as of the last blank line

    def feed(self, chunk: bytes) -> list[Event]:
        """Return the events that `chunk` completes.

        Raises:
            EventTooLarge: An event is longer than the limit.
        """
        buffer = self._pending + chunk if self._pending else chunk
        if not self._started:
            if len(buffer) < len(_BOM) and _BOM.startswith(buffer):
                self._pending = buffer
                return []
            self._started = True
            if buffer.startswith(_BOM):
                buffer = buffer[len(_BOM) :]
        if b"\r" in buffer:
            buffer = _to_lf(buffer)
        end = buffer.rfind(b"\n\n")
        if end < 0:
            self._keep(buffer)
            return []
        self._keep(buffer[end + 2 :])
        events: list[Event] = []
        for block in buffer[:end].split(b"\n\n"):
            # One line of data is the common case: it cannot hold an `id`, so it
            # takes the id as it stands; other blocks are parsed line by line.
            if block[:6] == b"data: " and b"\n" not in block:
                events.append(Event("message", block[6:], self._last_id))
            else:
                event, self._last_id = _parse_block(block, self._last_id)
                if event is not None:
                    events.append(event)
        return events

    def end(self) -> tuple[list[Event], bool]:
        """Finish the body.

        Returns:
            The events its last bytes complete, and whether it stopped inside an
            event.
        """
        rest, events = self._pending, []
        if rest.endswith(b"\r"):  # no LF can follow any more
            self._pending = b""
            events = self.feed(rest[:-1] + b"\n")
            rest = self._pending
        self._pending = b""
        inside = any(line and line[:1] != b":" for line in rest.split(b"\n"))
        return events, inside

    def _keep(self, rest: bytes) -> None:
        if len(rest) > self._limit:
            raise EventTooLarge(
                f"an event is longer than {self._limit} bytes without ending"
            )
        self._pending = rest


def _to_lf(buffer: bytes) -> bytes:
    # A final CR stays: with the LF that may follow it is one line break.
    if buffer.endswith(b"\r"):
        return buffer[:-1].replace(b"\r\n", b"\n").replace(b"\r", b"\n") + b"\r"
    return buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _parse_block(block: bytes, last_id: str) -> tuple[Event | None, str]:
    # The lines of one event; blank lines can only lead (a run of them). Returns
    # the event, if it has data, and the last event ID buffer after it.
    name = "message"
    data: list[bytes] = []
    for line in block.lstrip(b"\n").split(b"\n"):
        if not line or line[:1] == b":":
            continue
        field, colon, value = line.partition(b":")
        if colon and value[:1] == b" ":
            value = value[1:]
        if field == b"data":
            data.append(value)
        elif field == b"event":
            name = value.decode("utf-8", "replace") or "message"
        elif field == b"id" and b"\0" not in value:
            # A NUL byte is U+0000 in any decoding, and only ever that.
            last_id = value.decode("utf-8", "replace")
    if not data:
        return None, last_id
    return Event(name, b"\n".join(data), last_id), last_id

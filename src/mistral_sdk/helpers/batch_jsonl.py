"""Batch input as a stream, sans-IO: requests in, JSONL shards out, lines back in.

`InputLines` turns any iterable of request bodies into encoded JSONL lines, one
at a time; `ShardReader` is the file object one upload reads: it pulls lines
until a job's limits (request count, bytes) are reached, then ends, leaving the
next line for the next shard. Nothing holds more than one line and one read's
worth of bytes. `LineSplitter` cuts a downloaded body back into lines.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REQUESTS",
    "BatchLimits",
    "InputLine",
    "InputLines",
    "LineSplitter",
    "ShardReader",
    "generated_custom_id",
]

DEFAULT_MAX_REQUESTS: Final = 100_000
"""Requests per batch job, from the API's documented limits."""
DEFAULT_MAX_BYTES: Final = 512 * 1024 * 1024
"""Bytes per batch input file (512 MB), from the API's documented limits."""


@dataclass(frozen=True, slots=True)
class BatchLimits:
    """How much one job takes; larger inputs are split over several jobs."""

    max_requests: int = DEFAULT_MAX_REQUESTS
    max_bytes: int = DEFAULT_MAX_BYTES

    def __post_init__(self) -> None:
        if self.max_requests < 1 or self.max_bytes < 1:
            raise ValueError("batch limits must be positive")


@dataclass(frozen=True, slots=True)
class InputLine:
    """One request, encoded: its position in the input, id and JSONL line."""

    index: int
    custom_id: str
    data: bytes


def generated_custom_id(index: int) -> str:
    """Return the `custom_id` given to the request at `index` when it has none.

    Derived from the position alone, so a resumed run gives the same ids.
    """
    return f"request-{index}"


def _jsonable(value: object) -> Any:
    # Imported on first use: only models and datetimes need it.
    from pydantic_core import to_jsonable_python

    return to_jsonable_python(value, exclude_none=True)


def _as_body(request: object) -> dict[str, Any]:
    if isinstance(request, Mapping):
        return dict(request)  # pyright: ignore[reportUnknownArgumentType]
    dumped = _jsonable(request)
    if not isinstance(dumped, dict):
        raise TypeError(
            f"a batch request must be a dict or a model, not {type(request).__name__}"
        )
    return dumped  # pyright: ignore[reportUnknownVariableType]


def encode_request(index: int, request: object) -> InputLine:
    """Return the JSONL line of a request body (`custom_id` taken out of it).

    Raises:
        TypeError: The request is neither a mapping nor a model, or not JSON.
    """
    body = _as_body(request)
    given = body.pop("custom_id", None)
    custom_id = generated_custom_id(index) if given is None else str(given)
    line = json.dumps(
        {"custom_id": custom_id, "body": body},
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_jsonable,
    )
    return InputLine(index, custom_id, line.encode() + b"\n")


class InputLines:
    """A stream of encoded lines with one line of look-ahead.

    Args:
        lines: The encoded lines (see `from_requests`), read lazily.
        start: The input position of the first line.
    """

    def __init__(self, lines: Iterable[InputLine], start: int = 0) -> None:
        self._lines: Iterator[InputLine] = iter(lines)
        self._held: InputLine | None = None
        self._position = start
        self.exhausted = False

    @classmethod
    def from_requests(cls, requests: Iterable[object], *, skip: int = 0) -> InputLines:
        """Return the lines of request bodies (dicts or models), encoded lazily.

        Args:
            requests: The whole input, from its start.
            skip: How many requests an earlier run already sent; they are
                read past, not encoded.
        """
        rest = itertools.islice(requests, skip, None)
        encoded = (encode_request(i, r) for i, r in enumerate(rest, start=skip))
        return cls(encoded, skip)

    @property
    def position(self) -> int:
        """Return the input position of the next line `take` gives."""
        return self._held.index if self._held is not None else self._position

    def peek(self) -> InputLine | None:
        """Return the next line without taking it; None at the end."""
        if self._held is None and not self.exhausted:
            self._held = next(self._lines, None)
            self.exhausted = self._held is None
        return self._held

    def take(self) -> InputLine | None:
        """Return the next line; None at the end."""
        line = self.peek()
        self._held = None
        if line is not None:
            self._position = line.index + 1
        return line

    def at_end(self) -> bool:
        """Return whether every line was taken."""
        return self.peek() is None


class ShardReader:
    """A read-only binary file object holding the JSONL of one job.

    Uploads read it with `read(size)`; it cannot seek, so an upload of it cannot
    be retried (the run sends it with `max_retries=0`).

    Args:
        lines: Where the lines come from; the shard takes what fits.
        limits: The job's limits.
        on_line: Called after each line is handed out (progress).
    """

    name = "batch.jsonl"
    mode = "rb"

    def __init__(
        self,
        lines: InputLines,
        limits: BatchLimits,
        on_line: Callable[[InputLine], None] | None = None,
    ) -> None:
        self._lines = lines
        self._limits = limits
        self._on_line = on_line
        self._buffer = bytearray()
        self.first = lines.position
        self.count = 0
        self.size = 0
        self._ended = False

    def _fill(self, wanted: int) -> None:
        while not self._ended and (wanted < 0 or len(self._buffer) < wanted):
            line = self._lines.peek()
            fits = line is not None and (
                self.count == 0 or self.size + len(line.data) <= self._limits.max_bytes
            )
            if line is None or not fits or self.count >= self._limits.max_requests:
                self._ended = True
                return
            self._lines.take()
            if self.count == 0:
                self.first = line.index
            self._buffer += line.data
            self.count += 1
            self.size += len(line.data)
            if self._on_line is not None:
                self._on_line(line)

    def read(self, size: int = -1) -> bytes:
        """Return up to `size` bytes (all the rest when negative); b"" at the end."""
        self._fill(size)
        if size < 0 or size >= len(self._buffer):
            chunk = bytes(self._buffer)
            self._buffer.clear()
        else:
            chunk = bytes(self._buffer[:size])
            del self._buffer[:size]
        return chunk

    def close(self) -> None:
        """Nothing to release (the lines belong to the run)."""


class LineSplitter:
    """Cuts a body arriving in chunks into its non-empty lines."""

    def __init__(self) -> None:
        self._rest = b""

    def feed(self, chunk: bytes) -> list[bytes]:
        """Add a chunk; return the lines it completes."""
        parts = (self._rest + chunk).split(b"\n")
        self._rest = parts.pop()
        return [part for part in parts if part.strip()]

    def end(self) -> list[bytes]:
        """Return the last line when the body did not end with a newline."""
        rest, self._rest = self._rest, b""
        return [rest] if rest.strip() else []

"""The recorded-style event streams in `sse/` and what the spec says about them.

Prism cannot produce `text/event-stream` bodies, so the SDK's event parsing is
checked on these byte streams instead; each event in them is validated against
the spec's event schemas first, so that the fixtures are known to be realistic.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import _spec

SSE_DIR = Path(__file__).parent / "sse"

UNKNOWN_CONVERSATION_EVENT = "conversation.response.paused"
"""An event type the spec does not know (yet): the SDK must keep it, not fail."""

UNKNOWN_WORKFLOW_EVENT = "WORKFLOW_EXECUTION_PAUSED"
"""A workflow `event_type` the spec does not know (yet), inside a known envelope."""


@dataclass(frozen=True)
class Fixture:
    """One event-stream file and the spec schema its events follow."""

    file: str
    schema: str
    """Component schema of one event: `{"event", "data"}` or, with `data_only`, the data."""
    data_only: bool = False

    def read(self) -> bytes:
        """Return the bytes of the stream, as a server would send them."""
        return (SSE_DIR / self.file).read_bytes()

    def events(self) -> list[tuple[str | None, Any]]:
        """Return `(event name, parsed data)` for every event but the `[DONE]` marker."""
        return [
            (name, json.loads(data))
            for name, data in parse_sse(self.read())
            if data != "[DONE]"
        ]

    def errors(self, name: str | None, data: Any) -> list[str]:
        """Return the spec's objections to one event of this stream."""
        document = data if self.data_only else {"event": name, "data": data}
        return [
            error.message
            for error in _spec.validator(self.schema).iter_errors(document)
        ]


CHAT = Fixture("chat_completion.sse", "CompletionChunk", data_only=True)
CHAT_TOOL_CALLS = Fixture("chat_tool_calls.sse", "CompletionChunk", data_only=True)
FIM = Fixture("fim_completion.sse", "CompletionChunk", data_only=True)
CONVERSATION = Fixture("conversation_events.sse", "ConversationEvents")
CONVERSATION_ERROR = Fixture("conversation_error.sse", "ConversationEvents")
TRANSCRIPTION = Fixture("transcription_events.sse", "TranscriptionStreamEvents")
SPEECH = Fixture("speech_events.sse", "SpeechStreamEvents")
WORKFLOW = Fixture("workflow_events.sse", "StreamEventSsePayload", data_only=True)
FIXTURES = (
    CHAT,
    CHAT_TOOL_CALLS,
    FIM,
    CONVERSATION,
    CONVERSATION_ERROR,
    TRANSCRIPTION,
    SPEECH,
    WORKFLOW,
)


def is_unknown(name: str | None, data: Any) -> bool:
    """Tell whether an event is one the spec does not know (on purpose)."""
    inner = data.get("data") if isinstance(data, dict) else None
    workflow = (
        isinstance(inner, dict) and inner.get("event_type") == UNKNOWN_WORKFLOW_EVENT
    )
    return name == UNKNOWN_CONVERSATION_EVENT or workflow


def parse_sse(raw: bytes) -> Iterator[tuple[str | None, str]]:
    """Yield `(event, data)` per event of a stream (WHATWG rules, minus `id`/`retry`).

    Deliberately independent of the SDK's decoder: it judges the fixtures.
    """
    name: str | None = None
    data: list[str] = []
    for line in raw.decode("utf-8").splitlines():
        if not line:
            if data:
                yield name, "\n".join(data)
            name, data = None, []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)
    if data:
        yield name, "\n".join(data)


def chunked(raw: bytes, size: int = 7) -> Iterator[bytes]:
    """Yield the stream in small pieces that split lines and UTF-8 sequences."""
    for start in range(0, len(raw), size):
        yield raw[start : start + size]

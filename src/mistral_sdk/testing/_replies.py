"""What an emulated model answers (`Reply`) and what a responder sees (`Prompt`).

A reply is text, tool calls, a handoff, and where a stream should break.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Prompt", "Reply", "Responder", "ToolCall"]


@dataclass(frozen=True)
class ToolCall:
    """A function call a scripted reply makes."""

    name: str
    arguments: Mapping[str, Any] | str = field(default_factory=dict[str, Any])
    id: str | None = None
    """Defaults to a generated id."""


@dataclass(frozen=True)
class Reply:
    """What an emulated model answers to one request."""

    text: str = ""
    tool_calls: Sequence[ToolCall] = ()
    finish_reason: str | None = None
    """Defaults to "tool_calls" when there are tool calls, else "stop"."""
    handoff: str | None = None
    """Conversations: the id of the agent the current agent hands off to first."""
    interrupt_after: int | None = None
    """Streams: send an error event after this many content chunks."""
    disconnect_after: int | None = None
    """Streams: break the connection after this many chunks."""
    usage: Mapping[str, int] | None = None
    """Replaces the counted `prompt_tokens` / `completion_tokens`."""


@dataclass(frozen=True)
class Prompt:
    """What a custom responder sees of a request."""

    endpoint: str
    """The operationId, e.g. `chat_completion_v1_chat_completions_post`."""
    model: str
    messages: Sequence[Mapping[str, Any]]
    """The conversation so far, as chat messages."""
    text: str
    """The text of the last user message (the FIM prompt for FIM)."""
    tools: Sequence[Mapping[str, Any]] = ()


Responder = Callable[[Prompt], "str | Reply"]

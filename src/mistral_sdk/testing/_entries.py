"""Conversation entries: reading inputs, writing outputs, and their stream events.

Inputs arrive as a string or as entries that may leave out `object`, `type`, `id`
and timestamps; stored entries always have them. Outputs are what the emulated
model produced: an optional handoff, function calls, and a message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from ._clock import iso
from ._context import World
from ._generation import Completion, message_text, pieces
from ._http import sse_event

__all__ = ["Turn", "as_messages", "input_entries", "output_entries", "stream_events"]

_PREFIXES: Final = {
    "message.input": "msg",
    "message.output": "msg",
    "function.call": "fc",
    "function.result": "fr",
    "tool.execution": "tool_exec",
    "agent.handoff": "handoff",
}


def _entry_type(entry: Mapping[str, Any]) -> str:
    if "type" in entry:
        return str(entry["type"])
    if "result" in entry:
        return "function.result"
    if "previous_agent_id" in entry:
        return "agent.handoff"
    if "tool_call_id" in entry:
        return "function.call"
    return "message.input" if "role" in entry else "tool.execution"


def _stamp(world: World, entry: dict[str, Any]) -> dict[str, Any]:
    kind = _entry_type(entry)
    now = iso(world.clock.now())
    return {
        "object": "entry",
        "type": kind,
        "created_at": now,
        "completed_at": now,
        "id": world.ids.prefixed(_PREFIXES.get(kind, "entry")),
        **entry,
    }


def input_entries(world: World, inputs: object) -> list[dict[str, Any]]:
    """Return stored entries for a request's `inputs` (a string is a user message)."""
    if inputs is None:
        return []
    if isinstance(inputs, str):
        return [
            _stamp(world, {"type": "message.input", "role": "user", "content": inputs})
        ]
    return [_stamp(world, dict(entry)) for entry in inputs]  # type: ignore[attr-defined]


def as_messages(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return the chat messages a model sees for a conversation's entries."""
    messages: list[dict[str, Any]] = []
    for entry in entries:
        kind = entry["type"]
        if kind == "message.input":
            messages.append(
                {"role": entry["role"], "content": message_text(entry["content"])}
            )
        elif kind == "message.output":
            messages.append(
                {"role": "assistant", "content": message_text(entry["content"])}
            )
        elif kind == "function.call":
            arguments = entry["arguments"]
            call: dict[str, Any] = {
                "id": entry["tool_call_id"],
                "type": "function",
                "function": {"name": entry["name"], "arguments": arguments},
            }
            messages.append({"role": "assistant", "content": "", "tool_calls": [call]})
        elif kind == "function.result":
            messages.append(
                {
                    "role": "tool",
                    "tool_call_id": entry["tool_call_id"],
                    "content": entry["result"],
                }
            )
    return messages


class Turn:
    """Who answers a conversation turn: a model, or an agent (id, name, model)."""

    def __init__(self, model: str, agent: Mapping[str, Any] | None = None) -> None:
        self.model = model
        self.agent_id: str | None = agent["id"] if agent else None
        self.agent_name: str = agent["name"] if agent else ""


def output_entries(
    world: World, turn: Turn, completion: Completion, handoff_to: Turn | None
) -> list[dict[str, Any]]:
    """Return the entries the emulated model produced for one turn."""
    outputs: list[dict[str, Any]] = []
    if handoff_to is not None:
        outputs.append(_stamp(world, {
            "type": "agent.handoff",
            "previous_agent_id": turn.agent_id or "",
            "previous_agent_name": turn.agent_name,
            "next_agent_id": handoff_to.agent_id or "",
            "next_agent_name": handoff_to.agent_name,
        }))  # fmt: skip
        turn = handoff_to
    who = {"agent_id": turn.agent_id, "model": turn.model}
    for call in completion.tool_calls:
        function = call["function"]
        entry = {"type": "function.call", **who, "tool_call_id": call["id"]}
        entry |= {"name": function["name"], "arguments": function["arguments"]}
        outputs.append(_stamp(world, entry))
    if completion.text or not completion.tool_calls:
        outputs.append(
            _stamp(
                world,
                {
                    "type": "message.output",
                    **who,
                    "role": "assistant",
                    "content": completion.text,
                },
            )
        )
    return outputs


def stream_events(
    world: World,
    conversation_id: str,
    outputs: Sequence[Mapping[str, Any]],
    completion: Completion,
) -> list[bytes]:
    """Return the SSE events of a streamed conversation turn."""
    now = iso(world.clock.now())
    events: list[dict[str, Any]] = [
        {"type": "conversation.response.started", "conversation_id": conversation_id}
    ]
    interrupt = completion.reply.interrupt_after
    for index, entry in enumerate(outputs):
        base = {"output_index": index, "id": entry["id"]}
        if entry["type"] == "agent.handoff":
            events.append(
                {
                    "type": "agent.handoff.started",
                    **base,
                    "previous_agent_id": entry["previous_agent_id"],
                    "previous_agent_name": entry["previous_agent_name"],
                }
            )
            events.append(
                {
                    "type": "agent.handoff.done",
                    **base,
                    "next_agent_id": entry["next_agent_id"],
                    "next_agent_name": entry["next_agent_name"],
                }
            )
        elif entry["type"] == "function.call":
            events.append(
                {
                    "type": "function.call.delta",
                    **base,
                    "model": entry["model"],
                    "agent_id": entry["agent_id"],
                    "name": entry["name"],
                    "tool_call_id": entry["tool_call_id"],
                    "arguments": entry["arguments"],
                }
            )
        elif entry["type"] == "message.output":
            for count, piece in enumerate(pieces(entry["content"]) or [""]):
                if interrupt is not None and count >= interrupt:
                    events.append(
                        {
                            "type": "conversation.response.error",
                            "message": "Internal server error",
                            "code": 500,
                        }
                    )
                    return _encode(events, now)
                events.append(
                    {
                        "type": "message.output.delta",
                        **base,
                        "content_index": 0,
                        "model": entry["model"],
                        "agent_id": entry["agent_id"],
                        "role": "assistant",
                        "content": piece,
                    }
                )
    usage = {**completion.usage, "connector_tokens": None, "connectors": None}
    events.append({"type": "conversation.response.done", "usage": usage})
    return _encode(events, now)


def _encode(events: list[dict[str, Any]], now: str) -> list[bytes]:
    return [
        sse_event(e["type"], {"type": e["type"], "created_at": now, **e})
        for e in events
    ]

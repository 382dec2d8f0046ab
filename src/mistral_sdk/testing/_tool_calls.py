"""The emulated model's tool calls, with arguments that fit each tool's schema.

When a request offers function tools and nothing is scripted, the echo model
calls a tool:

- always when `tool_choice` forces it (`"any"`, `"required"` or a named function);
- with `"auto"` (the default), once per conversation: for the first user turn,
  before any tool result; after the results it answers in text (the echo of the
  last result), so a tool-run loop ends. `emulator.script.auto_tool_calls(...)`
  chooses `"first_turn"` (the default), `"every_turn"` (each new user message)
  or `"never"`.

Which tools: every offered tool whose name the user's text mentions (`get_weather`
or "get weather"), in the order offered, as parallel calls; else the first tool.
The arguments are the deterministic instance `_schema_instances` builds from the
tool's JSON schema (the same as for `json_schema` response formats): `$ref`s
resolved, enums and constants honoured, numbers within their bounds, strings made
of the user's text fitted to their length limits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias, cast

from ._replies import Prompt, Reply, ToolCall
from ._schema_instances import schema_instance

__all__ = ["AutoToolCalls", "tool_arguments", "tool_call_reply"]

AutoToolCalls: TypeAlias = Literal["first_turn", "every_turn", "never"]
"""When the echo model calls a tool on its own (`tool_choice="auto"`)."""

_FORCING: Final = ("any", "required")


def tool_call_reply(
    prompt: Prompt, tool_choice: object, when: AutoToolCalls = "first_turn"
) -> Reply | None:
    """Return the echo model's tool calls for a request, or None to answer in text."""
    tools = [t for t in prompt.tools if t.get("type", "function") == "function"]
    if not tools or tool_choice == "none":
        return None
    if isinstance(tool_choice, Mapping):
        wanted = cast("Mapping[str, Any]", tool_choice).get("function", {})
        chosen = [t for t in tools if _name(t) == wanted.get("name")]
    elif tool_choice in _FORCING or _calls_now(prompt.messages, when):
        chosen = _mentioned(tools, prompt.text)
    else:
        return None
    calls = [
        ToolCall(_name(tool), tool_arguments(_parameters(tool), prompt.text))
        for tool in chosen
    ]
    return Reply(tool_calls=calls) if calls else None


def _calls_now(messages: Sequence[Mapping[str, Any]], when: AutoToolCalls) -> bool:
    """Whether an unforced request gets tool calls, given the conversation so far."""
    if when == "never" or not messages or messages[-1].get("role") != "user":
        return False  # after a tool result (or an assistant prefix): answer in text
    users = [m for m in messages if m.get("role") == "user"]
    if when == "first_turn":
        return len(users) == 1 and not any(m.get("role") == "tool" for m in messages)
    return True


def _mentioned(
    tools: Sequence[Mapping[str, Any]], text: str
) -> list[Mapping[str, Any]]:
    lowered = text.lower()
    named = [
        t
        for t in tools
        if _name(t).lower() in lowered or _name(t).replace("_", " ").lower() in lowered
    ]
    return named or [tools[0]]


def _name(tool: Mapping[str, Any]) -> str:
    return str(tool.get("function", {}).get("name", ""))


def _parameters(tool: Mapping[str, Any]) -> Mapping[str, Any]:
    parameters = tool.get("function", {}).get("parameters")
    return (
        cast("Mapping[str, Any]", parameters) if isinstance(parameters, Mapping) else {}
    )


def tool_arguments(schema: Mapping[str, Any], text: str) -> dict[str, Any]:
    """Return arguments valid for a tool's parameters schema (a JSON object)."""
    value = schema_instance(schema, text)
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}

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
The arguments are a deterministic instance of the tool's JSON schema: `$ref`s
resolved, every property present, enums and constants honoured, numbers within
their bounds, strings made of the user's text cut to their length limits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias, cast

from ._replies import Prompt, Reply, ToolCall

__all__ = ["AutoToolCalls", "tool_arguments", "tool_call_reply"]

AutoToolCalls: TypeAlias = Literal["first_turn", "every_turn", "never"]
"""When the echo model calls a tool on its own (`tool_choice="auto"`)."""

_FORCING: Final = ("any", "required")
_DEPTH: Final = 8
_FORMATS: Final[Mapping[str, str]] = {
    "date": "2025-01-01",
    "date-time": "2025-01-01T00:00:00Z",
    "time": "00:00:00",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


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
    value = _instance(schema, schema, text, 0)
    return cast("dict[str, Any]", value) if isinstance(value, dict) else {}


def _instance(
    schema: Mapping[str, Any], root: Mapping[str, Any], text: str, depth: int
) -> Any:
    if depth > _DEPTH:
        return None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return _instance(_resolve(ref, root), root, text, depth + 1)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    options = schema.get("anyOf") or schema.get("oneOf")
    if options:
        usable = [o for o in options if o.get("type") != "null"] or options
        return _instance(usable[0], root, text, depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged |= _resolve(part["$ref"], root) if "$ref" in part else part
        return _instance(merged, root, text, depth + 1)
    return _typed(schema, root, text, depth)


def _typed(
    schema: Mapping[str, Any], root: Mapping[str, Any], text: str, depth: int
) -> Any:
    kind: Any = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kinds = cast("list[str]", kind)
        kind = next((k for k in kinds if k != "null"), "null")
    if kind == "object":
        properties: Mapping[str, Any] = schema.get("properties", {})
        return {
            name: _instance(sub, root, text, depth + 1)
            for name, sub in properties.items()
        }
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 1)
        if "maxItems" in schema:
            count = min(count, int(schema["maxItems"]))
        item = schema.get("items", {})
        return [_instance(item, root, text, depth + 1) for _ in range(count)]
    if kind in ("integer", "number"):
        return _number(schema, integer=kind == "integer")
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return _string(schema, text)


def _number(schema: Mapping[str, Any], *, integer: bool) -> int | float:
    value: float = 0
    if "minimum" in schema:
        value = max(value, schema["minimum"])
    if "exclusiveMinimum" in schema:
        value = max(value, schema["exclusiveMinimum"] + 1)
    if "maximum" in schema:
        value = min(value, schema["maximum"])
    if "exclusiveMaximum" in schema:
        value = min(value, schema["exclusiveMaximum"] - 1)
    return int(value) if integer else float(value)


def _string(schema: Mapping[str, Any], text: str) -> str:
    value = _FORMATS.get(str(schema.get("format")), text)
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    if high is not None:
        value = value[: int(high)]
    return value + "x" * max(low - len(value), 0)


def _resolve(ref: str, root: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return the schema a local `$ref` ("#/$defs/Name") points at ({} if none)."""
    node: Mapping[str, Any] = root
    for part in ref.removeprefix("#/").split("/"):
        child: object = node.get(part)
        node = cast("Mapping[str, Any]", child) if isinstance(child, Mapping) else {}
    return node

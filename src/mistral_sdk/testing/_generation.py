"""The emulated models: a scripted reply if there is one, else the echo model.

The echo model answers with the text of the last user message, so a test can
predict every answer. It still behaves like a model where callers depend on it:
`max_tokens` truncates (finish_reason "length"), `stop` cuts, `tool_choice`
"any"/"required" calls a tool, and JSON response formats get JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, cast

from ._ids import Ids
from ._replies import Prompt, Reply, ToolCall
from ._schema_instances import schema_instance
from ._script import Script
from ._tool_calls import tool_call_reply

__all__ = [
    "Completion",
    "Settings",
    "count_tokens",
    "generate",
    "message_text",
    "pieces",
    "sample",
]

_PIECE: Final = re.compile(r"\s*\S+|\s+")


def pieces(text: str) -> list[str]:
    """Split text into the "tokens" a stream sends: words with their leading space."""
    return _PIECE.findall(text)


def count_tokens(text: str) -> int:
    """Return the emulator's token count of `text` (one per streamed piece)."""
    return len(pieces(text))


def message_text(content: object) -> str:
    """Return the text of a message's or entry's content (text chunks joined)."""
    if isinstance(content, str):
        return content
    if not isinstance(content, Sequence):
        return ""
    texts: list[str] = []
    for chunk in cast("Sequence[object]", content):
        if isinstance(chunk, Mapping):
            fields = cast("Mapping[str, object]", chunk)
            text = fields.get("text")
            if fields.get("type", "text") == "text" and isinstance(text, str):
                texts.append(text)
    return "".join(texts)


@dataclass(frozen=True)
class Settings:
    """The request fields that shape a generation."""

    max_tokens: int | None = None
    stop: Sequence[str] = ()
    tool_choice: object = "auto"
    response_format: Mapping[str, Any] | None = None

    @classmethod
    def of(cls, body: Mapping[str, Any]) -> Settings:
        """Return the settings of a request body (or `completion_args`)."""
        stop = body.get("stop") or ()
        return cls(
            max_tokens=body.get("max_tokens"),
            stop=[stop] if isinstance(stop, str) else list(stop),
            tool_choice=body.get("tool_choice") or "auto",
            response_format=body.get("response_format"),
        )


@dataclass
class Completion:
    """One generated answer, ready to be shaped as any endpoint's response."""

    text: str
    tool_calls: list[dict[str, Any]]
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    reply: Reply = field(default_factory=Reply)

    @property
    def usage(self) -> dict[str, int]:
        """Return the `UsageInfo` of the answer."""
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
        }


def generate(
    script: Script, ids: Ids, prompt: Prompt, settings: Settings
) -> Completion:
    """Return the answer of the emulated model to `prompt`."""
    reply = (
        script.next_reply(prompt)
        or tool_call_reply(prompt, settings.tool_choice, script.tool_calls_when)
        or _echo(prompt, settings)
    )
    text, finish = _truncate(reply.text, settings)
    calls = [
        _tool_call(ids, index, call) for index, call in enumerate(reply.tool_calls)
    ]
    if reply.finish_reason is not None:
        finish = reply.finish_reason
    elif calls and finish == "stop":
        finish = "tool_calls"
    prompt_tokens = sum(
        count_tokens(message_text(m.get("content"))) + 3 for m in prompt.messages
    )
    completion_tokens = count_tokens(text) + sum(
        count_tokens(c["function"]["arguments"]) for c in calls
    )
    usage = reply.usage or {}
    return Completion(
        text=text,
        tool_calls=calls,
        finish_reason=finish,
        prompt_tokens=usage.get("prompt_tokens", prompt_tokens),
        completion_tokens=usage.get("completion_tokens", completion_tokens),
        reply=reply,
    )


def _echo(prompt: Prompt, settings: Settings) -> Reply:
    tool = _forced_tool(prompt.tools, settings.tool_choice)
    if tool is not None:
        function: Mapping[str, Any] = tool.get("function", {})
        arguments = sample(function.get("parameters", {}), prompt.text)
        call = ToolCall(function.get("name", ""), arguments)
        return Reply(tool_calls=[call])
    fmt: Mapping[str, Any] = settings.response_format or {}
    if fmt.get("type") == "json_schema":
        described: Mapping[str, Any] = fmt.get("json_schema") or {}
        schema: Mapping[str, Any] = described.get("schema", {})
        return Reply(json.dumps(schema_instance(schema, prompt.text)))
    if fmt.get("type") == "json_object":
        return Reply(json.dumps({"answer": prompt.text}))
    return Reply(prompt.text)


def _forced_tool(
    tools: Sequence[Mapping[str, Any]], choice: object
) -> Mapping[str, Any] | None:
    functions = [t for t in tools if t.get("type", "function") == "function"]
    if isinstance(choice, Mapping):
        named: Mapping[str, Any] = cast("Mapping[str, Any]", choice).get("function", {})
        wanted = named.get("name")
        return next((t for t in functions if t["function"].get("name") == wanted), None)
    if choice in ("any", "required") and functions:
        return functions[0]
    return None


def _truncate(text: str, settings: Settings) -> tuple[str, str]:
    finish = "stop"
    for stop in settings.stop:
        if stop and stop in text:
            text = text[: text.index(stop)]
    if settings.max_tokens is not None:
        parts = pieces(text)
        if len(parts) > settings.max_tokens:
            text, finish = "".join(parts[: settings.max_tokens]), "length"
    return text, finish


def _tool_call(ids: Ids, index: int, call: ToolCall) -> dict[str, Any]:
    arguments = call.arguments
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments)
    return {
        "id": call.id or ids.short("tool_call"),
        "type": "function",
        "function": {"name": call.name, "arguments": arguments},
        "index": index,
    }


def sample(schema: Mapping[str, Any], text: str, depth: int = 0) -> Any:
    """Return a small instance of a JSON Schema, with `text` in its strings."""
    if depth > 8:
        return None
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    options = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    if options:
        usable = [o for o in options if o.get("type") != "null"] or options
        return sample(usable[0], text, depth + 1)
    kind: Any = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kinds = cast("list[str]", kind)
        kind = next((k for k in kinds if k != "null"), "null")
    if kind == "object":
        props: Mapping[str, Any] = schema.get("properties", {})
        return {name: sample(sub, text, depth + 1) for name, sub in props.items()}
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 1)
        return [sample(schema.get("items", {}), text, depth + 1) for _ in range(count)]
    simple: dict[str, Any] = {
        "integer": 0,
        "number": 0.0,
        "boolean": False,
        "null": None,
    }
    return simple.get(kind, text)

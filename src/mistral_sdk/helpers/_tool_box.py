"""The tools of a run, and each call's way from the model's request to its result.

Sans-IO: this module decides (which function, which arguments, approved or not,
what the model reads back); the `_async` run loops and their sync twins only
send requests and run the functions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

from pydantic_core import to_json

from mistral_sdk.types.common import Function, Tool, ToolParam
from mistral_sdk.types.common_agents import FunctionTool, FunctionToolParam

from ._function_tool import ArgumentsError, ToolFunction, build_tool
from .tools import PendingToolCall, ToolDecision, ToolResult

__all__ = ["OnToolCall", "Prepared", "ToolBox", "ToolDefinition", "ToolInput"]

ToolDefinition: TypeAlias = Tool | ToolParam | FunctionTool | FunctionToolParam
"""A function tool's definition, as `client.chat` or a conversation takes it."""

ToolInput: TypeAlias = (
    ToolFunction[..., Any]
    | Callable[..., Any]
    | tuple[ToolDefinition, Callable[..., Any]]
)
"""A tool of a run: a function (or `function_tool` of one), or a definition and the
function that answers it (validated against the function's signature)."""

OnToolCall: TypeAlias = Callable[[PendingToolCall], ToolDecision | None]
"""A hook that sees each call before it runs: approve (None), change or refuse it."""


@dataclass(frozen=True)
class Prepared:
    """A call ready to run: the function and its validated keyword arguments."""

    id: str
    name: str
    tool: ToolFunction[..., Any]
    arguments: dict[str, Any]

    def succeeded(self, value: object) -> ToolResult:
        """Return the result of a call that returned `value`."""
        return ToolResult(
            self.id, self.name, self.arguments, encode(value), value=value
        )

    def failed(self, error: Exception) -> ToolResult:
        """Return the result of a call that raised `error`."""
        text = f"Error: {type(error).__name__}: {error}"
        return ToolResult(self.id, self.name, self.arguments, text, error=text)


def encode(value: object) -> str:
    """Return what the model reads for a return value: text as is, the rest as JSON."""
    if isinstance(value, str):
        return value
    return to_json(value, fallback=str).decode()


def _error(id_: str, name: str, text: str) -> ToolResult:
    return ToolResult(id_, name, None, text, error=text)


class ToolBox:
    """The functions a run may call, by name, and the definitions sent to the model."""

    def __init__(self, tools: Iterable[ToolInput], *, allow_coroutines: bool) -> None:
        self._tools: dict[str, ToolFunction[..., Any]] = {}
        for given in tools:
            tool = _as_tool(given)
            name = tool.function.name
            if name in self._tools:
                raise ValueError(f"two tools are named {name!r}")
            if tool.is_coroutine and not allow_coroutines:
                raise TypeError(
                    f"tool {name!r} is a coroutine function: run it with AsyncMistral"
                )
            self._tools[name] = tool

    @classmethod
    def for_async(cls, tools: Iterable[ToolInput]) -> ToolBox:
        """Return the tools of an async run (coroutine functions are awaited)."""
        return cls(tools, allow_coroutines=True)

    @classmethod
    def for_sync(cls, tools: Iterable[ToolInput]) -> ToolBox:
        """Return the tools of a sync run (coroutine functions are refused)."""
        return cls(tools, allow_coroutines=False)

    @property
    def definitions(self) -> list[Tool]:
        """The `tools=` of each request."""
        return [
            Tool(type="function", function=t.function) for t in self._tools.values()
        ]

    @property
    def agent_definitions(self) -> list[FunctionTool]:
        """The `tools=` of a conversation."""
        return [
            FunctionTool(type="function", function=t.function)
            for t in self._tools.values()
        ]

    def prepare(
        self,
        id_: str,
        name: str,
        arguments: str | Mapping[str, Any],
        on_tool_call: OnToolCall | None,
    ) -> Prepared | ToolResult:
        """Return the call ready to run, or the result the model gets instead."""
        tool = self._tools.get(name)
        if tool is None:
            known = ", ".join(sorted(self._tools)) or "none"
            return _error(id_, name, f"Error: no tool named {name!r} (tools: {known})")
        try:
            decoded = _decode(arguments)
        except ArgumentsError as error:
            return _error(id_, name, f"Error: {error}")
        decision = (
            on_tool_call(PendingToolCall(id_, name, decoded)) if on_tool_call else None
        )
        if decision is not None and decision.refusal is not None:
            return _error(id_, name, decision.refusal)
        if decision is not None and decision.arguments is not None:
            decoded = dict(decision.arguments)
        try:
            return Prepared(id_, name, tool, tool.bind(decoded))
        except ArgumentsError as error:
            return _error(id_, name, f"Error: {error}")


def _decode(arguments: str | Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(arguments, str):
        return dict(arguments)
    try:
        decoded: object = json.loads(arguments or "{}")
    except json.JSONDecodeError as error:
        raise ArgumentsError(f"invalid arguments: not JSON ({error})") from None
    if not isinstance(decoded, dict):
        raise ArgumentsError("invalid arguments: not a JSON object")
    return cast("dict[str, Any]", decoded)


def _as_tool(given: ToolInput) -> ToolFunction[..., Any]:
    if isinstance(given, ToolFunction):
        return cast("ToolFunction[..., Any]", given)
    if isinstance(given, tuple):
        definition, func = cast("tuple[object, Callable[..., Any]]", given)
        function = _function_of(definition)
        paired: ToolFunction[..., Any] = build_tool(
            func,
            name=str(function["name"]),
            description=str(function.get("description") or ""),
            parameters=function.get("parameters") or {"type": "object"},
        )
        return paired
    if callable(given):
        plain: ToolFunction[..., Any] = build_tool(given)
        return plain
    raise TypeError(
        f"not a tool: {given!r} (a function, or a (ToolParam, function) pair)"
    )


def _function_of(definition: object) -> Mapping[str, Any]:
    if isinstance(definition, Tool | FunctionTool):
        return definition.function.model_dump(by_alias=True)
    if isinstance(definition, Mapping):
        function = cast("Mapping[str, Any]", definition).get("function")
        if isinstance(function, Mapping):
            return cast("Mapping[str, Any]", function)
        if isinstance(function, Function):
            return function.model_dump(by_alias=True)
    raise TypeError(f"not a tool definition: {definition!r}")

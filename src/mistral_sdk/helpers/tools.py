"""Python functions as tools: `function_tool`, and what a tool run reports.

```python
from mistral_sdk import function_tool

@function_tool
def get_weather(city: str, unit: Literal["c", "f"] = "c") -> dict[str, object]:
    # The docstring's summary describes the tool, its `Args:` the arguments.
    ...

get_weather("Lyon")                    # still the function, with its type
get_weather.function.parameters        # the JSON schema the model sees
```

This module stays light (no pydantic) so that `mistral_sdk` can export
`function_tool`: the schema is built by `_function_tool` on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload

if TYPE_CHECKING:
    from ._function_tool import ToolFunction

__all__ = [
    "PendingToolCall",
    "ToolDecision",
    "ToolFunction",
    "ToolResult",
    "ToolStep",
    "function_tool",
]

P = ParamSpec("P")
R = TypeVar("R")
ResponseT = TypeVar("ResponseT")


def __getattr__(name: str) -> object:
    # `ToolFunction` (what `function_tool` returns) is a pydantic model: imported on
    # first use, so that importing this module (and `mistral_sdk`) stays light.
    if name == "ToolFunction":
        from ._function_tool import ToolFunction

        return ToolFunction
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@overload
def function_tool(func: Callable[P, R], /) -> ToolFunction[P, R]: ...
@overload
def function_tool(
    *, name: str | None = None, description: str | None = None
) -> Callable[[Callable[P, R]], ToolFunction[P, R]]: ...
def function_tool(
    func: Callable[..., Any] | None = None,
    /,
    *,
    name: str | None = None,
    description: str | None = None,
) -> Any:
    """Return the tool definition of a Python function; also a decorator.

    The result is a `Tool` (what `tools=` takes) that still calls the function
    with the function's own signature. The definition comes from the function:

    - name: `func.__name__` (or `name=`);
    - description: the docstring's first paragraph (or `description=`);
    - parameters: the JSON schema pydantic derives from the signature (defaults,
      `Literal` as enums, pydantic models and dataclasses as nested objects,
      `Annotated[..., Field(...)]` constraints), with each argument described by
      `Annotated[T, "text"]`, `Field(description=...)`, or the docstring's
      `Args:` (Google) / `Parameters` (NumPy) section, in that order.

    Raises:
        TypeError: the function takes `*args` or positional-only arguments,
            which a JSON object of arguments cannot fill.
    """

    def make(target: Callable[..., Any]) -> ToolFunction[..., Any]:
        from ._function_tool import build_tool

        tool: ToolFunction[..., Any] = build_tool(
            target, name=name, description=description
        )
        return tool

    return make if func is None else make(func)


@dataclass(frozen=True)
class ToolDecision:
    """What an `on_tool_call` hook decided: run (maybe with changes) or refuse."""

    arguments: Mapping[str, Any] | None = None
    """Run with these arguments instead of the model's; None: the model's."""
    refusal: str | None = None
    """Do not run; the model gets this text as the tool's result."""


@dataclass(frozen=True)
class PendingToolCall:
    """A call the model asked for, shown to `on_tool_call` before it runs.

    A hook returns `call.approve()` (or None), `call.with_arguments(...)` or
    `call.refuse("why")`.
    """

    id: str
    """The call's `tool_call_id`."""
    name: str
    """The function's name."""
    arguments: Mapping[str, Any]
    """The arguments the model sent, decoded from JSON (not validated yet)."""

    def approve(self) -> ToolDecision:
        """Run the call as the model asked."""
        return ToolDecision()

    def with_arguments(
        self, arguments: Mapping[str, Any] | None = None, /, **changes: Any
    ) -> ToolDecision:
        """Run the call with `arguments` (default: the model's) updated by `changes`."""
        base = self.arguments if arguments is None else arguments
        return ToolDecision(arguments={**base, **changes})

    def refuse(self, reason: str = "The user refused this call.") -> ToolDecision:
        """Do not run the call; the model gets `reason` as its result."""
        return ToolDecision(refusal=reason)


@dataclass(frozen=True)
class ToolResult:
    """One call of one step: what ran and what the model got back."""

    id: str
    """The `tool_call_id` the result answers."""
    name: str
    """The function's name, as the model called it."""
    arguments: Mapping[str, Any] | None
    """The arguments the function ran with; None when it did not run."""
    content: str
    """What the model receives: the JSON-encoded return value, or the error text."""
    value: Any = None
    """The function's return value (None when it did not run or raised)."""
    error: str | None = None
    """Why the call failed (bad arguments, an exception, a refusal); None on success."""

    @property
    def is_error(self) -> bool:
        """Whether the model got an error text instead of a return value."""
        return self.error is not None


@dataclass(frozen=True)
class ToolStep(Generic[ResponseT]):
    """One response of the model, and the results of the calls it asked for."""

    response: ResponseT
    """The `ChatCompletionResponse` (chat) or `ConversationResponse` (conversations)."""
    results: list[ToolResult] = field(default_factory=list[ToolResult])
    """One per call, in the order of the calls; empty for the final answer."""

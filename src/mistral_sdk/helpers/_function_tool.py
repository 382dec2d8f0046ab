"""`ToolFunction`: a Python function that is also the `Tool` the API sees.

Pydantic does the work: `TypeAdapter` over the function's signature gives both
the JSON schema of its arguments and their validation (the semantics of
`pydantic.validate_call`), so no type is walked by hand here. What pydantic does
not read is added to the schema afterwards: the docstring's argument descriptions
and `Annotated[T, "text"]` descriptions.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Mapping
from typing import Any, Generic, ParamSpec, TypeVar

from pydantic import PrivateAttr, TypeAdapter, ValidationError

from mistral_sdk.types.common import Function, Tool

from ._docstrings import parse_docstring

__all__ = ["ArgumentsError", "ToolFunction", "build_tool"]

P = ParamSpec("P")
R = TypeVar("R")

_Bound = tuple[tuple[Any, ...], dict[str, Any]]


class ArgumentsError(ValueError):
    """The model's arguments are not JSON, or do not fit the signature."""


class ToolFunction(Tool, Generic[P, R]):
    """A function tool: call it like the function, send it as a `Tool`.

    `function.name`, `function.description` and `function.parameters` are the
    definition; `func` is the function itself.
    """

    _func: Callable[P, R] = PrivateAttr()
    _arguments: TypeAdapter[_Bound] = PrivateAttr()

    def __init__(
        self, func: Callable[P, R], function: Function, arguments: TypeAdapter[_Bound]
    ) -> None:
        """Make the tool of `func`; use `function_tool` rather than this."""
        super().__init__(type="function", function=function)
        self._func = func
        self._arguments = arguments

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        """Call the function."""
        return self._func(*args, **kwargs)

    @property
    def func(self) -> Callable[P, R]:
        """The Python function."""
        return self._func

    @property
    def is_coroutine(self) -> bool:
        """Whether calling the function returns a coroutine to await."""
        return inspect.iscoroutinefunction(self._func)

    def bind(self, arguments: str | Mapping[str, Any]) -> dict[str, Any]:
        """Return the validated keyword arguments for a call of the model.

        `arguments` is the JSON text (or the decoded object) the model sent;
        defaults are filled in, pydantic models and the like are built.

        Raises:
            ArgumentsError: not JSON, or not valid for the signature; the message
                names each problem, for the model to correct.
        """
        try:
            if isinstance(arguments, str):
                args, kwargs = self._arguments.validate_json(arguments or "{}")
            else:
                args, kwargs = self._arguments.validate_python(dict(arguments))
        except ValidationError as error:
            raise ArgumentsError(_explain(error)) from None
        assert not args  # keyword arguments only: see _check_signature
        return kwargs


def build_tool(
    func: Callable[P, R],
    *,
    name: str | None = None,
    description: str | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> ToolFunction[P, R]:
    """Return the tool of `func` (see `mistral_sdk.function_tool`).

    `parameters` replaces the schema derived from the signature in the
    definition (the arguments are still validated against the signature).
    """
    _check_signature(func)
    arguments = _arguments_adapter(func)
    docs = parse_docstring(inspect.getdoc(func))
    if parameters is None:
        parameters = _describe(arguments.json_schema(), func, docs.arguments)
    function = Function(
        name=name or str(getattr(func, "__name__", type(func).__name__)),
        description=description if description is not None else docs.summary,
        parameters=dict(parameters),
    )
    return ToolFunction(func, function, arguments)


def _check_signature(func: Callable[..., Any]) -> None:
    for parameter in inspect.signature(func).parameters.values():
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.VAR_POSITIONAL):
            raise TypeError(
                f"{getattr(func, '__qualname__', func)!r}: argument "
                f"{parameter.name!r} cannot be passed by name, so a tool call "
                "(a JSON object of arguments) cannot fill it"
            )


def _arguments_adapter(func: Callable[..., Any]) -> TypeAdapter[_Bound]:
    """Return a validator of `func`'s arguments that does not call `func`.

    It validates for a stand-in with `func`'s signature and annotations (and
    module, for string annotations) that returns what it was called with.
    """

    def bound(*args: Any, **kwargs: Any) -> _Bound:
        return args, kwargs

    stand_in: Any = functools.wraps(func)(bound)
    adapter: TypeAdapter[_Bound] = TypeAdapter(stand_in)
    return adapter


def _describe(
    schema: dict[str, Any], func: Callable[..., Any], documented: Mapping[str, str]
) -> dict[str, Any]:
    """Add argument descriptions pydantic does not read; drop generated titles."""
    properties: dict[str, dict[str, Any]] = schema.get("properties", {})
    annotated = _annotated_descriptions(func)
    for name, prop in properties.items():
        prop.pop("title", None)  # "City" for `city`: tokens that say nothing
        text = annotated.get(name) or documented.get(name)
        if text and "description" not in prop:
            prop["description"] = text
    return schema


def _annotated_descriptions(func: Callable[..., Any]) -> dict[str, str]:
    """Return the `Annotated[T, "text"]` descriptions of the arguments."""
    try:
        hints = typing.get_type_hints(func, include_extras=True)
    except Exception:  # unresolvable annotations: pydantic reports them
        return {}
    found: dict[str, str] = {}
    for name, hint in hints.items():
        if typing.get_origin(hint) is typing.Annotated:
            texts = [m for m in hint.__metadata__ if isinstance(m, str)]
            if texts:
                found[name] = texts[0]
    return found


def _explain(error: ValidationError) -> str:
    """Return a validation error as short lines a model can act on."""
    lines: list[str] = []
    for problem in error.errors(include_url=False, include_context=False):
        where = ".".join(str(part) for part in problem["loc"]) or "arguments"
        lines.append(f"{where}: {problem['msg']}")
    return "invalid arguments: " + "; ".join(lines)

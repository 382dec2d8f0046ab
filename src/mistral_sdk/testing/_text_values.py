"""Reading query and form values, which are text, with the types their schemas say.

A number, a boolean, a list (a repeated field) or one of several types.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from ._messages import Error, Loc, parse_failure
from ._schema import Validator

__all__ = ["from_strings"]

# What pydantic reads as booleans in query strings and forms.
_TRUE: Final = frozenset({"true", "1", "yes", "on", "t", "y"})
_FALSE: Final = frozenset({"false", "0", "no", "off", "f", "n"})
_UNREADABLE: Final = object()


def from_strings(
    validator: Validator, schema: Mapping[str, Any], raw: Sequence[str], loc: Loc
) -> tuple[Any, list[Error]]:
    """Return the value of text `raw` (repeated for lists) as `schema` says.

    The first member of a union that reads the text wins, as in pydantic.
    """
    resolved, _ = validator.resolve(schema)
    options = resolved.get("anyOf") or resolved.get("oneOf")
    if options is not None:
        first: list[Error] = []
        for member in options:
            if validator.resolve(member)[0].get("type") == "null":
                continue
            value, found = from_strings(validator, member, raw, loc)
            if not found:
                return value, []
            first = first or found
        return None, first
    if resolved.get("type") == "array":
        items = resolved.get("items", {})
        values: list[Any] = []
        problems: list[Error] = []
        for index, text in enumerate(raw):
            value, errs = from_strings(validator, items, [text], (*loc, index))
            values.append(value)
            problems += errs
        return values, problems or validator.errors(resolved, values, loc)
    text = raw[-1]
    value = _scalar(resolved.get("type"), text)
    if value is _UNREADABLE:
        return None, [parse_failure(resolved["type"], loc, text)]
    return value, validator.errors(schema, value, loc)


def _scalar(kind: str | None, text: str) -> Any:
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return _UNREADABLE
    if kind == "boolean":
        lowered = text.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else _UNREADABLE
    return text

"""The wording of validation errors, as pydantic (and so the API) writes them.

Each error is a FastAPI `ValidationError` item: `type`, `loc`, `msg`, `input`, and
`ctx` for the kinds whose message is built from parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final, TypeAlias

__all__ = [
    "TYPE_ERRORS",
    "Error",
    "Loc",
    "error",
    "expected_list",
    "missing",
    "parse_failure",
]

Error: TypeAlias = dict[str, Any]
Loc: TypeAlias = tuple["str | int", ...]

TYPE_ERRORS: Final = {
    "string": "string_type",
    "integer": "int_type",
    "number": "float_type",
    "boolean": "bool_type",
    "array": "list_type",
    "object": "dict_type",
    "null": "none_required",
}
_PARSE_ERRORS: Final = {
    "integer": "int_parsing",
    "number": "float_parsing",
    "boolean": "bool_parsing",
}


def expected_list(values: Sequence[object]) -> str:
    """Return `'a', 'b' or 'c'` as pydantic lists the values it expected."""
    shown = [repr(v) for v in values]
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


# kind -> (message, ctx) from the error's parameters.
_Builder: TypeAlias = Callable[..., "tuple[str, dict[str, Any] | None]"]
_BUILDERS: Final[dict[str, _Builder]] = {
    "missing": lambda: ("Field required", None),
    "extra_forbidden": lambda: ("Extra inputs are not permitted", None),
    "string_type": lambda: ("Input should be a valid string", None),
    "int_type": lambda: ("Input should be a valid integer", None),
    "int_from_float": lambda: (
        "Input should be a valid integer, got a number with a fractional part",
        None,
    ),
    "float_type": lambda: ("Input should be a valid number", None),
    "bool_type": lambda: ("Input should be a valid boolean", None),
    "list_type": lambda: ("Input should be a valid list", None),
    "dict_type": lambda: ("Input should be a valid dictionary", None),
    "none_required": lambda: ("Input should be None", None),
    "model_attributes_type": lambda: (
        "Input should be a valid dictionary or object to extract fields from",
        None,
    ),
    "int_parsing": lambda: (
        "Input should be a valid integer, unable to parse string as an integer",
        None,
    ),
    "float_parsing": lambda: (
        "Input should be a valid number, unable to parse string as a number",
        None,
    ),
    "bool_parsing": lambda: (
        "Input should be a valid boolean, unable to interpret input",
        None,
    ),
    "value_error": lambda reason: (f"Value error, {reason}", {"error": {}}),
    "json_invalid": lambda reason: ("JSON decode error", {"error": reason}),
    "literal_error": lambda values: (
        f"Input should be {expected_list(values)}",
        {"expected": expected_list(values)},
    ),
    "enum": lambda values: (
        f"Input should be {expected_list(values)}",
        {"expected": expected_list(values)},
    ),
    "union_tag_not_found": lambda key: (
        f"Unable to extract tag using discriminator '{key}'",
        {"discriminator": f"'{key}'"},
    ),
    "union_tag_invalid": lambda key, tag, tags: (
        f"Input tag '{tag}' found using '{key}' does not match any of the "
        f"expected tags: {', '.join(repr(t) for t in tags)}",
        {
            "discriminator": f"'{key}'",
            "tag": tag,
            "expected_tags": ", ".join(repr(t) for t in tags),
        },
    ),
    "string_too_short": lambda low: (
        f"String should have at least {_plural(low, 'character')}",
        {"min_length": low},
    ),
    "string_too_long": lambda high: (
        f"String should have at most {_plural(high, 'character')}",
        {"max_length": high},
    ),
    "string_pattern_mismatch": lambda pattern: (
        f"String should match pattern '{pattern}'",
        {"pattern": pattern},
    ),
    "uuid_parsing": lambda: (
        "Input should be a valid UUID, invalid character: expected an optional "
        "prefix of `urn:uuid:` followed by [0-9a-fA-F-]",
        None,
    ),
    "datetime_from_date_parsing": lambda: (
        "Input should be a valid datetime or date, invalid character in year",
        None,
    ),
    "url_parsing": lambda: (
        "Input should be a valid URL, relative URL without a base",
        None,
    ),
    "too_short": lambda low, actual: (
        f"List should have at least {_plural(low, 'item')} after validation, "
        f"not {actual}",
        {"field_type": "List", "min_length": low, "actual_length": actual},
    ),
    "too_long": lambda high, actual: (
        f"List should have at most {_plural(high, 'item')} after validation, "
        f"not {actual}",
        {"field_type": "List", "max_length": high, "actual_length": actual},
    ),
    "greater_than_equal": lambda bound: (
        f"Input should be greater than or equal to {bound}",
        {"ge": bound},
    ),
    "greater_than": lambda bound: (
        f"Input should be greater than {bound}",
        {"gt": bound},
    ),
    "less_than_equal": lambda bound: (
        f"Input should be less than or equal to {bound}",
        {"le": bound},
    ),
    "less_than": lambda bound: (f"Input should be less than {bound}", {"lt": bound}),
}


def error(kind: str, loc: Loc, value: Any, *params: Any) -> Error:
    """Return one error item of `kind`, worded from `params`."""
    msg, ctx = _BUILDERS[kind](*params)
    item: Error = {"type": kind, "loc": list(loc), "msg": msg, "input": value}
    if ctx is not None:
        item["ctx"] = ctx
    return item


def missing(loc: Loc, container: Any) -> Error:
    """Return the error of a required field that is absent from `container`."""
    return error("missing", loc, container)


def parse_failure(kind: str, loc: Loc, text: str) -> Error:
    """Return the error of query or form text that does not read as `kind`."""
    return error(_PARSE_ERRORS[kind], loc, text)

"""The wording of validation errors, as pydantic (and so the API) writes them.

Each error is a FastAPI `ValidationError` item: `type`, `loc`, `msg`, `input`, and
`ctx` for the kinds whose message is built from parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
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


_FIXED: Final = {
    "missing": "Field required",
    "extra_forbidden": "Extra inputs are not permitted",
    "string_type": "Input should be a valid string",
    "int_type": "Input should be a valid integer",
    "int_from_float": "Input should be a valid integer, got a number with a "
    "fractional part",
    "float_type": "Input should be a valid number",
    "bool_type": "Input should be a valid boolean",
    "list_type": "Input should be a valid list",
    "dict_type": "Input should be a valid dictionary",
    "none_required": "Input should be None",
    "model_attributes_type": "Input should be a valid dictionary or object to "
    "extract fields from",
    "int_parsing": "Input should be a valid integer, unable to parse string as an "
    "integer",
    "float_parsing": "Input should be a valid number, unable to parse string as a "
    "number",
    "bool_parsing": "Input should be a valid boolean, unable to interpret input",
    "uuid_parsing": "Input should be a valid UUID, invalid character: expected an "
    "optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]",
    "datetime_from_date_parsing": "Input should be a valid datetime or date, "
    "invalid character in year",
    "url_parsing": "Input should be a valid URL, relative URL without a base",
}
# Bounds: kind -> (message start, ctx key).
_BOUNDS: Final = {
    "greater_than_equal": ("Input should be greater than or equal to", "ge"),
    "greater_than": ("Input should be greater than", "gt"),
    "less_than_equal": ("Input should be less than or equal to", "le"),
    "less_than": ("Input should be less than", "lt"),
}


def _tags(tags: Sequence[object]) -> str:
    return ", ".join(repr(t) for t in tags)


def _describe(kind: str, params: tuple[Any, ...]) -> tuple[str, dict[str, Any] | None]:
    """Return the message and context of an error of `kind`."""
    if kind in _FIXED:
        return _FIXED[kind], None
    if kind in _BOUNDS:
        start, key = _BOUNDS[kind]
        return f"{start} {params[0]}", {key: params[0]}
    if kind in ("literal_error", "enum"):
        expected = expected_list(params[0])
        return f"Input should be {expected}", {"expected": expected}
    if kind == "union_tag_invalid":
        key, tag, tags = params
        return (
            f"Input tag '{tag}' found using '{key}' does not match any of the "
            f"expected tags: {_tags(tags)}",
            {"discriminator": f"'{key}'", "tag": tag, "expected_tags": _tags(tags)},
        )
    return _describe_sized(kind, params)


def _describe_sized(kind: str, params: tuple[Any, ...]) -> tuple[str, dict[str, Any]]:
    if kind == "union_tag_not_found":
        return (
            f"Unable to extract tag using discriminator '{params[0]}'",
            {"discriminator": f"'{params[0]}'"},
        )
    if kind == "string_too_short":
        text = f"String should have at least {_plural(params[0], 'character')}"
        return text, {"min_length": params[0]}
    if kind == "string_too_long":
        text = f"String should have at most {_plural(params[0], 'character')}"
        return text, {"max_length": params[0]}
    if kind == "string_pattern_mismatch":
        return f"String should match pattern '{params[0]}'", {"pattern": params[0]}
    if kind in ("too_short", "too_long"):
        bound, actual = params
        word, key = (
            ("least", "min_length") if kind == "too_short" else ("most", "max_length")
        )
        text = f"List should have at {word} {_plural(bound, 'item')} after validation"
        return f"{text}, not {actual}", {
            "field_type": "List",
            key: bound,
            "actual_length": actual,
        }
    if kind == "json_invalid":
        return "JSON decode error", {"error": params[0]}
    return f"Value error, {params[0]}", {"error": {}}


def error(kind: str, loc: Loc, value: Any, *params: Any) -> Error:
    """Return one error item of `kind`, worded from `params`."""
    msg, ctx = _describe(kind, params)
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

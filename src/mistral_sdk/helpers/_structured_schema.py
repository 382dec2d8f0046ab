"""Python type -> the strict `json_schema` response format the API accepts (sans-IO).

The schema comes from pydantic (`TypeAdapter(T).json_schema()`), so models,
dataclasses and TypedDicts, nested or not, with enums, `Literal`s, optional
fields and lists all work as pydantic documents them. It is then made strict,
the way constrained decoding needs it:

- every object with properties lists them all in `required` and has
  `additionalProperties: false` (an optional field stays optional by being
  nullable, `X | None`, not by being absent); maps (`dict[str, X]`) keep their
  value schema;
- keywords that are not JSON Schema or that constrained decoders refuse are
  dropped: `default`, `examples`, pydantic's OpenAPI-only `discriminator`,
  `deprecated`, `readOnly`/`writeOnly`;
- `oneOf` becomes `anyOf` (the model must produce one member; exclusivity cannot
  be enforced while generating), a one-member `allOf` is merged into its parent,
  and a `$ref` carrying other keywords (a field's description) is inlined, since
  strict schemas allow nothing beside `$ref`; `$defs` stay at the root, so
  recursive types keep working.

The format's `name` is the type's name reduced to the characters the API allows
(letters, digits, `_` and `-`, at most 64).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from mistral_sdk.types.common import ResponseFormatParam

__all__ = ["adapter_for", "response_format_for", "strict_schema", "type_name"]

_DROPPED = frozenset(
    {"default", "examples", "discriminator", "deprecated", "readOnly", "writeOnly"}
)
_SCHEMA_MAPS = ("properties", "$defs", "definitions", "patternProperties")
_SCHEMA_LISTS = ("anyOf", "allOf", "prefixItems")
_SCHEMA_VALUES = ("items", "not", "contains", "additionalProperties")
_NAME_DISALLOWED = re.compile(r"[^A-Za-z0-9_-]+")

_adapters: dict[type[Any], TypeAdapter[Any]] = {}


def adapter_for(output_type: type[Any]) -> TypeAdapter[Any]:
    """Return the (cached) pydantic `TypeAdapter` validating `output_type`."""
    try:
        return _adapters[output_type]
    except KeyError:
        pass
    except TypeError:  # an unhashable type expression: build it every time
        return _build_adapter(output_type)
    adapter = _adapters[output_type] = _build_adapter(output_type)
    return adapter


def _build_adapter(output_type: type[Any]) -> TypeAdapter[Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(output_type)


def type_name(output_type: object) -> str:
    """Return the name the API accepts for the schema of `output_type`."""
    raw = getattr(output_type, "__name__", None) or repr(output_type)
    return _NAME_DISALLOWED.sub("_", str(raw)).strip("_")[:64] or "output"


def response_format_for(output_type: type[Any]) -> ResponseFormatParam:
    """Return the strict `json_schema` response format for `output_type`.

    Raises:
        TypeError: `output_type` is not something whose values are JSON objects
            (a pydantic model, dataclass or TypedDict).
    """
    schema = strict_schema(adapter_for(output_type).json_schema())
    if schema.get("type") != "object":
        raise TypeError(
            f"response_format must be a pydantic model, dataclass or TypedDict"
            f" (a type whose values are JSON objects), not {output_type!r}"
        )
    return {
        "type": "json_schema",
        "json_schema": {
            "name": type_name(output_type),
            "schema": schema,
            "strict": True,
        },
    }


def strict_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Return a strict copy of a JSON schema (see the module docstring)."""
    definitions = {**schema.get("$defs", {}), **schema.get("definitions", {})}
    return _strict(schema, definitions, ())


def _strict(
    node: Mapping[str, Any], definitions: Mapping[str, Any], inlining: tuple[str, ...]
) -> dict[str, Any]:
    node = _merge_single_all_of(node)
    ref = node.get("$ref")
    if isinstance(ref, str) and len(node) > 1:
        name = ref.rsplit("/", 1)[-1]
        if name in definitions and name not in inlining:
            # Inline the definition under the extra keywords (a description, mostly).
            extra = {k: v for k, v in node.items() if k != "$ref"}
            merged = {**definitions[name], **extra}
            return _strict(merged, definitions, (*inlining, name))
        return {"$ref": ref}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED:
            continue
        key = "anyOf" if key == "oneOf" else key
        if key in _SCHEMA_MAPS and isinstance(value, Mapping):
            subs = cast("Mapping[str, Mapping[str, Any]]", value)
            out[key] = {n: _strict(s, definitions, inlining) for n, s in subs.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            items = cast("list[Mapping[str, Any]]", value)
            out[key] = [_strict(s, definitions, inlining) for s in items]
        elif key in _SCHEMA_VALUES and isinstance(value, Mapping):
            out[key] = _strict(cast("Mapping[str, Any]", value), definitions, inlining)
        else:
            out[key] = value
    properties = out.get("properties")
    if isinstance(properties, dict):
        # Maps (`dict[str, X]`) have no properties and keep their value schema.
        out["required"] = list(cast("dict[str, Any]", properties))
        out["additionalProperties"] = False
    return out


def _merge_single_all_of(node: Mapping[str, Any]) -> Mapping[str, Any]:
    all_of = node.get("allOf")
    members = cast(
        "list[Mapping[str, Any]]", all_of if isinstance(all_of, list) else []
    )
    if len(members) == 1:
        return {**members[0], **{k: v for k, v in node.items() if k != "allOf"}}
    return node

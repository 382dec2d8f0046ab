"""A validator for the spec's schemas that reports errors the way the API does.

The API is a FastAPI service, so a request it cannot read comes back as 422 with
pydantic's error list: `{"type", "loc", "msg", "input"[, "ctx"]}` per problem. A
general JSON Schema library reports a different shape, so this module walks the
subset of JSON Schema the spec uses (`$ref`, `allOf`, `anyOf`/`oneOf` with or
without a discriminator, `type`, `const`, `enum`, `properties`, `required`,
`additionalProperties`, `items`, string, number and array bounds, `format`) and
words each error as pydantic does.
"""

from __future__ import annotations

import operator
import re
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final, cast

from ._json import is_object
from ._messages import (
    TYPE_ERRORS,
    Error,
    Loc,
    error,
    missing,
)

__all__ = ["Validator"]

_TAG_KEYS: Final = ("type", "role")
_LABELS: Final = {"string": "str", "integer": "int", "number": "float"}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "unknown"


def _same(a: object, b: object) -> bool:
    # `True == 1` in Python, not in JSON.
    return _json_type(a) == _json_type(b) and a == b


class Validator:
    """Validates plain JSON data against the spec's schemas."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self._components: Mapping[str, Any] = spec["components"]["schemas"]
        self._merged: dict[int, Mapping[str, Any]] = {}

    def resolve(self, schema: Mapping[str, Any]) -> tuple[Mapping[str, Any], str]:
        """Return the schema behind `$ref`s and `allOf`, and its component name."""
        name = ""
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self._components[name]
        if "allOf" in schema:
            schema = self._merge(schema)
        return schema, name

    def _merge(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        # allOf here is model inheritance: the union of the parts' fields.
        cached = self._merged.get(id(schema))
        if cached is not None:
            return cached
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in schema["allOf"]:
            resolved, _ = self.resolve(part)
            merged["properties"].update(resolved.get("properties", {}))
            merged["required"] += resolved.get("required", [])
            if resolved.get("additionalProperties") is False:
                merged["additionalProperties"] = False
        self._merged[id(schema)] = merged
        return merged

    def errors(
        self, schema: Mapping[str, Any], value: Any, loc: Loc, name: str = ""
    ) -> list[Error]:
        """Return the errors of `value` against `schema`, located under `loc`.

        `name` is the component name of an already resolved `schema`.
        """
        schema, found = self.resolve(schema)
        name = found or name
        if "anyOf" in schema or "oneOf" in schema:
            return self._union(schema, value, loc)
        if "const" in schema and not _same(value, schema["const"]):
            return [error("literal_error", loc, value, [schema["const"]])]
        if "enum" in schema and not any(_same(value, v) for v in schema["enum"]):
            code = "enum" if name else "literal_error"
            return [error(code, loc, value, schema["enum"])]
        kind: str | None = schema.get("type")
        if kind is None and "properties" in schema:
            kind = "object"
        if kind is not None and not self._fits(kind, value):
            return [self._type_error(kind, schema, value, loc)]
        if kind == "object":
            return self._object(schema, value, loc)
        if kind == "array":
            return self._array(schema, value, loc)
        if kind == "string":
            return _string(schema, value, loc)
        if kind in ("integer", "number"):
            return _number(schema, value, loc)
        return []

    @staticmethod
    def _fits(kind: str, value: object) -> bool:
        actual = _json_type(value)
        if kind == "number":
            return actual in ("integer", "number")
        if kind == "integer" and actual == "number":
            return float(value).is_integer()  # type: ignore[arg-type]
        return actual == kind

    @staticmethod
    def _type_error(
        kind: str, schema: Mapping[str, Any], value: Any, loc: Loc
    ) -> Error:
        if kind == "integer" and isinstance(value, float):
            return error("int_from_float", loc, value)
        if kind == "object" and "properties" in schema:
            return error("model_attributes_type", loc, value)
        return error(TYPE_ERRORS.get(kind, "dict_type"), loc, value)

    def _object(
        self, schema: Mapping[str, Any], value: dict[str, Any], loc: Loc
    ) -> list[Error]:
        found: list[Error] = []
        properties: Mapping[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", ()))
        for key, sub in properties.items():
            if key in value:
                found += self.errors(sub, value[key], (*loc, key))
            elif key in required:
                found.append(missing((*loc, key), value))
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                continue
            if extra is False:
                found.append(error("extra_forbidden", (*loc, key), item))
            elif isinstance(extra, Mapping):
                found += self.errors(
                    cast("Mapping[str, Any]", extra), item, (*loc, key)
                )
        return found

    def _array(
        self, schema: Mapping[str, Any], value: list[Any], loc: Loc
    ) -> list[Error]:
        found: list[Error] = []
        low, high = schema.get("minItems"), schema.get("maxItems")
        if low is not None and len(value) < low:
            found.append(error("too_short", loc, value, low, len(value)))
        if high is not None and len(value) > high:
            found.append(error("too_long", loc, value, high, len(value)))
        items = schema.get("items")
        if items is not None:
            for index, item in enumerate(value):
                found += self.errors(items, item, (*loc, index))
        return found

    def _union(self, schema: Mapping[str, Any], value: Any, loc: Loc) -> list[Error]:
        members = [self.resolve(m) for m in schema.get("anyOf") or schema["oneOf"]]
        nullable = any(m.get("type") == "null" for m, _ in members)
        members = [(m, n) for m, n in members if m.get("type") != "null"]
        if value is None and nullable:
            return []
        if len(members) == 1:
            # `X | None` reports X's errors without naming a union member.
            return self.errors(members[0][0], value, loc, members[0][1])
        tagged = self._tagged(schema, members)
        if tagged is not None:
            key, by_tag, explicit = tagged
            if not is_object(value):
                return [error("model_attributes_type", loc, value)]
            if key in value or explicit:
                return self._by_tag(key, by_tag, value, loc)
        return self._first_fit(members, value, loc)

    def _tagged(
        self,
        schema: Mapping[str, Any],
        members: Sequence[tuple[Mapping[str, Any], str]],
    ) -> tuple[str, dict[str, Mapping[str, Any]], bool] | None:
        explicit = schema.get("discriminator")
        if explicit is not None:
            key = explicit["propertyName"]
            mapping = {
                tag: self.resolve({"$ref": ref})[0]
                for tag, ref in explicit.get("mapping", {}).items()
            }
            return key, mapping, True
        # Members that each pin a `type` (or `role`) make a tagged union in
        # pydantic too, even where the spec names no discriminator.
        for key in _TAG_KEYS:
            by_tag: dict[str, Mapping[str, Any]] = {}
            for member, _ in members:
                prop = self.resolve(member.get("properties", {}).get(key, {}))[0]
                values = [prop["const"]] if "const" in prop else prop.get("enum", [])
                if len(values) != 1:
                    break
                by_tag[values[0]] = member
            else:
                return key, by_tag, False
        return None

    def _by_tag(
        self,
        key: str,
        by_tag: Mapping[str, Mapping[str, Any]],
        value: dict[str, Any],
        loc: Loc,
    ) -> list[Error]:
        if key not in value:
            return [error("union_tag_not_found", loc, value, key)]
        tag = value[key]
        member = by_tag.get(tag) if isinstance(tag, str) else None
        if member is None:
            return [error("union_tag_invalid", loc, value, key, str(tag), list(by_tag))]
        return self.errors(member, value, (*loc, tag))

    def _first_fit(
        self, members: Sequence[tuple[Mapping[str, Any], str]], value: Any, loc: Loc
    ) -> list[Error]:
        attempts: list[tuple[str, list[Error], bool]] = []
        for member, name in members:
            found = self.errors(member, value, loc, name)
            if not found:
                return []
            attempts.append(
                (self.label(member, name), found, self._plausible(member, value))
            )
        plausible = [found for _, found, fits in attempts if fits]
        if len(plausible) == 1:
            return plausible[0]
        # Like pydantic's smart unions: every member's errors, each under its name.
        depth = len(loc)
        return [
            {**e, "loc": [*e["loc"][:depth], label, *e["loc"][depth:]]}
            for label, found, _ in attempts
            for e in found
        ]

    def _plausible(self, schema: Mapping[str, Any], value: Any) -> bool:
        schema, _ = self.resolve(schema)
        if "anyOf" in schema or "oneOf" in schema:
            options = schema.get("anyOf") or schema["oneOf"]
            return any(self._plausible(m, value) for m in options)
        kind = schema.get("type") or ("object" if "properties" in schema else None)
        if kind is None and "const" in schema:
            kind = _json_type(schema["const"])
        return kind is None or self._fits(kind, value)

    def label(self, schema: Mapping[str, Any], name: str = "") -> str:
        """Return how pydantic names a union member in an error location."""
        if name:
            return name
        kind = schema.get("type", "any")
        if kind == "array":
            items, item_name = self.resolve(schema.get("items", {}))
            return f"list[{self.label(items, item_name)}]"
        if kind == "object":
            return "dict[str,any]"
        return str(_LABELS.get(kind, kind))


def _string(schema: Mapping[str, Any], value: str, loc: Loc) -> list[Error]:
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None and len(value) < low:
        return [error("string_too_short", loc, value, low)]
    if high is not None and len(value) > high:
        return [error("string_too_long", loc, value, high)]
    pattern = schema.get("pattern")
    if pattern is not None and re.search(pattern, value) is None:
        return [error("string_pattern_mismatch", loc, value, pattern)]
    return _format(schema.get("format"), value, loc)


def _format(fmt: str | None, value: str, loc: Loc) -> list[Error]:
    if fmt == "uuid":
        try:
            uuid.UUID(value)
        except ValueError:
            return [error("uuid_parsing", loc, value)]
    elif fmt == "date-time":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return [error("datetime_from_date_parsing", loc, value)]
    elif fmt == "uri" and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$", value) is None:
        return [error("url_parsing", loc, value)]
    return []


def _number(schema: Mapping[str, Any], value: float, loc: Loc) -> list[Error]:
    checks = (
        ("minimum", "greater_than_equal", operator.ge),
        ("exclusiveMinimum", "greater_than", operator.gt),
        ("maximum", "less_than_equal", operator.le),
        ("exclusiveMaximum", "less_than", operator.lt),
    )
    for keyword, kind, holds in checks:
        bound = schema.get(keyword)
        if bound is not None and not holds(value, bound):
            return [error(kind, loc, value, bound)]
    return []

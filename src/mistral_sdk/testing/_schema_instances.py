"""A deterministic instance of a JSON schema: the emulator's `json_schema` answers.

`schema_instance(schema, text)` returns a value that validates against `schema`,
the same one every time for the same inputs, so tests can predict the reply:

- `$ref`s are resolved inside the schema (`#/$defs/...`, `#/definitions/...`, any
  local JSON pointer); a recursive type stops at its first way out (a null
  member, an empty list) once nested a few levels deep;
- `const` gives its value, `enum` its first value, `anyOf`/`oneOf` their first
  non-null member, `allOf` the merge of its members;
- objects get every declared property (only the required ones when deep), maps
  stay empty unless `minProperties` asks for entries;
- arrays get `minItems` items (at least one, at most `maxItems`), `prefixItems`
  first;
- strings are the prompt's text (the echo model's answer), fitted to
  `minLength`/`maxLength`, or a fixed value for the common `format`s;
- numbers are the smallest value at or above 0 that the bounds and `multipleOf`
  allow; booleans are false.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final, cast

__all__ = ["schema_instance"]

# Past this nesting depth, optional branches are cut short so recursion ends.
_SHALLOW: Final = 3
# Past this depth nothing is generated at all (a schema with no way out).
_DEEPEST: Final = 24

_NO_SCHEMA: Final[Mapping[str, Any]] = {}

_FORMATS: Final[Mapping[str, str]] = {
    "date-time": "2025-01-01T00:00:00Z",
    "date": "2025-01-01",
    "time": "00:00:00",
    "duration": "P1D",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
}


def schema_instance(schema: Mapping[str, Any], text: str = "") -> Any:
    """Return a small value that fits `schema`, with `text` in its free strings."""
    return _Builder(schema, text).build(schema, 0)


class _Builder:
    def __init__(self, root: Mapping[str, Any], text: str) -> None:
        self.root = root
        self.text = text

    def build(self, schema: Mapping[str, Any], depth: int) -> Any:
        if depth > _DEEPEST:
            return None
        schema = self.resolve(schema)
        if "const" in schema:
            return schema["const"]
        enum: object = schema.get("enum")
        if isinstance(enum, list) and enum:
            return cast("list[object]", enum)[0]
        if "allOf" in schema:
            return self.build(self.merged(schema), depth)
        options = schema.get("anyOf") or schema.get("oneOf")
        if isinstance(options, list) and options:
            return self.build(
                self.pick(cast("list[Mapping[str, Any]]", options), depth), depth + 1
            )
        kind = self.kind(schema, depth)
        if kind == "object":
            return self.object(schema, depth)
        if kind == "array":
            return self.array(schema, depth)
        if kind == "string":
            return self.string(schema)
        if kind in ("integer", "number"):
            return _number(schema, integer=kind == "integer")
        if kind == "boolean":
            return False
        return None

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        seen: set[str] = set()
        while isinstance(ref := schema.get("$ref"), str) and ref not in seen:
            seen.add(ref)
            target = self.pointer(ref)
            extra = {k: v for k, v in schema.items() if k != "$ref"}
            schema = {**target, **extra}
        return schema

    def pointer(self, ref: str) -> Mapping[str, Any]:
        node: Any = self.root
        for part in ref.removeprefix("#").strip("/").split("/"):
            if not part:
                continue
            key = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping):
                node = cast("Mapping[str, Any]", node).get(key, {})
            elif isinstance(node, list) and key.isdigit():
                items = cast("list[object]", node)
                node = items[int(key)] if int(key) < len(items) else {}
            else:
                return {}
        return cast("Mapping[str, Any]", node) if isinstance(node, Mapping) else {}

    def merged(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        out: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for member in cast("list[Mapping[str, Any]]", schema["allOf"]):
            part = self.resolve(member)
            for key, value in part.items():
                if key == "properties" and isinstance(out.get(key), Mapping):
                    out[key] = {**out[key], **value}
                elif key == "required" and isinstance(out.get(key), list):
                    out[key] = [*out[key], *value]
                else:
                    out.setdefault(key, value)
        return out

    def pick(self, options: list[Mapping[str, Any]], depth: int) -> Mapping[str, Any]:
        resolved = [self.resolve(o) for o in options]
        nulls = [o for o in resolved if o.get("type") == "null"]
        if depth >= _SHALLOW and nulls:
            return nulls[0]
        return next((o for o in resolved if o.get("type") != "null"), resolved[0])

    def kind(self, schema: Mapping[str, Any], depth: int) -> str:
        kind: object = schema.get("type")
        if isinstance(kind, list):
            kinds = [str(k) for k in cast("list[object]", kind)]
            if depth >= _SHALLOW and "null" in kinds:
                return "null"
            return next((k for k in kinds if k != "null"), "null")
        if isinstance(kind, str):
            return kind
        if "properties" in schema or "additionalProperties" in schema:
            return "object"
        if "items" in schema or "prefixItems" in schema:
            return "array"
        return "string"

    def object(self, schema: Mapping[str, Any], depth: int) -> dict[str, Any]:
        properties = cast(
            "Mapping[str, Mapping[str, Any]]", schema.get("properties", {})
        )
        required = set(cast("list[str]", schema.get("required", [])))
        out = {
            name: self.build(sub, depth + 1)
            for name, sub in properties.items()
            if depth < _SHALLOW or name in required
        }
        extra = schema.get("additionalProperties")
        wanted = int(schema.get("minProperties", 0)) - len(out)
        if wanted > 0 and extra is not False:
            value_schema = (
                cast("Mapping[str, Any]", extra)
                if isinstance(extra, Mapping)
                else _NO_SCHEMA
            )
            for index in range(wanted):
                out[f"key{index + 1}"] = self.build(value_schema, depth + 1)
        return out

    def array(self, schema: Mapping[str, Any], depth: int) -> list[Any]:
        prefix = cast("Sequence[Mapping[str, Any]]", schema.get("prefixItems", []))
        items = schema.get("items", {})
        count = max(
            int(schema.get("minItems", 0)), len(prefix), 0 if depth >= _SHALLOW else 1
        )
        if "maxItems" in schema:
            count = min(count, int(schema["maxItems"]))
        out = [self.build(p, depth + 1) for p in prefix[:count]]
        if items is False:
            return out
        item_schema = (
            cast("Mapping[str, Any]", items)
            if isinstance(items, Mapping)
            else _NO_SCHEMA
        )
        while len(out) < count:
            out.append(self.build(item_schema, depth + 1))
        return out

    def string(self, schema: Mapping[str, Any]) -> str:
        fmt = schema.get("format")
        value = _FORMATS.get(fmt, self.text) if isinstance(fmt, str) else self.text
        low = int(schema.get("minLength", 0))
        if len(value) < low:
            value += "x" * (low - len(value))
        if "maxLength" in schema:
            value = value[: int(schema["maxLength"])]
        return value


def _number(schema: Mapping[str, Any], *, integer: bool) -> int | float:
    low = _bound(schema, "minimum", "exclusiveMinimum", integer, above=True)
    high = _bound(schema, "maximum", "exclusiveMaximum", integer, above=False)
    value: float = max(0, low) if low is not None else 0
    if high is not None and value > high:
        value = high if low is None else max(low, high)
    step = schema.get("multipleOf")
    if isinstance(step, int | float) and step > 0:
        value = math.ceil(value / step) * step
        if high is not None and value > high:
            value -= step
    return int(value) if integer else float(value)


def _bound(
    schema: Mapping[str, Any],
    inclusive: str,
    exclusive: str,
    integer: bool,
    *,
    above: bool,
) -> float | None:
    nudge = 1 if integer else 1e-6
    found: list[float] = []
    if isinstance(value := schema.get(inclusive), int | float):
        found.append(
            math.ceil(value)
            if integer and above
            else math.floor(value)
            if integer
            else value
        )
    if isinstance(value := schema.get(exclusive), int | float) and not isinstance(
        value, bool
    ):
        found.append(value + nudge if above else value - nudge)
    if not found:
        return None
    return max(found) if above else min(found)

"""Load docs/openapi.yaml and answer the few questions the analyser asks of it.

The spec is read once (with libyaml's `CSafeLoader` when available). `$ref`s are
resolved on demand rather than inlined, because the analyser needs to know
*which* component a property points to (that becomes a class name); `allOf`
is merged into one object schema, as the spec uses it only for extension.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import yaml

Schema = Mapping[str, Any]

_REF_PREFIX = "#/components/schemas/"


class SpecError(Exception):
    """The spec (or a TOML file next to it) says something the generator cannot map."""


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file (the generator runs on Python 3.11+, which has `tomllib`)."""
    # Imported by name: mypy checks this repository as Python 3.10, the package's floor,
    # where `tomllib` does not exist; the generator itself only runs on the dev venv.
    tomllib = importlib.import_module("tomllib")
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return data


def load_yaml(path: Path) -> dict[str, Any]:
    """Parse a YAML file into plain Python data."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open("rb") as stream:
        return cast("dict[str, Any]", yaml.load(stream, Loader=loader))


def apply_patches(
    document: dict[str, Any], patches: Sequence[Mapping[str, Any]]
) -> None:
    """Apply overrides.toml's `[[patches]]` (JSON-pointer `add`) to a loaded spec.

    Each patch fixes a place where the spec contradicts itself or the API, and says
    why in overrides.toml; a pointer whose parent does not exist fails loudly, so a
    patch that no longer applies after a spec update is noticed.
    """
    for patch in patches:
        *parents, leaf = [
            part.replace("~1", "/").replace("~0", "~")
            for part in str(patch["path"]).split("/")[1:]
        ]
        node: Any = document
        for part in parents:
            if part not in node:
                raise SpecError(f"patch {patch['path']}: no {part!r} in the spec")
            node = node[part]
        if leaf in node:
            raise SpecError(f"patch {patch['path']}: already in the spec; remove it")
        node[leaf] = patch["value"]


class Spec:
    """An OpenAPI document with `$ref` resolution and `allOf` merging."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        components = document.get("components", {})
        self.schemas: Mapping[str, Schema] = components.get("schemas", {})

    @classmethod
    def load(cls, path: Path) -> Spec:
        """Read a spec file."""
        return cls(load_yaml(path))

    def operations(self) -> list[tuple[str, str, Schema]]:
        """Return `(path, http method, operation)` for every operation, in file order."""
        found = []
        for route, item in self.document.get("paths", {}).items():
            for method, operation in item.items():
                if method in {"get", "post", "put", "patch", "delete"}:
                    found.append((route, method, operation))
        return found

    def operation_ids(self) -> list[str]:
        """Return every operationId of the spec, in file order."""
        return [op["operationId"] for _, _, op in self.operations()]

    @staticmethod
    def ref_name(schema: Schema) -> str | None:
        """Return the component name a `{"$ref": ...}` schema points to, else None."""
        ref = schema.get("$ref")
        if ref is None:
            return None
        if not ref.startswith(_REF_PREFIX):
            raise SpecError(f"unsupported $ref {ref!r}: only {_REF_PREFIX}* is handled")
        return str(ref[len(_REF_PREFIX) :])

    def component(self, name: str) -> Schema:
        """Return the component schema `name` (with `allOf` merged)."""
        try:
            return self.merged(self.schemas[name])
        except KeyError:
            raise SpecError(f"$ref to unknown schema {name!r}") from None

    def deref(self, schema: Schema) -> Schema:
        """Follow `$ref`s until a schema with content, merging `allOf`."""
        seen: set[str] = set()
        while (name := self.ref_name(schema)) is not None:
            if name in seen:
                raise SpecError(f"$ref cycle through {name!r}")
            seen.add(name)
            schema = self.schemas[name]
        return self.merged(schema)

    def merged(self, schema: Schema) -> Schema:
        """Merge an `allOf` into one object schema; later parts override earlier ones."""
        if "allOf" not in schema:
            return schema
        properties: dict[str, Any] = {}
        required: list[str] = []
        out: dict[str, Any] = {"type": "object"}
        for part in schema["allOf"]:
            resolved = self.deref(part)
            for key, value in resolved.items():
                if key not in {"properties", "required", "title", "type"}:
                    out.setdefault(key, value)
            properties.update(resolved.get("properties", {}))
            required += [r for r in resolved.get("required", []) if r not in required]
        for key, value in schema.items():
            if key != "allOf":
                out[key] = value
        out["properties"] = properties
        if required:
            out["required"] = required
        return out

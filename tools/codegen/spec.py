"""Load docs/openapi.yaml and answer the few questions the analyser asks of it.

The spec is read once (with libyaml's `CSafeLoader` when available). `$ref`s are
resolved on demand rather than inlined, because the analyser needs to know
*which* component a property points to (that becomes a class name); `allOf`
is merged into one object schema, as the spec uses it only for extension.
"""

from __future__ import annotations

import importlib
import re
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


_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SpecLoader(_BASE_LOADER):  # type: ignore[misc]
    """libyaml's safe loader, reading `1e-08` as a float as YAML 1.2 (and JSON) do.

    PyYAML resolves plain scalars by YAML 1.1 rules, whose float pattern needs a dot:
    `minimum: 1e-08` would otherwise arrive as the string "1e-08".
    """


SpecLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


def load_yaml(path: Path) -> dict[str, Any]:
    """Parse a YAML file into plain Python data (numbers with exponents as floats)."""
    with path.open("rb") as stream:
        return cast("dict[str, Any]", yaml.load(stream, Loader=SpecLoader))


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


_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def python_names(names: Sequence[str], pinned: Mapping[str, str]) -> dict[str, str]:
    """Map each spec schema name that is not a clean class name to one that is.

    `pinned` (overrides.toml [names]) wins. Otherwise a module-qualified name
    (`integrations__schemas__api__tool__Tool`) keeps its last part, prefixed with its
    first part when that would clash (`IntegrationsTool`); a generic instance
    (`PaginatedResult_JudgePreview_`) joins its parts (`PaginatedResultJudgePreview`).
    """
    taken = set(names)
    out: dict[str, str] = {}
    for name in names:
        if name in pinned:
            new = pinned[name]
        elif re.fullmatch(r"[A-Z][A-Za-z0-9]*", name):
            continue
        elif "__" in name:
            parts = [p for p in name.split("__") if p]
            new = _pascal(parts[-1])
            if new in taken:
                new = _pascal(parts[0]) + new
        else:
            new = "".join(_pascal(p) for p in _NOT_ALNUM.split(name) if p)
        if new in taken or not new.isidentifier():
            raise SpecError(f"schema {name!r} -> {new!r} clashes: pin it in [names]")
        taken.add(new)
        out[name] = new
    if stale := sorted(set(pinned) - set(names)):
        raise SpecError(f"[names] entries that match no schema: {stale}")
    return out


def _pascal(part: str) -> str:
    return part[:1].upper() + part[1:]


def rename_schemas(document: dict[str, Any], renames: Mapping[str, str]) -> None:
    """Rename component schemas and every `$ref` to them, in place."""
    if not renames:
        return
    schemas = document.get("components", {}).get("schemas", {})
    document["components"]["schemas"] = {
        renames.get(name, name): schema for name, schema in schemas.items()
    }
    refs = {_REF_PREFIX + old: _REF_PREFIX + new for old, new in renames.items()}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref in refs:
                node["$ref"] = refs[ref]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)

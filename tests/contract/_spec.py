"""What the contract tests need to know about docs/openapi.yaml.

The spec is read once; from it come the operations (method, route, declared query
parameters), a router that names the operation an HTTP request was meant for, JSON
Schema validators for component schemas, and the copy of the spec Prism is given.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "docs" / "openapi.yaml"

# The spec writes the streaming twin of an operation as `<path>#stream`. A fragment
# never reaches a server, so Prism gets these operations under this prefix instead
# and the recording transport sends streaming requests there (see `_recorder.py`).
STREAM_PREFIX = "/_stream"

HTTP_METHODS = ("get", "put", "post", "patch", "delete")


@dataclass(frozen=True)
class Operation:
    """One operation of the spec, as the tests see it."""

    operation_id: str
    method: str
    path: str
    """The route Prism serves (`#stream` pseudo-paths rewritten under STREAM_PREFIX)."""
    query: frozenset[str]
    """Names of the declared query parameters."""
    json_query: Mapping[str, Mapping[str, Any]]
    """Query parameters declared with JSON `content`, by name, with their schema."""
    responses: Mapping[str, frozenset[str]]
    """Declared media types per status code."""

    @property
    def is_stream_twin(self) -> bool:
        """True for the `#stream` operations that Prism serves under STREAM_PREFIX."""
        return self.path.startswith(STREAM_PREFIX + "/")


_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[misc]
    """Reads `1e-08` as a float, as YAML 1.2 and JSON do (PyYAML's 1.1 rules want a dot)."""


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


@functools.cache
def load_spec() -> dict[str, Any]:
    """Return docs/openapi.yaml as plain data (parsed once per test session)."""
    with SPEC_PATH.open("rb") as handle:
        spec: dict[str, Any] = yaml.load(handle, Loader=_Loader)
    return spec


def prism_path(spec_path: str) -> str:
    """Return the route Prism serves for a spec path."""
    base, sep, _fragment = spec_path.partition("#")
    return STREAM_PREFIX + base if sep else base


@functools.cache
def operations() -> dict[str, Operation]:
    """Return every operation of the spec by operationId."""
    found: dict[str, Operation] = {}
    for path, item in load_spec()["paths"].items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [*shared, *op.get("parameters", [])]
            query = [p for p in params if p["in"] == "query"]
            found[op["operationId"]] = Operation(
                operation_id=op["operationId"],
                method=method.upper(),
                path=prism_path(path),
                query=frozenset(p["name"] for p in query),
                json_query={
                    p["name"]: p["content"]["application/json"]["schema"]
                    for p in query
                    if "application/json" in p.get("content", {})
                },
                responses={
                    status: frozenset((response.get("content") or {}).keys())
                    for status, response in op["responses"].items()
                },
            )
    return found


@functools.cache
def _routes() -> list[tuple[str, re.Pattern[str], int, Operation]]:
    routes = []
    for op in operations().values():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(op.path))
        routes.append((op.method, re.compile(pattern + "$"), op.path.count("{"), op))
    # Literal segments win over templated ones (`/v1/agents/completions` before
    # `/v1/agents/{agent_id}`), like every router, Prism's included.
    routes.sort(key=lambda route: route[2])
    return routes


def route(method: str, path: str) -> Operation | None:
    """Return the operation a request targets, or None when no route matches."""
    for route_method, pattern, _params, op in _routes():
        if route_method == method and pattern.match(path):
            return op
    return None


def stream_twin(method: str, path: str) -> Operation | None:
    """Return the `#stream` twin of the operation at a route, if the spec has one."""
    op = route(method, STREAM_PREFIX + path)
    return op if op is not None and op.is_stream_twin else None


@functools.cache
def _raw_operations() -> dict[str, dict[str, Any]]:
    found = {}
    for item in load_spec()["paths"].values():
        for method in HTTP_METHODS:
            if method in item:
                op = dict(item[method])
                op["parameters"] = [
                    *item.get("parameters", []),
                    *op.get("parameters", []),
                ]
                found[op["operationId"]] = op
    return found


def spec_operation(operation_id: str) -> dict[str, Any]:
    """Return the spec's text of an operation (path-level parameters merged in)."""
    return _raw_operations()[operation_id]


def request_body_schema(operation_id: str) -> tuple[dict[str, Any] | None, str | None]:
    """Return the request body schema of an operation and its media type."""
    body = spec_operation(operation_id).get("requestBody")
    if body is None:
        return None, None
    media_type, content = next(iter(body["content"].items()))
    schema: dict[str, Any] = content["schema"]
    return schema, media_type


def resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow `$ref`s to a schema of the spec's components."""
    while "$ref" in schema:
        schema = load_spec()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def schema_properties(schema: Mapping[str, Any]) -> set[str]:
    """Return the top-level field names of an object schema (through allOf).

    Required names count even when `properties` forgets them (SharingDelete
    requires a `level` it does not declare).
    """
    schema = resolve(schema)
    names = set(schema.get("properties", {})) | set(schema.get("required", []))
    for part in schema.get("allOf", []):
        names |= schema_properties(part)
    return names


@functools.cache
def validator(schema: str) -> Draft202012Validator:
    """Return a JSON Schema validator for a component schema (by name).

    OpenAPI 3.1 schemas are JSON Schema 2020-12; carrying the spec's components
    next to the `$ref` lets every nested `#/components/...` pointer resolve.
    """
    return Draft202012Validator(
        {"$ref": f"#/components/schemas/{schema}", **_components_root()}
    )


def validator_for(subschema: Mapping[str, Any]) -> Draft202012Validator:
    """Return a JSON Schema validator for an inline schema of the spec."""
    return Draft202012Validator({**subschema, **_components_root()})


def _components_root() -> dict[str, Any]:
    return {"components": load_spec()["components"]}


def write_prism_spec(target: Path) -> Path:
    """Write the copy of the spec Prism serves and return its path.

    Four changes, each for something Prism 5 cannot do, none loosening what is
    checked (JSON is YAML, and Prism reads it faster):

    * `#stream` pseudo-paths move under STREAM_PREFIX so that Prism can route them;
    * an array query parameter inside `anyOf` (`source=upload`) reaches Prism's
      validator as a string when it holds one item, so such parameters also accept
      one item of the array;
    * Prism keeps only the last part of each name of a multipart body, so array
      fields (`timestamp_granularities`) also accept one item; the recording
      transport checks the whole array (`Exchange.problems`);
    * a file answer declared without a schema (the voice sample's `audio/wav: {}`)
      gets a binary string one: Prism finds no serializer for it otherwise, and the
      SDK asks for that type by its `Accept` header.
    """
    spec = copy.deepcopy(load_spec())
    spec["paths"] = {prism_path(path): item for path, item in spec["paths"].items()}
    for item in spec["paths"].values():
        for method in HTTP_METHODS:
            if method in item:
                _relax_for_prism(item[method])
    target.write_text(json.dumps(spec), encoding="utf-8")
    return target


_BINARY = {"type": "string", "format": "binary"}


def _relax_for_prism(op: dict[str, Any]) -> None:
    for answer in op.get("responses", {}).values():
        for media, content in answer.get("content", {}).items():
            textual = "json" in media or media.startswith("text/")
            if not textual and "schema" not in content:
                content["schema"] = dict(_BINARY)
    for param in op.get("parameters", []):
        if param["in"] == "query" and "schema" in param:
            param["schema"] = _or_one_item(param["schema"])
    content = op.get("requestBody", {}).get("content", {})
    form = content.get("multipart/form-data")
    if form is not None:
        schema = copy.deepcopy(dict(resolve(form["schema"])))
        schema["properties"] = {
            name: _or_one_item(prop) for name, prop in schema["properties"].items()
        }
        form["schema"] = schema


def _or_one_item(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    array = array_schema(schema)
    if array is None:
        return schema
    return {"anyOf": [schema, array["items"]]}


def array_schema(schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """Return the array schema a property schema is, or offers in `anyOf`, if any."""
    for candidate in [schema, *schema.get("anyOf", [])]:
        candidate = resolve(candidate)
        if candidate.get("type") == "array":
            return candidate
    return None


@functools.cache
def multipart_arrays(operation_id: str) -> dict[str, Mapping[str, Any]]:
    """Return the array fields of an operation's multipart body, with their schema."""
    schema, media_type = request_body_schema(operation_id)
    if schema is None or media_type != "multipart/form-data":
        return {}
    properties = resolve(schema).get("properties", {})
    return {
        name: array
        for name, prop in properties.items()
        if (array := array_schema(prop)) is not None
    }

"""The API contract the emulator serves: docs/openapi.yaml, read once, lazily.

From the spec come the operations (method, route, parameters, request body and
response schemas) and the router that names the operation a request is meant for.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote

__all__ = ["Operation", "Param", "Router", "find_spec", "load_spec", "router"]

_METHODS: Final = ("get", "put", "post", "patch", "delete")
_PATCH_AS_PUT: Final = frozenset(
    {"libraries_update_v1", "libraries_documents_update_v1"}
)
"""Updates the API also takes as PATCH (current clients send it; the spec says PUT)."""
_PLACEHOLDER: Final = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Param:
    """A path or query parameter of an operation."""

    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]
    json: bool
    """The value is JSON text (`content: application/json`, or an object schema)."""


@dataclass(frozen=True)
class Operation:
    """One operation of the spec, as the emulator serves it."""

    operation_id: str
    method: str
    path: str
    """The route without the spec's `#stream` marker."""
    streaming: bool
    """The spec's `<path>#stream` twin, chosen when the body says `stream: true`."""
    params: tuple[Param, ...]
    body_schema: Mapping[str, Any] | None
    body_media: str | None
    body_required: bool
    responses: Mapping[str, Mapping[str, Any]]
    """Declared response schemas per status code, then per media type."""


def find_spec() -> Path:
    """Return the path of the spec: inside the wheel, else the source checkout.

    Raises:
        FileNotFoundError: Neither copy exists.
    """
    here = Path(__file__).resolve().parent
    # The wheel force-includes the spec next to this module; a source checkout
    # keeps it in docs/ at the project root (src/mistral_sdk/testing -> root).
    candidates = (here / "openapi.yaml", here.parents[2] / "docs" / "openapi.yaml")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        "the emulator cannot find openapi.yaml: reinstall mistral-sdk "
        "(the wheel ships it in mistral_sdk/testing/)"
    )


@functools.cache
def load_spec() -> Mapping[str, Any]:
    """Return the parsed spec (parsed once per process).

    Raises:
        ImportError: PyYAML is missing (it comes with the `emulator` extra).
    """
    try:
        import yaml
    except ImportError as exc:
        raise ImportError(
            "the emulator reads the API spec with PyYAML: "
            "pip install 'mistral-sdk[emulator]'"
        ) from exc

    with find_spec().open("rb") as handle:
        spec: dict[str, Any] = yaml.load(handle, Loader=_loader(yaml))
    return spec


# YAML 1.1 (PyYAML) needs a dot in a float: `1e-08` would stay a string, and a
# `minimum: "1e-08"` then breaks every number comparison. YAML 1.2 and JSON agree
# that it is a number.
_FLOAT: Final = re.compile(
    r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][-+]?[0-9]+)?$"
    r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"
)


def _loader(yaml: Any) -> Any:
    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("SpecLoader", (base,), {})
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:float", _FLOAT, list("-+0123456789.")
    )
    return loader


def _param(raw: Mapping[str, Any]) -> Param:
    content = raw.get("content")
    if content is not None:
        schema = content["application/json"]["schema"]
        is_json = True
    else:
        schema = raw.get("schema", {})
        # An object-typed query parameter can only travel as JSON text.
        types = [schema.get("type")] + [m.get("type") for m in schema.get("anyOf", [])]
        is_json = "object" in types
    return Param(
        name=raw["name"],
        location=raw["in"],
        required=bool(raw.get("required", False)),
        schema=schema,
        json=is_json,
    )


def _operation(path: str, method: str, item: Mapping[str, Any]) -> Operation:
    op = item[method]
    raw_params = [*item.get("parameters", []), *op.get("parameters", [])]
    body = op.get("requestBody", {})
    media, schema = next(iter(body.get("content", {}).items()), (None, None))
    route, _, fragment = path.partition("#")
    return Operation(
        operation_id=op["operationId"],
        method=method.upper(),
        path=route,
        streaming=fragment == "stream",
        params=tuple(_param(p) for p in raw_params),
        body_schema=None if schema is None else schema.get("schema", {}),
        body_media=media,
        body_required=bool(body.get("required", False)),
        responses={
            status: {
                kind: entry.get("schema", {})
                for kind, entry in response.get("content", {}).items()
            }
            for status, response in op.get("responses", {}).items()
        },
    )


@dataclass(frozen=True)
class _Route:
    pattern: re.Pattern[str]
    literal_segments: int
    operations: Mapping[str, tuple[Operation, ...]]
    """By HTTP method: the plain operation, then its `#stream` twin if any."""


class Router:
    """Names the operation of a request from its method and path."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        grouped: dict[str, dict[str, list[Operation]]] = {}
        self.operations: dict[str, Operation] = {}
        for path, item in spec["paths"].items():
            for method in _METHODS:
                if method in item:
                    op = _operation(path, method, item)
                    self.operations[op.operation_id] = op
                    by_method = grouped.setdefault(op.path, {})
                    by_method.setdefault(op.method, []).append(op)
        routes = [
            _Route(
                pattern=_compile(route),
                literal_segments=sum(
                    1 for part in route.split("/") if not _PLACEHOLDER.search(part)
                ),
                operations={
                    method: tuple(sorted(ops, key=lambda o: o.streaming))
                    for method, ops in by_method.items()
                },
            )
            for route, by_method in grouped.items()
        ]
        # `/v1/agents/completions` must win over `/v1/agents/{agent_id}`.
        self._routes = sorted(routes, key=lambda r: -r.literal_segments)

    def match(
        self, method: str, path: str
    ) -> tuple[tuple[Operation, ...], dict[str, str]] | None:
        """Return the candidate operations and the path parameters.

        Returns:
            None when no route matches; an empty tuple when a route matches
            but not with this method (405).
        """
        route, params = self._find(path)
        if route is None:
            return None
        method = method.upper()
        ops = route.operations.get(method, ())
        if not ops and method == "PATCH":
            ops = tuple(
                op
                for op in route.operations.get("PUT", ())
                if op.operation_id in _PATCH_AS_PUT
            )
        return ops, params

    def allowed(self, path: str) -> list[str]:
        """Return the methods a path answers (the `Allow` header of a 405)."""
        route, _ = self._find(path)
        if route is None:
            return []
        methods = set(route.operations)
        if any(
            op.operation_id in _PATCH_AS_PUT for op in route.operations.get("PUT", ())
        ):
            methods.add("PATCH")
        return sorted(methods)

    def _find(self, path: str) -> tuple[_Route | None, dict[str, str]]:
        for route in self._routes:
            found = route.pattern.fullmatch(path)
            if found is not None:
                return route, {k: unquote(v) for k, v in found.groupdict().items()}
        return None, {}


def _compile(route: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(route)
    # split() alternates literal text and placeholder names.
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>[^/]+)"
        for index, part in enumerate(parts)
    )
    return re.compile(regex)


@functools.cache
def router() -> Router:
    """Return the router over the spec's operations (built once per process)."""
    return Router(load_spec())

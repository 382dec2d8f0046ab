"""The default `[[method]]` entry of an operation operations.toml does not list.

Namespace: the operation's first tag (`beta.workflows.executions`), which is how the
spec groups operations and how the official SDK names its namespaces. Kind: `stream`
for an event-stream answer, `download` for a binary one, `page` for a list under a paging
parameter (page number, offset, cursor or token: see `default_paging`), and for a
`list`/`list_*` method answering one array without paging parameters (a single page:
see `list_entry`). Name: the verb the HTTP method and route imply on the
namespace's collection (`list`, `create`, `get`, `update`, `delete`), else the words of
the route after the item (`POST .../{id}/cancel` -> `cancel`, `GET .../{id}/history` ->
`get_history`). operations.toml overrides only where that reads badly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tools.codegen.spec import Schema, Spec, SpecError

PAGE_PARAMS = ("page", "offset", "cursor", "next_page_token")
"""Query parameters that select a page, in the order they are preferred."""

BINARY_MEDIA = re.compile(r"^(audio|image|video)/|^application/(octet-stream|zip|pdf)")

_VERBS = {"get": "get", "put": "update", "patch": "update", "delete": "delete"}


def answers(operation: Mapping[str, Any]) -> dict[str, Schema]:
    """The media types of the success answers -> their schemas."""
    found: dict[str, Schema] = {}
    for code, answer in operation.get("responses", {}).items():
        if str(code).startswith("2"):
            for media, content in answer.get("content", {}).items():
                found.setdefault(media, content.get("schema", {}))
    return found


def default_kind(spec: Spec, operation: Mapping[str, Any]) -> str:
    """`json`, `stream`, `download` or `page`, from what the operation answers."""
    media = answers(operation)
    if "text/event-stream" in media and "application/json" not in media:
        return "stream"
    if any(BINARY_MEDIA.match(m) for m in media):
        return "download"
    if page_param(operation) and list_field(spec, operation):
        return "page"
    return "json"


def page_param(operation: Mapping[str, Any]) -> str | None:
    """The query parameter selecting a page, if the operation has one."""
    names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    return next((p for p in PAGE_PARAMS if p in names), None)


_NEXT_FIELDS = ("next_cursor", "next_page_token", "cursor")


def default_paging(spec: Spec, operation: Mapping[str, Any]) -> dict[str, str | int]:
    """The `paging` table of a list: which parameter pages it and what says what's next.

    Page numbers are the runtime's default (`{}`); an offset pages by item counts; a
    cursor or token is read from the answer, next to the listed items; a list without
    any paging parameter is one page (`single`).
    """
    param = page_param(operation)
    if param is None:
        return {"style": "single"}
    names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    size = "limit" if "limit" in names else "page_size"
    if param == "page":
        table: dict[str, str | int] = (
            {} if size == "page_size" else {"size_param": size}
        )
        return table | _page_numbers(spec, operation)
    if param == "offset":
        return {"style": "offset", "param": "offset", "size_param": size}
    items = list_field(spec, operation) or ""
    parent = items.rpartition(".")[0]
    schema = spec.deref(answers(operation)["application/json"])
    for part in parent.split(".") if parent else ():
        schema = spec.deref(schema["properties"][part])
    fields = schema.get("properties", {})
    found = next((f for f in _NEXT_FIELDS if f in fields), None)
    if found is None:
        raise SpecError(f"{operation['operationId']}: no next cursor in the answer")
    next_field = f"{parent}.{found}" if parent else found
    return {
        "style": "cursor",
        "param": param,
        "size_param": size,
        "next_field": next_field,
    }


def _page_numbers(spec: Spec, operation: Mapping[str, Any]) -> dict[str, str | int]:
    # Observability's lists count pages from 1 (the spec's default for `page`) and
    # answer a `PaginatedResult` whose `next` is null on the last page and whose
    # `count` is the length of the whole list.
    table: dict[str, str | int] = {}
    for parameter in operation.get("parameters", []):
        default = parameter.get("schema", {}).get("default")
        if parameter["name"] == "page" and isinstance(default, int) and default:
            table["first"] = default
    items = list_field(spec, operation)
    if not items:
        return table
    parent = items.rpartition(".")[0]
    schema = spec.deref(answers(operation)["application/json"])
    for part in parent.split(".") if parent else ():
        schema = spec.deref(schema["properties"][part])
    fields = schema.get("properties", {})
    if "next" in fields and "previous" in fields:
        table["next_field"] = f"{parent}.next" if parent else "next"
        # Its `count` is the whole list's length (what `total` is elsewhere).
        if "count" in fields:
            table["total_field"] = f"{parent}.count" if parent else "count"
    return table


def list_field(spec: Spec, operation: Mapping[str, Any]) -> str | None:
    """Dotted path of the array an answer lists ("" for a bare array), else None."""
    schema = answers(operation).get("application/json")
    if schema is None:
        return None
    return _array_path(spec, spec.deref(schema), depth=2)


def _array_path(spec: Spec, schema: Schema, depth: int) -> str | None:
    if schema.get("type") == "array":
        return ""
    if depth == 0:
        return None
    arrays = []
    for name, prop in schema.get("properties", {}).items():
        inner = _array_path(spec, spec.deref(prop), depth - 1)
        if inner is not None:
            arrays.append(f"{name}.{inner}".rstrip("."))
    return arrays[0] if len(arrays) == 1 else None


LIST_NAME = re.compile(r"list(_[a-z0-9_]+)?")
"""Method names that promise a list, hence a page (API.md "Lists")."""


def list_entry(
    spec: Spec, entry: Mapping[str, Any], operation: Mapping[str, Any]
) -> dict[str, Any]:
    """`entry`, made a page when its name promises a list and it gives no `kind`.

    API.md has every list method return a page, also where the API answers the whole
    list at once (`models.list`): such a method is a single page (see
    `default_paging`) of the answer's one array. An answer with no array or several
    stays `json`: which array is the list is operations.toml's decision (`kind` and
    `items`); tests/codegen checks that every list method of the API is a page.
    """
    if "kind" in entry or not LIST_NAME.fullmatch(str(entry["name"])):
        return dict(entry)
    items = list_field(spec, operation)
    if items is None:
        return dict(entry)
    return {**entry, "kind": "page", "items": items}


def default_entry(
    spec: Spec, route: str, http: str, operation: Mapping[str, Any]
) -> dict[str, Any]:
    """The `[[method]]` table the generator uses for an unlisted operation."""
    tags = operation.get("tags") or []
    if not tags:
        raise SpecError(
            f"{operation['operationId']}: no tag to name a namespace; list it in"
            " operations.toml"
        )
    namespace = str(tags[0]).replace("-", "_").lower()
    kind = default_kind(spec, operation)
    entry: dict[str, Any] = {
        "operation": operation["operationId"],
        "namespace": namespace,
        "name": _name(namespace, route.split("#")[0], http, kind),
    }
    if kind != "json":
        entry["kind"] = kind
    if kind == "page":
        entry["items"] = list_field(spec, operation)
    return entry


def _name(namespace: str, route: str, http: str, kind: str) -> str:
    parts = [p for p in route.split("/") if p and not re.fullmatch(r"v\d+", p)]
    params = [i for i, p in enumerate(parts) if p.startswith("{")]
    root = namespace.split(".")[-1]
    words = [p.replace("-", "_").lower() for p in parts]
    if params:
        tail = words[params[-1] + 1 :]
    elif root in words:
        tail = words[words.index(root) + 1 :]
    else:
        tail = words[-1:]
    if kind == "stream":
        return "stream" if tail in ([], ["stream"]) else f"stream_{'_'.join(tail)}"
    if not tail:
        if params:
            return "create" if http == "post" else _VERBS[http]
        return {"get": "list", "post": "create"}.get(http, _VERBS.get(http, http))
    action = "_".join(tail)
    if http == "post":
        return action
    if http == "get":
        return f"list_{action}" if kind == "page" else f"get_{action}"
    return f"{_VERBS[http]}_{action}"

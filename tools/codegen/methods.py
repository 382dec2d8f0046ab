"""Operations -> methods: one per `[[method]]` of operations.toml, in file order.

Reading an operation gives an `Op`: its parameters, body and response still as type
expressions, plus the types it reaches (for placement and docs). Building turns each
`Op` into an `ir.Method` whose parameter, body, response, event and page item types are
rendered as the annotations resources use.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tools.codegen.drafts import NONE, Draft, members_of, references
from tools.codegen.ir import ListOf, Method, Named, Parameter, Prim, TypeExpr
from tools.codegen.naming import (
    BINARY_MEDIA,
    answers,
    default_entry,
    default_paging,
    list_entry,
)
from tools.codegen.pywriter import Annotations, param_name
from tools.codegen.schemas import Types
from tools.codegen.spec import Spec, SpecError


@dataclass
class _Param:
    wire: str
    location: str
    expr: TypeExpr
    required: bool
    description: str = ""
    json_encoded: bool = False
    deprecated: bool = False


@dataclass
class Op:
    """A `[[method]]` entry with its types still as expressions."""

    entry: Mapping[str, Any]
    route: str
    http: str
    operation: Mapping[str, Any]
    params: list[_Param]
    body_encoding: str | None
    body_schema: str | None
    """The component of the request body (JSON or multipart), if it is one."""
    response: TypeExpr | None = None
    envelope: str | None = None
    """The component describing one server-sent event (its `data` is the event)."""
    roots: set[str] = field(default_factory=set)
    request_roots: set[str] = field(default_factory=set)
    errors: set[str] = field(default_factory=set)
    paging: dict[str, str | int] = field(default_factory=dict)
    """Page methods: the non-default fields of their `Paging`."""

    @property
    def body_model(self) -> str | None:
        return self.body_schema if self.body_encoding == "json" else None

    @property
    def namespace(self) -> tuple[str, ...]:
        return tuple(str(self.entry["namespace"]).split("."))

    @property
    def call(self) -> str:
        return f"`client.{self.entry['namespace']}.{self.entry['name']}()`"


def read_ops(types: Types, entries: Sequence[Mapping[str, Any]]) -> list[Op]:
    """Read each entry against its operation; unlisted operations get the default entry.

    Full tables (with a `namespace`) come first, in file order; then every other
    operation in spec order, its default entry corrected by its partial table if any.
    A `list`/`list_*` method without a `kind` becomes a page (`list_entry`).
    """
    by_id = {
        op["operationId"]: (route, http, op)
        for route, http, op in types.spec.operations()
    }
    full = [e for e in entries if "namespace" in e]
    partial = {str(e["operation"]): e for e in entries if "namespace" not in e}
    if unknown := sorted({str(e["operation"]) for e in entries} - set(by_id)):
        raise SpecError(f"operations.toml: no operation {unknown} in the spec")
    listed = {str(e["operation"]) for e in full}
    if both := sorted(listed & set(partial)):
        raise SpecError(f"operations.toml: {both} have a full and a partial table")
    entries = [
        *full,
        *(
            {**default_entry(types.spec, *by_id[op_id]), **partial.get(op_id, {})}
            for op_id in by_id
            if op_id not in listed
        ),
    ]
    ops = []
    for entry in entries:
        route, http, operation = by_id[entry["operation"]]
        entry = list_entry(types.spec, entry, operation)
        ops.append(_read_op(types, entry, route, http, operation))
    return ops


def _read_op(
    types: Types,
    entry: Mapping[str, Any],
    route: str,
    http: str,
    operation: Mapping[str, Any],
) -> Op:
    at = f"#/paths/{route.replace('/', '~1')}/{http}"
    params = []
    for p in operation.get("parameters", []):
        content = p.get("content", {}).get("application/json")
        schema = content["schema"] if content else p.get("schema", {})
        expr = types.expr(schema, f"{at}/parameters/{p['name']}")
        desc = str(p.get("description", schema.get("description", "")))
        if p["in"] == "header":
            # Nothing else tells a caller this keyword travels as a header.
            desc = f"Sent as the `{p['name']}` header. {desc}".strip()
        params.append(
            _Param(
                p["name"], p["in"], expr, bool(p.get("required")), desc, bool(content)
            )
        )
    encoding, body = None, None
    hidden = set(entry.get("hidden", {}))
    # One media type per request body in this spec; the first one is the contract.
    bodies = list(operation.get("requestBody", {}).get("content", {}).items())
    for media, content in bodies[:1]:
        encoding = "multipart" if media.startswith("multipart/") else "json"
        body = Spec.ref_name(content["schema"]) or types.inline_body(
            str(entry["operation"]), content["schema"], encoding, at
        )
        fields = (
            types.drafts[body].fields if body else types.fields(content["schema"], at)
        )
        for f in fields:
            if f.wire_name not in hidden:
                param = _Param(f.wire_name, "body", f.type, f.required, f.description)
                params.append(replace(param, deprecated=f.deprecated))
    op = Op(entry, route, http, operation, params, encoding, body)
    if entry.get("kind") == "page":
        op.paging = dict(entry.get("paging") or default_paging(types.spec, operation))
    op.response = _response(types, op, at)
    # A body's own schema is not "accepted" anywhere: its fields are the method's keywords.
    op.request_roots = {n for p in params for n in references(p.expr)}
    op.roots = op.request_roots | ({body} if body else set())
    for code, answer in operation.get("responses", {}).items():
        for media, content in answer.get("content", {}).items():
            if "schema" not in content or BINARY_MEDIA.match(media):
                continue
            schema = content["schema"]
            if media == "text/event-stream" and Spec.ref_name(schema) is None:
                # An envelope declared inline: only its `data` (the event) is a type.
                schema = schema.get("properties", {}).get("data", {})
            expr = types.expr(schema, f"{at}/responses/{code}")
            op.roots |= set(references(expr))
            if not code.startswith("2"):
                op.errors |= set(references(expr))
    if op.response is not None:
        op.roots |= set(references(op.response))
    return op


def _response(types: Types, op: Op, at: str) -> TypeExpr | None:
    kind = op.entry.get("kind", "json")
    answers = op.operation.get("responses", {})
    if kind == "download":
        return None
    if kind == "stream":
        if (
            event := types.overrides.stream_events.get(op.entry["operation"])
        ) is not None:
            return Named(event)
        for code, answer in answers.items():
            content = answer.get("content", {}).get("text/event-stream")
            if code.startswith("2") and content:
                op.envelope = Spec.ref_name(content["schema"])
                envelope = types.spec.deref(content["schema"])
                data = envelope["properties"]["data"]
                inline = op.envelope is None
                return types.expr(
                    data, f"{at}/responses/{code}" + ("" if inline else "/data")
                )
        raise SpecError(
            f"{op.entry['operation']}: no event stream; add [stream_events]"
        )
    for code, answer in answers.items():
        content = answer.get("content", {}).get("application/json")
        if code.startswith("2") and content:
            return types.expr(content["schema"], f"{at}/responses/{code}")
    return None


def build_methods(
    ops: list[Op], drafts: Mapping[str, Draft], ann: Annotations
) -> list[Method]:
    """Turn each op into a method, its types rendered with `ann`."""
    methods = []
    for op in ops:
        placeholders = re.findall(r"{(\w+)}", op.route.split("#")[0])
        by_loc: dict[str, list[Parameter]] = defaultdict(list)
        for p in op.params:
            is_file = _is_file(p.expr)
            annotation = ann.input(p.expr)
            if is_file:
                annotation = (
                    "FileInput | None" if NONE in members_of(p.expr) else "FileInput"
                )
            by_loc[p.location].append(
                Parameter(
                    name=param_name(p.wire),
                    wire_name=p.wire,
                    location=p.location,  # type: ignore[arg-type]
                    annotation=annotation,
                    required=p.required,
                    description=p.description,
                    json_encoded=p.json_encoded,
                    is_file=is_file,
                    deprecated=p.deprecated,
                )
            )
        path_params = sorted(
            by_loc["path"], key=lambda p: placeholders.index(p.wire_name)
        )
        kind = str(op.entry.get("kind", "json"))
        item = _page_item(op, drafts) if kind == "page" else None
        response = ann.output(op.response) if op.response is not None else None
        method = Method(
            operation_id=str(op.entry["operation"]),
            namespace=op.namespace,
            name=str(op.entry["name"]),
            http_method=op.http.upper(),
            path=op.route.split("#")[0],
            kind=kind,  # type: ignore[arg-type]
            summary=str(op.operation.get("summary", "")),
            description=str(op.operation.get("description", "")),
            deprecated=_is_deprecated(op.operation),
            path_params=tuple(path_params),
            query_params=tuple(by_loc["query"]),
            headers=tuple(by_loc["header"]),
            body_params=tuple(by_loc["body"]),
            body_encoding=op.body_encoding,  # type: ignore[arg-type]
            body_model=op.body_model,
            hidden_body=dict(op.entry.get("hidden", {})),
            response=response,
            item=ann.output(item) if item is not None else None,
            items_path=op.entry.get("items") if kind == "page" else None,
            paging=op.paging,
            accept=_download_accept(op.operation) if kind == "download" else None,
        )
        methods.append(method)
    return methods


_NOT_FILES = re.compile(r"^application/(.+\+)?json$|^text/event-stream$")


def _download_accept(operation: Mapping[str, Any]) -> str:
    """The `Accept` header of a download: the file's media types, as the spec lists them.

    JSON is left out: a download returns bytes, and an operation answering either
    (the voice sample: a JSON string or `audio/wav`) must be asked for the file.
    """
    media = [m for m in answers(operation) if not _NOT_FILES.match(m)]
    return ", ".join(media) or "*/*"


def _page_item(op: Op, drafts: Mapping[str, Draft]) -> TypeExpr:
    path = str(op.entry.get("items", ""))
    listing: TypeExpr = op.response if op.response is not None else NONE
    # A dotted path walks nested models (`judges.results`); `| None` is looked through.
    for part in path.split(".") if path else ():
        model = next((m for m in members_of(listing) if isinstance(m, Named)), None)
        fields = drafts[model.name].fields if model is not None else []
        listing = next((f.type for f in fields if f.wire_name == part), NONE)
    listing = next((m for m in members_of(listing) if m != NONE), NONE)
    if not isinstance(listing, ListOf):
        raise SpecError(f"{op.entry['operation']}: items={path!r} is not an array")
    return listing.item


def _is_deprecated(operation: Mapping[str, Any]) -> bool:
    """`deprecated: true`, or a tag such as `deprecated.fine-tuning` (both occur)."""
    tags = operation.get("tags", [])
    return bool(operation.get("deprecated", False)) or any(
        str(tag).startswith("deprecated") for tag in tags
    )


def _is_file(expr: TypeExpr) -> bool:
    return any(m in (Named("File"), Prim("bytes")) for m in members_of(expr))

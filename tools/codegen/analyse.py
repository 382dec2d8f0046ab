"""Spec + operations.toml + overrides.toml -> the IR: a `TypeSet` for types, an `Api` for methods.

Types: every component schema becomes a model, an open enum, a union or an alias. Inline
unions of two or more models are named once, deduplicated by member set, with names from
overrides.toml. A union is routed by a tag when the spec declares a `discriminator` or when
every member has a distinct `const` on the same property; the tagged unions sharing a member
form a family with one `Unknown…` class. Each type lands in the module of the one domain
whose operations reach it, else in `common` (closed under references).

Methods: one per `[[method]]` of operations.toml, in file order, with parameters, body
model, response / event / page item types rendered as the annotations resources use.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tools.codegen.ir import (
    Api,
    FieldDef,
    ListOf,
    Lit,
    MapOf,
    Method,
    Named,
    OpenEnum,
    Parameter,
    Prim,
    TypeDef,
    TypeExpr,
    TypeSet,
    UnionOf,
)
from tools.codegen.pywriter import Annotations, field_name, param_name
from tools.codegen.spec import Schema, Spec, SpecError, load_toml

COMMON = "common"
_NONE = Prim("None")
_TAG_PREFERENCE = ("type", "role", "object")
_IDENT = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True)
class Overrides:
    """The content of overrides.toml (its header comment documents each table)."""

    unions: Mapping[str, Mapping[str, Any]]
    enums: Mapping[str, Mapping[str, Any]]
    stream_events: Mapping[str, str]
    domains: Mapping[str, str]
    module_docs: Mapping[str, str]
    parts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    bodies: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Overrides:
        """Read overrides.toml."""
        return cls.parse(load_toml(path))

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Overrides:
        """Build from the parsed TOML tables."""
        modules = data.get("modules", {})
        parts = data.get("parts", {})
        docs = {name: entry["doc"] for name, entry in (modules | parts).items()}
        return cls(
            unions=data.get("unions", {}),
            enums=data.get("enums", {}),
            stream_events=data.get("stream_events", {}),
            domains=data.get("domains", {}),
            module_docs=docs,
            parts=parts,
            bodies=data.get("bodies", {}),
        )


@dataclass
class Draft:
    """A type being built; frozen into a `TypeDef` once its module and doc are known."""

    name: str
    kind: str
    description: str = ""
    fields: list[FieldDef] = field(default_factory=list)
    members: tuple[TypeExpr, ...] = ()
    prop: str | None = None
    unknown: str | None = None
    values: tuple[str, ...] = ()
    target: TypeExpr | None = None


class Types:
    """Converts schemas into drafts; the inline unions and enums it meets get named."""

    def __init__(self, spec: Spec, overrides: Overrides) -> None:
        self.spec = spec
        self.overrides = overrides
        self.drafts: dict[str, Draft] = {}
        self._unions: dict[frozenset[str], str] = {}
        for name, entry in overrides.unions.items():
            if name in spec.schemas:
                raise SpecError(
                    f"[unions.{name}] would replace the spec's schema {name}"
                )
            self._unions[frozenset(entry["members"])] = name
        self._enum_at = {
            at: name for name, entry in overrides.enums.items() for at in entry["at"]
        }
        self._used: set[str] = set()
        self.extends: dict[str, list[str]] = defaultdict(list)
        """Base schema -> the schemas that extend it with `allOf`."""

    def components(self) -> None:
        """Convert every component schema (component unions are named first)."""
        for name, schema in self.spec.schemas.items():
            variants = schema.get("oneOf") or schema.get("anyOf") or []
            refs = [Spec.ref_name(v) for v in variants]
            if len(refs) >= 2 and None not in refs:
                self._unions[frozenset(str(r) for r in refs)] = name
        for name, raw in self.spec.schemas.items():
            for part in raw.get("allOf", []):
                if (base := Spec.ref_name(part)) is not None:
                    self.extends[base].append(name)
            schema = self.spec.component(name)
            at = f"#/components/schemas/{name}"
            doc = str(schema.get("description", ""))
            if "properties" in schema:
                self.drafts[name] = Draft(name, "model", doc, self.fields(schema, at))
            elif schema.get("type") == "string" and "enum" in schema:
                values = tuple(str(v) for v in schema["enum"] if v is not None)
                self.drafts[name] = Draft(name, "enum", doc, values=values)
            else:
                target = self.expr(schema, at)
                draft = self.drafts.setdefault(
                    name, Draft(name, "alias", target=target)
                )
                draft.description = doc or draft.description

    def finish(self) -> dict[str, Draft]:
        """Check every override was used and add the Unknown members of tagged unions."""
        expected = {f"unions.{n}" for n in self.overrides.unions}
        expected |= {f"enums.{n}@{at}" for at, n in self._enum_at.items()}
        expected |= {f"bodies.{op}" for op in self.overrides.bodies}
        if stale := sorted(expected - self._used):
            raise SpecError(f"overrides.toml entries that match nothing: {stale}")
        for group in self._families():
            self._add_unknown(group)
        return self.drafts

    def fields(self, schema: Schema, at: str) -> list[FieldDef]:
        """Return the fields of an object schema, in spec order."""
        required = set(schema.get("required", []))
        out = []
        for wire, prop in schema.get("properties", {}).items():
            expr = self.expr(prop, f"{at}/properties/{wire}")
            default = prop.get("default")
            tag = (
                isinstance(expr, Lit)
                and len(expr.values) == 1
                and "default" in prop
                and default == expr.values[0]
            )
            out.append(
                FieldDef(
                    name=wire,
                    wire_name=wire,
                    type=expr,
                    required=wire in required,
                    description=str(prop.get("description", "")),
                    has_default="default" in prop,
                    default=default,
                    tag=tag,
                    deprecated=bool(prop.get("deprecated", False)),
                )
            )
        # A field must not shadow a name its class body spells: annotations, `Field`.
        used = frozenset(n for f in out for n in _words(f.type)) | {"Field"}
        return [replace(f, name=field_name(f.wire_name, used)) for f in out]

    def expr(self, schema: Schema, at: str) -> TypeExpr:
        """Return the type expression of the schema found at JSON pointer `at`."""
        if (ref := Spec.ref_name(schema)) is not None:
            return Named(ref)
        if "allOf" in schema:
            if len(schema["allOf"]) != 1:
                raise SpecError(
                    f"{at}: an inline allOf of several schemas needs a component"
                )
            return self.expr(schema["allOf"][0], at)
        if "const" in schema:
            return Lit((schema["const"],))
        if variants := schema.get("anyOf") or schema.get("oneOf"):
            return self._variants(schema, variants, at)
        kind = schema.get("type")
        if isinstance(kind, list):
            return _union([self.expr({**schema, "type": k}, at) for k in kind])
        if "enum" in schema:
            return self._enum(schema, at)
        if kind == "array":
            return ListOf(self.expr(schema.get("items", {}), f"{at}/items"))
        if kind == "object" or "properties" in schema:
            if schema.get("properties"):
                raise SpecError(f"{at}: an inline object schema needs a component")
            extra = schema.get("additionalProperties", True)
            return MapOf(
                self.expr(extra, at) if isinstance(extra, dict) else Prim("Any")
            )
        if kind == "string":
            fmt = schema.get("format")
            return Prim(
                {"date-time": "datetime", "binary": "bytes"}.get(str(fmt), "str")
            )
        simple = {
            "integer": "int",
            "number": "float",
            "boolean": "bool",
            "null": "None",
        }
        return Prim(simple.get(str(kind), "Any"))

    def inline_body(
        self, operation_id: str, schema: Schema, encoding: str, at: str
    ) -> str | None:
        """Name an inline request body: JSON bodies need a model (from [bodies])."""
        name = self.overrides.bodies.get(operation_id)
        if name is None and encoding == "json":
            raise SpecError(
                f"{operation_id}: the inline JSON request body needs a model name: add "
                f'{operation_id} = "<Name>" to [bodies] in overrides.toml'
            )
        if name is not None:
            self._used.add(f"bodies.{operation_id}")
            doc = str(schema.get("description", ""))
            schema = self.spec.merged(schema)
            self.drafts[name] = Draft(name, "model", doc, self.fields(schema, at))
        return name

    def _enum(self, schema: Schema, at: str) -> TypeExpr:
        values = [v for v in schema["enum"] if v is not None]
        nullable = len(values) < len(schema["enum"])
        if len(values) == 1 and schema.get("default", ...) == values[0]:
            base: TypeExpr = Lit((values[0],))
        elif not all(isinstance(v, str) for v in values):
            base = Lit(tuple(values))
        elif (name := self._enum_at.get(at)) is not None:
            self._used.add(f"enums.{name}@{at}")
            draft = self.drafts.setdefault(name, Draft(name, "enum"))
            draft.values = tuple(dict.fromkeys((*draft.values, *values)))
            draft.description = str(self.overrides.enums[name].get("doc", ""))
            base = Named(name)
        else:
            base = OpenEnum(tuple(values))
        return _union([base, _NONE]) if nullable else base

    def _variants(self, schema: Schema, variants: list[Schema], at: str) -> TypeExpr:
        key = "anyOf" if "anyOf" in schema else "oneOf"
        # "X or null" declares X at the property itself (that is where overrides point).
        nullable_one = len(variants) == 2 and {"type": "null"} in variants
        members = [
            self.expr(v, at if nullable_one else f"{at}/{key}/{i}")
            for i, v in enumerate(variants)
        ]
        rest = [m for m in members if m != _NONE]
        if Prim("str") in rest and any(self._is_enum(m) for m in rest):
            rest.remove(Prim("str"))  # the open enum already takes any string
        named = [m for m in rest if isinstance(m, Named)]
        tag = schema.get("discriminator", {}).get("propertyName")
        if len(named) == len(rest) and (len(named) >= 2 or tag):
            result = self._named_union(tuple(named), tag, at)
        else:
            result = _union(rest)
        return _union([result, _NONE]) if _NONE in members else result

    def _named_union(
        self, members: tuple[Named, ...], tag: str | None, at: str
    ) -> TypeExpr:
        names = frozenset(m.name for m in members)
        prop = tag or self._infer_tag(members)
        name = self._unions.get(names)
        if name is None and prop is None:
            return _union(list(members))
        if name is None:
            raise SpecError(
                f"{at}: the tagged union of {sorted(names)} needs a name: add "
                f"[unions.<Name>] with members = {sorted(names)} to overrides.toml"
            )
        override = self.overrides.unions.get(name, {})
        if override:
            self._used.add(f"unions.{name}")
            order = list(override["members"])
            members = tuple(sorted(members, key=lambda m: order.index(m.name)))
        old = self.drafts.get(name)
        if old is None or old.kind != "union":
            doc = str(override.get("doc", old.description if old else ""))
            self.drafts[name] = Draft(name, "union", doc, members=members, prop=prop)
        return Named(name)

    def _is_enum(self, expr: TypeExpr) -> bool:
        if not isinstance(expr, Named):
            return False
        if expr.name not in self.spec.schemas:
            draft = self.drafts.get(expr.name)
            return draft is not None and draft.kind == "enum"
        schema = self.spec.component(expr.name)
        return schema.get("type") == "string" and "enum" in schema

    def _infer_tag(self, members: tuple[Named, ...]) -> str | None:
        # A property is a tag when every member declares a distinct constant for it.
        if any(m.name not in self.spec.schemas for m in members):
            return None
        schemas = [self.spec.component(m.name) for m in members]
        if len(schemas) < 2 or not all("properties" in s for s in schemas):
            return None
        first = list(schemas[0]["properties"])
        rank = {
            p: _TAG_PREFERENCE.index(p) if p in _TAG_PREFERENCE else 9 for p in first
        }
        for prop in sorted(first, key=lambda p: (rank[p], first.index(p))):
            values = [_const_of(s["properties"].get(prop, {})) for s in schemas]
            if None not in values and len(set(map(repr, values))) == len(values):
                return str(prop)
        return None

    def _families(self) -> list[list[Draft]]:
        """Group the tagged unions: overlapping members or one explicit Unknown name."""
        unions = sorted(
            (d for d in self.drafts.values() if d.kind == "union" and d.prop),
            key=lambda d: d.name,
        )
        parent = {u.name: u.name for u in unions}

        def root(name: str) -> str:
            while parent[name] != name:
                name = parent[name]
            return name

        owner: dict[str, str] = {}
        for union in unions:
            keys = [_name(m) for m in union.members]
            if explicit := self.overrides.unions.get(union.name, {}).get("unknown"):
                keys.append(f"unknown:{explicit}")
            for key in keys:
                if key in owner:
                    parent[root(owner[key])] = root(union.name)
                owner.setdefault(key, union.name)
        groups: dict[str, list[Draft]] = defaultdict(list)
        for union in unions:
            groups[root(union.name)].append(union)
        return sorted(groups.values(), key=lambda g: g[0].name)

    def _add_unknown(self, group: list[Draft]) -> None:
        props = {u.prop for u in group}
        if len(props) != 1:
            raise SpecError(
                f"overlapping unions {[u.name for u in group]} use tags {props}"
            )
        explicit = {
            str(self.overrides.unions[u.name]["unknown"])
            for u in group
            if "unknown" in self.overrides.unions.get(u.name, {})
        }
        if len(explicit) > 1:
            raise SpecError(f"one family of unions, several Unknown names: {explicit}")
        largest = min(group, key=lambda u: (-len(u.members), u.name))
        unknown = explicit.pop() if explicit else f"Unknown{largest.name}"
        prop = str(group[0].prop)
        self.drafts[unknown] = Draft(unknown, "unknown", prop=prop)
        for union in group:
            union.unknown = unknown
            for member in union.members:
                model = self.drafts[_name(member)]
                if not any(
                    f.name == prop and isinstance(f.type, Lit) for f in model.fields
                ):
                    raise SpecError(
                        f"{model.name}.{prop} must be a constant to route by"
                    )
                model.fields = [
                    replace(f, discriminator=f.name == prop) for f in model.fields
                ]


# ---------------------------------------------------------------------- methods
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
class _Op:
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

    @property
    def body_model(self) -> str | None:
        return self.body_schema if self.body_encoding == "json" else None

    @property
    def namespace(self) -> tuple[str, ...]:
        return tuple(str(self.entry["namespace"]).split("."))

    @property
    def call(self) -> str:
        return f"`client.{self.entry['namespace']}.{self.entry['name']}()`"


def _read_ops(types: Types, entries: Sequence[Mapping[str, Any]]) -> list[_Op]:
    by_id = {
        op["operationId"]: (route, http, op)
        for route, http, op in types.spec.operations()
    }
    mapped = {str(e["operation"]) for e in entries}
    if missing := [op_id for op_id in by_id if op_id not in mapped]:
        raise SpecError(f"operations missing from operations.toml: {missing}")
    ops = []
    for entry in entries:
        if entry["operation"] not in by_id:
            raise SpecError(
                f"operations.toml: no operation {entry['operation']!r} in the spec"
            )
        route, http, operation = by_id[entry["operation"]]
        ops.append(_read_op(types, entry, route, http, operation))
    return ops


def _read_op(
    types: Types,
    entry: Mapping[str, Any],
    route: str,
    http: str,
    operation: Mapping[str, Any],
) -> _Op:
    at = f"#/paths/{route.replace('/', '~1')}/{http}"
    params = []
    for p in operation.get("parameters", []):
        content = p.get("content", {}).get("application/json")
        schema = content["schema"] if content else p.get("schema", {})
        expr = types.expr(schema, f"{at}/parameters/{p['name']}")
        desc = str(p.get("description", schema.get("description", "")))
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
    op = _Op(entry, route, http, operation, params, encoding, body)
    op.response = _response(types, op, at)
    # A body's own schema is not "accepted" anywhere: its fields are the method's keywords.
    op.request_roots = {n for p in params for n in references(p.expr)}
    op.roots = op.request_roots | ({body} if body else set())
    for code, answer in operation.get("responses", {}).items():
        for media, content in answer.get("content", {}).items():
            if "schema" in content and media != "application/octet-stream":
                expr = types.expr(content["schema"], f"{at}/responses/{code}")
                op.roots |= set(references(expr))
                if not code.startswith("2"):
                    op.errors |= set(references(expr))
    if op.response is not None:
        op.roots |= set(references(op.response))
    return op


def _response(types: Types, op: _Op, at: str) -> TypeExpr | None:
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
                return types.expr(data, f"{at}/responses/{code}/data")
        raise SpecError(
            f"{op.entry['operation']}: no event stream; add [stream_events]"
        )
    for code, answer in answers.items():
        content = answer.get("content", {}).get("application/json")
        if code.startswith("2") and content:
            return types.expr(content["schema"], f"{at}/responses/{code}")
    return None


def _build_methods(
    ops: list[_Op], drafts: Mapping[str, Draft], ann: Annotations
) -> list[Method]:
    methods = []
    for op in ops:
        placeholders = re.findall(r"{(\w+)}", op.route.split("#")[0])
        by_loc: dict[str, list[Parameter]] = defaultdict(list)
        for p in op.params:
            is_file = _is_file(p.expr)
            annotation = ann.input(p.expr)
            if is_file:
                annotation = (
                    "FileInput | None" if _NONE in _members(p.expr) else "FileInput"
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
            deprecated=bool(op.operation.get("deprecated", False)),
            path_params=tuple(path_params),
            query_params=tuple(by_loc["query"]),
            body_params=tuple(by_loc["body"]),
            body_encoding=op.body_encoding,  # type: ignore[arg-type]
            body_model=op.body_model,
            hidden_body=dict(op.entry.get("hidden", {})),
            response=response,
            item=ann.output(item) if item is not None else None,
            items_path=op.entry.get("items") if kind == "page" else None,
        )
        methods.append(method)
    return methods


def _page_item(op: _Op, drafts: Mapping[str, Draft]) -> TypeExpr:
    path = str(op.entry.get("items", ""))
    listing = op.response
    if path and isinstance(listing, Named):
        listing = next(
            f.type for f in drafts[listing.name].fields if f.wire_name == path
        )
    if not isinstance(listing, ListOf):
        raise SpecError(f"{op.entry['operation']}: items={path!r} is not an array")
    return listing.item


def _is_file(expr: TypeExpr) -> bool:
    return any(m in (Named("File"), Prim("bytes")) for m in _members(expr))


def _members(expr: TypeExpr) -> tuple[TypeExpr, ...]:
    return expr.members if isinstance(expr, UnionOf) else (expr,)


# ---------------------------------------------------------------------- placement and docs
def _refs(draft: Draft) -> Iterable[str]:
    for f in draft.fields:
        yield from references(f.type)
    for member in draft.members:
        yield from references(member)
    if draft.unknown:
        yield draft.unknown
    if draft.target is not None:
        yield from references(draft.target)


def _reach(drafts: Mapping[str, Draft], roots: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(_refs(drafts[name]))
    return seen


def _domain(namespace: tuple[str, ...]) -> str:
    return (
        namespace[1] if namespace[0] == "beta" and len(namespace) > 1 else namespace[0]
    )


def _place(
    drafts: Mapping[str, Draft], ops: list[_Op], overrides: Overrides
) -> dict[str, str]:
    """Module of each type: its one domain, else `common`; a domain imports only `common`."""
    domains: dict[str, set[str]] = defaultdict(set)
    for op in ops:
        for name in _reach(drafts, op.roots):
            domains[name].add(_domain(op.namespace))
    for pinned, pin in sorted(overrides.domains.items()):
        for name in _reach(drafts, [pinned]):
            if not domains[name]:
                domains[name].add(pin)  # what only a pinned type uses goes with it
    if unused := sorted(
        n for n in drafts if not domains[n] and n not in overrides.domains
    ):
        raise SpecError(f"no operation uses {unused}: pin their modules in [domains]")
    module = {}
    for name in sorted(drafts):
        if name in overrides.domains:
            module[name] = overrides.domains[name]
        else:
            module[name] = domains[name].pop() if len(domains[name]) == 1 else COMMON
    changed = True
    while changed:
        changed = False
        for name in sorted(drafts):
            for ref in _refs(drafts[name]):
                if module[ref] not in (COMMON, module[name]):
                    module[ref], changed = COMMON, True
    return _split(drafts, module, overrides.parts)


def _split(
    drafts: Mapping[str, Draft],
    module: dict[str, str],
    parts: Mapping[str, Mapping[str, Any]],
) -> dict[str, str]:
    """Move the types listed in [parts] out of a module that grew too long.

    A part may import its parent; the parent may not import the part. Parts of `common`
    belong to the hub, so domain modules may import them too.
    """
    parent = {part: str(entry["of"]) for part, entry in parts.items()}
    for part, entry in sorted(parts.items()):
        for name in entry["types"]:
            if module.get(name) != parent[part]:
                raise SpecError(
                    f"[parts.{part}]: {name} is not a type of {parent[part]}"
                )
            module[name] = part
    hub = {COMMON} | {p for p, of in parent.items() if of == COMMON}
    for name in sorted(drafts):
        mine = module[name]
        for ref in _refs(drafts[name]):
            theirs = module[ref]
            allowed = theirs in (mine, parent.get(mine)) or (
                theirs in hub and mine not in hub
            )
            if not allowed:
                raise SpecError(
                    f"{name} ({mine}) may not use {ref} ({theirs}): adjust [parts]"
                )
    return module


def _join(items: list[str], limit: int = 3) -> str:
    items = list(dict.fromkeys(items))
    if len(items) > limit:
        return f"{', '.join(items[:limit])} and {len(items) - limit} more"
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _docs(
    drafts: Mapping[str, Draft], ops: list[_Op], extends: Mapping[str, list[str]]
) -> dict[str, str]:
    """Docstring of each type: the spec's description, else a line saying where it is used."""
    uses: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for op in ops:
        if op.body_schema:
            uses[op.body_schema]["body"].append(op.call)
        if op.envelope:
            uses[op.envelope]["envelope"].append(op.call)
        for name in op.errors:
            uses[name]["error"].append(op.call)
        top = op.response.item if isinstance(op.response, ListOf) else op.response
        for member in _members(top) if top is not None else ():
            if isinstance(member, Named):
                kind = "stream" if op.entry.get("kind") == "stream" else "returned"
                uses[member.name][kind].append(op.call)
    tags: dict[str, str] = {}
    for draft in sorted(drafts.values(), key=lambda d: d.name):
        for member in draft.members:
            uses[_name(member)]["member"].append(f"`{draft.name}`")
            if draft.prop:
                tag = _tag_value(drafts[_name(member)], draft.prop)
                tags[_name(member)] = f' for `{draft.prop}="{tag}"`'
        for f in draft.fields:
            for ref in references(f.type):
                uses[ref]["field"].append(f"`{draft.name}.{f.name}`")
        for ref in references(draft.target) if draft.target is not None else ():
            uses[ref]["alias"].append(f"`{draft.name}`")
    for base, derived in extends.items():
        uses[base]["base"] += [f"`{d}`" for d in derived]
    sentences = {
        "body": "Request body of {}.",
        "returned": "Returned by {}.",
        "stream": "Event yielded by {}.",
        "envelope": "One server-sent event of {}; the stream yields its `data`.",
        "member": "Member of {}{tag}.",
        "field": "Type of {}.",
        "alias": "Part of {}.",
        "base": "Base the spec extends (allOf) into {}; the SDK repeats its fields there.",
        "error": "Body of the validation errors (HTTP 422) of {}.",
    }
    docs = {}
    for name, draft in drafts.items():
        found = uses.get(name, {})
        usage = next(
            (
                sentences[k].format(_join(found[k]), tag=tags.get(name, ""))
                for k in sentences
                if found.get(k)
            ),
            "Part of the spec; no operation of this SDK uses it yet.",
        )
        docs[name] = _describe(draft, drafts, usage)
    return docs


def _describe(draft: Draft, drafts: Mapping[str, Draft], usage: str) -> str:
    if draft.kind == "unknown":
        unions = [f"`{d.name}`" for d in drafts.values() if d.unknown == draft.name]
        return (
            f"A member of {_join(sorted(unions), limit=8)} whose `{draft.prop}` this SDK"
            " does not know, e.g. one the API added later.\n\nThe payload is kept as"
            " received: `raw` returns it, `model_extra` holds its fields, and it is sent"
            " back unchanged."
        )
    if draft.kind == "union" and not draft.description:
        members = _join([f"`{_name(m)}`" for m in draft.members], limit=12)
        if draft.prop and len(draft.members) == 1:
            return (
                f"{members} (the only kind the spec lists so far); any other"
                f" `{draft.prop}` parses as `{draft.unknown}`."
            )
        if draft.prop:
            return (
                f"One of {members}, told apart by `{draft.prop}`; any other"
                f" `{draft.prop}` parses as `{draft.unknown}`."
            )
        return f"One of {members}; the first that fits wins."
    text = draft.description or usage
    if text.startswith(("{", "[")):
        # A few spec descriptions are bare JSON examples: keep them, as an example.
        text = f"{usage}\n\nExample: `{text}`"
    if draft.kind == "enum":
        text += "\n\nValues this SDK does not list are kept as plain strings."
    return text


def _tag_value(model: Draft, prop: str | None) -> object:
    for f in model.fields:
        if f.name == prop and isinstance(f.type, Lit):
            return f.type.values[0]
    return None


# ---------------------------------------------------------------------- the result
def input_forms(types: TypeSet) -> dict[str, str]:
    """What an argument of each type accepts (see `pywriter.Annotations`)."""
    forms: dict[str, str] = {}
    for name, t in types.types.items():
        if t.request and t.kind == "model":
            forms[name] = f"{name} | {name}Param"
        elif t.request and t.kind == "union":
            forms[name] = f"{name}Param"
    changed = True
    while changed:
        changed = False
        for name, t in sorted(types.types.items()):
            if t.kind == "alias" and t.request and name not in forms and t.target:
                ann = Annotations(forms)
                if ann.input(t.target) != ann.output(t.target):
                    forms[name], changed = f"{name}Param", True
    return forms


def public_names(types: TypeSet) -> dict[str, str]:
    """Every name `mistral_sdk.types` exports -> its module."""
    names = {name: t.module for name, t in types.types.items()}
    for name, form in input_forms(types).items():
        if form.endswith(f"{name}Param"):
            names[f"{name}Param"] = types.types[name].module
    return names


def _type_names(method: Method, public: Mapping[str, str]) -> frozenset[str]:
    params = (*method.path_params, *method.query_params, *method.body_params)
    text = " ".join([p.annotation for p in params])
    text += f" {method.response or ''} {method.item or ''} {method.body_model or ''}"
    return frozenset(n for n in _IDENT.findall(text) if n in public)


def analyse(root: Path) -> tuple[TypeSet, Api]:
    """Read the spec and both TOML files of the repository at `root`; return the IR."""
    spec = Spec.load(root / "docs/openapi.yaml")
    overrides = Overrides.load(root / "tools/codegen/overrides.toml")
    entries = load_toml(root / "tools/codegen/operations.toml")["method"]
    return analyse_spec(spec, overrides, entries)


def analyse_spec(
    spec: Spec, overrides: Overrides, entries: Sequence[Mapping[str, Any]]
) -> tuple[TypeSet, Api]:
    """Return the IR of a spec, its overrides and its `[[method]]` entries."""
    types = Types(spec, overrides)
    types.components()
    ops = _read_ops(types, entries)
    drafts = types.finish()
    module = _place(drafts, ops, overrides)
    request = _reach(drafts, {n for op in ops for n in op.request_roots})
    docs = _docs(drafts, ops, types.extends)
    typeset = TypeSet(
        types={
            name: TypeDef(
                name=name,
                kind=d.kind,
                module=module[name],
                doc=docs[name],
                fields=tuple(d.fields),
                members=d.members,
                prop=d.prop,
                unknown=d.unknown,
                values=d.values,
                target=d.target,
                request=name in request,
            )
            for name, d in drafts.items()
        },
        module_docs=dict(overrides.module_docs),
    )
    methods = _build_methods(ops, drafts, Annotations(input_forms(typeset)))
    public = public_names(typeset)
    api = Api(
        methods=tuple(replace(m, type_names=_type_names(m, public)) for m in methods),
        type_module_of=public,
    )
    return typeset, api


# ---------------------------------------------------------------------- helpers
def _const_of(schema: Schema) -> object:
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    return enum[0] if isinstance(enum, list) and len(enum) == 1 else None


def _name(expr: TypeExpr) -> str:
    if not isinstance(expr, Named):
        raise SpecError(f"a union member must be a named model, not {expr}")
    return expr.name


def _union(members: list[TypeExpr]) -> TypeExpr:
    """Flatten and deduplicate a union; `str` beside an open enum is implied; None last."""
    flat: list[TypeExpr] = []
    for member in members:
        for item in _members(member):
            if item not in flat:
                flat.append(item)
    if Prim("str") in flat and any(isinstance(m, OpenEnum) for m in flat):
        flat.remove(Prim("str"))
    if _NONE in flat:
        flat.remove(_NONE)
        flat.append(_NONE)
    return flat[0] if len(flat) == 1 else UnionOf(tuple(flat))


def _words(expr: TypeExpr) -> Iterable[str]:
    """Names an annotation of `expr` spells (a field must not shadow them)."""
    if isinstance(expr, (Named, Prim)):
        yield expr.name
    elif isinstance(expr, ListOf):
        yield "list"
        yield from _words(expr.item)
    elif isinstance(expr, MapOf):
        yield from ("dict", "str")
        yield from _words(expr.value)
    elif isinstance(expr, UnionOf):
        for member in expr.members:
            yield from _words(member)
    else:
        yield from ("Literal", "str")


def references(expr: TypeExpr) -> Iterable[str]:
    """Yield the names of the generated types an expression refers to."""
    if isinstance(expr, Named):
        yield expr.name
    elif isinstance(expr, ListOf):
        yield from references(expr.item)
    elif isinstance(expr, MapOf):
        yield from references(expr.value)
    elif isinstance(expr, UnionOf):
        for member in expr.members:
            yield from references(member)

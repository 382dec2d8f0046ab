"""Component schemas -> type drafts: models, open enums, unions and aliases.

Inline unions of two or more models are named once, deduplicated by member set, with
names from overrides.toml. A union is routed by a tag when the spec declares a
`discriminator` or when every member has a distinct `const` on the same property.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from tools.codegen.drafts import NONE, Draft, Overrides, union
from tools.codegen.families import add_unknowns
from tools.codegen.ir import (
    FieldDef,
    ListOf,
    Lit,
    MapOf,
    Named,
    OpenEnum,
    Prim,
    TypeExpr,
    UnionOf,
)
from tools.codegen.pywriter import field_name
from tools.codegen.spec import Schema, Spec, SpecError

_TAG_PREFERENCE = ("type", "role", "object")


class Types:
    """Converts schemas into drafts; the inline unions and enums it meets get named."""

    def __init__(self, spec: Spec, overrides: Overrides) -> None:
        self.spec = spec
        self.overrides = overrides
        self.drafts: dict[str, Draft] = {}
        self._unions: dict[frozenset[str], str] = {}
        """Component unions, by their exact member set."""
        self._named: dict[str, frozenset[str]] = {}
        """overrides.toml unions: name -> the members it lists (a subset of the union)."""
        self._matched: dict[str, frozenset[str]] = {}
        for name, entry in overrides.unions.items():
            if name in spec.schemas:
                raise SpecError(
                    f"[unions.{name}] would replace the spec's schema {name}"
                )
            self._named[name] = frozenset(entry["members"])
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
        add_unknowns(self.drafts, self.overrides)
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
            return union([self.expr({**schema, "type": k}, at) for k in kind])
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
        return union([base, NONE]) if nullable else base

    def _variants(self, schema: Schema, variants: list[Schema], at: str) -> TypeExpr:
        key = "anyOf" if "anyOf" in schema else "oneOf"
        # "X or null" declares X at the property itself (that is where overrides point).
        nullable_one = len(variants) == 2 and {"type": "null"} in variants
        members = [
            self.expr(v, at if nullable_one else f"{at}/{key}/{i}")
            for i, v in enumerate(variants)
        ]
        rest = [m for m in members if m != NONE]
        if Prim("str") in rest and any(self._is_enum(m) for m in rest):
            rest.remove(Prim("str"))  # the open enum already takes any string
        named = [m for m in rest if isinstance(m, Named)]
        tag = schema.get("discriminator", {}).get("propertyName")
        if len(named) == len(rest) and (len(named) >= 2 or tag):
            result = self._named_union(tuple(named), tag, at)
        else:
            result = union(rest)
        return union([result, NONE]) if NONE in members else result

    def _named_union(
        self, members: tuple[Named, ...], tag: str | None, at: str
    ) -> TypeExpr:
        names = frozenset(m.name for m in members)
        prop = tag or self._infer_tag(members)
        name = self._unions.get(names) or self._override_for(names, at)
        if name is None and prop is None:
            return union(list(members))
        if name is None:
            raise SpecError(
                f"{at}: the tagged union of {sorted(names)} needs a name: add "
                f"[unions.<Name>] with members = {sorted(names)} to overrides.toml"
            )
        override = self.overrides.unions.get(name, {})
        if override:
            self._used.add(f"unions.{name}")
            # Members the spec added since the entry was written follow, in spec order.
            order = list(override["members"])
            members = tuple(
                sorted(
                    members,
                    key=lambda m: (
                        order.index(m.name) if m.name in order else len(order)
                    ),
                )
            )
        old = self.drafts.get(name)
        if old is None or old.kind != "union":
            doc = str(override.get("doc", old.description if old else ""))
            self.drafts[name] = Draft(name, "union", doc, members=members, prop=prop)
        self.drafts[name].explicit |= tag is not None
        return Named(name)

    def _override_for(self, names: frozenset[str], at: str) -> str | None:
        """The overrides.toml union listing the most of `names` and nothing else.

        An entry matches a union holding all of its members, so a member the spec adds
        later keeps the union's name; one name never covers two different unions.
        """
        fits = [(len(m), n) for n, m in self._named.items() if m <= names]
        if not fits:
            return None
        size, name = max(fits)
        if [n for s, n in fits if s == size] != [name]:
            raise SpecError(f"{at}: several [unions] entries fit {sorted(names)}")
        if self._matched.setdefault(name, names) != names:
            raise SpecError(
                f"{at}: [unions.{name}] fits {sorted(names)} and "
                f"{sorted(self._matched[name])}: list the members that tell them apart"
            )
        return name

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


def _const_of(schema: Schema) -> object:
    if "const" in schema:
        return schema["const"]
    enum = schema.get("enum")
    return enum[0] if isinstance(enum, list) and len(enum) == 1 else None


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

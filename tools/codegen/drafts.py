"""What every pass of the analyser shares.

overrides.toml as read, the `Draft` of a type being built, and small helpers over type
expressions: union flattening, member names, references.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.codegen.ir import (
    FieldDef,
    ListOf,
    MapOf,
    Named,
    OpenEnum,
    Prim,
    TypeExpr,
    UnionOf,
)
from tools.codegen.spec import SpecError, load_toml

NONE = Prim("None")


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
    patches: Sequence[Mapping[str, Any]] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    renamed: Mapping[str, str] = field(default_factory=dict)
    split: frozenset[str] = frozenset()
    """Areas whose types go to one module per sub-namespace ([modules.X] split = true)."""

    @classmethod
    def load(cls, path: Path) -> Overrides:
        """Read overrides.toml."""
        return cls.parse(load_toml(path))

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Overrides:
        """Build from the parsed TOML tables."""
        modules = data.get("modules", {})
        parts = data.get("parts", {})
        docs = {
            name: entry["doc"]
            for name, entry in (modules | parts).items()
            if "doc" in entry
        }
        return cls(
            unions=data.get("unions", {}),
            enums=data.get("enums", {}),
            stream_events=data.get("stream_events", {}),
            domains=data.get("domains", {}),
            module_docs=docs,
            parts=parts,
            bodies=data.get("bodies", {}),
            patches=data.get("patches", ()),
            names=data.get("names", {}),
            renamed=data.get("renamed", {}),
            split=frozenset(n for n, e in modules.items() if e.get("split")),
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
    explicit: bool = False
    """A union whose tag the spec declares (`discriminator`), rather than one inferred."""
    unknown: str | None = None
    values: tuple[str, ...] = ()
    target: TypeExpr | None = None


def members_of(expr: TypeExpr) -> tuple[TypeExpr, ...]:
    """The members of a union, or the expression itself."""
    return expr.members if isinstance(expr, UnionOf) else (expr,)


def member_name(expr: TypeExpr) -> str:
    """The name of a union member, which must be a named model."""
    if not isinstance(expr, Named):
        raise SpecError(f"a union member must be a named model, not {expr}")
    return expr.name


def union(members: list[TypeExpr]) -> TypeExpr:
    """Flatten and deduplicate a union; `str` beside an open enum is implied; None last."""
    flat: list[TypeExpr] = []
    for member in members:
        for item in members_of(member):
            if item not in flat:
                flat.append(item)
    if Prim("str") in flat and any(isinstance(m, OpenEnum) for m in flat):
        flat.remove(Prim("str"))
    if NONE in flat:
        flat.remove(NONE)
        flat.append(NONE)
    return flat[0] if len(flat) == 1 else UnionOf(tuple(flat))


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

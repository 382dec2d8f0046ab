"""Families of tagged unions and their one `Unknown…` member each.

Tagged unions that share a member, or that name the same Unknown class in
overrides.toml, form a family. Each family gets one Unknown class, which parses a member
whose tag this SDK does not know; each member's tag field becomes the discriminator.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, MutableMapping
from dataclasses import replace

from tools.codegen.drafts import Draft, Overrides, member_name
from tools.codegen.ir import Lit
from tools.codegen.spec import SpecError


def add_unknowns(drafts: MutableMapping[str, Draft], overrides: Overrides) -> None:
    """Add the Unknown member of every family of tagged unions to `drafts`."""
    # A tag only an inferred union routes by may be left out of a request dict when the
    # spec gives it a default: the API then tells the members apart by their fields, as
    # it does for `{"role": "user", "content": ...}` conversation inputs.
    routed = {
        member_name(m)
        for d in drafts.values()
        if d.kind == "union" and d.explicit
        for m in d.members
    }
    for group in _families(drafts, overrides):
        _add_unknown(group, drafts, overrides, routed)


def _families(drafts: Mapping[str, Draft], overrides: Overrides) -> list[list[Draft]]:
    """Group the tagged unions: overlapping members or one explicit Unknown name."""
    unions = sorted(
        (d for d in drafts.values() if d.kind == "union" and d.prop),
        key=lambda d: d.name,
    )
    parent = {u.name: u.name for u in unions}

    def root(name: str) -> str:
        while parent[name] != name:
            name = parent[name]
        return name

    owner: dict[str, str] = {}
    for union in unions:
        keys = [member_name(m) for m in union.members]
        if explicit := overrides.unions.get(union.name, {}).get("unknown"):
            keys.append(f"unknown:{explicit}")
        for key in keys:
            if key in owner:
                parent[root(owner[key])] = root(union.name)
            owner.setdefault(key, union.name)
    groups: dict[str, list[Draft]] = defaultdict(list)
    for union in unions:
        groups[root(union.name)].append(union)
    return sorted(groups.values(), key=lambda g: g[0].name)


def _add_unknown(
    group: list[Draft],
    drafts: MutableMapping[str, Draft],
    overrides: Overrides,
    routed: set[str],
) -> None:
    props = {u.prop for u in group}
    if len(props) != 1:
        raise SpecError(
            f"overlapping unions {[u.name for u in group]} use tags {props}"
        )
    explicit = {
        str(overrides.unions[u.name]["unknown"])
        for u in group
        if "unknown" in overrides.unions.get(u.name, {})
    }
    if len(explicit) > 1:
        raise SpecError(f"one family of unions, several Unknown names: {explicit}")
    largest = min(group, key=lambda u: (-len(u.members), u.name))
    unknown = explicit.pop() if explicit else f"Unknown{largest.name}"
    prop = str(group[0].prop)
    drafts[unknown] = Draft(unknown, "unknown", prop=prop)
    for union in group:
        union.unknown = unknown
        for member in union.members:
            model = drafts[member_name(member)]
            if not any(
                f.name == prop and isinstance(f.type, Lit) for f in model.fields
            ):
                raise SpecError(f"{model.name}.{prop} must be a constant to route by")
            required = model.name in routed
            model.fields = [
                replace(
                    f,
                    discriminator=f.name == prop and (required or not f.has_default),
                )
                for f in model.fields
            ]

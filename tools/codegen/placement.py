"""Where each type lives and what its docstring says.

A type lands in the module of the one domain whose operations reach it, else in `common`
(closed under references); [parts] of overrides.toml then move listed types out of a
module that grew too long. A type's docstring is the spec's description, else a sentence
saying where the SDK uses it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from tools.codegen.drafts import Draft, Overrides, member_name, members_of, references
from tools.codegen.ir import ListOf, Lit, Named
from tools.codegen.methods import Op
from tools.codegen.spec import SpecError

COMMON = "common"
UNUSED = "unused"
"""Module of the schemas the spec defines but no operation uses (connectors, for now)."""


def _refs(draft: Draft) -> Iterable[str]:
    for f in draft.fields:
        yield from references(f.type)
    for member in draft.members:
        yield from references(member)
    if draft.unknown:
        yield draft.unknown
    if draft.target is not None:
        yield from references(draft.target)


def reach(drafts: Mapping[str, Draft], roots: Iterable[str]) -> set[str]:
    """The roots and every type they refer to, directly or not."""
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(_refs(drafts[name]))
    return seen


def _domain(namespace: tuple[str, ...], split: frozenset[str]) -> str:
    """`beta.agents` -> `agents`; a split area's sub-namespace gets its own module."""
    parts = (
        namespace[1:] if namespace[0] == "beta" and len(namespace) > 1 else namespace
    )
    if parts[0] in split and len(parts) > 1:
        return f"{parts[0]}_{parts[1]}"
    return parts[0]


def _lowest(a: str, b: str, parent: Mapping[str, str]) -> str:
    """The module both may import: a split area's own module, else `common`."""
    family = {parent.get(a, a)} & {parent.get(b, b)}
    return family.pop() if family else COMMON


def place(
    drafts: Mapping[str, Draft], ops: list[Op], overrides: Overrides
) -> dict[str, str]:
    """Module of each type: its one domain, else `common`; a domain imports only `common`."""
    domains: dict[str, set[str]] = defaultdict(set)
    areas: dict[str, str] = {}
    """Sub-area module -> its area's module (`workflows_runs` -> `workflows`)."""
    for op in ops:
        domain = _domain(op.namespace, overrides.split)
        top = _domain(op.namespace, frozenset())
        if domain != top:
            areas[domain] = top
        for name in reach(drafts, op.roots):
            domains[name].add(domain)
    for pinned, pin in sorted(overrides.domains.items()):
        for name in reach(drafts, [pinned]):
            if not domains[name]:
                domains[name].add(pin)  # what only a pinned type uses goes with it
    # A type no operation uses joins the one domain of the types it names, else
    # the module of the spec's unused types; [domains] may pin it elsewhere.
    for name in sorted(drafts):
        if not domains[name] and name not in overrides.domains:
            near = {d for ref in _refs(drafts[name]) for d in domains[ref]}
            domains[name].add(near.pop() if len(near) == 1 else UNUSED)
    module = {}
    for name in sorted(drafts):
        if name in overrides.domains:
            module[name] = overrides.domains[name]
        else:
            found = sorted(domains[name])
            module[name] = found[0]
            for other in found[1:]:
                module[name] = _lowest(module[name], other, areas)
    changed = True
    while changed:
        changed = False
        for name in sorted(drafts):
            mine = module[name]
            for ref in _refs(drafts[name]):
                if module[ref] not in (COMMON, mine, areas.get(mine)):
                    module[ref], changed = _lowest(mine, module[ref], areas), True
    return _split(drafts, module, overrides.parts, areas)


def _split(
    drafts: Mapping[str, Draft],
    module: dict[str, str],
    parts: Mapping[str, Mapping[str, Any]],
    areas: Mapping[str, str],
) -> dict[str, str]:
    """Move the types listed in [parts] out of a module that grew too long.

    A part may import its parent; the parent may not import the part. Parts of `common`
    belong to the hub, so domain modules may import them too.
    """
    parent = {part: str(entry["of"]) for part, entry in parts.items()} | dict(areas)
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
            # A part of an area serves the area's sub-modules as the hub serves domains.
            sibling = theirs in parts and parent[theirs] == parent.get(mine)
            allowed = (
                theirs in (mine, parent.get(mine))
                or (theirs in hub and mine not in hub)
                or (sibling and mine in areas)
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


def type_docs(
    drafts: Mapping[str, Draft], ops: list[Op], extends: Mapping[str, list[str]]
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
        for member in members_of(top) if top is not None else ():
            if isinstance(member, Named):
                kind = "stream" if op.entry.get("kind") == "stream" else "returned"
                uses[member.name][kind].append(op.call)
    tags: dict[str, str] = {}
    for draft in sorted(drafts.values(), key=lambda d: d.name):
        for member in draft.members:
            uses[member_name(member)]["member"].append(f"`{draft.name}`")
            if draft.prop:
                tag = _tag_value(drafts[member_name(member)], draft.prop)
                tags[member_name(member)] = f' for `{draft.prop}="{tag}"`'
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
        members = _join([f"`{member_name(m)}`" for m in draft.members], limit=12)
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

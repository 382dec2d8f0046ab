"""Spec + operations.toml + overrides.toml -> the IR: a `TypeSet` for types, an `Api` for methods.

The passes, each in its own module:

- `schemas`: every component schema becomes a model, an open enum, a union or an alias
  (a `Draft`); inline unions and enums get their names from overrides.toml.
- `families`: tagged unions that share members get one `Unknown…` class.
- `methods`: each `[[method]]` of operations.toml is read against its operation.
- `placement`: each type gets its module and its docstring.

This module runs them in order and freezes the result; `input_forms` and
`public_names` answer what the emitters ask of a finished `TypeSet`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from tools.codegen.drafts import Draft, Overrides, references
from tools.codegen.emit_helpers import read_helpers
from tools.codegen.ir import Api, Method, Named, TypeDef, TypeSet
from tools.codegen.methods import build_methods, read_ops
from tools.codegen.placement import place, reach, type_docs
from tools.codegen.pywriter import Annotations
from tools.codegen.schemas import Types
from tools.codegen.spec import (
    Spec,
    SpecError,
    apply_patches,
    load_toml,
    load_yaml,
    python_names,
    rename_schemas,
)

__all__ = [
    "Overrides",
    "analyse",
    "analyse_spec",
    "input_forms",
    "public_names",
    "references",
]

_IDENT = re.compile(r"[A-Za-z_]\w*")


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


def namespace_docs(spec: Spec) -> dict[str, str]:
    """What each tag's namespace does, from its description: `(beta) Create X.` -> `create X.`"""
    docs = {}
    for tag in spec.document.get("tags", []):
        text = str(tag.get("description", "")).strip().removeprefix("(beta) ")
        if text:
            text = text[0].lower() + text[1:]
            name = str(tag["name"]).replace("-", "_").lower()
            docs[name] = text if text.endswith(".") else f"{text}."
    return docs


def _type_names(method: Method, public: Mapping[str, str]) -> frozenset[str]:
    params = (
        *method.path_params,
        *method.query_params,
        *method.headers,
        *method.body_params,
    )
    text = " ".join([p.annotation for p in params])
    text += f" {method.response or ''} {method.item or ''} {method.body_model or ''}"
    return frozenset(n for n in _IDENT.findall(text) if n in public)


def analyse(root: Path) -> tuple[TypeSet, Api]:
    """Read the spec and both TOML files of the repository at `root`; return the IR."""
    overrides = Overrides.load(root / "tools/codegen/overrides.toml")
    document = load_yaml(root / "docs/openapi.yaml")
    apply_patches(document, overrides.patches)
    schemas = list(document.get("components", {}).get("schemas", {}))
    rename_schemas(document, python_names(schemas, overrides.names))
    spec = Spec(document)
    operations = load_toml(root / "tools/codegen/operations.toml")
    return analyse_spec(
        spec, overrides, operations["method"], operations.get("helper", [])
    )


def analyse_spec(
    spec: Spec,
    overrides: Overrides,
    entries: Sequence[Mapping[str, Any]],
    helpers: Sequence[Mapping[str, Any]] = (),
) -> tuple[TypeSet, Api]:
    """Return the IR of a spec, its overrides, its `[[method]]` and `[[helper]]` entries."""
    types = Types(spec, overrides)
    types.components()
    ops = read_ops(types, entries)
    drafts = types.finish()
    module = place(drafts, ops, overrides)
    request = reach(drafts, {n for op in ops for n in op.request_roots})
    docs = type_docs(drafts, ops, types.extends)
    for old, new in sorted(overrides.renamed.items()):
        # A name the API dropped stays importable as an alias of its successor.
        if old in drafts or new not in drafts:
            raise SpecError(f"[renamed] {old} = {new}: {old} exists or {new} does not")
        drafts[old] = Draft(old, "alias", target=Named(new))
        module[old] = module[new]
        docs[old] = (
            f"Deprecated: the API renamed this type `{new}`; use that name. This alias"
            " keeps existing imports working."
        )
        if new in request:
            request.add(old)
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
        renamed=dict(overrides.renamed),
    )
    methods = build_methods(ops, drafts, Annotations(input_forms(typeset)))
    public = public_names(typeset)
    api = Api(
        methods=tuple(replace(m, type_names=_type_names(m, public)) for m in methods),
        type_module_of=public,
        helpers=read_helpers(helpers, methods, public),
        namespace_docs=namespace_docs(spec),
    )
    return typeset, api

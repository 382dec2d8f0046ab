"""IR -> `src/mistral_sdk/types/`: one module per domain plus the lazy `__init__.py`.

Layout of a module (STYLE.md §7.3): open enums, then the model classes, unions and
aliases, then the `...Param` TypedDicts and `...Param` aliases of the types a request can
carry. Domain modules import only `common`; `__init__.py` imports none of them until a
name is first used.

The modules do not use `from __future__ import annotations`: pydantic and TypedDict
would compile every string annotation into a `ForwardRef` and evaluate it, about a
quarter of the time creating the classes takes, paid by every first call (issue 9,
cold start). So each section is in dependency order, alphabetical where the
dependencies allow, and only a reference into a cycle (a model naming itself, or a
union naming it) is written as a string.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping

from tools.codegen.analyse import input_forms, public_names
from tools.codegen.ir import (
    FieldDef,
    ListOf,
    Lit,
    MapOf,
    Named,
    TypeDef,
    TypeExpr,
    TypeSet,
    UnionOf,
)
from tools.codegen.pywriter import (
    HEADER,
    Annotations,
    docstring,
    is_identifier,
    py_literal,
)

ROOT = "src/mistral_sdk/types"
_IDENT = re.compile(r"[A-Za-z_]\w*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_IMPORTS = {
    "Annotated": "typing",
    "Any": "typing",
    "Literal": "typing",
    "TypeAlias": "typing",
    "Mapping": "collections.abc",
    "Sequence": "collections.abc",
    "datetime": "datetime",
    "Field": "pydantic",
    "Required": "typing_extensions",
    "TypedDict": "typing_extensions",
    "BaseModel": "mistral_sdk._model_base",
    "OpenUnion": "mistral_sdk._model_base",
    "UnknownModel": "mistral_sdk._model_base",
}


def render(types: TypeSet) -> dict[str, str]:
    """Render every module of `mistral_sdk.types` (unformatted; `output.py` formats)."""
    forms = input_forms(types)
    by_module: dict[str, list[TypeDef]] = defaultdict(list)
    for t in types.types.values():
        by_module[t.module].append(t)
    files = {
        f"{ROOT}/{module}.py": _Module(module, defs, types, forms).render()
        for module, defs in sorted(by_module.items())
    }
    public = public_names(types)
    deprecated = {
        f"{old}{suffix}": f"{new}{suffix}"
        for old, new in types.renamed.items()
        for suffix in ("", "Param")
        if f"{old}{suffix}" in public
    }
    files[f"{ROOT}/__init__.py"] = _init(public, deprecated)
    return files


class _Module:
    """The source of one types module; records the names it uses for its imports."""

    def __init__(
        self, name: str, defs: list[TypeDef], types: TypeSet, forms: Mapping[str, str]
    ) -> None:
        self.name = name
        self.defs = sorted(defs, key=lambda t: t.name)
        self.types = types
        self.forms = forms
        self.ann = Annotations(forms)
        self.uses: set[str] = set()
        self.defined: list[str] = []
        self.pending: set[str] = set()
        """Names of the current section not emitted yet (see `_section`)."""

    def render(self) -> str:
        body: list[str] = []
        for t in self.defs:
            if t.kind == "enum":
                values = ", ".join(py_literal(v) for v in t.values)
                body += self._alias(t.name, f"Literal[{values}] | str", t.doc)
        models = {
            t.name: t
            for t in self.defs
            if t.kind in ("model", "unknown", "union", "alias")
        }
        body += self._section(models, self._output_refs, self._output_def)
        params = {
            f"{t.name}Param": t for t in self.defs if t.request and t.kind == "model"
        }
        params |= {
            f"{t.name}Param": t
            for t in self.defs
            if t.kind != "model" and self.forms.get(t.name) == f"{t.name}Param"
        }
        body += self._section(params, self._input_refs, self._input_def)
        doc = self.types.module_docs.get(self.name, f"Types of the `{self.name}` API.")
        head = [HEADER.rstrip("\n"), *docstring(doc)]
        head += ["", *self._imports(), "", *self._all(), ""]
        return "\n".join(head + body) + "\n"

    # ------------------------------------------------------------------ order
    def _section(
        self,
        defs: Mapping[str, TypeDef],
        refs: Callable[[str, TypeDef], set[str]],
        emit: Callable[[str, TypeDef], list[str]],
    ) -> list[str]:
        """Emit `defs` (by the name each defines), each after the names it uses.

        The alphabetically first definition whose local references are all emitted
        comes next. When none is ready, what is left holds a cycle: a class of a cycle
        that needs nothing outside it goes first (its annotations naming what is still
        pending are written as strings); an alias cannot, as its value is evaluated
        when the module runs.
        """
        lines: list[str] = []
        self.pending = set(defs)
        while self.pending:
            uses = {n: refs(n, defs[n]) & self.pending for n in self.pending}
            names = sorted(self.pending)
            name = next((n for n in names if not uses[n] - {n}), None) or next(
                (n for n in names if _is_class(n, defs[n]) and _closes(n, uses)), None
            )
            if name is None:
                raise ValueError(f"alias cycle among {names}")
            lines += emit(name, defs[name])
            self.pending.discard(name)
        return lines

    def _output_refs(self, _name: str, t: TypeDef) -> set[str]:
        if t.kind in ("model", "unknown"):
            return {n for f in t.fields for n in _names(self.ann.output(f.type))}
        return _names(self._union_or_alias(t))

    def _input_refs(self, name: str, t: TypeDef) -> set[str]:
        if name == f"{t.name}Param" and t.kind == "model":
            return {n for f in t.fields for n in _names(self.ann.input(f.type))}
        return _names(self._input_alias(t))

    def _output_def(self, name: str, t: TypeDef) -> list[str]:
        if t.kind in ("model", "unknown"):
            return self._model(t)
        return self._alias(name, self._union_or_alias(t), t.doc)

    def _input_def(self, name: str, t: TypeDef) -> list[str]:
        if t.kind == "model":
            return self._typed_dict(t)
        return self._alias(name, self._input_alias(t), _param_doc(t))

    def _runtime(self, annotation: str) -> str:
        """The annotation as written: a string if it names a definition still to come."""
        self._use(annotation)
        if _names(annotation) & self.pending:
            return repr(annotation)
        return annotation

    # ------------------------------------------------------------------ pieces
    def _alias(self, name: str, value: str, doc: str) -> list[str]:
        if _names(value) & self.pending:
            raise ValueError(f"{name} names {sorted(_names(value) & self.pending)}")
        self.defined.append(name)
        self._use(value)
        self._use("TypeAlias")
        return ["", "", f"{name}: TypeAlias = {value}", *docstring(doc)]

    def _union_or_alias(self, t: TypeDef) -> str:
        if t.kind == "alias" and t.target is not None:
            return self.ann.output(t.target)
        names = [self.ann.output(m) for m in t.members]
        if t.prop is None:
            return " | ".join(names)
        marker = f"OpenUnion({py_literal(t.prop)}"
        untagged = self._untagged(t)
        if untagged:
            marker += f", untagged=({''.join(f'{py_literal(v)}, ' for v in untagged)})"
        return f"Annotated[{' | '.join([*names, str(t.unknown)])}, {marker})]"

    def _untagged(self, t: TypeDef) -> tuple[str, ...]:
        # The tags of the members whose `...Param` leaves the tag out (their tag has
        # a default, and only unions the spec infers route by it): a request may
        # send such a member without it, as `{"role": "user", "content": ...}`.
        # Only requests check tags, so only unions reachable from one say it.
        tags: list[str] = []
        for member in t.members if t.request else ():
            if not isinstance(member, Named):
                continue
            for f in self.types.types[member.name].fields:
                if f.name == t.prop and isinstance(f.type, Lit) and not f.discriminator:
                    tags += [str(v) for v in f.type.values]
        return tuple(sorted(tags))

    def _input_alias(self, t: TypeDef) -> str:
        if t.name in self.types.renamed:
            # The old `<Old>Param` was the dict form; it stays the successor's dict form.
            return f"{self.types.renamed[t.name]}Param"
        if t.kind == "alias" and t.target is not None:
            return self.ann.input(t.target)
        parts = [self.ann.input(m) for m in t.members]
        return " | ".join([*parts, *([str(t.unknown)] if t.unknown else [])])

    def _model(self, t: TypeDef) -> list[str]:
        self.defined.append(t.name)
        base = "UnknownModel" if t.kind == "unknown" else "BaseModel"
        self._use(base)
        lines = ["", "", f"class {t.name}({base}):", *docstring(t.doc, "    ")]
        if t.kind == "unknown":
            self._use("str")
            lines += ["", f"    {t.prop}: str | None = None"]
            lines += docstring(
                "The tag as received; None when the payload had none.", "    "
            )
            return lines
        documented = True
        bound: set[str] = set()
        for f in t.fields:
            annotation = self._field_annotation(f)
            if _names(annotation) & bound:
                # The class body would find the field's default, not the type.
                raise ValueError(f"{t.name}.{f.name}: names a field {sorted(bound)}")
            default = self._default(f)
            bound |= {f.name} if default else set()
            annotation = self._runtime(annotation)
            # A blank line only after a documented field keeps long models compact.
            lines += [""] if documented else []
            lines.append(f"    {f.name}: {annotation}{default}")
            doc = docstring(_field_doc(f), "    ")
            lines += doc
            documented = bool(doc)
        if not t.fields:
            lines += ["", "    pass"]
        return lines

    def _field_annotation(self, f: FieldDef) -> str:
        annotation = self.ann.output(f.type)
        optional = not f.required and (not f.has_default or f.default is None)
        if optional and not annotation.endswith("None"):
            annotation += " | None"
        return annotation

    def _default(self, f: FieldDef) -> str:
        # Separate validation/serialization aliases rather than `alias=`: pyright names
        # the `__init__` parameter after `alias`, the pydantic mypy plugin (with
        # populate_by_name) after the field, and both must agree on one name.
        wire = py_literal(f.wire_name)
        alias = (
            f", validation_alias={wire}, serialization_alias={wire}"
            if f.name != f.wire_name
            else ""
        )
        if f.required:
            self._use("Field" if alias else "")
            return f" = Field({alias[2:]})" if alias else ""
        value = f.default if f.has_default else None
        # pydantic copies mutable defaults per instance; only non-empty ones need a factory.
        if value in ([], {}) and not alias:
            return f" = {py_literal(value)}"
        if isinstance(value, (list, dict)):
            factory = self._factory(f.type, value)
            self._use("Field")
            return f" = Field(default_factory={factory}{alias})"
        if alias:
            self._use("Field")
            return f" = Field(default={py_literal(value)}{alias})"
        return f" = {py_literal(value)}"

    def _factory(self, expr: TypeExpr, value: list[object] | dict[str, object]) -> str:
        base = next((m for m in _members(expr) if m != Named("None")), expr)
        if value in ([], {}):
            return "list" if isinstance(value, list) else "dict"
        if isinstance(base, Named) and self.types.types[base.name].kind == "model":
            self._use(base.name)
            return f"lambda: {base.name}.model_validate({py_literal(value)})"
        if (
            isinstance(base, ListOf)
            and isinstance(base.item, Named)
            and self.types.types[base.item.name].kind == "model"
            and isinstance(value, list)
        ):
            # A default list of objects (ScheduleCalendar's ranges) is a list of models.
            self._use(base.item.name)
            items = ", ".join(
                f"{base.item.name}.model_validate({py_literal(v)})" for v in value
            )
            return f"lambda: [{items}]"
        if isinstance(base, (ListOf, MapOf)):
            return f"lambda: {py_literal(value)}"
        raise ValueError(f"no default factory for {expr} = {value!r}")

    def _typed_dict(self, t: TypeDef) -> list[str]:
        name = f"{t.name}Param"
        self.defined.append(name)
        self._use("TypedDict")
        doc = f"Dict form of `{t.name}`: request arguments accept either."
        items: list[tuple[FieldDef, str]] = []
        for f in t.fields:
            value = self.ann.input(f.type)
            if f.required or f.discriminator:
                value = f"Required[{value}]"
                self._use("Required")
            items.append((f, value))
        spelled = {n for _, value in items for n in _names(value)}
        items = [(f, self._runtime(value)) for f, value in items]
        if any(
            not is_identifier(f.wire_name) or f.wire_name in spelled for f, _ in items
        ):
            pairs = ", ".join(f"{py_literal(f.wire_name)}: {v}" for f, v in items)
            lines = ["", "", f'{name} = TypedDict("{name}", {{{pairs}}}, total=False)']
            return lines + docstring(doc)
        lines = [
            "",
            "",
            f"class {name}(TypedDict, total=False):",
            *docstring(doc, "    "),
        ]
        documented = True
        for f, value in items:
            lines += [""] if documented else []
            lines.append(f"    {f.wire_name}: {value}")
            field_doc = docstring(_field_doc(f), "    ")
            lines += field_doc
            documented = bool(field_doc)
        if not items:
            lines += ["", "    pass"]
        return lines

    # ------------------------------------------------------------------ imports
    def _use(self, text: str) -> None:
        self.uses.update(_IDENT.findall(_STRING.sub("", text)))

    def _imports(self) -> list[str]:
        by_source: dict[str, set[str]] = defaultdict(set)
        local = set(self.defined)
        for name in self.uses - local:
            if name in _IMPORTS:
                by_source[_IMPORTS[name]].add(name)
            elif (
                name in self.types.types
                or name.removesuffix("Param") in self.types.types
            ):
                # analyse.py has checked that this module may import that one.
                by_source[
                    "." + self.types.types[name.removesuffix("Param")].module
                ].add(name)
        order = sorted(by_source, key=lambda s: (s.startswith("."), s))
        return [
            f"from {src} import {', '.join(sorted(by_source[src]))}" for src in order
        ]

    def _all(self) -> list[str]:
        return [f"__all__ = [{', '.join(py_literal(n) for n in sorted(self.defined))}]"]


def _names(annotation: str) -> set[str]:
    """The names an annotation uses (not the words inside its `Literal` strings)."""
    return set(_IDENT.findall(_STRING.sub("", annotation)))


def _reach(name: str, uses: Mapping[str, set[str]]) -> set[str]:
    """Every name `name` needs, directly or through others."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        for n in uses[todo.pop()] - seen:
            seen.add(n)
            todo.append(n)
    return seen


def _closes(name: str, uses: Mapping[str, set[str]]) -> bool:
    """Whether everything `name` needs also needs `name`: a cycle needing nothing else."""
    reach = _reach(name, uses)
    return name in reach and all(name in _reach(n, uses) for n in reach)


def _is_class(name: str, t: TypeDef) -> bool:
    return t.kind in ("model", "unknown") and name in (t.name, f"{t.name}Param")


def _members(expr: TypeExpr) -> tuple[TypeExpr, ...]:
    return expr.members if isinstance(expr, UnionOf) else (expr,)


def _field_doc(f: FieldDef) -> str:
    if f.deprecated:
        return f"{f.description}\n\nDeprecated by the API.".strip()
    return f.description


def _param_doc(t: TypeDef) -> str:
    if t.kind == "union":
        return (
            f"What arguments typed `{t.name}` accept: each member as a model or a dict."
        )
    return f"What arguments typed `{t.name}` accept: models or their dict forms."


def _init(public: Mapping[str, str], deprecated: Mapping[str, str]) -> str:
    by_module: dict[str, list[str]] = defaultdict(list)
    for name, module in public.items():
        by_module[module].append(name)
    lines = [
        HEADER.rstrip("\n"),
        "# ruff: noqa: F403, F405  (type checkers read the names through the star imports)",
        '"""Every model, union, enum and request dict type of the Mistral API.',
        "",
        "Import any name from here (`from mistral_sdk.types import ChatCompletionResponse`).",
        "Each domain module is imported on first use of one of its names, so importing this",
        'package is cheap."""',
        "",
        "from __future__ import annotations",
        "",
        "import importlib",
        "import warnings",
        "from typing import TYPE_CHECKING",
        "",
        "if TYPE_CHECKING:",
    ]
    # Each module's `__all__` lists exactly the names mapped to it below, so the star
    # imports give type checkers every name without a 600-line import list.
    for module in sorted(by_module):
        lines.append(f"    from .{module} import *")
    # Deprecated aliases stay importable: exported for type checkers, left out of the
    # runtime `__all__` so that `import *` and walks over the public names skip them.
    current = sorted(set(public) - set(deprecated))
    lines += ["", f"__all__ = [{', '.join(py_literal(n) for n in current)}]"]
    if deprecated:
        old = ", ".join(py_literal(n) for n in sorted(deprecated))
        lines += ["if TYPE_CHECKING:", f"    __all__ += [{old}]"]
    lines.append("")
    lines.append(
        "# Module -> the names it defines, space-separated (kept short on purpose)."
    )
    lines.append("_EXPORTS = {")
    for module in sorted(by_module):
        lines.append(f'    "{module}": "{" ".join(sorted(by_module[module]))}",')
    lines += [
        "}",
        "_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names.split()}",
        "# Names the API renamed -> their successors: still importable, with a warning.",
        f"_RENAMED = {{{', '.join(f'{py_literal(k)}: {py_literal(v)}' for k, v in sorted(deprecated.items()))}}}",
        "",
        "if not TYPE_CHECKING:",
        "    # Hidden from type checkers, which read the imports above instead.",
        "    def __getattr__(name: str) -> object:",
        "        module = _MODULE_OF.get(name)",
        "        if module is None:",
        '            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")',
        "        if name in _RENAMED:",
        "            warnings.warn(",
        '                f"mistral_sdk.types.{name} is deprecated: the API renamed it {_RENAMED[name]}",',
        "                DeprecationWarning,",
        "                stacklevel=2,",
        "            )",
        '            return getattr(importlib.import_module(f"{__name__}.{module}"), name)',
        '        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)',
        "        globals()[name] = value",
        "        return value",
        "",
        "",
        "def __dir__() -> list[str]:",
        "    return sorted(__all__)",
    ]
    return "\n".join(lines) + "\n"

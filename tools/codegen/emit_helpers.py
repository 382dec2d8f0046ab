"""`[[helper]]` tables of operations.toml -> delegation methods on the resource classes.

A helper (`client.chat.parse`, `client.chat.run_tools`, `client.batch.run`, ...) is
hand-written behaviour in `mistral_sdk.helpers`; the generated resource classes only
carry a method with a spec-derived signature whose body calls it (STYLE.md §7.2):

    def parse(self, *, model: str, messages: ..., response_format: type[T], ...,
              **options: Unpack[RequestOptions]) -> ParsedChatCompletion[T]:
        from mistral_sdk.helpers._sync import parse as _helper

        return _helper.parse(self, model=model, messages=messages, ..., **options)

The async class calls the `_async` module (awaiting it unless `coroutine = false`),
the sync class its generated `_sync` twin. The helper module is imported on the first
call, so importing a resource module loads no helper.

Keys of a `[[helper]]` table:
  namespace      dotted namespace whose classes get the method ("chat", "beta.conversations")
  name           method name
  module         module under `mistral_sdk.helpers._async` (and `._sync`) holding the function
  function       function name (default: `name`); called as `function(resource, **arguments)`
  doc            the method's docstring (summary line, blank line, more text)
  wraps          optional operationId: its parameters (hidden body fields excluded) come first
  exclude        optional list of wrapped parameter names the helper does not take
  params         the helper's own parameters as Python source ("max_steps: int = 8"); a
                 "*" entry marks the end of the positional ones (all are keyword-only
                 without it); one named like a wrapped parameter replaces it
  args           optional table: own parameter name -> description for the docstring
  returns        return annotation of the sync method
  async_returns  return annotation of the async method (default: `returns`)
  coroutine      the async method is `async def` (default true); false for methods
                 returning an object that is itself awaitable or an async context manager
  options        pass `**options: Unpack[RequestOptions]` through (default true); false
                 for none, or the name of another TypedDict of options (imported
                 through `imports`) for a helper that takes only some of them
  imports        names the annotations need, as "module:Name"; imported for type
                 checkers only (`if TYPE_CHECKING:`)
  namespaces     optional table: argument name -> dotted namespace ("batch.jobs") of
                 another part of the client the helper calls; the method passes a
                 resource of that namespace sharing its connection
                 (`files=AsyncFiles(self._transport)`), so the helper types it with
                 a Protocol of its own and never imports the resources above it
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from tools.codegen.annotations import (
    LIST,
    STD_NAMES,
    in_class,
    py_name,
    with_not_given,
)
from tools.codegen.ir import Api, Helper, Method, Parameter
from tools.codegen.spec import SpecError

_KEYS = frozenset(
    {
        "namespace",
        "name",
        "module",
        "function",
        "doc",
        "wraps",
        "exclude",
        "params",
        "args",
        "returns",
        "async_returns",
        "coroutine",
        "options",
        "imports",
        "namespaces",
    }
)
_REQUIRED = ("namespace", "name", "module", "doc", "returns")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PARAM_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?::|=|$)")
# Names an annotation may use besides `mistral_sdk.types` names, and where they come from.
_STD_NAMES = {**STD_NAMES, "FileInput": "mistral_sdk._types"}


def read_helpers(
    entries: Sequence[Mapping[str, Any]],
    methods: Sequence[Method],
    type_module_of: Mapping[str, str],
) -> tuple[Helper, ...]:
    """Check each `[[helper]]` table against the methods and return the helpers."""
    helpers: list[Helper] = []
    taken = {(m.namespace, m.name) for m in methods}
    namespaces = {
        m.namespace[:i] for m in methods for i in range(1, len(m.namespace) + 1)
    }
    for entry in entries:
        where = (
            f"operations.toml [[helper]] {entry.get('namespace')}.{entry.get('name')}"
        )
        if unknown := sorted(set(entry) - _KEYS):
            raise SpecError(f"{where}: unknown keys {unknown}")
        if missing := [key for key in _REQUIRED if key not in entry]:
            raise SpecError(f"{where}: missing keys {missing}")
        namespace = tuple(str(entry["namespace"]).split("."))
        if namespace not in namespaces:
            raise SpecError(f"{where}: no namespace {entry['namespace']!r}")
        if (namespace, entry["name"]) in taken:
            raise SpecError(f"{where}: the namespace already has that method")
        taken.add((namespace, str(entry["name"])))
        helper = _helper(entry, namespace, methods, type_module_of, where)
        helpers.append(_with_namespaces(helper, entry, namespaces, where))
    return tuple(helpers)


def _with_namespaces(
    helper: Helper,
    entry: Mapping[str, Any],
    namespaces: set[tuple[str, ...]],
    where: str,
) -> Helper:
    """Check the `namespaces` table of `entry` and record it on `helper`."""
    taken = {py_name(p) for p in (*helper.path_params, *helper.wrapped_params)}
    taken |= {_param_name(p, where) for p in (*helper.positional, *helper.keywords)}
    found: list[tuple[str, tuple[str, ...]]] = []
    for argument, dotted in dict(entry.get("namespaces", {})).items():
        path = tuple(str(dotted).split("."))
        if not _IDENT.fullmatch(str(argument)) or argument in taken:
            raise SpecError(f"{where}: bad namespace argument name {argument!r}")
        if path not in namespaces:
            raise SpecError(f"{where}: namespaces names no namespace {dotted!r}")
        found.append((str(argument), path))
    return replace(helper, namespaces=tuple(found))


def _helper(
    entry: Mapping[str, Any],
    namespace: tuple[str, ...],
    methods: Sequence[Method],
    type_module_of: Mapping[str, str],
    where: str,
) -> Helper:
    own = [str(p) for p in entry.get("params", [])]
    star = own.index("*") if "*" in own else 0
    positional, keywords = tuple(own[:star]), tuple(p for p in own[star:] if p != "*")
    own_names = [_param_name(p, where) for p in (*positional, *keywords)]
    path: tuple[Parameter, ...] = ()
    wrapped: tuple[Parameter, ...] = ()
    if "wraps" in entry:
        method = next((m for m in methods if m.operation_id == entry["wraps"]), None)
        if method is None:
            raise SpecError(f"{where}: wraps unknown operation {entry['wraps']!r}")
        excluded = {str(name) for name in entry.get("exclude", [])}
        every = (*method.path_params, *method.query_params, *method.body_params)
        if stale := sorted(excluded - {p.name for p in every}):
            raise SpecError(f"{where}: exclude names no parameter: {stale}")
        dropped = excluded | set(own_names)
        path = tuple(p for p in method.path_params if p.name not in dropped)
        wrapped = tuple(
            p
            for p in (*method.query_params, *method.body_params)
            if p.name not in dropped
        )
    annotations = " ".join(
        [p.annotation for p in (*path, *wrapped)]
        + [str(entry["returns"]), str(entry.get("async_returns", ""))]
    )
    return Helper(
        namespace=namespace,
        name=str(entry["name"]),
        module=str(entry["module"]),
        function=str(entry.get("function", entry["name"])),
        doc=str(entry["doc"]).strip(),
        wraps=str(entry["wraps"]) if "wraps" in entry else None,
        path_params=path,
        wrapped_params=wrapped,
        positional=positional,
        keywords=keywords,
        args_doc={str(k): str(v) for k, v in entry.get("args", {}).items()},
        returns=str(entry["returns"]),
        async_returns=str(entry.get("async_returns", entry["returns"])),
        coroutine=bool(entry.get("coroutine", True)),
        options=_options_type(entry.get("options", True), where),
        imports=tuple(str(i) for i in entry.get("imports", [])),
        type_names=frozenset(
            name for name in _IDENT.findall(annotations) if name in type_module_of
        ),
    )


def _options_type(value: object, where: str) -> str | None:
    if value is True:
        return "RequestOptions"
    if value is False:
        return None
    if isinstance(value, str) and value.isidentifier():
        return value
    raise SpecError(f"{where}: options must be true, false or a TypedDict name")


def _param_name(source: str, where: str) -> str:
    match = _PARAM_NAME.match(source)
    if match is None:
        raise SpecError(f"{where}: cannot read the parameter {source!r}")
    return match.group(1)


# ----------------------------------------------------------------------------- rendering
def imports(
    api: Api, namespaces: Iterable[tuple[str, ...]]
) -> tuple[list[str], list[str]]:
    """Return the import lines the helpers of `namespaces` need: (run time, type checking).

    ruff's isort merges them with the module's other imports afterwards.
    """
    chosen = set(namespaces)
    helpers = [h for h in api.helpers if h.namespace in chosen]
    if not helpers:
        return [], []
    runtime = [
        "from typing_extensions import Unpack",
        "from mistral_sdk._types import NOT_GIVEN, NotGiven, RequestOptions",
    ]
    used = set(_IDENT.findall(" ".join(_annotations(h) for h in helpers)))
    runtime += [
        f"from {mod} import {name}" for name, mod in _STD_NAMES.items() if name in used
    ]
    wrapped = " ".join(p.annotation for h in helpers for p in h.wrapped_params)
    if LIST.search(wrapped) or "builtins." in " ".join(
        _annotations(h) for h in helpers
    ):
        runtime.append("import builtins")
    for name in sorted({n for h in helpers for n in h.type_names}):
        module = api.type_module_of[name]
        runtime.append(f"from mistral_sdk.types.{module} import {name}")
    checking: list[str] = []
    for spec in sorted({i for h in helpers for i in h.imports}):
        module, _, name = spec.partition(":")
        checking.append(f"from {module} import {name}")
    return runtime, checking


def methods(api: Api, namespace: tuple[str, ...], is_async: bool) -> list[str]:
    """Return the lines of the helper methods of one resource class (inside its body)."""
    lines: list[str] = []
    for helper in api.helpers:
        if helper.namespace == namespace:
            lines += _method(helper, is_async)
    return lines


def _annotations(helper: Helper) -> str:
    parts = [p.annotation for p in (*helper.path_params, *helper.wrapped_params)]
    return " ".join(
        [
            *parts,
            *helper.positional,
            *helper.keywords,
            helper.returns,
            helper.async_returns,
        ]
    )


def _method(helper: Helper, is_async: bool) -> list[str]:
    awaited = is_async and helper.coroutine
    returns = helper.async_returns if is_async else helper.returns
    lines = [
        "",
        f"    {'async def' if awaited else 'def'} {helper.name}(",
        "        self,",
    ]
    lines += [
        f"        {py_name(p)}: {in_class(p.annotation)}," for p in helper.path_params
    ]
    lines += [f"        {p}," for p in helper.positional]
    # Required keywords first (the wrapped ones, then the helper's), then the rest.
    required = [p for p in helper.wrapped_params if p.required]
    optional = [p for p in helper.wrapped_params if not p.required]
    own_required = [p for p in helper.keywords if "=" not in p]
    own_optional = [p for p in helper.keywords if "=" in p]
    if helper.wrapped_params or helper.keywords:
        lines.append("        *,")
    lines += [f"        {py_name(p)}: {in_class(p.annotation)}," for p in required]
    lines += [f"        {p}," for p in own_required]
    lines += [
        f"        {py_name(p)}: {with_not_given(in_class(p.annotation))} = NOT_GIVEN,"
        for p in optional
    ]
    lines += [f"        {p}," for p in own_optional]
    if helper.options:
        lines.append(f"        **options: Unpack[{helper.options}],")
    lines.append(f"    ) -> {in_class(returns)}:")
    lines += _docstring(helper)
    flavour = "_async" if is_async else "_sync"
    names = [py_name(p) for p in (*helper.path_params, *helper.wrapped_params)]
    names += [
        _param_name(p, helper.name) for p in (*helper.positional, *helper.keywords)
    ]
    imported, passed = _namespace_arguments(helper, is_async)
    args = ["self", *passed, *(f"{n}={n}" for n in names)]
    if helper.options:
        args.append("**options")
    lines += [
        f"        from mistral_sdk.helpers.{flavour} import {helper.module} as _helper",
        *imported,
        "",
        f"        return {'await ' if awaited else ''}_helper.{helper.function}({', '.join(args)})",
    ]
    return lines


def _namespace_arguments(helper: Helper, is_async: bool) -> tuple[list[str], list[str]]:
    """Return the imports and the arguments passing the helper's other namespaces."""
    # emit_resources imports this module while it loads, so its naming rules are
    # read here, at call time.
    from tools.codegen.emit_resources import module_of, pascal

    imported: list[str] = []
    passed: list[str] = []
    for argument, namespace in helper.namespaces:
        cls = f"{'Async' if is_async else ''}{pascal(namespace)}"
        path = module_of(namespace)
        if path != module_of(helper.namespace):
            # Imported on the first call, like the helper: importing one resource
            # module loads no other.
            dotted = path.removeprefix("src/").removesuffix(".py")
            dotted = dotted.removesuffix("/__init__").replace("/", ".")
            imported.append(f"        from {dotted} import {cls}")
        passed.append(f"{argument}={cls}(self._transport)")
    return imported, passed


def _docstring(helper: Helper) -> list[str]:
    text = _escape(helper.doc).splitlines()
    described = [
        (py_name(p), p.description)
        for p in (*helper.path_params, *helper.wrapped_params)
        if p.description
    ]
    described += list(helper.args_doc.items())
    args = []
    if described:
        args = ["Args:"]
        args += [f"    {name}: {' '.join(_escape(d).split())}" for name, d in described]
        args.append("")
    # Google style: Args come before the Returns/Raises sections the TOML may hold.
    at = next(
        (i for i, line in enumerate(text) if line in ("Returns:", "Raises:")),
        len(text),
    )
    if at == len(text) and args:
        args = ["", *args[:-1]]
    text[at:at] = args
    if helper.wraps:
        text += [
            "",
            f"Wraps operation `{helper.wraps}`; the code is in `mistral_sdk.helpers`.",
        ]
    out = [f'        """{text[0]}']
    out += [f"        {line}".rstrip() for line in text[1:]]
    out.append('        """')
    return out


def _escape(text: str) -> str:
    # Docstrings are raw text: keep backslashes and triple quotes from breaking them.
    return text.replace("\\", "\\\\").replace('"""', "'''")


def reference(api: Api) -> list[str]:
    """Return the helpers' section of docs/reference.md (empty without helpers)."""
    if not api.helpers:
        return []
    lines = [
        "## Helpers",
        "",
        "Hand-written behaviour in `mistral_sdk.helpers`, as methods of the same classes.",
        "",
    ]
    for h in api.helpers:
        names = [p.name for p in (*h.path_params, *h.wrapped_params) if p.required]
        names += [
            _param_name(p, h.name) for p in (*h.positional, *h.keywords) if "=" not in p
        ]
        lines.append(
            f"### `client.{'.'.join(h.namespace)}.{h.name}({', '.join(names)}, …)`"
        )
        lines.append("")
        wraps = f" Wraps operation `{h.wraps}`." if h.wraps else ""
        lines.append(f"{h.doc.splitlines()[0]}{wraps}")
        lines.append("")
        returns = (
            h.returns
            if h.returns == h.async_returns
            else f"{h.returns} / {h.async_returns}"
        )
        lines += [f"Returns `{returns}`.", ""]
    return lines

"""IR -> `src/mistral_sdk/resources/`: one module per top-level namespace, both flavours.

Every method is rendered by `_method()` once per flavour; the flavours differ only in `async`,
the resource base class, the stream/page/binary/response return types and the class-name prefix
(STYLE.md §7.5). Method bodies are one call into `mistral_sdk._resource`; everything they need
that is constant (route, types, hidden body fields) lives in a module-level `Operation`.

Per namespace with methods there are three classes per flavour: the resource (methods return
`<helper>(...).parse()`), `...WithRawResponse` (a resource whose methods return the
`APIResponse` itself, same signatures) and `...WithStreamingResponse` (each raw method wrapped
in `StreamedMethod`, giving a context manager that reads the body only when asked).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tools.codegen import emit_helpers
from tools.codegen.annotations import (
    LIST,
    STD_NAMES,
    in_class,
    py_name,
    with_not_given,
)
from tools.codegen.ir import Api, Method
from tools.codegen.pywriter import HEADER, py_literal

ROOT = "src/mistral_sdk/resources"

# Names an annotation may use besides `mistral_sdk.types` names, and where they come from.
_CORE_NAMES = {"FileInput": "_types"}

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# Event types whose streams accumulate their events (DESIGN.md C2): the resource helper
# that opens them and the stream class (sync name; the async one is prefixed `Async`).
_ACCUMULATING = {
    "CompletionChunk": ("_completion_stream", "CompletionStream"),
    "ConversationEvent": ("_conversation_stream", "ConversationStream"),
}


@dataclass(frozen=True)
class Flavour:
    """What distinguishes the sync rendering of a method from the async one."""

    prefix: str
    base: str
    is_async: bool
    stream: str
    page: str
    raw_page: str
    binary: str
    response: str
    streamed_method: str
    core_module: str  # where the flavour's stream, page, binary and response live


SYNC = Flavour(
    prefix="",
    base="SyncResource",
    is_async=False,
    stream="Stream",
    page="SyncPage",
    raw_page="SyncPage",
    binary="BinaryResponse",
    response="APIResponse",
    streamed_method="StreamedMethod",
    core_module="_sync",
)
ASYNC = Flavour(
    prefix="Async",
    base="AsyncResource",
    is_async=True,
    stream="AsyncStream",
    page="AsyncPaginator",
    raw_page="AsyncPage",
    binary="AsyncBinaryResponse",
    response="AsyncAPIResponse",
    streamed_method="AsyncStreamedMethod",
    core_module="_async",
)


def pascal(namespace: Iterable[str]) -> str:
    """Return the class name of a namespace path: `("beta", "libraries")` -> `BetaLibraries`."""
    return "".join(part.title().replace("_", "") for part in namespace)


def module_of(namespace: tuple[str, ...]) -> str:
    """Return the repo-relative path of the module holding a namespace's classes."""
    if namespace[0] == "beta":
        if len(namespace) == 1:
            return f"{ROOT}/beta/__init__.py"
        return f"{ROOT}/beta/{namespace[1]}.py"
    return f"{ROOT}/{namespace[0]}.py"


def render(api: Api) -> dict[str, str]:
    """Render every resource module (unformatted; `output.py` formats them)."""
    by_ns: dict[tuple[str, ...], list[Method]] = defaultdict(list)
    for method in api.methods:
        by_ns[method.namespace].append(method)
    namespaces = _all_namespaces(by_ns)
    modules: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for ns in namespaces:
        modules[module_of(ns)].append(ns)
    files = {
        path: _module(path, nss, by_ns, namespaces, api)
        for path, nss in modules.items()
    }
    files[f"{ROOT}/__init__.py"] = (
        HEADER
        + '"""The generated resource classes behind `Mistral` and `AsyncMistral`."""\n'
    )
    return files


def all_namespaces(api: Api) -> list[tuple[str, ...]]:
    """Return every namespace path of `api`, containers included, sorted."""
    return _all_namespaces({method.namespace: [] for method in api.methods})


def _all_namespaces(
    by_ns: dict[tuple[str, ...], list[Method]],
) -> list[tuple[str, ...]]:
    # Container namespaces (`beta`, `fine_tuning`) exist even when they own no method.
    found: set[tuple[str, ...]] = set()
    for ns in by_ns:
        for i in range(1, len(ns) + 1):
            found.add(ns[:i])
    return sorted(found)


def _children(
    ns: tuple[str, ...], namespaces: list[tuple[str, ...]]
) -> list[tuple[str, ...]]:
    return [c for c in namespaces if len(c) == len(ns) + 1 and c[: len(ns)] == ns]


def _module(
    path: str,
    nss: list[tuple[str, ...]],
    by_ns: dict[tuple[str, ...], list[Method]],
    namespaces: list[tuple[str, ...]],
    api: Api,
) -> str:
    methods = [m for ns in nss for m in by_ns.get(ns, [])]
    type_names = sorted({n for m in methods for n in m.type_names})
    annotations = " ".join(_annotation_text(m) for m in methods)
    used = set(_IDENT.findall(annotations))
    kinds: set[str] = {m.kind for m in methods}

    lines = [
        HEADER,
        f'"""{_module_doc(nss[0])}"""',
        "",
        "from __future__ import annotations",
        "",
    ]
    lazy = _lazy_children(nss, namespaces, path)
    runtime_core = _core_type_imports(methods, "mistral_sdk.") if methods else []
    helper_imports, checking = emit_helpers.imports(api, nss)
    runtime_core += checking
    std: dict[str, set[str]] = defaultdict(set)
    if lazy or runtime_core:
        std["typing"].add("TYPE_CHECKING")
    if methods:
        std["typing"].update({"ClassVar", "Final"})
        std["collections.abc"].add("Mapping")
        std["functools"].add("cached_property")
    if any(_children(ns, namespaces) for ns in nss):
        std["functools"].add("cached_property")
    if LIST.search(annotations):
        lines.append("import builtins")
    for name, mod in STD_NAMES.items():
        if name in used:
            std[mod].add(name)
    for mod in sorted(std):
        if std[mod]:
            lines.append(f"from {mod} import {', '.join(sorted(std[mod]))}")
    if methods:
        lines += ["", "from typing_extensions import Unpack"]
    lines.append("")
    dots = "mistral_sdk."
    core = ["AsyncResource", "SyncResource"]
    if methods:
        core += [
            "AsyncStreamedMethod",
            "Operation",
            "StreamedMethod",
            "StreamingResponseWrapper",
        ]
    if "stream" in kinds:
        core.append("AsyncStreamManager")
    if "page" in kinds:
        core.append("AsyncPaginator")
    if any(m.paging for m in methods):
        core.append("Paging")
    lines.append(f"from {dots}_resource import {', '.join(sorted(core))}")
    if methods:
        names = {"NOT_GIVEN", "NotGiven", "RequestOptions"} | {
            n for n in _CORE_NAMES if n in used
        }
        lines.append(f"from {dots}_types import {', '.join(sorted(names))}")
    if any(m.headers for m in methods):
        lines.append(f"from {dots}_header_params import with_headers")
    lines += _type_imports(type_names, api, dots) + helper_imports
    if runtime_core or lazy:
        lines += ["", "if TYPE_CHECKING:"]
        lines += [f"    {line}" for line in runtime_core]
        for child in lazy:
            mod = module_of(child).removeprefix(f"{ROOT}/beta/").removesuffix(".py")
            lines.append(
                f"    from .{mod} import Async{pascal(child)}, {pascal(child)}"
            )
    lines += ["", "__all__ = [" + ", ".join(_public_names(nss, by_ns)) + "]", ""]

    for m in methods:
        lines.append(_operation_constant(m))
    for flavour in (SYNC, ASYNC):
        for ns in nss:
            lines += _resource_class(
                ns, by_ns.get(ns, []), namespaces, flavour, path, api.namespace_docs
            )
            lines += emit_helpers.methods(api, ns, flavour.is_async)
            if by_ns.get(ns):
                lines += _raw_class(ns, by_ns[ns], flavour)
    return "\n".join(lines) + "\n"


def _core_type_imports(methods: list[Method], dots: str) -> list[str]:
    # Return types only: with postponed annotations they are never needed at run time.
    kinds = {m.kind for m in methods}
    lines = []
    for flavour in (ASYNC, SYNC):
        names = {"_response": [flavour.response]}
        streams = {_stream_class(m, flavour) for m in methods if m.kind == "stream"}
        if streams:
            names["_streaming"] = sorted(streams)
        if "page" in kinds:
            names["_pagination"] = [flavour.raw_page]
        if "download" in kinds:
            names["_files"] = [flavour.binary]
        for module, imported in sorted(names.items()):
            lines.append(
                f"from {dots}{flavour.core_module}.{module} import {', '.join(imported)}"
            )
    return lines


def _lazy_children(
    nss: list[tuple[str, ...]], namespaces: list[tuple[str, ...]], path: str
) -> list[tuple[str, ...]]:
    # Sub-namespaces living in another module are imported when first used, not with this one.
    return [c for ns in nss for c in _children(ns, namespaces) if module_of(c) != path]


def _type_imports(type_names: list[str], api: Api, dots: str) -> list[str]:
    by_module: dict[str, list[str]] = defaultdict(list)
    for name in type_names:
        by_module[api.type_module_of.get(name, "")].append(name)
    lines = []
    for mod in sorted(by_module):
        target = f"{dots}types.{mod}" if mod else f"{dots}types"
        lines.append(f"from {target} import {', '.join(sorted(by_module[mod]))}")
    return lines


def _public_names(
    nss: list[tuple[str, ...]], by_ns: dict[tuple[str, ...], list[Method]]
) -> list[str]:
    names = []
    for ns in nss:
        base = pascal(ns)
        names += [base, f"Async{base}"]
        if by_ns.get(ns):
            names += [f"{base}WithRawResponse", f"Async{base}WithRawResponse"]
            names += [
                f"{base}WithStreamingResponse",
                f"Async{base}WithStreamingResponse",
            ]
    return [f'"{n}"' for n in sorted(names)]


def _module_doc(ns: tuple[str, ...]) -> str:
    return f"Resource classes of the `client.{'.'.join(ns)}` namespace, sync and async."


def _const_name(m: Method) -> str:
    return "_" + "_".join((*m.namespace, m.name)).upper()


def _operation_constant(m: Method) -> str:
    result = "None" if m.kind == "download" or m.response is None else m.response
    args = [f'"{m.http_method}"', f'"{m.path}"', _runtime_type(result)]
    if m.body_model and m.body_encoding == "json":
        args.append(f"body_model={m.body_model}")
    if m.body_encoding == "multipart":
        args.append("multipart=True")
    if m.hidden_body:
        items = ", ".join(f'"{k}": {v!r}' for k, v in sorted(m.hidden_body.items()))
        args.append(f"hidden={{{items}}}")
    json_query = sorted(p.wire_name for p in m.query_params if p.json_encoded)
    if json_query:
        args.append(f"json_query=frozenset({json_query!r})".replace("'", '"'))
    if m.kind == "page":
        args.append(f'items="{m.items_path or ""}"')
    if m.paging:
        fields = ", ".join(
            f'{k}="{v}"' if isinstance(v, str) else f"{k}={v}"
            for k, v in m.paging.items()
        )
        args.append(f"paging=Paging({fields})")
    args.append(f'operation_id="{m.operation_id}"')
    return f"{_const_name(m)}: Final = Operation[{result}]({', '.join(args)})"


def _runtime_type(expr: str) -> str:
    # `list[X]` and unions are valid runtime objects on Python >= 3.10; only a bare None differs.
    return "None" if expr == "None" else expr


def _resource_class(
    ns: tuple[str, ...],
    methods: list[Method],
    namespaces: list[tuple[str, ...]],
    flavour: Flavour,
    path: str,
    docs: Mapping[str, str],
) -> list[str]:
    name = flavour.prefix + pascal(ns)
    lines = [
        "",
        "",
        f"class {name}({flavour.base}):",
        f'    """{_class_doc(ns, flavour, docs)}"""',
        "",
    ]
    if methods:
        ids = ", ".join(f'"{m.name}": "{m.operation_id}"' for m in methods)
        lines.append(f"    _operation_ids: ClassVar[Mapping[str, str]] = {{{ids}}}")
        lines += [
            "",
            "    @cached_property",
            f"    def with_raw_response(self) -> {name}WithRawResponse:",
            '        """The same methods, returning the `APIResponse`: status, headers, request id, `parse()`."""',
            f"        return {name}WithRawResponse(self._transport)",
            "",
            "    @cached_property",
            f"    def with_streaming_response(self) -> {name}WithStreamingResponse:",
            '        """The same methods as context managers giving the `APIResponse` before its body is read."""',
            f"        return {name}WithStreamingResponse(",
            f"            {name}WithRawResponse(self._transport, unread=True)",
            "        )",
        ]
    for child in _children(ns, namespaces):
        cname = flavour.prefix + pascal(child)
        lines += ["", "    @cached_property", f"    def {child[-1]}(self) -> {cname}:"]
        lines.append(
            f'        """`client.{".".join(child)}`: {_short_doc(child, docs)}"""'
        )
        if module_of(child) != path:
            mod = module_of(child).removeprefix(f"{ROOT}/beta/").removesuffix(".py")
            lines.append(f"        from .{mod} import {cname}")
            lines.append("")
        lines.append(f"        return {cname}(self._transport)")
    for m in methods:
        lines += _method(m, flavour)
    if not methods and not _children(ns, namespaces):
        lines.append("    pass")
    return lines


def _class_doc(ns: tuple[str, ...], flavour: Flavour, docs: Mapping[str, str]) -> str:
    kind = "async " if flavour.is_async else ""
    return f"The {kind}`client.{'.'.join(ns)}` namespace: {_short_doc(ns, docs)}"


_NS_DOCS = {
    "models": "list, inspect, update, archive and delete models.",
    "chat": "chat completions, whole or streamed.",
    "fim": "fill-in-the-middle code completions, whole or streamed.",
    "agents": "completions from an agent, whole or streamed.",
    "embeddings": "embedding vectors for texts.",
    "classifiers": "moderation and classification of texts and chats.",
    "ocr": "text and layout extraction from documents and images.",
    "files": "upload, list, download and delete files.",
    "fine_tuning": "fine-tuning jobs (`client.fine_tuning.jobs`).",
    "fine_tuning.jobs": "create, follow and cancel fine-tuning jobs (deprecated in the API).",
    "batch": "batch jobs (`client.batch.jobs`).",
    "batch.jobs": "create, follow and cancel batch jobs.",
    "audio": "transcription, text to speech and voices.",
    "audio.transcriptions": "speech-to-text transcription, whole or streamed.",
    "beta": "beta APIs: conversations, agents, libraries, workflows and observability.",
    "beta.conversations": "stateful conversations with models and agents.",
    "beta.agents": "create, version and manage agents.",
    "beta.libraries": "document libraries for retrieval.",
    "beta.libraries.documents": "documents inside a library.",
    "beta.libraries.accesses": "who may use a library.",
    "beta.observability": "chat-completion events, judges, campaigns and datasets.",
}


def short_doc(ns: tuple[str, ...], docs: Mapping[str, str] | None = None) -> str:
    """Return the one-line description of a namespace (resource and client docstrings)."""
    return _short_doc(ns, docs or {})


def _short_doc(ns: tuple[str, ...], docs: Mapping[str, str]) -> str:
    key = ".".join(ns)
    return _NS_DOCS.get(key) or docs.get(key) or "operations of this namespace."


def _raw_class(
    ns: tuple[str, ...], methods: list[Method], flavour: Flavour
) -> list[str]:
    name = flavour.prefix + pascal(ns)
    lines = [
        "",
        "",
        f"class {name}WithRawResponse({flavour.base}):",
        f'    """`{name}` methods returning the `{flavour.response}` itself (status, headers, request id)."""',
    ]
    for m in methods:
        lines += _raw_method(m, flavour, name)
    lines += [
        "",
        "",
        f"class {name}WithStreamingResponse(StreamingResponseWrapper):",
        f'    """`{name}` methods as context managers giving the `{flavour.response}` before its body is read."""',
        "",
    ]
    lines += [
        f"    {m.name} = {flavour.streamed_method}({name}WithRawResponse.{m.name})"
        for m in methods
    ]
    return lines


def _annotation_text(m: Method) -> str:
    params = (*m.path_params, *m.query_params, *m.headers, *m.body_params)
    parts = [p.annotation for p in params]
    parts += [m.response or "", m.item or ""]
    return " ".join(parts)


def _stream_class(m: Method, flavour: Flavour) -> str:
    """The stream class name of a stream method, without type arguments."""
    accumulating = _ACCUMULATING.get(m.response or "")
    return flavour.prefix + accumulating[1] if accumulating else flavour.stream


def _stream_type(m: Method, flavour: Flavour) -> str:
    accumulating = _ACCUMULATING.get(m.response or "")
    if accumulating:
        return flavour.prefix + accumulating[1]
    return f"{flavour.stream}[{m.response}]"


def return_type(m: Method, flavour: Flavour) -> str:
    """Return the annotation of what `m` returns in `flavour` (the parsed result)."""
    return _return_type(m, flavour)


def _return_type(m: Method, flavour: Flavour) -> str:
    if m.kind == "stream":
        stream = _stream_type(m, flavour)
        return f"AsyncStreamManager[{stream}]" if flavour.is_async else stream
    if m.kind == "page":
        return f"{flavour.page}[{m.item}, {m.response}]"
    if m.kind == "download":
        return flavour.binary
    return m.response or "None"


def _parsed_type(m: Method, flavour: Flavour) -> str:
    """What `APIResponse.parse()` gives for `m`: the sync result, or the awaited async one."""
    if m.kind == "stream":
        return _stream_type(m, flavour)
    if m.kind == "page":
        return f"{flavour.raw_page}[{m.item}, {m.response}]"
    return _return_type(m, flavour)


def _signature(m: Method) -> list[str]:
    lines = ["        self,"]
    lines += [f"        {py_name(p)}: {in_class(p.annotation)}," for p in m.path_params]
    keywords = sorted(
        (*m.query_params, *m.headers, *m.body_params), key=lambda p: not p.required
    )
    if keywords:
        lines.append("        *,")
    for p in keywords:
        if p.required:
            lines.append(f"        {py_name(p)}: {in_class(p.annotation)},")
        else:
            annotation = with_not_given(in_class(p.annotation))
            lines.append(f"        {py_name(p)}: {annotation} = NOT_GIVEN,")
    lines.append("        **options: Unpack[RequestOptions],")
    return lines


def _method(m: Method, flavour: Flavour) -> list[str]:
    # Async list and stream methods stay plain `def`: they return an object that is both
    # awaitable and async-iterable (pages) or an async context manager (streams), so
    # `async for item in client.x.list()` and `async with client.chat.stream(...)` need no
    # `await`.
    lazy = flavour.is_async and m.kind in ("page", "stream")
    head = "async def" if flavour.is_async and not lazy else "def"
    lines = [
        "",
        f"    {head} {m.name}(",
        *_signature(m),
        f"    ) -> {in_class(_return_type(m, flavour))}:",
    ]
    lines += _docstring(m)
    call = _helper_call(m)
    if lazy:
        wrapper = "AsyncStreamManager" if m.kind == "stream" else "AsyncPaginator"
        lines.append(f"        return {wrapper}(lambda: {call})")
    elif flavour.is_async:
        lines.append(f"        return await (await {call}).parse()")
    else:
        lines.append(f"        return {call}.parse()")
    return lines


def _raw_method(m: Method, flavour: Flavour, owner: str) -> list[str]:
    head = "async def" if flavour.is_async else "def"
    result = f"{flavour.response}[{_parsed_type(m, flavour)}]"
    await_ = "await " if flavour.is_async else ""
    return [
        "",
        f"    {head} {m.name}(",
        *_signature(m),
        f"    ) -> {in_class(result)}:",
        f'        """`{owner}.{m.name}`, returning the `{flavour.response}`."""',
        f"        return {await_}{_helper_call(m)}",
    ]


def _helper_call(m: Method) -> str:
    call = {
        "json": "_json",
        "stream": "_stream",
        "page": "_page",
        "download": "_binary",
    }[m.kind]
    accumulating = _ACCUMULATING.get(m.response or "")
    if m.kind == "stream" and accumulating:
        call = accumulating[0]
    args = [_const_name(m)]
    if m.path_params:
        args.append(
            "path={"
            + ", ".join(f'"{p.wire_name}": {py_name(p)}' for p in m.path_params)
            + "}"
        )
    if m.query_params:
        args.append(
            "query={"
            + ", ".join(f'"{p.wire_name}": {py_name(p)}' for p in m.query_params)
            + "}"
        )
    fields = [p for p in m.body_params if not p.is_file]
    files = [p for p in m.body_params if p.is_file]
    if fields:
        args.append(
            "body={" + ", ".join(f'"{p.wire_name}": {py_name(p)}' for p in fields) + "}"
        )
    if files:
        args.append(
            "files={" + ", ".join(f'"{p.wire_name}": {py_name(p)}' for p in files) + "}"
        )
    if m.accept is not None:
        args.append(f"accept={py_literal(m.accept)}")
    if m.headers:
        sent = ", ".join(f'"{p.wire_name}": {py_name(p)}' for p in m.headers)
        args.append(f"options=with_headers(options, {{{sent}}})")
    else:
        args.append("options=options")
    return f"self.{call}({', '.join(args)})"


def _docstring(m: Method) -> list[str]:
    summary = _clean(m.summary) or f"Call `{m.http_method} {m.path}`."
    if not summary.endswith("."):
        summary += "."
    body: list[str] = []
    description = _clean(m.description)
    if description and description.rstrip(".") != summary.rstrip("."):
        body += ["", *description.splitlines()]
    if m.deprecated:
        body += [
            "",
            "Deprecated by the API; it still works and is kept for existing users.",
        ]
    params = (*m.path_params, *m.query_params, *m.headers, *m.body_params)
    documented = [p for p in params if p.description]
    if documented:
        body += ["", "Args:"]
        for p in documented:
            text = _clean(p.description).replace("\n", " ")
            body.append(f"    {py_name(p)}: {text}")
    body += ["", f"`{m.http_method} {m.path}` (operation `{m.operation_id}`)."]
    out = [f'        """{summary}']
    out += [f"        {line}".rstrip() for line in body]
    out.append('        """')
    return out


def _clean(text: str) -> str:
    # Docstrings are raw text: keep backslashes and triple quotes from breaking the literal.
    return text.strip().replace("\\", "\\\\").replace('"""', "'''")

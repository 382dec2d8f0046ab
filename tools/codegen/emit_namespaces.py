"""IR -> `src/mistral_sdk/_namespaces.py`: the clients' namespace properties.

`Mistral` and `AsyncMistral` inherit `MistralNamespaces` / `AsyncMistralNamespaces`:
one cached property per top-level namespace, importing its resource module on first
use (so `import mistral_sdk` loads none). Names and docstrings come from the same
table as the resource classes (`emit_resources`), so the two never disagree.
"""

from __future__ import annotations

from tools.codegen.emit_resources import ROOT, all_namespaces, pascal, short_doc
from tools.codegen.ir import Api
from tools.codegen.pywriter import HEADER

PATH = "src/mistral_sdk/_namespaces.py"


def render(api: Api) -> dict[str, str]:
    """Render the namespace mixins (unformatted; `output.py` formats them)."""
    tops = [ns for ns in all_namespaces(api) if len(ns) == 1]
    lines = [
        HEADER,
        '"""The namespaces of `Mistral` and `AsyncMistral`, imported on first use."""',
        "",
        "from __future__ import annotations",
        "",
        "from functools import cached_property",
        "from typing import TYPE_CHECKING",
        "",
        "if TYPE_CHECKING:",
        "    from mistral_sdk._async._transport import AsyncTransport",
        "    from mistral_sdk._sync._transport import SyncTransport",
    ]
    for (name,) in tops:
        cls = pascal((name,))
        lines.append(f"    from {_module(name)} import Async{cls}, {cls}")
    lines += [
        "",
        '__all__ = ["AsyncMistralNamespaces", "MistralNamespaces"]',
    ]
    for prefix, transport in (("", "SyncTransport"), ("Async", "AsyncTransport")):
        kind = "async " if prefix else ""
        lines += [
            "",
            "",
            f"class {prefix}MistralNamespaces:",
            f'    """The namespaces of the {kind}client, as lazily built resources."""',
            "",
            f"    _transport: {transport}",
        ]
        for (name,) in tops:
            cls = prefix + pascal((name,))
            lines += [
                "",
                "    @cached_property",
                f"    def {name}(self) -> {cls}:",
                f'        """`client.{name}`: {short_doc((name,))}"""',
                f"        from {_module(name)} import {cls}",
                "",
                f"        return {cls}(self._transport)",
            ]
    return {PATH: "\n".join(lines) + "\n"}


def _module(name: str) -> str:
    package = ROOT.removeprefix("src/").replace("/", ".")
    return f"{package}.{name}"

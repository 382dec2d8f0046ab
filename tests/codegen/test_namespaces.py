"""The clients' namespace properties come from the resource table: one source of names and docs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tools.codegen import emit_namespaces, emit_resources
from tools.codegen.analyse import analyse
from tools.codegen.ir import Api

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api() -> Api:
    return analyse(ROOT)[1]


def _properties(source: str, cls: str) -> dict[str, str]:
    tree = ast.parse(source)
    found = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
    return {
        node.name: ast.get_docstring(node) or ""
        for node in found.body
        if isinstance(node, ast.FunctionDef)
    }


def test_namespaces_one_property_per_top_level_namespace(api: Api) -> None:
    source = emit_namespaces.render(api)[emit_namespaces.PATH]
    tops = {ns[0] for ns in emit_resources.all_namespaces(api)}

    sync = _properties(source, "MistralNamespaces")
    async_ = _properties(source, "AsyncMistralNamespaces")

    assert set(sync) == set(async_) == tops
    assert sync == async_


def test_namespace_docstrings_match_the_resource_classes(api: Api) -> None:
    source = emit_namespaces.render(api)[emit_namespaces.PATH]

    docs = _properties(source, "MistralNamespaces")

    assert docs["chat"] == f"`client.chat`: {emit_resources.short_doc(('chat',))}"
    assert (
        "`client.chat` namespace: " + emit_resources.short_doc(("chat",))
        in (ROOT / "src/mistral_sdk/resources/chat.py").read_text()
    )


def test_namespaces_import_their_resource_module_lazily(api: Api) -> None:
    source = emit_namespaces.render(api)[emit_namespaces.PATH]
    tree = ast.parse(source)

    top_level_imports = [
        node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module
    ]

    assert not [m for m in top_level_imports if m.startswith("mistral_sdk.resources")]

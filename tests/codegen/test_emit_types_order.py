"""Generated types modules evaluate their annotations when they run (issue 9, cold
start): each definition comes after the names it uses, and only a reference into a
cycle is written as a string."""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Sequence
from typing import Any, get_args, get_origin

import pytest
from typing_extensions import get_type_hints

from tools.codegen import emit_types
from tools.codegen.ir import FieldDef, ListOf, Lit, Named, Prim, TypeDef, TypeSet


def field(name: str, tp: Any, *, required: bool = True) -> FieldDef:
    return FieldDef(name=name, wire_name=name, type=tp, required=required)


def tag(value: str) -> FieldDef:
    return FieldDef(
        name="type",
        wire_name="type",
        type=Lit((value,)),
        required=False,
        has_default=True,
        default=value,
        tag=True,
        discriminator=True,
    )


def model(name: str, *fields: FieldDef, request: bool = True) -> TypeDef:
    return TypeDef(name, "model", "notes", "", fields=fields, request=request)


TYPES = TypeSet(
    {
        # Alphabetically the note comes first, but it names the union, which names
        # the two parts: the parts, then the union, then the note.
        "ANote": model("ANote", field("parts", ListOf(Named("Part")))),
        "Part": TypeDef(
            "Part",
            "union",
            "notes",
            "",
            members=(Named("Text"), Named("Tree")),
            prop="type",
            unknown="UnknownPart",
            request=True,
        ),
        "Text": model("Text", tag("text"), field("text", Prim("str"))),
        # A tree names itself through the union: a cycle, broken by quoting.
        "Tree": model(
            "Tree",
            tag("tree"),
            field("children", ListOf(Named("Part")), required=False),
        ),
        "UnknownPart": TypeDef("UnknownPart", "unknown", "notes", "", prop="type"),
    }
)


@pytest.fixture(scope="module")
def source() -> str:
    return emit_types.render(TYPES)["src/mistral_sdk/types/notes.py"]


def defined(source: str) -> list[str]:
    return re.findall(r"^(?:class )?(\w+)(?:\(|: TypeAlias)", source, re.M)


def test_definitions_come_after_the_names_they_use(source: str) -> None:
    order = defined(source)

    assert "from __future__" not in source
    assert order.index("Text") < order.index("Part") < order.index("ANote")
    assert order.index("UnknownPart") < order.index("Part")
    assert order.index("TextParam") < order.index("PartParam")
    assert order.index("PartParam") < order.index("ANoteParam")


def test_only_a_reference_into_a_cycle_is_quoted(source: str) -> None:
    assert "    children: 'list[Part] | None' = None" in source
    assert "    parts: list[Part]\n" in source
    assert "    text: str\n" in source
    assert source.count("'") == 2 * source.count("children:")


def test_the_module_runs_and_its_annotations_resolve(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pydantic resolves the quoted annotations in the module the classes live in.
    module = types.ModuleType("notes_under_test")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    # dont_inherit: this test module's own `from __future__` must not apply.
    exec(compile(source, "notes.py", "exec", dont_inherit=True), module.__dict__)

    note = module.ANote.model_validate(
        {"parts": [{"type": "tree", "children": [{"type": "text", "text": "hi"}]}]}
    )
    assert note.parts[0].children[0].text == "hi"
    # Only the quoted annotations are left to resolve later; the rest are types.
    parts = module.ANote.__annotations__["parts"]
    assert (get_origin(parts), get_args(parts)) == (list, (module.Part,))
    assert module.Tree.__annotations__["children"] == "list[Part] | None"
    children = get_type_hints(module.TreeParam)["children"]
    origin: object = get_origin(children)
    assert origin is Sequence
    assert get_args(children) == (module.PartParam,)

"""Analysis on tiny inline specs: union naming, tags, families, modules, Param twins."""

from __future__ import annotations

from typing import Any

import pytest

from tools.codegen import emit_types
from tools.codegen.analyse import Overrides, analyse_spec
from tools.codegen.ir import Api, ListOf, Named, TypeSet, UnionOf
from tools.codegen.spec import Spec, SpecError


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def chunk(tag: str, **props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "type": {"type": "string", "const": tag, "default": tag},
            **props,
        },
    }


def body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def answer(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": schema}},
        }
    }


def run(
    schemas: dict[str, Any],
    paths: dict[str, Any],
    methods: list[dict[str, Any]],
    overrides: dict[str, Any] | None = None,
) -> tuple[TypeSet, Api]:
    spec = Spec({"paths": paths, "components": {"schemas": schemas}})
    return analyse_spec(spec, Overrides.parse(overrides or {}), methods)


SCHEMAS = {
    "Text": chunk("text", text={"type": "string"}),
    "Image": chunk("image", url={"type": "string"}),
    "Audio": chunk("audio", data={"type": "string"}),
    "Note": {
        "type": "object",
        "properties": {
            "parts": {"type": "array", "items": {"anyOf": [ref("Text"), ref("Image")]}},
        },
        "required": ["parts"],
    },
    "Reply": {
        "type": "object",
        "properties": {
            "blocks": {
                "type": "array",
                "items": {"anyOf": [ref("Text"), ref("Audio")]},
            },
            "usage": ref("Usage"),
        },
    },
    "Usage": {"type": "object", "properties": {"tokens": {"type": "integer"}}},
}
PATHS: dict[str, Any] = {
    "/notes": {
        "post": {
            "operationId": "post_note",
            "requestBody": body(ref("Note")),
            "responses": answer(ref("Reply")),
        }
    },
    "/replies/{reply_id}": {
        "get": {
            "operationId": "get_reply",
            "parameters": [
                {
                    "name": "reply_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "responses": answer(ref("Reply")),
        }
    },
}
METHODS = [
    {"operation": "post_note", "namespace": "notes", "name": "create"},
    {"operation": "get_reply", "namespace": "replies", "name": "get"},
]
OVERRIDES = {
    "unions": {
        "NotePart": {"members": ["Text", "Image"]},
        "ReplyBlock": {"members": ["Text", "Audio"]},
    }
}


def test_inline_union_without_a_name_fails_with_a_pointer_to_overrides() -> None:
    with pytest.raises(SpecError, match=r"overrides\.toml") as failure:
        run(SCHEMAS, PATHS, METHODS)

    assert "#/components/schemas/Note/properties/parts/items" in str(failure.value)


def test_union_tag_is_inferred_from_consts_of_every_member() -> None:
    types, _ = run(SCHEMAS, PATHS, METHODS, OVERRIDES)

    union = types.types["NotePart"]
    assert union.kind == "union"
    assert union.prop == "type"
    assert union.members == (Named("Text"), Named("Image"))
    note = types.types["Note"]
    assert note.fields[0].type == ListOf(Named("NotePart"))


def test_unions_sharing_a_member_share_one_unknown_class() -> None:
    types, _ = run(SCHEMAS, PATHS, METHODS, OVERRIDES)

    assert types.types["NotePart"].unknown == types.types["ReplyBlock"].unknown
    unknown = types.types["NotePart"].unknown
    assert unknown == "UnknownNotePart"
    assert types.types[unknown].kind == "unknown"
    assert types.types[unknown].prop == "type"


def test_override_names_the_unknown_member() -> None:
    overrides = {
        "unions": OVERRIDES["unions"]
        | {"NotePart": {"members": ["Text", "Image"], "unknown": "UnknownChunk"}}
    }

    types, _ = run(SCHEMAS, PATHS, METHODS, overrides)

    assert types.types["ReplyBlock"].unknown == "UnknownChunk"


def test_union_without_common_const_stays_a_plain_union() -> None:
    schemas = {
        "A": {"type": "object", "properties": {"a": {"type": "string"}}},
        "B": {"type": "object", "properties": {"b": {"type": "integer"}}},
        "Box": {
            "type": "object",
            "properties": {"item": {"anyOf": [ref("A"), ref("B")]}},
        },
    }
    paths = {
        "/box": {"get": {"operationId": "get_box", "responses": answer(ref("Box"))}}
    }

    types, _ = run(
        schemas, paths, [{"operation": "get_box", "namespace": "box", "name": "get"}]
    )

    assert types.types["Box"].fields[0].type == UnionOf((Named("A"), Named("B")))
    assert not [t for t in types.types.values() if t.kind == "unknown"]


def test_stale_override_fails_generation() -> None:
    overrides = {
        "unions": OVERRIDES["unions"] | {"Ghost": {"members": ["Text", "Usage"]}}
    }

    with pytest.raises(SpecError, match="match nothing"):
        run(SCHEMAS, PATHS, METHODS, overrides)


def test_types_go_to_their_domain_or_to_common() -> None:
    types, api = run(SCHEMAS, PATHS, METHODS, OVERRIDES)

    modules = {name: t.module for name, t in types.types.items()}
    assert modules["Note"] == "notes"
    assert modules["NotePart"] == "notes"
    assert modules["Image"] == "notes"
    assert modules["Reply"] == "common"
    assert modules["Usage"] == "common"
    # Text is reached by one domain only, but a common union names it.
    assert modules["Text"] == "common"
    assert modules["UnknownNotePart"] == "common"
    assert api.type_module_of["NotePartParam"] == "notes"


def test_request_types_get_param_twins_and_responses_do_not() -> None:
    types, _api = run(SCHEMAS, PATHS, METHODS, OVERRIDES)

    files = emit_types.render(types)

    notes = files["src/mistral_sdk/types/notes.py"]
    common = files["src/mistral_sdk/types/common.py"]
    assert "class ImageParam(TypedDict, total=False):" in notes
    # `NotePart` routes by a tag it infers and the spec defaults: a dict may omit it.
    assert '    type: Literal["image"]' in notes
    assert (
        "NotePartParam: TypeAlias = Text | TextParam | Image | ImageParam | UnknownNotePart"
        in notes
    )
    assert "class TextParam(TypedDict, total=False):" in common
    assert "ReplyParam" not in common
    assert "UsageParam" not in common
    # The request body itself is flattened into keywords: no NoteParam.
    assert "NoteParam" not in notes


def test_methods_flatten_the_body_and_render_input_annotations() -> None:
    _, api = run(SCHEMAS, PATHS, METHODS, OVERRIDES)

    create, get = api.methods
    assert create.body_model == "Note"
    assert [(p.name, p.annotation, p.required) for p in create.body_params] == [
        ("parts", "Sequence[NotePartParam]", True)
    ]
    assert create.response == "Reply"
    assert create.type_names == frozenset({"Note", "NotePartParam", "Reply"})
    assert [(p.name, p.location) for p in get.path_params] == [("reply_id", "path")]


@pytest.mark.parametrize(
    ("marks", "deprecated"),
    [
        ({}, False),
        ({"tags": ["notes"]}, False),
        ({"deprecated": True}, True),
        ({"tags": ["notes", "deprecated.notes"]}, True),
        ({"deprecated": False, "tags": ["deprecated"]}, True),
    ],
)
def test_methods_are_deprecated_by_the_flag_or_a_deprecated_tag(
    marks: dict[str, Any], deprecated: bool
) -> None:
    post = {
        "operationId": "post_note",
        "requestBody": body(ref("Note")),
        "responses": answer(ref("Reply")),
        **marks,
    }
    paths = PATHS | {"/notes": {"post": post}}

    _, api = run(SCHEMAS, paths, METHODS, OVERRIDES)

    create, get = api.methods
    assert create.deprecated is deprecated
    assert get.deprecated is False


def test_operation_missing_from_operations_toml_without_a_tag_fails_generation() -> (
    None
):
    with pytest.raises(SpecError, match="get_reply: no tag"):
        run(SCHEMAS, PATHS, METHODS[:1], OVERRIDES)


def test_operation_missing_from_operations_toml_gets_the_default_entry() -> None:
    get: dict[str, Any] = PATHS["/replies/{reply_id}"]["get"]
    paths = {**PATHS, "/replies/{reply_id}": {"get": {**get, "tags": ["beta.replies"]}}}

    _, api = run(SCHEMAS, paths, METHODS[:1], OVERRIDES)

    assert [(m.namespace, m.name) for m in api.methods] == [
        (("notes",), "create"),
        (("beta", "replies"), "get"),
    ]


def test_a_partial_table_renames_the_default_entry_and_may_not_repeat_a_full_one() -> (
    None
):
    get: dict[str, Any] = PATHS["/replies/{reply_id}"]["get"]
    paths = {**PATHS, "/replies/{reply_id}": {"get": {**get, "tags": ["replies"]}}}
    partial = {"operation": "get_reply", "name": "fetch"}

    _, api = run(SCHEMAS, paths, [METHODS[0], partial], OVERRIDES)

    assert [(m.namespace, m.name) for m in api.methods][1] == (("replies",), "fetch")
    with pytest.raises(SpecError, match="full and a partial"):
        run(SCHEMAS, paths, [*METHODS, partial], OVERRIDES)


def test_schema_no_operation_uses_joins_the_domain_it_refers_to_or_unused() -> None:
    schemas = SCHEMAS | {
        "Orphan": {"type": "object", "properties": {"x": {"type": "string"}}},
        "NoteDraft": {"type": "object", "properties": {"note": ref("Note")}},
    }

    types, _ = run(schemas, PATHS, METHODS, OVERRIDES)
    assert types.types["Orphan"].module == "unused"
    assert types.types["NoteDraft"].module == "notes"

    types, _ = run(
        schemas, PATHS, METHODS, OVERRIDES | {"domains": {"Orphan": "notes"}}
    )
    assert types.types["Orphan"].module == "notes"


def test_inline_json_body_needs_a_model_name_from_overrides() -> None:
    inline = {
        "type": "object",
        "properties": {"q": {"type": "string"}},
        "required": ["q"],
    }
    paths = PATHS | {
        "/search": {
            "post": {
                "operationId": "search",
                "requestBody": body(inline),
                "responses": answer(ref("Reply")),
            }
        }
    }
    methods = [
        *METHODS,
        {"operation": "search", "namespace": "notes", "name": "search"},
    ]

    with pytest.raises(SpecError, match=r"\[bodies\]"):
        run(SCHEMAS, paths, methods, OVERRIDES)

    types, api = run(
        SCHEMAS, paths, methods, OVERRIDES | {"bodies": {"search": "SearchRequest"}}
    )
    assert api.methods[-1].body_model == "SearchRequest"
    assert [f.name for f in types.types["SearchRequest"].fields] == ["q"]
    assert types.types["SearchRequest"].module == "notes"

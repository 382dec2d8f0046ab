"""Which members of a request union the generated `OpenUnion` lets go without their tag."""

from __future__ import annotations

from typing import Any

import pytest

from tools.codegen import emit_types
from tools.codegen.analyse import Overrides, analyse_spec
from tools.codegen.spec import Spec


def _member(tag: str, field: str) -> dict[str, Any]:
    # As the API spec writes its members: the tag has a default, so not required.
    return {
        "type": "object",
        "properties": {
            "type": {"type": "string", "const": tag, "default": tag},
            field: {"type": "string"},
        },
        "required": [field],
    }


def _render(union: dict[str, Any]) -> str:
    schemas = {
        "Say": _member("say", "text"),
        "Wait": _member("wait", "seconds"),
        "Plan": {
            "type": "object",
            "properties": {"steps": {"type": "array", "items": union}},
        },
    }
    body = {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Plan"}}
        }
    }
    operation = {
        "operationId": "op",
        "tags": ["plans"],
        "requestBody": body,
        "responses": {"200": {"description": "ok", "content": {}}},
    }
    spec = Spec(
        {
            "paths": {"/v1/plans": {"post": operation}},
            "components": {"schemas": schemas},
        }
    )
    overrides = Overrides.parse({"unions": {"Step": {"members": ["Say", "Wait"]}}})
    types, _ = analyse_spec(spec, overrides, [])
    return emit_types.render(types)["src/mistral_sdk/types/plans.py"]


REFS = [{"$ref": "#/components/schemas/Say"}, {"$ref": "#/components/schemas/Wait"}]


def test_an_inferred_union_lets_members_with_a_default_tag_go_without_it() -> None:
    text = _render({"anyOf": REFS})

    assert 'OpenUnion("type", untagged=("say", "wait", ))' in text
    assert 'type: Literal["say"]\n' in text  # not Required in `SayParam`


@pytest.mark.parametrize("key", ["oneOf", "anyOf"])
def test_a_union_the_spec_routes_by_its_tag_needs_it(key: str) -> None:
    routed = {key: REFS, "discriminator": {"propertyName": "type"}}

    text = _render(routed)

    assert 'OpenUnion("type")' in text
    assert 'type: Required[Literal["say"]]' in text

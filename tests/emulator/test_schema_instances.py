"""The emulator's deterministic instances of JSON schemas (`json_schema` replies)."""

from __future__ import annotations

import enum
import json
from typing import Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from pydantic import BaseModel, Field

from mistral_sdk import Mistral
from mistral_sdk.helpers._structured_schema import response_format_for
from mistral_sdk.testing._schema_instances import schema_instance


class Kind(enum.Enum):
    CITY = "city"
    TOWN = "town"


class Street(BaseModel):
    name: str
    number: int = Field(ge=1, le=999)


class Place(BaseModel):
    """A place."""

    name: str
    kind: Kind
    size: Literal["big", "small"]
    rating: float = Field(gt=0, le=5)
    streets: list[Street]
    mayor: str | None
    parent: Place | None = None
    tags: dict[str, int] = {}


def valid(schema: dict[str, Any], value: object) -> None:
    Draft202012Validator(schema).validate(value)


def test_instance_of_a_pydantic_schema_validates_against_it() -> None:
    fmt = response_format_for(Place)
    schema: dict[str, Any] = dict(fmt["json_schema"]["schema"])  # type: ignore[index]

    value = schema_instance(schema, "Paris")

    valid(schema, value)
    assert Place.model_validate(value).name == "Paris"


def test_instance_follows_refs_enums_literals_and_required_fields() -> None:
    schema = Place.model_json_schema()

    value = schema_instance(schema, "Lyon")

    valid(schema, value)
    assert value["kind"] == "city"
    assert value["size"] == "big"
    assert value["streets"] == [{"name": "Lyon", "number": 1}]
    assert value["mayor"] == "Lyon"


def test_instance_is_deterministic() -> None:
    schema = Place.model_json_schema()

    assert schema_instance(schema, "x") == schema_instance(schema, "x")


def test_recursive_types_end() -> None:
    schema = {
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {
                    "value": {"type": "integer"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
                    "next": {"anyOf": [{"$ref": "#/$defs/Node"}, {"type": "null"}]},
                },
                "required": ["value", "children", "next"],
            }
        },
        "$ref": "#/$defs/Node",
    }

    value = schema_instance(schema)

    valid(schema, value)


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "integer", "minimum": 3}, 3),
        ({"type": "integer", "exclusiveMinimum": 3}, 4),
        ({"type": "integer", "maximum": -2}, -2),
        ({"type": "integer", "minimum": 5, "multipleOf": 4}, 8),
        ({"type": "number", "exclusiveMinimum": 0, "maximum": 1}, 1e-06),
        ({"type": "number"}, 0.0),
        ({"type": "boolean"}, False),
        ({"type": "null"}, None),
        ({"const": 7}, 7),
        ({"enum": ["b", "a"]}, "b"),
        ({"type": ["null", "string"]}, "hi"),
        ({"type": "string", "minLength": 4}, "hixx"),
        ({"type": "string", "maxLength": 1}, "h"),
        ({"type": "string", "format": "date-time"}, "2025-01-01T00:00:00Z"),
        ({"type": "string", "format": "uuid"}, "00000000-0000-4000-8000-000000000000"),
        ({"type": "array", "items": {"type": "integer"}, "minItems": 2}, [0, 0]),
        ({"type": "array", "maxItems": 0}, []),
        (
            {"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False},
            ["hi", 0],
        ),
        ({"type": "object", "additionalProperties": {"type": "integer"}}, {}),
        (
            {
                "type": "object",
                "additionalProperties": {"type": "integer"},
                "minProperties": 1,
            },
            {"key1": 0},
        ),
        (
            {
                "allOf": [
                    {"properties": {"a": {"type": "integer"}}},
                    {"properties": {"b": {"const": 1}}},
                ]
            },
            {"a": 0, "b": 1},
        ),
        ({"oneOf": [{"type": "null"}, {"type": "integer"}]}, 0),
    ],
)
def test_instance_of_simple_schemas(schema: dict[str, Any], expected: object) -> None:
    value = schema_instance(schema, "hi")

    assert value == expected
    valid(schema, value)


def test_instance_of_a_deep_optional_chain_stops_at_null() -> None:
    leaf: dict[str, Any] = {"type": "integer"}
    for _ in range(6):
        leaf = {
            "type": "object",
            "properties": {"inner": {"anyOf": [leaf, {"type": "null"}]}},
            "required": ["inner"],
        }

    value = schema_instance(leaf)

    valid(leaf, value)
    assert "None" in repr(value)


def test_unknown_ref_gives_a_string() -> None:
    assert schema_instance({"$ref": "#/$defs/Missing"}, "t") == "t"


# ---------------------------------------------------------------- through the API
def json_schema_format(schema: dict[str, Any]) -> Any:
    return {
        "type": "json_schema",
        "json_schema": {"name": "Place", "schema": schema, "strict": True},
    }


def test_chat_with_a_json_schema_format_answers_an_instance(client: Mistral) -> None:
    schema = Place.model_json_schema()

    reply = client.chat.complete(
        model="mistral-small-latest",
        messages=[{"role": "user", "content": "Nice"}],
        response_format=json_schema_format(schema),
    )

    content = reply.choices[0].message.content
    assert isinstance(content, str)
    assert json.loads(content) == schema_instance(schema, "Nice")


def test_chat_stream_with_a_json_schema_format_streams_the_instance(
    client: Mistral,
) -> None:
    schema = Place.model_json_schema()

    with client.chat.stream(
        model="mistral-small-latest",
        messages=[{"role": "user", "content": "Nice"}],
        response_format=json_schema_format(schema),
    ) as stream:
        pieces = [chunk.choices[0].delta.content for chunk in stream if chunk.choices]

    text = "".join(p for p in pieces if isinstance(p, str))
    assert len([p for p in pieces if p]) > 1
    assert json.loads(text) == schema_instance(schema, "Nice")


# ---------------------------------------------------------------- any schema
_LEAVES = st.sampled_from(
    [
        {"type": "string"},
        {"type": "string", "minLength": 3, "maxLength": 5},
        {"type": "string", "format": "date"},
        {"type": "integer", "minimum": -5, "maximum": 5},
        {"type": "integer", "exclusiveMinimum": 10, "multipleOf": 3},
        {"type": "number", "exclusiveMaximum": -1},
        {"type": "boolean"},
        {"type": "null"},
        {"enum": ["a", "b"]},
        {"const": 3},
    ]
)


def _composite(
    children: st.SearchStrategy[dict[str, Any]],
) -> st.SearchStrategy[dict[str, Any]]:
    names = st.sampled_from(["a", "b", "c", "default", "type"])
    return st.one_of(
        st.dictionaries(names, children, max_size=3).map(
            lambda props: {
                "type": "object",
                "properties": props,
                "required": list(props),
                "additionalProperties": False,
            }
        ),
        st.tuples(children, st.integers(0, 2)).map(
            lambda t: {"type": "array", "items": t[0], "minItems": t[1]}
        ),
        st.lists(children, min_size=1, max_size=3).map(
            lambda options: {"anyOf": options}
        ),
        children.map(lambda c: {"anyOf": [c, {"type": "null"}]}),
    )


SCHEMAS = st.recursive(_LEAVES, _composite, max_leaves=12)


@given(schema=SCHEMAS, text=st.text(max_size=5))
def test_any_generated_schema_gets_a_valid_instance(
    schema: dict[str, Any], text: str
) -> None:
    wrapped = {
        "$defs": {"Inner": schema},
        "type": "object",
        "properties": {"x": {"$ref": "#/$defs/Inner"}},
    }

    value = schema_instance(wrapped, text)

    valid(wrapped, value)

"""The strict `json_schema` response format built from a Python type."""

from __future__ import annotations

import dataclasses
import enum
import json
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from mistral_sdk.helpers._structured_schema import (
    response_format_for,
    strict_schema,
    type_name,
)


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Address(BaseModel):
    """Where someone lives."""

    street: str
    zip_code: int | None = None


class Person(BaseModel):
    """A person."""

    name: str
    age: int = 30
    colour: Colour
    kind: Literal["friend", "foe"]
    home: Annotated[Address, Field(description="Main home")]
    others: list[Address] = []
    tags: dict[str, int] = {}
    parent: Person | None = None


class Point(TypedDict):
    x: int
    y: int


@dataclasses.dataclass
class Box:
    corners: list[Point]
    label: str = "box"


def format_of(tp: type[Any]) -> dict[str, Any]:
    # Through JSON: what is sent, as plain data.
    fmt: dict[str, Any] = json.loads(json.dumps(response_format_for(tp)))
    return fmt


def schema_of(tp: type[Any]) -> dict[str, Any]:
    schema: dict[str, Any] = format_of(tp)["json_schema"]["schema"]
    return schema


def walk(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found += walk(value)
    elif isinstance(node, list):
        for value in node:
            found += walk(value)
    return found


def test_response_format_is_a_strict_json_schema_named_after_the_type() -> None:
    fmt = format_of(Person)

    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "Person"
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["type"] == "object"


def test_every_property_is_required_and_no_extra_is_allowed() -> None:
    schema = schema_of(Person)

    assert schema["required"] == list(schema["properties"])
    assert schema["additionalProperties"] is False
    address = schema["$defs"]["Address"]
    assert address["required"] == ["street", "zip_code"]
    assert address["additionalProperties"] is False


def test_optional_fields_stay_nullable_and_defaults_are_dropped() -> None:
    schema = schema_of(Person)

    age = schema["properties"]["age"]
    assert age == {"title": "Age", "type": "integer"}
    zip_code = schema["$defs"]["Address"]["properties"]["zip_code"]
    assert {"type": "null"} in zip_code["anyOf"]
    assert not [n for n in walk(schema) if "default" in n]


def test_maps_keep_their_value_schema() -> None:
    tags = schema_of(Person)["properties"]["tags"]

    assert tags["additionalProperties"] == {"type": "integer"}
    assert "required" not in tags


def test_ref_with_a_description_is_inlined_and_recursion_keeps_its_ref() -> None:
    schema = schema_of(Person)

    home = schema["properties"]["home"]
    assert "$ref" not in home
    assert home["description"] == "Main home"
    assert home["properties"]["street"] == {"title": "Street", "type": "string"}
    parent = schema["properties"]["parent"]
    assert {"$ref": "#/$defs/Person"} in parent["anyOf"]
    assert "Person" in schema["$defs"]


def test_enums_and_literals_keep_their_values() -> None:
    schema = schema_of(Person)

    assert schema["$defs"]["Colour"]["enum"] == ["red", "blue"]
    assert schema["properties"]["kind"]["enum"] == ["friend", "foe"]


def test_dataclass_and_typed_dict_build_strict_schemas() -> None:
    schema = schema_of(Box)

    assert schema["required"] == ["corners", "label"]
    point = schema["$defs"]["Point"]
    assert point["required"] == ["x", "y"]
    assert point["additionalProperties"] is False
    assert format_of(Point)["json_schema"]["name"] == "Point"


def test_strict_schema_drops_keywords_strict_decoders_refuse() -> None:
    schema = {
        "type": "object",
        "properties": {
            "pet": {
                "oneOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}],
                "discriminator": {"propertyName": "kind"},
            },
            "default": {"type": "string", "examples": ["a"], "deprecated": True},
        },
        "$defs": {
            "Cat": {"type": "object", "properties": {"kind": {"const": "cat"}}},
            "Dog": {
                "allOf": [{"type": "object", "properties": {"kind": {"const": "dog"}}}]
            },
        },
    }

    strict = strict_schema(schema)

    pet = strict["properties"]["pet"]
    assert pet == {"anyOf": [{"$ref": "#/$defs/Cat"}, {"$ref": "#/$defs/Dog"}]}
    # A property *named* like a dropped keyword stays.
    assert strict["properties"]["default"] == {"type": "string"}
    assert strict["$defs"]["Dog"]["properties"] == {"kind": {"const": "dog"}}
    assert strict["$defs"]["Dog"]["additionalProperties"] is False


def test_strict_schema_leaves_the_input_unchanged() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "integer", "default": 1}}}

    strict_schema(schema)

    assert schema == {
        "type": "object",
        "properties": {"a": {"type": "integer", "default": 1}},
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("City", "City"),
        ("Page[City]", "Page_City"),
        ("x" * 80, "x" * 64),
        ("é", "output"),
    ],
)
def test_type_name_keeps_the_characters_the_api_accepts(
    name: str, expected: str
) -> None:
    tp = type(name, (), {})

    assert type_name(tp) == expected


def test_a_type_whose_values_are_not_objects_is_refused() -> None:
    with pytest.raises(TypeError, match="pydantic model, dataclass or TypedDict"):
        response_format_for(int)

"""What the generator learnt for the latest spec, on tiny inline specs.

YAML 1.2 floats, class names for generic and module-qualified schema names, unions named
by a subset of their members, default method entries (names, kinds, paging), header
parameters, inline event-stream envelopes, list-of-model defaults, renamed types and
per-sub-area modules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tools.codegen import emit_resources, emit_types
from tools.codegen.analyse import Overrides, analyse_spec
from tools.codegen.ir import Api, Named, TypeSet
from tools.codegen.naming import default_entry
from tools.codegen.spec import Spec, SpecError, load_yaml, python_names


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def tagged(tag: str, **props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"type": {"type": "string", "const": tag}, **props},
        "required": ["type"],
    }


def ok(schema: dict[str, Any], media: str = "application/json") -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {media: {"schema": schema}}}}


def param(name: str, where: str = "query", **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema or {"type": "string"},
    }


def run(
    schemas: dict[str, Any],
    paths: dict[str, Any],
    methods: list[dict[str, Any]] | None = None,
    overrides: dict[str, Any] | None = None,
) -> tuple[TypeSet, Api]:
    spec = Spec({"paths": paths, "components": {"schemas": schemas}})
    return analyse_spec(spec, Overrides.parse(overrides or {}), methods or [])


def test_yaml_numbers_with_an_exponent_are_floats(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("a: 1e-08\nb: 1e+09\nc: 1.5E3\nd: 'e5'\ne: 12\n")

    assert load_yaml(path) == {"a": 1e-08, "b": 1e09, "c": 1500.0, "d": "e5", "e": 12}


def test_spec_names_that_are_not_class_names_get_one() -> None:
    names = [
        "PaginatedResult_JudgePreview_",
        "Tool",
        "integrations__schemas__api__tool__Tool",
        "integrations__schemas__turbine__ToolLocale",
        "Fine",
    ]

    assert python_names(names, {}) == {
        "PaginatedResult_JudgePreview_": "PaginatedResultJudgePreview",
        "integrations__schemas__api__tool__Tool": "IntegrationsTool",
        "integrations__schemas__turbine__ToolLocale": "ToolLocale",
    }
    assert python_names(names, {"Fine": "Better"})["Fine"] == "Better"
    with pytest.raises(SpecError, match="clashes"):
        python_names(["A_B", "AB"], {})
    with pytest.raises(SpecError, match="match no schema"):
        python_names(names, {"Gone": "X"})


SCHEMAS = {
    "Text": tagged("text", text={"type": "string"}),
    "Image": tagged("image", url={"type": "string"}),
    "Audio": tagged("audio", data={"type": "string"}),
    "Reply": {
        "type": "object",
        "properties": {
            "parts": {
                "type": "array",
                "items": {"anyOf": [ref("Audio"), ref("Image"), ref("Text")]},
            }
        },
    },
}
PART = {"unions": {"Part": {"members": ["Text", "Image", "Audio"]}}}
LISTING = {
    "type": "object",
    "properties": {
        "items": {"type": "array", "items": {"type": "string"}},
        "next_cursor": {"type": "string"},
    },
}

REPLY = {
    "/reply": {
        "get": {
            "operationId": "reply",
            "tags": ["notes"],
            "responses": ok(ref("Reply")),
        }
    }
}


def test_a_union_keeps_its_name_when_the_spec_adds_a_member() -> None:
    overrides = {"unions": {"Part": {"members": ["Text", "Image"]}}}

    types, _ = run(SCHEMAS, REPLY, overrides=overrides)

    part = types.types["Part"]
    assert [m.name for m in part.members] == ["Text", "Image", "Audio"]  # type: ignore[union-attr]
    assert part.unknown == "UnknownPart"


def test_two_entries_fitting_one_union_equally_fail() -> None:
    overrides = {
        "unions": {
            "A": {"members": ["Text", "Image"]},
            "B": {"members": ["Text", "Audio"]},
        }
    }

    with pytest.raises(SpecError, match="several"):
        run(SCHEMAS, REPLY, overrides=overrides)


def _op(**extra: Any) -> dict[str, Any]:
    return {"operationId": "op", "tags": ["beta.voices"], "responses": ok({}), **extra}


@pytest.mark.parametrize(
    ("route", "http", "name"),
    [
        ("/v1/voices", "post", "create"),
        ("/v1/voices/{voice_id}", "get", "get"),
        ("/v1/voices/{voice_id}", "patch", "update"),
        ("/v1/voices/{voice_id}", "delete", "delete"),
        ("/v1/voices/{voice_id}/cancel", "post", "cancel"),
        ("/v1/voices/{voice_id}/trace/otel", "get", "get_trace_otel"),
        ("/v1/voices/{voice_id}/payload", "put", "update_payload"),
        ("/v1/voices/bulk-delete", "post", "bulk_delete"),
    ],
)
def test_default_names_follow_the_verb_and_route(
    route: str, http: str, name: str
) -> None:
    entry = default_entry(Spec({}), route, http, _op())

    assert entry == {"operation": "op", "namespace": "beta.voices", "name": name}


def test_default_kinds_streams_downloads_and_pages() -> None:
    spec = Spec({"components": {"schemas": {"Listing": LISTING}}})
    events = _op(responses=ok({"type": "object"}, "text/event-stream"))
    wav = _op(responses=ok({"type": "string", "format": "binary"}, "audio/wav"))
    cursor = _op(
        parameters=[param("cursor"), param("limit")], responses=ok(ref("Listing"))
    )
    offset = _op(
        parameters=[param("offset"), param("limit")], responses=ok(ref("Listing"))
    )

    assert (
        default_entry(spec, "/v1/voices/{id}/stream", "get", events)["kind"] == "stream"
    )
    assert (
        default_entry(spec, "/v1/voices/{id}/sample", "get", wav)["kind"] == "download"
    )
    page = default_entry(spec, "/v1/voices", "get", cursor)
    assert (page["name"], page["kind"], page["items"]) == ("list", "page", "items")

    paths = {
        "/v1/voices": {"get": cursor},
        "/v1/other": {"get": {**offset, "operationId": "other"}},
    }
    _, api = run({"Listing": LISTING}, paths)
    assert [dict(m.paging) for m in api.methods] == [
        {
            "style": "cursor",
            "param": "cursor",
            "size_param": "limit",
            "next_field": "next_cursor",
        },
        {"style": "offset", "param": "offset", "size_param": "limit"},
    ]
    rendered = emit_resources.render(api)["src/mistral_sdk/resources/beta/voices.py"]
    assert 'paging=Paging(style="cursor", param="cursor"' in rendered


def test_a_header_parameter_is_a_keyword_sent_as_a_header() -> None:
    stream = _op(
        parameters=[param("last-event-id", "header")],
        responses=ok(
            {
                "type": "object",
                "properties": {"event": {"type": "string"}, "data": ref("Text")},
            },
            "text/event-stream",
        ),
    )

    _, api = run(SCHEMAS, {"/v1/voices/events": {"get": stream}}, overrides=PART)

    [method] = api.methods
    assert (method.kind, method.response) == ("stream", "Text")
    assert [(p.name, p.wire_name) for p in method.headers] == [
        ("last_event_id", "last-event-id")
    ]
    rendered = emit_resources.render(api)["src/mistral_sdk/resources/beta/voices.py"]
    assert 'options=with_headers(options, {"last-event-id": last_event_id})' in rendered
    assert "last_event_id: str | NotGiven = NOT_GIVEN," in rendered


def test_a_default_list_of_objects_is_a_list_of_models() -> None:
    schemas = {
        "Range": {"type": "object", "properties": {"start": {"type": "integer"}}},
        "Calendar": {
            "type": "object",
            "properties": {
                "hours": {
                    "type": "array",
                    "items": ref("Range"),
                    "default": [{"start": 9}],
                }
            },
        },
    }
    paths = {"/c": {"get": {**_op(), "responses": ok(ref("Calendar"))}}}

    types, _ = run(schemas, paths)

    text = emit_types.render(types)["src/mistral_sdk/types/voices.py"]
    assert 'default_factory=lambda: [Range.model_validate({"start": 9})]' in text


def test_a_renamed_type_stays_an_alias_of_its_successor() -> None:
    types, _ = run(SCHEMAS, REPLY, overrides=PART | {"renamed": {"OldText": "Text"}})

    old = types.types["OldText"]
    assert (old.kind, old.module) == ("alias", types.types["Text"].module)
    assert old.target == Named("Text")
    assert "Deprecated" in old.doc
    init = emit_types.render(types)["src/mistral_sdk/types/__init__.py"]
    assert '_RENAMED = {"OldText": "Text"}' in init
    with pytest.raises(SpecError, match="Gone"):
        run(SCHEMAS, REPLY, overrides=PART | {"renamed": {"OldText": "Gone"}})


def test_a_split_area_gets_a_module_per_sub_namespace() -> None:
    schemas = {
        "Run": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Schedule": {"type": "object", "properties": {"cron": {"type": "string"}}},
        "Shared": {"type": "object", "properties": {"id": {"type": "string"}}},
        "RunPage": {
            "type": "object",
            "properties": {"run": ref("Run"), "s": ref("Shared")},
        },
        "ScheduleOut": {
            "type": "object",
            "properties": {"s": ref("Schedule"), "x": ref("Shared")},
        },
    }
    paths = {
        "/v1/flows/runs": {
            "get": {
                "operationId": "runs",
                "tags": ["beta.flows.runs"],
                "responses": ok(ref("RunPage")),
            }
        },
        "/v1/flows/schedules": {
            "get": {
                "operationId": "schedules",
                "tags": ["beta.flows.schedules"],
                "responses": ok(ref("ScheduleOut")),
            }
        },
    }

    types, _ = run(schemas, paths, overrides={"modules": {"flows": {"split": True}}})

    modules = {name: t.module for name, t in types.types.items()}
    assert modules == {
        "Run": "flows_runs",
        "RunPage": "flows_runs",
        "Schedule": "flows_schedules",
        "ScheduleOut": "flows_schedules",
        "Shared": "flows",
    }

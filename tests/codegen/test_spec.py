"""The real spec: every operation mapped, every schema emitted, output deterministic."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from tools.codegen import emit_types
from tools.codegen.analyse import analyse
from tools.codegen.ir import Api, TypeSet
from tools.codegen.spec import Spec, load_toml, load_yaml, python_names

ROOT = Path(__file__).resolve().parents[2]


@cache
def real() -> tuple[TypeSet, Api]:
    return analyse(ROOT)


def test_every_spec_operation_has_a_method() -> None:
    spec = Spec.load(ROOT / "docs/openapi.yaml")
    _, api = real()

    assert len(spec.operation_ids()) == 154
    assert {m.operation_id for m in api.methods} == set(spec.operation_ids())


def test_api_lists_full_entries_first_then_every_other_operation_in_spec_order() -> (
    None
):
    entries = load_toml(ROOT / "tools/codegen/operations.toml")["method"]
    full = [e for e in entries if "namespace" in e]
    renamed = {e["operation"]: e["name"] for e in entries if "namespace" not in e}
    spec = Spec.load(ROOT / "docs/openapi.yaml")

    _, api = real()

    head, rest = api.methods[: len(full)], api.methods[len(full) :]
    assert [(m.operation_id, ".".join(m.namespace), m.name) for m in head] == [
        (e["operation"], e["namespace"], e["name"]) for e in full
    ]
    listed = {e["operation"] for e in full}
    assert [m.operation_id for m in rest] == [
        op for op in spec.operation_ids() if op not in listed
    ]
    assert {m.operation_id: m.name for m in rest if m.operation_id in renamed} == (
        renamed
    )


def test_all_447_schemas_are_emitted_under_python_class_names() -> None:
    spec = Spec.load(ROOT / "docs/openapi.yaml")
    renames = python_names(
        list(spec.schemas),
        load_toml(ROOT / "tools/codegen/overrides.toml").get("names", {}),
    )
    types, _ = real()
    files = emit_types.render(types)
    defined = set()
    for text in files.values():
        defined |= set(re.findall(r"^class (\w+)\(", text, re.M))
        defined |= set(re.findall(r"^(\w+): TypeAlias = ", text, re.M))

    assert len(spec.schemas) == 447
    assert {renames.get(n, n) for n in spec.schemas} <= defined
    assert "PaginatedResultJudgePreview" in defined
    assert not [n for n in defined if "_" in n]


def test_type_module_of_names_every_export_of_every_module() -> None:
    types, api = real()
    files = emit_types.render(types)

    for path, text in files.items():
        module = Path(path).stem
        if module == "__init__":
            continue
        exports = re.search(r"__all__ = \[(.*?)\]", text, re.S)
        assert exports is not None
        for name in re.findall(r'"(\w+)"', exports.group(1)):
            assert api.type_module_of[name] == module


def test_api_unknown_members_have_the_names_api_md_fixes() -> None:
    types, _ = real()

    unknown = {t.unknown for t in types.types.values() if t.kind == "union"}
    assert {
        "UnknownContentChunk",
        "UnknownMessage",
        "UnknownEntry",
        "UnknownEvent",
        "UnknownAgentTool",
    } <= unknown
    assert (
        types.types["OutputEntry"].unknown
        == types.types["Entry"].unknown
        == "UnknownEntry"
    )


def test_stream_methods_yield_the_event_types() -> None:
    _, api = real()
    events = {
        f"{'.'.join(m.namespace)}.{m.name}": m.response
        for m in api.methods
        if m.kind == "stream"
    }

    assert events["chat.stream"] == "CompletionChunk"
    assert events["fim.stream"] == "CompletionChunk"
    assert events["agents.stream"] == "CompletionChunk"
    assert events["beta.conversations.start_stream"] == "ConversationEvent"
    assert events["audio.transcriptions.stream"] == "TranscriptionStreamEvent"
    assert events["audio.speech.stream"] == "SpeechStreamEvent"
    assert events["beta.workflows.executions.stream"] == "StreamEventSsePayload"
    assert events["beta.workflows.events.stream"] == "StreamEventSsePayload"
    assert len(events) == 10


def test_page_methods_know_their_item_type() -> None:
    _, api = real()
    pages = {
        f"{'.'.join(m.namespace)}.{m.name}": (m.item, m.items_path)
        for m in api.methods
        if m.kind == "page"
    }

    assert pages["files.list"] == ("FileSchema", "data")
    assert pages["beta.conversations.list"] == ("Conversation", "")
    assert pages["beta.agents.list"] == ("Agent", "")
    assert pages["audio.voices.list"] == ("VoiceResponse", "items")
    assert pages["beta.observability.judges.list"] == ("JudgePreview", "judges.results")


def test_every_list_with_a_paging_parameter_pages_in_its_own_style() -> None:
    _, api = real()
    paging = {
        f"{'.'.join(m.namespace)}.{m.name}": dict(m.paging)
        for m in api.methods
        if m.kind == "page"
    }

    assert paging["files.list"] == {}
    assert paging["audio.voices.list"] == {
        "style": "offset",
        "param": "offset",
        "size_param": "limit",
    }
    assert paging["beta.observability.chat_completion_events.search"] == {
        "style": "cursor",
        "param": "cursor",
        "size_param": "page_size",
        "next_field": "completion_events.cursor",
    }
    assert paging["beta.workflows.runs.list"] == {
        "style": "cursor",
        "param": "next_page_token",
        "size_param": "page_size",
        "next_field": "next_page_token",
    }
    assert paging["beta.workflows.events.list"]["next_field"] == "next_cursor"
    assert paging["beta.workflows.list_registrations"]["param"] == "cursor"
    # Observability's page-number lists count from 1 and report the whole count.
    assert paging["beta.observability.judges.list"] == {
        "first": 1,
        "next_field": "judges.next",
        "total_field": "judges.count",
    }
    latest = [
        k
        for k in paging
        if k.startswith(("audio.voices", "beta.obs", "beta.wor"))
        and paging[k].get("style") != "single"
    ]
    assert len(latest) == 11


def test_every_list_method_is_a_page_a_single_one_without_paging_parameters() -> None:
    _, api = real()
    by_name = {f"{'.'.join(m.namespace)}.{m.name}": m for m in api.methods}
    listing = {n: m for n, m in by_name.items() if re.fullmatch(r"list(_\w+)?", m.name)}

    assert {n for n, m in listing.items() if m.kind != "page"} == set()
    single = {
        n: (m.item, m.items_path)
        for n, m in listing.items()
        if m.paging == {"style": "single"}
    }
    assert single == {
        "models.list": ("ModelCard", "data"),
        "beta.agents.list_version_aliases": ("AgentAliasResponse", ""),
        "beta.libraries.list": ("LibraryOut", "data"),
        "beta.libraries.accesses.list": ("SharingOut", "data"),
        "beta.observability.chat_completion_events.fields.list": (
            "BaseFieldDefinition",
            "field_definitions",
        ),
        "beta.workflows.deployments.list": ("DeploymentResponse", "deployments"),
        "beta.workflows.schedules.list": ("ScheduleDefinitionOutput", "schedules"),
    }


def test_json_encoded_query_params_and_file_fields_are_flagged() -> None:
    _, api = real()
    by_id = {(m.operation_id, m.name): m for m in api.methods}

    listing = by_id["agents_api_v1_conversations_list", "list"]
    assert [p.name for p in listing.query_params if p.json_encoded] == ["metadata"]
    upload = by_id["files_api_routes_upload_file", "upload"]
    assert [(p.name, p.annotation) for p in upload.body_params if p.is_file] == [
        ("file", "FileInput")
    ]
    audio = by_id["audio_api_v1_transcriptions_post", "complete"]
    assert [(p.name, p.annotation) for p in audio.body_params if p.is_file] == [
        ("file", "FileInput | None")
    ]
    assert audio.body_model is None
    assert "stream" not in [p.name for p in audio.body_params]


def test_fine_tuning_jobs_are_deprecated_through_their_tag() -> None:
    _, api = real()

    jobs = [m for m in api.methods if m.namespace == ("fine_tuning", "jobs")]

    assert sorted(m.name for m in jobs) == [
        "cancel",
        "create",
        "get",
        "list",
        "start",
    ]
    assert all(m.deprecated for m in jobs)


def test_rendering_is_deterministic() -> None:
    first = emit_types.render(analyse(ROOT)[0])
    second = emit_types.render(analyse(ROOT)[0])

    assert first == second


def _spec_discriminators() -> list[tuple[str, str, dict[str, str]]]:
    # (where, tag property, tag -> schema name) for every `discriminator` in the spec.
    found: list[tuple[str, str, dict[str, str]]] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            disc = node.get("discriminator")
            if isinstance(disc, dict):
                mapping = {
                    str(tag): str(ref).rsplit("/", 1)[-1]
                    for tag, ref in disc.get("mapping", {}).items()
                }
                found.append((where, str(disc["propertyName"]), mapping))
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(load_yaml(ROOT / "docs/openapi.yaml"), "")
    return found


def test_every_spec_discriminator_is_an_open_union_with_an_unknown_member() -> None:
    from typing import Annotated, get_args, get_origin

    from mistral_sdk import types
    from mistral_sdk._model_base import OpenUnion, UnknownModel

    generated: set[tuple[str, frozenset[tuple[str, str]]]] = set()
    for name in types.__all__:
        value = getattr(types, name)
        if get_origin(value) is not Annotated:
            continue
        union, *markers = get_args(value)
        for marker in markers:
            if isinstance(marker, OpenUnion):
                known, unknown = marker.members(union)
                assert issubclass(unknown, UnknownModel)
                pairs = frozenset((tag, m.__name__) for tag, m in known.items())
                generated.add((marker.prop, pairs))

    discriminators = _spec_discriminators()

    assert len(discriminators) == 38
    missing = [
        where
        for where, prop, mapping in discriminators
        if (prop, frozenset(mapping.items())) not in generated
    ]
    assert missing == []


def test_renamed_types_stay_importable_as_warning_aliases_of_their_successors() -> None:
    import pytest

    from mistral_sdk import types

    with pytest.warns(DeprecationWarning, match="renamed it ThinkChunk"):
        old = types.ConversationThinkChunk
    with pytest.warns(DeprecationWarning, match="ModerationLLMAction"):
        action = types.ModerationLLMV1Action

    assert old is types.ThinkChunk
    assert action == types.ModerationLLMAction
    assert "ConversationThinkChunk" not in types.__all__
    # Type checkers treat a library's names outside `__all__` as private: the aliases
    # are added to it for them (pyright reports reportPrivateImportUsage otherwise).
    init = (ROOT / "src/mistral_sdk/types/__init__.py").read_text()
    exported = init.split("if TYPE_CHECKING:\n    __all__ += [", 1)[1].split("]", 1)[0]
    assert '"ConversationThinkChunk"' in exported
    assert '"ModerationLLMV1Action"' in exported


def test_no_generated_types_module_passes_a_thousand_lines() -> None:
    # The split areas and [parts] keep each module readable (STYLE.md 7.3).
    sizes = {
        path.name: len(path.read_text().splitlines())
        for path in (ROOT / "src/mistral_sdk/types").glob("*.py")
    }

    assert {name: n for name, n in sizes.items() if n > 1000} == {}

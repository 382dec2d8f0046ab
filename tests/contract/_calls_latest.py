"""Calls of the operations the latest spec added (audio speech and voices, workflows,
observability), for both clients.

Names are fixed here by hand (namespace, method, kind), so a change in the generator's
naming fails the contract tests. Arguments come from the spec: every path parameter,
every required query parameter and body field, with values built from their schemas
(`sample`); `REALISTIC` replaces them with what a user would send where it matters
(text to speak, a workflow input, a search filter).
"""

from __future__ import annotations

import io
import wave
from collections.abc import Mapping
from typing import Any

from . import _spec
from ._calls import Call, Kind

UUID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
DATE_TIME = "2025-05-14T09:30:00Z"


def wav_bytes() -> bytes:
    """A short silent WAV file that a WAV reader opens (16-bit mono, 8 kHz)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


# (namespace, method, operationId, kind): one row per method of the latest spec's areas.
TABLE: tuple[tuple[str, str, str, Kind], ...] = (
    ("audio.speech", "complete", "speech_v1_audio_speech_post", "json"),
    ("audio.speech", "stream", "speech_v1_audio_speech_post", "stream"),
    ("audio.voices", "list", "list_voices_v1_audio_voices_get", "page"),
    ("audio.voices", "create", "create_voice_v1_audio_voices_post", "json"),
    ("audio.voices", "get", "get_voice_v1_audio_voices__voice_id__get", "json"),
    ("audio.voices", "update", "update_voice_v1_audio_voices__voice_id__patch", "json"),
    (
        "audio.voices",
        "delete",
        "delete_voice_v1_audio_voices__voice_id__delete",
        "json",
    ),
    (
        "audio.voices",
        "get_sample_audio",
        "get_voice_sample_audio_v1_audio_voices__voice_id__sample_get",
        "download",
    ),
    (
        "beta.observability.chat_completion_events",
        "search",
        "get_chat_completion_events_v1_observability_chat_completion_events_search_post",
        "page",
    ),
    (
        "beta.observability.chat_completion_events",
        "search_ids",
        "get_chat_completion_event_ids_v1_observability_chat_completion_events_search_ids_post",
        "json",
    ),
    (
        "beta.observability.chat_completion_events",
        "get",
        "get_chat_completion_event_v1_observability_chat_completion_events__event_id__get",
        "json",
    ),
    (
        "beta.observability.chat_completion_events",
        "get_similar_events",
        "get_similar_chat_completion_events_v1_observability_chat_completion_events__event_id__similar_events_get",
        "json",
    ),
    (
        "beta.observability.chat_completion_events",
        "judge",
        "judge_chat_completion_event_v1_observability_chat_completion_events__event_id__live_judging_post",
        "json",
    ),
    (
        "beta.observability.chat_completion_events.fields",
        "list",
        "get_chat_completion_fields_v1_observability_chat_completion_fields_get",
        "page",
    ),
    (
        "beta.observability.chat_completion_events.fields",
        "get_options",
        "get_chat_completion_field_options_v1_observability_chat_completion_fields__field_name__options_get",
        "json",
    ),
    (
        "beta.observability.chat_completion_events.fields",
        "get_option_counts",
        "get_chat_completion_field_options_counts_v1_observability_chat_completion_fields__field_name__options_counts_post",
        "json",
    ),
    (
        "beta.observability.judges",
        "create",
        "create_judge_v1_observability_judges_post",
        "json",
    ),
    (
        "beta.observability.judges",
        "list",
        "get_judges_v1_observability_judges_get",
        "page",
    ),
    (
        "beta.observability.judges",
        "get",
        "get_judge_by_id_v1_observability_judges__judge_id__get",
        "json",
    ),
    (
        "beta.observability.judges",
        "delete",
        "delete_judge_v1_observability_judges__judge_id__delete",
        "json",
    ),
    (
        "beta.observability.judges",
        "update",
        "update_judge_v1_observability_judges__judge_id__put",
        "json",
    ),
    (
        "beta.observability.judges",
        "judge_conversation",
        "judge_conversation_v1_observability_judges__judge_id__live_judging_post",
        "json",
    ),
    (
        "beta.observability.campaigns",
        "create",
        "create_campaign_v1_observability_campaigns_post",
        "json",
    ),
    (
        "beta.observability.campaigns",
        "list",
        "get_campaigns_v1_observability_campaigns_get",
        "page",
    ),
    (
        "beta.observability.campaigns",
        "get",
        "get_campaign_by_id_v1_observability_campaigns__campaign_id__get",
        "json",
    ),
    (
        "beta.observability.campaigns",
        "delete",
        "delete_campaign_v1_observability_campaigns__campaign_id__delete",
        "json",
    ),
    (
        "beta.observability.campaigns",
        "get_status",
        "get_campaign_status_by_id_v1_observability_campaigns__campaign_id__status_get",
        "json",
    ),
    (
        "beta.observability.campaigns",
        "list_events",
        "get_campaign_selected_events_v1_observability_campaigns__campaign_id__selected_events_get",
        "page",
    ),
    (
        "beta.observability.datasets",
        "create",
        "create_dataset_v1_observability_datasets_post",
        "json",
    ),
    (
        "beta.observability.datasets",
        "list",
        "get_datasets_v1_observability_datasets_get",
        "page",
    ),
    (
        "beta.observability.datasets",
        "get",
        "get_dataset_by_id_v1_observability_datasets__dataset_id__get",
        "json",
    ),
    (
        "beta.observability.datasets",
        "delete",
        "delete_dataset_v1_observability_datasets__dataset_id__delete",
        "json",
    ),
    (
        "beta.observability.datasets",
        "update",
        "update_dataset_v1_observability_datasets__dataset_id__patch",
        "json",
    ),
    (
        "beta.observability.datasets",
        "list_records",
        "get_dataset_records_v1_observability_datasets__dataset_id__records_get",
        "page",
    ),
    (
        "beta.observability.datasets",
        "create_record",
        "create_dataset_record_v1_observability_datasets__dataset_id__records_post",
        "json",
    ),
    (
        "beta.observability.datasets",
        "import_from_campaign",
        "post_dataset_records_from_campaign_v1_observability_datasets__dataset_id__imports_from_campaign_post",
        "json",
    ),
    (
        "beta.observability.datasets",
        "import_from_explorer",
        "post_dataset_records_from_explorer_v1_observability_datasets__dataset_id__imports_from_explorer_post",
        "json",
    ),
    (
        "beta.observability.datasets",
        "import_from_file",
        "post_dataset_records_from_file_v1_observability_datasets__dataset_id__imports_from_file_post",
        "json",
    ),
    (
        "beta.observability.datasets",
        "import_from_playground",
        "post_dataset_records_from_playground_v1_observability_datasets__dataset_id__imports_from_playground_post",
        "json",
    ),
    (
        "beta.observability.datasets",
        "import_from_dataset_records",
        "post_dataset_records_from_dataset_v1_observability_datasets__dataset_id__imports_from_dataset_post",
        "json",
    ),
    (
        "beta.observability.datasets",
        "export_to_jsonl",
        "export_dataset_to_jsonl_v1_observability_datasets__dataset_id__exports_to_jsonl_get",
        "json",
    ),
    (
        "beta.observability.datasets",
        "get_task",
        "get_dataset_import_task_v1_observability_datasets__dataset_id__tasks__task_id__get",
        "json",
    ),
    (
        "beta.observability.datasets",
        "list_tasks",
        "get_dataset_import_tasks_v1_observability_datasets__dataset_id__tasks_get",
        "page",
    ),
    (
        "beta.observability.datasets.records",
        "get",
        "get_dataset_record_v1_observability_dataset_records__dataset_record_id__get",
        "json",
    ),
    (
        "beta.observability.datasets.records",
        "delete",
        "delete_dataset_record_v1_observability_dataset_records__dataset_record_id__delete",
        "json",
    ),
    (
        "beta.observability.datasets.records",
        "bulk_delete",
        "delete_dataset_records_v1_observability_dataset_records_bulk_delete_post",
        "json",
    ),
    (
        "beta.observability.datasets.records",
        "judge",
        "judge_dataset_record_v1_observability_dataset_records__dataset_record_id__live_judging_post",
        "json",
    ),
    (
        "beta.observability.datasets.records",
        "update_payload",
        "update_dataset_record_payload_v1_observability_dataset_records__dataset_record_id__payload_put",
        "json",
    ),
    (
        "beta.observability.datasets.records",
        "update_properties",
        "update_dataset_record_properties_v1_observability_dataset_records__dataset_record_id__properties_put",
        "json",
    ),
    (
        "beta.workflows.executions",
        "get",
        "get_workflow_execution_v1_workflows_executions__execution_id__get",
        "json",
    ),
    (
        "beta.workflows.executions",
        "get_history",
        "get_workflow_execution_history_v1_workflows_executions__execution_id__history_get",
        "json",
    ),
    (
        "beta.workflows.executions",
        "signal",
        "signal_workflow_execution_v1_workflows_executions__execution_id__signals_post",
        "json",
    ),
    (
        "beta.workflows.executions",
        "query",
        "query_workflow_execution_v1_workflows_executions__execution_id__queries_post",
        "json",
    ),
    (
        "beta.workflows.executions",
        "terminate",
        "terminate_workflow_execution_v1_workflows_executions__execution_id__terminate_post",
        "json",
    ),
    (
        "beta.workflows.executions",
        "batch_terminate",
        "batch_terminate_workflow_executions_v1_workflows_executions_terminate_post",
        "json",
    ),
    (
        "beta.workflows.executions",
        "cancel",
        "cancel_workflow_execution_v1_workflows_executions__execution_id__cancel_post",
        "json",
    ),
    (
        "beta.workflows.executions",
        "batch_cancel",
        "batch_cancel_workflow_executions_v1_workflows_executions_cancel_post",
        "json",
    ),
    (
        "beta.workflows.executions",
        "reset",
        "reset_workflow_v1_workflows_executions__execution_id__reset_post",
        "json",
    ),
    (
        "beta.workflows.executions",
        "send_update",
        "update_workflow_execution_v1_workflows_executions__execution_id__updates_post",
        "json",
    ),
    (
        "beta.workflows.executions",
        "get_trace_otel",
        "get_workflow_execution_trace_otel",
        "json",
    ),
    (
        "beta.workflows.executions",
        "get_trace_summary",
        "get_workflow_execution_trace_summary",
        "json",
    ),
    (
        "beta.workflows.executions",
        "get_trace_events",
        "get_workflow_execution_trace_events",
        "json",
    ),
    (
        "beta.workflows.executions",
        "stream",
        "stream_v1_workflows_executions__execution_id__stream_get",
        "stream",
    ),
    (
        "beta.workflows.metrics",
        "get",
        "get_workflow_metrics_v1_workflows__workflow_name__metrics_get",
        "json",
    ),
    ("beta.workflows.runs", "list", "list_runs_v1_workflows_runs_get", "page"),
    ("beta.workflows.runs", "get", "get_run_v1_workflows_runs__run_id__get", "json"),
    (
        "beta.workflows.runs",
        "get_history",
        "get_run_history_v1_workflows_runs__run_id__history_get",
        "json",
    ),
    (
        "beta.workflows.schedules",
        "list",
        "get_schedules_v1_workflows_schedules_get",
        "page",
    ),
    (
        "beta.workflows.schedules",
        "create",
        "schedule_workflow_v1_workflows_schedules_post",
        "json",
    ),
    (
        "beta.workflows.schedules",
        "delete",
        "unschedule_workflow_v1_workflows_schedules__schedule_id__delete",
        "json",
    ),
    (
        "beta.workflows.workers",
        "whoami",
        "get_worker_info_v1_workflows_workers_whoami_get",
        "json",
    ),
    (
        "beta.workflows.events",
        "stream",
        "get_stream_events_v1_workflows_events_stream_get",
        "stream",
    ),
    (
        "beta.workflows.events",
        "list",
        "get_workflow_events_v1_workflows_events_list_get",
        "page",
    ),
    (
        "beta.workflows.deployments",
        "list",
        "list_deployments_v1_workflows_deployments_get",
        "page",
    ),
    (
        "beta.workflows.deployments",
        "get",
        "get_deployment_v1_workflows_deployments__name__get",
        "json",
    ),
    (
        "beta.workflows",
        "list_registrations",
        "get_workflow_registrations_v1_workflows_registrations_get",
        "page",
    ),
    (
        "beta.workflows",
        "execute",
        "execute_workflow_v1_workflows__workflow_identifier__execute_post",
        "json",
    ),
    (
        "beta.workflows",
        "execute_registration",
        "execute_workflow_registration_v1_workflows_registrations__workflow_registration_id__execute_post",
        "json",
    ),
    (
        "beta.workflows",
        "get",
        "get_workflow_v1_workflows__workflow_identifier__get",
        "json",
    ),
    (
        "beta.workflows",
        "update",
        "update_workflow_v1_workflows__workflow_identifier__put",
        "json",
    ),
    (
        "beta.workflows",
        "get_registration",
        "get_workflow_registration_v1_workflows_registrations__workflow_registration_id__get",
        "json",
    ),
    (
        "beta.workflows",
        "archive",
        "archive_workflow_v1_workflows__workflow_identifier__archive_put",
        "json",
    ),
    (
        "beta.workflows",
        "unarchive",
        "unarchive_workflow_v1_workflows__workflow_identifier__unarchive_put",
        "json",
    ),
)

SEARCH_PARAMS = {
    "filters": {"field": "model", "op": "eq", "value": "mistral-small-latest"},
}

REALISTIC: Mapping[tuple[str, str], Mapping[str, object]] = {
    ("audio.speech", "complete"): {
        "input": "Your order has shipped and arrives on Thursday.",
        "model": "voxtral-mini-tts-latest",
        "voice_id": UUID,
        "response_format": "wav",
    },
    ("audio.speech", "stream"): {
        "input": "Your order has shipped and arrives on Thursday.",
        "model": "voxtral-mini-tts-latest",
        "response_format": "mp3",
    },
    ("audio.voices", "list"): {"limit": 10, "offset": 0},
    ("beta.workflows", "execute"): {
        "input": {"order_id": "A-1042", "notify": True},
        "wait_for_result": False,
        "task_queue": "orders",
    },
    ("beta.workflows.runs", "list"): {"page_size": 20, "status": "RUNNING"},
    ("beta.workflows.events", "stream"): {"last_event_id": "1715678400000-0"},
}


def sample(schema: Mapping[str, Any], depth: int = 0) -> object:
    """A value the schema accepts: its const, first enum value, example or a typed stand-in."""
    schema = _spec.resolve(schema)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return next(v for v in schema["enum"] if v is not None)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            branches = [
                b for b in schema[key] if _spec.resolve(b).get("type") != "null"
            ]
            value = sample(branches[0], depth + 1)
            tag = schema.get("discriminator", {}).get("propertyName")
            if tag and isinstance(value, dict):
                # The union is routed by this property: the server (and the
                # SDK) needs it even where the member gives it a default.
                prop = _spec.resolve(branches[0])["properties"][tag]
                value = {tag: sample(prop, depth + 1), **value}
            return value
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = sample(part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return float(schema.get("minimum", 0.5)) or 0.5
    if kind == "boolean":
        return True
    if kind == "array":
        return [sample(schema.get("items", {}), depth + 1)] * max(
            int(schema.get("minItems", 1)), 1
        )
    if "properties" in schema or kind == "object":
        required = schema.get("required", [])
        return {
            name: sample(prop, depth + 1)
            for name, prop in schema.get("properties", {}).items()
            if name in required
        }
    return "example"


def _string(schema: Mapping[str, Any]) -> object:
    fmt = schema.get("format")
    if fmt == "uuid":
        return UUID
    if fmt == "date-time":
        return DATE_TIME
    if fmt == "binary":
        return ("sample.wav", wav_bytes(), "audio/wav")
    text = "example"
    return text * max(1, -(-int(schema.get("minLength", 1)) // len(text)))


def _call(namespace: str, method: str, operation_id: str, kind: Kind) -> Call:
    operation = _spec.spec_operation(operation_id)
    args = tuple(
        sample(p["schema"]) for p in operation["parameters"] if p["in"] == "path"
    )
    kwargs: dict[str, object] = {
        p["name"]: sample(p.get("schema", {}))
        for p in operation["parameters"]
        if p["in"] == "query" and p.get("required")
    }
    body, _media = _spec.request_body_schema(operation_id)
    if body is not None:
        value = sample(body)
        assert isinstance(value, dict)
        kwargs.update(value)
    kwargs.update(REALISTIC.get((namespace, method), {}))
    if "search_params" in kwargs:
        kwargs["search_params"] = SEARCH_PARAMS
    return Call(namespace, method, operation_id, args, kwargs, kind=kind)


LATEST_CALLS: tuple[Call, ...] = tuple(_call(*row) for row in TABLE)

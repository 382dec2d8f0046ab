"""Workflow events: the two event streams, the event list and the traces.

Both streams send each event in the spec's envelope (`StreamEventSsePayload`)
with the event's broker sequence as the SSE `id`, so a client resumes a dropped
stream by sending the last id it saw (`last-event-id` header, or the
`last_event_id` query parameter of an execution's stream): only later events
follow. Streaming one execution first runs it as far as it can go (to its end
or to a signal it waits for); the global stream sends what has happened so far.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from ._clock import iso
from ._context import Call, Handler, json_response, sse_response
from ._errors import ApiError
from ._executions import execution, out, run_events, run_to_rest
from ._http import Response, json_bytes
from ._paging import by_cursor

__all__ = ["HANDLERS"]

_NAMESPACE: Final = "emulator"
Stored = dict[str, Any]


def _after(request_id: str | None) -> int:
    if not request_id:
        return 0
    if not request_id.isdigit():
        raise ApiError(400, f"invalid last event id: {request_id}")
    return int(request_id)


def _envelope(stored: Stored) -> dict[str, Any]:
    event = stored["event"]
    return {
        "stream": f"workflow:{event['workflow_exec_id']}",
        "timestamp": iso(event["event_timestamp"] / 1e9),
        "data": event,
        "workflow_context": {
            "namespace": _NAMESPACE,
            "workflow_name": event["workflow_name"],
            "workflow_exec_id": event["workflow_exec_id"],
            "parent_workflow_exec_id": event["parent_workflow_exec_id"],
            "root_workflow_exec_id": event["root_workflow_exec_id"],
        },
        "metadata": {},
        "broker_sequence": stored["sequence"],
    }


def _sse(events: Iterable[Stored]) -> Response:
    chunks = [
        (
            f"id: {stored['sequence']}\nevent: {stored['event']['event_type']}\n"
            f"data: {json_bytes(_envelope(stored)).decode()}\n\n"
        ).encode()
        for stored in events
    ]
    return sse_response(chunks)


def stream_execution(call: Call) -> Response:
    """GET .../executions/{execution_id}/stream: run it, send what follows the id."""
    # `event_source` (DATABASE or LIVE) reads the same events here: the
    # emulator keeps one store.
    world = call.world
    ex = run_to_rest(world, execution(world, call.path["execution_id"]))
    resume = call.query["last_event_id"] or call.request.headers.get("last-event-id")
    after = _after(resume)
    events = [
        e
        for e in world.store.all("workflow_event")
        if e["event"]["workflow_exec_id"] == ex["execution_id"]
        and e["sequence"] > after
    ]
    return _sse(events)


def _matches(query: Mapping[str, Any]) -> Callable[[Stored], bool]:
    scope = query["scope"]
    types = query["workflow_event_types"]
    filters = {
        "workflow_name": query["workflow_name"],
        "workflow_exec_id": query["workflow_exec_id"],
        "root_workflow_exec_id": query["root_workflow_exec_id"],
        "parent_workflow_exec_id": query["parent_workflow_exec_id"],
    }

    def keep(stored: Stored) -> bool:
        event = stored["event"]
        kind: str = event["event_type"]
        attributes = event["attributes"]
        checks = (
            scope == "*"
            or (scope == "activity" and kind.startswith("ACTIVITY_"))
            or (scope == "workflow" and not kind.startswith("ACTIVITY_")),
            query["activity_name"] in ("*", attributes.get("activity_name")),
            query["activity_id"] in ("*", attributes.get("task_id")),
            query["stream"] in ("*", f"workflow:{event['workflow_exec_id']}"),
            all(v in ("*", event[k]) for k, v in filters.items()),
            types is None or kind in types,
            not query["metadata_filters"],  # events carry no metadata
            stored["sequence"] >= query["start_seq"],
        )
        return all(checks)

    return keep


def stream_events(call: Call) -> Response:
    """GET /v1/workflows/events/stream: every matching event so far."""
    keep = _matches(call.query)
    after = _after(call.request.headers.get("last-event-id"))
    events = call.world.store.all("workflow_event")
    return _sse(e for e in events if keep(e) and e["sequence"] > after)


def list_events(call: Call) -> Response:
    """GET /v1/workflows/events/list: filtered, by cursor."""
    query = call.query
    filters = {
        "root_workflow_exec_id": query["root_workflow_exec_id"],
        "workflow_exec_id": query["workflow_exec_id"],
        "workflow_run_id": query["workflow_run_id"],
    }
    events = [
        e["event"]
        for e in call.world.store.all("workflow_event")
        if all(v in (None, e["event"][k]) for k, v in filters.items())
    ]
    window = by_cursor(events, query["cursor"], query["limit"])
    return json_response({"events": window.items, "next_cursor": window.next_cursor})


def _span_id(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()[:16]


def _flat(event: dict[str, Any]) -> dict[str, Any]:
    attributes = {"workflow_name": event["workflow_name"]}
    for key, value in event["attributes"].items():
        if isinstance(value, (str, int, float, bool)) or value is None:
            attributes[key] = value
    return attributes


def _task_of(event: dict[str, Any]) -> str | None:
    attributes = event["attributes"]
    if event["event_type"].startswith("WORKFLOW_"):
        return None
    found = attributes.get("task_id") or attributes.get("custom_task_id")
    return str(found) if found is not None else None


def _tasks(events: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    tasks: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        task = _task_of(event)
        if task is not None:
            tasks.setdefault(task, []).append(event)
    return tasks


def _trace_event(event: dict[str, Any], internal: bool) -> dict[str, Any]:
    return {
        "type": "EVENT",
        "name": event["event_type"],
        "id": event["event_id"],
        "timestamp_unix_nano": event["event_timestamp"],
        "attributes": _flat(event),
        "internal": internal,
    }


def _progress(task: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    last = events[-1]
    ended = last["event_type"].endswith(("COMPLETED", "FAILED", "CANCELED"))
    status = "RUNNING"
    if ended:
        status = "COMPLETED" if last["event_type"].endswith("COMPLETED") else "FAILED"
    return {
        "type": "EVENT_PROGRESS",
        "name": task,
        "id": task,
        "timestamp_unix_nano": last["event_timestamp"],
        "attributes": _flat(events[0]),
        "internal": False,
        "status": status,
        "start_time_unix_ms": events[0]["event_timestamp"] // 10**6,
        "end_time_unix_ms": last["event_timestamp"] // 10**6 if ended else None,
        "error": None,
    }


def _events_of(call: Call) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    ex = execution(call.world, call.path["execution_id"])
    return ex, [e["event"] for e in run_events(call.world, ex["run_id"])]


def trace_events(call: Call) -> Response:
    """GET .../trace/events: workflow-level events are the internal ones."""
    ex, events = _events_of(call)
    include_internal = call.query["include_internal_events"]
    found: list[dict[str, Any]] = [
        _trace_event(e, internal=True)
        for e in events
        if _task_of(e) is None and include_internal
    ]
    if call.query["merge_same_id_events"]:
        found += [_progress(task, evs) for task, evs in _tasks(events).items()]
    else:
        found += [_trace_event(e, internal=False) for e in events if _task_of(e)]
    found.sort(key=lambda e: int(e["timestamp_unix_nano"]))
    return json_response({**out(ex), "events": found})


def _end_ns(ex: dict[str, Any], events: list[dict[str, Any]]) -> int:
    return int(ex["end_ns"] or events[-1]["event_timestamp"])


def trace_summary(call: Call) -> Response:
    """GET .../trace/summary: a span for the run, a child span per task."""
    ex, events = _events_of(call)
    children = [
        {
            "span_id": _span_id(ex["run_id"], task),
            "name": task,
            "start_time_unix_nano": evs[0]["event_timestamp"],
            "end_time_unix_nano": evs[-1]["event_timestamp"],
            "attributes": _flat(evs[0]),
            "events": [_trace_event(e, internal=False) for e in evs],
            "children": [],
        }
        for task, evs in _tasks(events).items()
    ]
    root = {
        "span_id": _span_id(ex["run_id"]),
        "name": ex["workflow_name"],
        "start_time_unix_nano": ex["start_ns"],
        "end_time_unix_nano": ex["end_ns"],
        "attributes": {"execution_id": ex["execution_id"], "status": ex["status"]},
        "events": [_trace_event(e, internal=True) for e in events if not _task_of(e)],
        "children": children,
    }
    return json_response({**out(ex), "span_tree": root})


def _attribute(key: str, value: object) -> dict[str, Any]:
    return {"key": key, "value": {"stringValue": str(value)}}


def trace_otel(call: Call) -> Response:
    """GET .../trace/otel: the same spans in OpenTelemetry's (Tempo's) shape."""
    ex, events = _events_of(call)
    trace_id = hashlib.sha256(ex["run_id"].encode()).hexdigest()[:32]
    root_id = _span_id(ex["run_id"])
    spans = [
        {
            "traceId": trace_id,
            "spanId": root_id,
            "parentSpanId": None,
            "name": ex["workflow_name"],
            "kind": "SPAN_KIND_SERVER",
            "startTimeUnixNano": str(ex["start_ns"]),
            "endTimeUnixNano": str(_end_ns(ex, events)),
            "attributes": [_attribute("execution_id", ex["execution_id"])],
            "events": [],
        }
    ]
    spans += [
        {
            "traceId": trace_id,
            "spanId": _span_id(ex["run_id"], task),
            "parentSpanId": root_id,
            "name": task,
            "kind": "SPAN_KIND_INTERNAL",
            "startTimeUnixNano": str(evs[0]["event_timestamp"]),
            "endTimeUnixNano": str(evs[-1]["event_timestamp"]),
            "attributes": [],
            "events": [
                {"name": e["event_type"], "timeUnixNano": str(e["event_timestamp"])}
                for e in evs
            ],
        }
        for task, evs in _tasks(events).items()
    ]
    batch = {
        "resource": {"attributes": [_attribute("service.name", "workflows")]},
        "scopeSpans": [{"scope": {"name": "mistral.workflows"}, "spans": spans}],
    }
    return json_response(
        {
            **out(ex),
            "data_source": "emulator",
            "otel_trace_id": trace_id,
            "otel_trace_data": {"batches": [batch]},
        }
    )


HANDLERS: dict[str, Handler] = {
    "stream_v1_workflows_executions__execution_id__stream_get": stream_execution,
    "get_stream_events_v1_workflows_events_stream_get": stream_events,
    "get_workflow_events_v1_workflows_events_list_get": list_events,
    "get_workflow_execution_trace_events": trace_events,
    "get_workflow_execution_trace_summary": trace_summary,
    "get_workflow_execution_trace_otel": trace_otel,
}

"""Workflow executions: their lifecycle, signals, queries, updates and runs.

An execution starts RUNNING with its `WORKFLOW_EXECUTION_STARTED` event, then
moves one event of its workflow's plan per read (like jobs), or to its end
with `wait_for_result`, a stream of it, or `Emulator.settle()`. A plan that
waits for a signal stops there until the signal arrives. Cancel (an event) and
terminate (none) end it; a reset starts a new run from an event of the current
one, keeping the events up to it. Each event gets the next number of a
broker sequence shared by all executions: the event streams' ids.

Event times are the start time plus 100 ms per event, so durations are
realistic and repeatable even on a virtual clock.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Final, cast

from ._clock import iso
from ._context import Call, Handler, World, json_response, no_content
from ._errors import ApiError
from ._http import Response
from ._json import obj
from ._paging import by_cursor
from ._workflow_catalogue import WAIT, Definition, definition
from ._workflows import deployment, find_workflow, registration

__all__ = [
    "HANDLERS",
    "advance",
    "begin",
    "execution",
    "out",
    "run_events",
    "run_to_rest",
    "settle",
]

_STEP_NS: Final = 100_000_000
_TERMINAL: Final = {
    "WORKFLOW_EXECUTION_COMPLETED": "COMPLETED",
    "WORKFLOW_EXECUTION_FAILED": "FAILED",
    "WORKFLOW_EXECUTION_CANCELED": "CANCELED",
}
_WORKFLOW_LEVEL: Final = ("WORKFLOW_EXECUTION_", "WORKFLOW_TASK_")


def execution(world: World, execution_id: str) -> dict[str, Any]:
    """Return a stored execution, or raise the API's 404."""
    return world.require("workflow_execution", execution_id, "Execution")


def _definition(ex: dict[str, Any]) -> Definition:
    found = definition(ex["workflow_name"])
    if found is None:  # the catalogue is fixed: a stored name is always in it
        raise ApiError(500, f"unknown workflow {ex['workflow_name']}")
    return found


def run_events(world: World, run_id: str) -> list[dict[str, Any]]:
    """Return the stored events of one run, in order (with their sequence)."""
    return [e for e in world.store.all("workflow_event") if e["run_id"] == run_id]


def _emit(
    world: World, ex: dict[str, Any], event_type: str, attributes: dict[str, Any]
) -> dict[str, Any]:
    number = len(run_events(world, ex["run_id"])) + 1
    if event_type.startswith(_WORKFLOW_LEVEL):
        attributes = {"task_id": f"workflow-task-{number}", **attributes}
    event: dict[str, Any] = {
        "event_id": str(number),
        "event_timestamp": ex["start_ns"] + (number - 1) * _STEP_NS,
        "root_workflow_exec_id": ex["execution_id"],
        "parent_workflow_exec_id": None,
        "workflow_exec_id": ex["execution_id"],
        "workflow_run_id": ex["run_id"],
        "workflow_name": ex["workflow_name"],
        "event_type": event_type,
        "attributes": attributes,
    }
    sequence = world.store.next_number("workflow_broker_sequence")
    stored = {"sequence": sequence, "run_id": ex["run_id"], "event": event}
    world.store.put("workflow_event", f"{sequence:012d}", stored)
    status = _TERMINAL.get(event_type)
    if status is not None:
        _finish(ex, status, event["event_timestamp"])
        result = attributes.get("result")
        ex["result"] = result["value"] if isinstance(result, dict) else None
    return event


def _finish(ex: dict[str, Any], status: str, end_ns: int) -> None:
    ex["status"] = status
    ex["end_ns"] = end_ns


def _next_step(world: World, ex: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    if ex["status"] != "RUNNING":
        return None
    plan = _definition(ex).plan(ex["input"], ex["signals"])
    done = len(run_events(world, ex["run_id"])) - 1  # after the start event
    if done >= len(plan) or plan[done] == WAIT:
        return None
    return plan[done]


def advance(world: World, ex: dict[str, Any]) -> dict[str, Any]:
    """Emit the execution's next event, if it can go on; store and return it."""
    step = _next_step(world, ex)
    if step is not None:
        _emit(world, ex, *step)
    world.store.put("workflow_execution", ex["execution_id"], ex)
    return ex


def run_to_rest(world: World, ex: dict[str, Any]) -> dict[str, Any]:
    """Run an execution until it ends or waits for a signal."""
    while (step := _next_step(world, ex)) is not None:
        _emit(world, ex, *step)
    world.store.put("workflow_execution", ex["execution_id"], ex)
    return ex


def settle(world: World) -> None:
    """Run every execution until it ends or waits for a signal."""
    for ex in world.store.all("workflow_execution"):
        run_to_rest(world, ex)


def out(ex: dict[str, Any], *, with_result: bool = True) -> dict[str, Any]:
    """Return the `WorkflowExecutionResponse` of an execution (its current run)."""
    end = ex["end_ns"]
    answer: dict[str, Any] = {
        "workflow_name": ex["workflow_name"],
        "execution_id": ex["execution_id"],
        "parent_execution_id": None,
        "root_execution_id": ex["execution_id"],
        "status": ex["status"],
        "start_time": iso(ex["start_ns"] / 1e9),
        "end_time": None if end is None else iso(end / 1e9),
        "total_duration_ms": None if end is None else (end - ex["start_ns"]) // 10**6,
    }
    if with_result:
        answer["result"] = ex["result"]
    return answer


def _decoded(value: Any) -> Any:
    """Return an input as JSON: `NetworkEncodedInput` is base64 JSON text."""
    encoded = obj(value).get("b64payload")
    if isinstance(encoded, str):
        try:
            return json.loads(base64.b64decode(encoded))
        except (binascii.Error, ValueError):
            raise ApiError(400, "b64payload is not base64-encoded JSON") from None
    return value if value is not None else {}


def begin(
    world: World,
    workflow: dict[str, Any],
    inputs: Any,
    *,
    execution_id: str | None = None,
    at: float | None = None,
) -> dict[str, Any]:
    """Start and store an execution of a workflow (at `at`, default now)."""
    execution_id = execution_id or world.ids.uuid("workflow_execution")
    if world.store.get("workflow_execution", execution_id) is not None:
        raise ApiError(409, f"Execution {execution_id} already exists")
    ex: dict[str, Any] = {
        "execution_id": execution_id,
        "run_id": world.ids.uuid("workflow_run"),
        "runs": [],
        "workflow_name": workflow["name"],
        "workflow_id": workflow["id"],
        "input": inputs,
        "signals": [],
        "notes": [],
        "status": "RUNNING",
        "start_ns": int((world.clock.now() if at is None else at) * 1e9),
        "end_ns": None,
        "result": None,
    }
    ex["runs"].append(ex["run_id"])
    started = {
        "workflow_name": workflow["name"],
        "input": {"type": "json", "value": inputs},
    }
    _emit(world, ex, "WORKFLOW_EXECUTION_STARTED", started)
    world.store.put("workflow_execution", execution_id, ex)
    return ex


def _start(call: Call, workflow: dict[str, Any]) -> Response:
    world, body = call.world, call.json
    if workflow["archived"]:
        raise ApiError(400, f"Workflow {workflow['name']} is archived")
    if body.get("deployment_name"):
        deployment(world, body["deployment_name"])
    inputs = _decoded(body.get("encoded_input") or body.get("input"))
    ex = begin(world, workflow, inputs, execution_id=body.get("execution_id"))
    if body.get("wait_for_result"):
        run_to_rest(world, ex)
        if ex["status"] == "COMPLETED":
            return json_response(
                {
                    "workflow_name": ex["workflow_name"],
                    "execution_id": ex["execution_id"],
                    "result": ex["result"],
                }
            )
    return json_response(out(ex))


def execute(call: Call) -> Response:
    """POST /v1/workflows/{workflow_identifier}/execute."""
    return _start(call, find_workflow(call.world, call.path["workflow_identifier"]))


def execute_registration(call: Call) -> Response:
    """POST /v1/workflows/registrations/{workflow_registration_id}/execute."""
    version = registration(call.world, call.path["workflow_registration_id"])
    return _start(call, find_workflow(call.world, version["workflow_id"]))


def get(call: Call) -> Response:
    """GET /v1/workflows/executions/{execution_id}: a read moves it one event."""
    ex = advance(call.world, execution(call.world, call.path["execution_id"]))
    return json_response(out(ex))


def _unknown(ex: dict[str, Any], kind: str, name: str) -> ApiError:
    return ApiError(400, f"Workflow {ex['workflow_name']} has no {kind} {name}")


def _running(ex: dict[str, Any]) -> None:
    if ex["status"] != "RUNNING":
        raise ApiError(
            400, f"Execution {ex['execution_id']} is {ex['status']}, not RUNNING"
        )


def _cancel(world: World, ex: dict[str, Any]) -> None:
    _running(ex)
    reason = {"reason": "canceled by request"}
    _emit(world, ex, "WORKFLOW_EXECUTION_CANCELED", reason)
    world.store.put("workflow_execution", ex["execution_id"], ex)


def _terminate(world: World, ex: dict[str, Any]) -> None:
    _running(ex)
    number = len(run_events(world, ex["run_id"]))
    _finish(ex, "TERMINATED", ex["start_ns"] + number * _STEP_NS)
    world.store.put("workflow_execution", ex["execution_id"], ex)


def cancel(call: Call) -> Response:
    """POST .../executions/{execution_id}/cancel (204)."""
    _cancel(call.world, execution(call.world, call.path["execution_id"]))
    return no_content()


def terminate(call: Call) -> Response:
    """POST .../executions/{execution_id}/terminate (204)."""
    _terminate(call.world, execution(call.world, call.path["execution_id"]))
    return no_content()


def _batch(call: Call, action: Any) -> Response:
    results: dict[str, dict[str, Any]] = {}
    for execution_id in call.json["execution_ids"]:
        try:
            action(call.world, execution(call.world, execution_id))
        except ApiError as failure:
            results[execution_id] = {"status": "failure", "error": str(failure)}
        else:
            results[execution_id] = {"status": "success", "error": None}
    return json_response({"results": results})


def batch_cancel(call: Call) -> Response:
    """POST /v1/workflows/executions/cancel: per-execution results."""
    return _batch(call, _cancel)


def batch_terminate(call: Call) -> Response:
    """POST /v1/workflows/executions/terminate: per-execution results."""
    return _batch(call, _terminate)


def signal(call: Call) -> Response:
    """POST .../executions/{execution_id}/signals (202): the next read uses it."""
    world, body = call.world, call.json
    ex = execution(world, call.path["execution_id"])
    _running(ex)
    if body["name"] not in _definition(ex).signals:
        raise _unknown(ex, "signal", body["name"])
    received = len(run_events(world, ex["run_id"]))
    ex["signals"].append(
        {"name": body["name"], "input": _decoded(body.get("input")), "at": received}
    )
    world.store.put("workflow_execution", ex["execution_id"], ex)
    return json_response({"message": "Signal accepted"}, 202)


def query(call: Call) -> Response:
    """POST .../executions/{execution_id}/queries: the workflow's state."""
    world, body = call.world, call.json
    ex = execution(world, call.path["execution_id"])
    if body["name"] not in _definition(ex).queries:
        raise _unknown(ex, "query", body["name"])
    plan = _definition(ex).plan(ex["input"], ex["signals"])
    done = len(run_events(world, ex["run_id"])) - 1
    waiting = ex["status"] == "RUNNING" and done < len(plan) and plan[done] == WAIT
    result = {
        "status": ex["status"],
        "waiting_for_signal": waiting,
        "events": done + 1,
        "notes": ex["notes"],
    }
    return json_response({"query_name": body["name"], "result": result})


def update(call: Call) -> Response:
    """POST .../executions/{execution_id}/updates: change state, get a result."""
    world, body = call.world, call.json
    ex = execution(world, call.path["execution_id"])
    _running(ex)
    if body["name"] not in _definition(ex).updates:
        raise _unknown(ex, "update", body["name"])
    note = _decoded(body.get("input")).get("note")
    if not isinstance(note, str):
        raise ApiError(400, 'add_note takes {"note": <text>}')
    ex["notes"].append(note)
    world.store.put("workflow_execution", ex["execution_id"], ex)
    return json_response(
        {"update_name": body["name"], "result": {"notes": ex["notes"]}}
    )


def reset(call: Call) -> Response:
    """POST .../executions/{execution_id}/reset (204): a new run from an event."""
    world, body = call.world, call.json
    ex = execution(world, call.path["execution_id"])
    events = run_events(world, ex["run_id"])
    point = body["event_id"]
    kept = events[:point]
    if not 1 <= point <= len(events) or any(
        e["event"]["event_type"] in _TERMINAL for e in kept
    ):
        raise ApiError(400, f"cannot reset to event {point}")
    ex["run_id"] = world.ids.uuid("workflow_run")
    ex["runs"].append(ex["run_id"])
    ex.update(status="RUNNING", end_ns=None, result=None)
    if body.get("exclude_signals"):
        ex["signals"] = [s for s in ex["signals"] if s["at"] <= point]
    for stored in kept:
        event = stored["event"]
        _emit(world, ex, event["event_type"], dict(event["attributes"]))
    world.store.put("workflow_execution", ex["execution_id"], ex)
    return no_content()


def _encoded(event: dict[str, Any]) -> dict[str, Any]:
    """Return an event whose JSON payloads travel as base64 (`b64payload`)."""
    attributes: dict[str, Any] = {}
    for key, value in event["attributes"].items():
        payload = obj(value)
        if payload.get("type") == "json":
            text = base64.b64encode(json.dumps(payload["value"]).encode()).decode()
            value = {"type": "json", "value": {"b64payload": text}}
        attributes[key] = value
    return {**event, "attributes": attributes}


def _history(world: World, run_id: str, decode: bool) -> Response:
    events = [e["event"] for e in run_events(world, run_id)]
    return json_response(
        {"events": events if decode else [_encoded(e) for e in events]}
    )


def history(call: Call) -> Response:
    """GET .../executions/{execution_id}/history: the current run's events."""
    ex = execution(call.world, call.path["execution_id"])
    return _history(call.world, ex["run_id"], call.query["decode_payloads"])


def _by_run(world: World, run_id: str) -> dict[str, Any]:
    for ex in world.store.all("workflow_execution"):
        if run_id in ex["runs"]:
            return ex
    raise ApiError.not_found("Run", run_id)


def get_run(call: Call) -> Response:
    """GET /v1/workflows/runs/{run_id}: an earlier run reads as it ended."""
    ex = _by_run(call.world, call.path["run_id"])
    run_id = call.path["run_id"]
    if run_id == ex["run_id"]:
        return json_response(out(ex))
    events = run_events(call.world, run_id)
    last = events[-1]["event"]
    ended = {
        **ex,
        "status": _TERMINAL.get(last["event_type"], "TERMINATED"),
        "end_ns": last["event_timestamp"],
        "result": None,
    }
    return json_response(out(ended))


def run_history(call: Call) -> Response:
    """GET /v1/workflows/runs/{run_id}/history."""
    _by_run(call.world, call.path["run_id"])
    return _history(call.world, call.path["run_id"], call.query["decode_payloads"])


def list_runs(call: Call) -> Response:
    """GET /v1/workflows/runs: filtered executions, by page token."""
    world, query = call.world, call.query
    wanted = query["status"]
    statuses: set[str] | None = None
    if isinstance(wanted, list):
        statuses = set(cast("list[str]", wanted))
    elif wanted is not None:
        statuses = {wanted}
    workflow = query["workflow_identifier"]
    name = None if workflow is None else find_workflow(world, workflow)["name"]
    search = (query["search"] or "").lower()
    found = [
        out(ex, with_result=False)
        for ex in world.store.all("workflow_execution")
        if name in (None, ex["workflow_name"])
        and (statuses is None or ex["status"] in statuses)
        and search in f"{ex['workflow_name']} {ex['execution_id']}".lower()
    ]
    window = by_cursor(found, query["next_page_token"], query["page_size"])
    return json_response(
        {"executions": window.items, "next_page_token": window.next_cursor}
    )


HANDLERS: dict[str, Handler] = {
    "execute_workflow_v1_workflows__workflow_identifier__execute_post": execute,
    "execute_workflow_registration_v1_workflows_registrations__workflow_registration_id__execute_post": execute_registration,  # noqa: E501
    "get_workflow_execution_v1_workflows_executions__execution_id__get": get,
    "get_workflow_execution_history_v1_workflows_executions__execution_id__history_get": history,  # noqa: E501
    "signal_workflow_execution_v1_workflows_executions__execution_id__signals_post": signal,  # noqa: E501
    "query_workflow_execution_v1_workflows_executions__execution_id__queries_post": query,  # noqa: E501
    "update_workflow_execution_v1_workflows_executions__execution_id__updates_post": update,  # noqa: E501
    "terminate_workflow_execution_v1_workflows_executions__execution_id__terminate_post": terminate,  # noqa: E501
    "batch_terminate_workflow_executions_v1_workflows_executions_terminate_post": batch_terminate,  # noqa: E501
    "cancel_workflow_execution_v1_workflows_executions__execution_id__cancel_post": cancel,  # noqa: E501
    "batch_cancel_workflow_executions_v1_workflows_executions_cancel_post": batch_cancel,  # noqa: E501
    "reset_workflow_v1_workflows_executions__execution_id__reset_post": reset,
    "list_runs_v1_workflows_runs_get": list_runs,
    "get_run_v1_workflows_runs__run_id__get": get_run,
    "get_run_history_v1_workflows_runs__run_id__history_get": run_history,
}

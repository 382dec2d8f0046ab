"""Workflows as a worker deployed them: workflows, registrations, deployments.

The catalogue's workflows (see `_workflow_catalogue`) appear on first use, each
with one registration (its version) on the `default` task queue, deployed by
one worker of the `default` deployment. Names, archiving and the chat-assistant
flag can change; schedules are kept and listed; metrics come from executions.
"""

from __future__ import annotations

from typing import Any, Final

from ._clock import parse_iso
from ._context import Call, Handler, World, json_response, no_content
from ._errors import ApiError
from ._http import Response
from ._paging import by_cursor
from ._workflow_catalogue import CATALOGUE

__all__ = ["HANDLERS", "deployment", "find_workflow", "registration", "workflows"]

DEPLOYMENT: Final = "default"
TASK_QUEUE: Final = "default"
_WORKFLOW_FIELDS: Final = (
    "id",
    "name",
    "display_name",
    "type",
    "customer_id",
    "workspace_id",
    "shared_namespace",
    "available_in_chat_assistant",
    "is_technical",
    "archived",
)


def workflows(world: World) -> list[dict[str, Any]]:
    """Return the stored workflows, deploying the catalogue's on first use."""
    found = world.store.all("workflow")
    if found:
        return found
    now = world.now_iso()
    world.store.put(
        "deployment",
        DEPLOYMENT,
        {
            "id": world.ids.uuid("deployment"),
            "name": DEPLOYMENT,
            "is_active": True,
            "created_at": now,
            "updated_at": now,
            "workers": [
                {"name": "emulator-worker", "created_at": now, "updated_at": now}
            ],
        },
    )
    for item in CATALOGUE:
        workflow: dict[str, Any] = {
            "id": world.ids.uuid("workflow"),
            "name": item.name,
            "display_name": item.display_name,
            "type": "code",
            "customer_id": world.org_id,
            "workspace_id": world.workspace_id,
            "shared_namespace": None,
            "available_in_chat_assistant": False,
            "is_technical": False,
            "archived": False,
        }
        world.store.put("workflow", workflow["id"], workflow)
        version: dict[str, Any] = {
            "id": world.ids.uuid("workflow_registration"),
            "task_queue": TASK_QUEUE,
            "definition": item.code(),
            "workflow_id": workflow["id"],
            "compatible_with_chat_assistant": False,
        }
        world.store.put("workflow_registration", version["id"], version)
    return world.store.all("workflow")


def find_workflow(world: World, identifier: str) -> dict[str, Any]:
    """Return a workflow by id or name, or raise the API's 404."""
    for workflow in workflows(world):
        if identifier in (workflow["id"], workflow["name"]):
            return workflow
    raise ApiError.not_found("Workflow", identifier)


def registration(world: World, registration_id: str) -> dict[str, Any]:
    """Return a workflow registration (a version), or raise the API's 404."""
    workflows(world)
    return world.require("workflow_registration", registration_id, "Registration")


def deployment(world: World, name: str) -> dict[str, Any]:
    """Return a deployment by name, or raise the API's 404."""
    workflows(world)
    return world.require("deployment", name, "Deployment")


def _public(workflow: dict[str, Any]) -> dict[str, Any]:
    return {k: workflow[k] for k in _WORKFLOW_FIELDS}


def _with_status(workflow: dict[str, Any]) -> dict[str, Any]:
    return {**_public(workflow), "active": not workflow["archived"]}


def get(call: Call) -> Response:
    """GET /v1/workflows/{workflow_identifier}."""
    workflow = find_workflow(call.world, call.path["workflow_identifier"])
    return json_response({"workflow": _with_status(workflow)})


def _save(world: World, workflow: dict[str, Any]) -> Response:
    world.store.put("workflow", workflow["id"], workflow)
    return json_response({"workflow": _public(workflow)})


def update(call: Call) -> Response:
    """PUT /v1/workflows/{workflow_identifier}: display name, chat flag."""
    workflow = find_workflow(call.world, call.path["workflow_identifier"])
    for key in ("display_name", "available_in_chat_assistant"):
        if call.json.get(key) is not None:
            workflow[key] = call.json[key]
    return _save(call.world, workflow)


def archive(call: Call) -> Response:
    """PUT /v1/workflows/{workflow_identifier}/archive: no new executions."""
    workflow = find_workflow(call.world, call.path["workflow_identifier"])
    workflow["archived"] = True
    return _save(call.world, workflow)


def unarchive(call: Call) -> Response:
    """PUT /v1/workflows/{workflow_identifier}/unarchive."""
    workflow = find_workflow(call.world, call.path["workflow_identifier"])
    workflow["archived"] = False
    return _save(call.world, workflow)


def _version(
    world: World, version: dict[str, Any], with_workflow: bool
) -> dict[str, Any]:
    workflow = world.require("workflow", version["workflow_id"], "Workflow")
    return {
        **version,
        "workflow": _public(workflow) if with_workflow else None,
        "active": not workflow["archived"],
    }


def list_registrations(call: Call) -> Response:
    """GET /v1/workflows/registrations: filtered, by cursor (a registration id).

    `include_shared` changes nothing: every emulated workflow is the caller's own.
    """
    world, query = call.world, call.query
    workflows(world)
    found: list[dict[str, Any]] = []
    for version in world.store.all("workflow_registration"):
        workflow = world.require("workflow", version["workflow_id"], "Workflow")
        search = (query["workflow_search"] or "").lower()
        keep = (
            query["workflow_id"] in (None, workflow["id"])
            and query["task_queue"] in (None, version["task_queue"])
            and not (query["active_only"] and workflow["archived"])
            and query["archived"] in (None, workflow["archived"])
            and query["available_in_chat_assistant"]
            in (None, workflow["available_in_chat_assistant"])
            and search in f"{workflow['name']} {workflow['display_name']}".lower()
        )
        if keep:
            found.append(_version(world, version, query["with_workflow"]))
    ids = [v["id"] for v in found]
    cursor = query["cursor"]
    if cursor is not None and cursor not in ids:
        raise ApiError(400, f"invalid cursor: {cursor}")
    start = ids.index(cursor) if cursor is not None else 0
    window = by_cursor(found, str(start), query["limit"])
    after = window.next_cursor
    return json_response(
        {
            "workflow_registrations": window.items,
            "workflow_versions": window.items,
            "next_cursor": None if after is None else ids[int(after)],
        }
    )


def get_registration(call: Call) -> Response:
    """GET /v1/workflows/registrations/{workflow_registration_id}."""
    version = registration(call.world, call.path["workflow_registration_id"])
    out = _version(call.world, version, call.query["with_workflow"])
    return json_response({"workflow_registration": out, "workflow_version": out})


def _deployment_out(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "workers"}


def list_deployments(call: Call) -> Response:
    """GET /v1/workflows/deployments: the default one deploys every workflow."""
    world, query = call.world, call.query
    workflows(world)
    found = [
        _deployment_out(d)
        for d in world.store.all("deployment")
        if d["is_active"] or not query["active_only"]
    ]
    name = query["workflow_name"]
    if name is not None and name not in {w["name"] for w in workflows(world)}:
        found = []
    return json_response({"deployments": found})


def get_deployment(call: Call) -> Response:
    """GET /v1/workflows/deployments/{name}: with its workers."""
    return json_response(deployment(call.world, call.path["name"]))


def whoami(call: Call) -> Response:
    """GET /v1/workflows/workers/whoami: where a worker would connect."""
    host = call.request.base_url.split("://", 1)[-1]
    return json_response(
        {"scheduler_url": f"{host}:7233", "namespace": "emulator", "tls": False}
    )


def schedule(call: Call) -> Response:
    """POST /v1/workflows/schedules (201): keep a schedule of a workflow."""
    world, body = call.world, call.json
    if body.get("workflow_registration_id"):
        version = registration(world, body["workflow_registration_id"])
        workflow_id = version["workflow_id"]
    elif body.get("workflow_identifier"):
        workflow_id = find_workflow(world, body["workflow_identifier"])["id"]
    else:
        raise ApiError(400, "Provide workflow_identifier or workflow_registration_id")
    definition = dict(body["schedule"])
    schedule_id = (
        body.get("schedule_id")
        or definition.get("schedule_id")
        or world.ids.prefixed("sched")
    )
    if world.store.get("workflow_schedule", schedule_id) is not None:
        raise ApiError(409, f"Schedule {schedule_id} already exists")
    definition["schedule_id"] = schedule_id
    stored = {
        "workflow_id": workflow_id,
        "definition": definition,
        "created": world.clock.now(),
        "fired": 0,
    }
    world.store.put("workflow_schedule", schedule_id, stored)
    return json_response({"schedule_id": schedule_id}, 201)


def list_schedules(call: Call) -> Response:
    """GET /v1/workflows/schedules."""
    stored = call.world.store.all("workflow_schedule")
    return json_response({"schedules": [s["definition"] for s in stored]})


def unschedule(call: Call) -> Response:
    """DELETE /v1/workflows/schedules/{schedule_id} (204)."""
    schedule_id = call.path["schedule_id"]
    if not call.world.store.delete("workflow_schedule", schedule_id):
        raise ApiError.not_found("Schedule", schedule_id)
    return no_content()


def metrics(call: Call) -> Response:
    """GET /v1/workflows/{workflow_name}/metrics: counts and latency of runs."""
    world = call.world
    workflow = find_workflow(world, call.path["workflow_name"])
    start, end = call.query["start_time"], call.query["end_time"]
    low = parse_iso(start) if start else float("-inf")
    high = parse_iso(end) if end else float("inf")
    runs = [
        e
        for e in world.store.all("workflow_execution")
        if e["workflow_name"] == workflow["name"] and low <= e["start_ns"] / 1e9 <= high
    ]
    done = [e for e in runs if e["end_ns"] is not None]
    latencies = [
        ((e["end_ns"] // 1_000_000), (e["end_ns"] - e["start_ns"]) // 1_000_000)
        for e in done
    ]
    average = sum(ms for _, ms in latencies) / len(latencies) if latencies else 0
    return json_response(
        {
            "execution_count": {"value": len(runs)},
            "success_count": {
                "value": sum(1 for e in runs if e["status"] == "COMPLETED")
            },
            "error_count": {"value": sum(1 for e in runs if e["status"] == "FAILED")},
            "average_latency_ms": {"value": average},
            "latency_over_time": {"value": [list(point) for point in latencies]},
            "retry_rate": {"value": 0},
        }
    )


HANDLERS: dict[str, Handler] = {
    "get_workflow_v1_workflows__workflow_identifier__get": get,
    "update_workflow_v1_workflows__workflow_identifier__put": update,
    "archive_workflow_v1_workflows__workflow_identifier__archive_put": archive,
    "unarchive_workflow_v1_workflows__workflow_identifier__unarchive_put": unarchive,
    "get_workflow_registrations_v1_workflows_registrations_get": list_registrations,
    "get_workflow_registration_v1_workflows_registrations__workflow_registration_id__get": get_registration,  # noqa: E501
    "list_deployments_v1_workflows_deployments_get": list_deployments,
    "get_deployment_v1_workflows_deployments__name__get": get_deployment,
    "get_worker_info_v1_workflows_workers_whoami_get": whoami,
    "schedule_workflow_v1_workflows_schedules_post": schedule,
    "get_schedules_v1_workflows_schedules_get": list_schedules,
    "unschedule_workflow_v1_workflows_schedules__schedule_id__delete": unschedule,
    "get_workflow_metrics_v1_workflows__workflow_name__metrics_get": metrics,
}

"""Datasets of conversations: records, imports, exports to JSONL.

Records are added directly or imported from a campaign's events, from chosen
chat-completion events (the explorer), from a JSONL file, from conversations
(the playground) or from another dataset's records. An import is a task: it
answers 202 RUNNING and does its work on the first read of the task (or list of
tasks, or `Emulator.settle()`), then reads COMPLETED, or FAILED with a message.
An export is a signed URL to a JSONL file, one record per line:
`{"messages": [...], ..., "properties": {...}}` (the import-from-file format).
"""

from __future__ import annotations

import json
from typing import Any, Final

from ._chat_events import event
from ._context import Call, Handler, World, json_response, no_content
from ._entries import as_messages
from ._errors import ApiError
from ._files import file_bytes
from ._http import Response, json_bytes
from ._json import is_object
from ._judges import campaign
from ._observability import observability_error, paginated, stored_or_404, verdict
from ._signed import signed_url

__all__ = ["HANDLERS", "settle"]

_EXPORT_TYPE: Final = "application/x-ndjson"


def _dataset(world: World, dataset_id: str) -> dict[str, Any]:
    return stored_or_404(world, "dataset", dataset_id, "DATASET_NOT_FOUND", "Dataset")


def _record(world: World, record_id: str) -> dict[str, Any]:
    return stored_or_404(
        world, "dataset_record", record_id, "DATASET_RECORD_NOT_FOUND", "Record"
    )


def _stamped(world: World, kind: str) -> dict[str, Any]:
    now = world.now_iso()
    return {
        "id": world.ids.uuid(kind),
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }


def create(call: Call) -> Response:
    """POST /v1/observability/datasets (201)."""
    world = call.world
    dataset = {
        **_stamped(world, "dataset"),
        "name": call.json["name"],
        "description": call.json["description"],
        "owner_id": world.user_id,
        "workspace_id": world.workspace_id,
    }
    world.store.put("dataset", dataset["id"], dataset)
    return json_response(dataset, 201)


def list_datasets(call: Call) -> Response:
    """GET /v1/observability/datasets: by page, searched by name."""
    text = (call.query["q"] or "").lower()
    found = [
        d
        for d in call.world.store.all("dataset")
        if text in f"{d['name']} {d['description']}".lower()
    ]
    return json_response(
        {"datasets": paginated(call, found, "/v1/observability/datasets")}
    )


def get(call: Call) -> Response:
    """GET /v1/observability/datasets/{dataset_id}."""
    return json_response(_dataset(call.world, call.path["dataset_id"]))


def update(call: Call) -> Response:
    """PATCH /v1/observability/datasets/{dataset_id}: name, description."""
    world = call.world
    dataset = _dataset(world, call.path["dataset_id"])
    for key in ("name", "description"):
        if call.json.get(key) is not None:
            dataset[key] = call.json[key]
    dataset["updated_at"] = world.now_iso()
    world.store.put("dataset", dataset["id"], dataset)
    return json_response(dataset)


def _records_of(world: World, dataset_id: str) -> list[dict[str, Any]]:
    return [
        r for r in world.store.all("dataset_record") if r["dataset_id"] == dataset_id
    ]


def delete(call: Call) -> Response:
    """DELETE /v1/observability/datasets/{dataset_id} (204), with its records."""
    world = call.world
    dataset = _dataset(world, call.path["dataset_id"])
    for record in _records_of(world, dataset["id"]):
        world.store.delete("dataset_record", record["id"])
    world.store.delete("dataset", dataset["id"])
    return no_content()


def _check_payload(payload: dict[str, Any]) -> None:
    if not isinstance(payload.get("messages"), list):
        raise observability_error(
            400, "DATASET_RECORD_FORMAT_ERROR", "a record needs a list of messages"
        )


def _add(
    world: World,
    dataset_id: str,
    payload: dict[str, Any],
    properties: dict[str, Any],
    source: str,
) -> dict[str, Any]:
    _check_payload(payload)
    record: dict[str, Any] = {
        **_stamped(world, "dataset_record"),
        "dataset_id": dataset_id,
        "payload": payload,
        "properties": properties,
        "source": source,
    }
    world.store.put("dataset_record", record["id"], record)
    return record


def list_records(call: Call) -> Response:
    """GET .../datasets/{dataset_id}/records: by page."""
    dataset = _dataset(call.world, call.path["dataset_id"])
    found = _records_of(call.world, dataset["id"])
    path = f"/v1/observability/datasets/{dataset['id']}/records"
    return json_response({"records": paginated(call, found, path)})


def create_record(call: Call) -> Response:
    """POST .../datasets/{dataset_id}/records (201): a direct input."""
    dataset = _dataset(call.world, call.path["dataset_id"])
    body = call.json
    record = _add(
        call.world, dataset["id"], body["payload"], body["properties"], "DIRECT_INPUT"
    )
    return json_response(record, 201)


def _start_import(call: Call, kind: str) -> Response:
    world = call.world
    dataset = _dataset(world, call.path["dataset_id"])
    task: dict[str, Any] = {
        **_stamped(world, "dataset_import_task"),
        "creator_id": world.user_id,
        "dataset_id": dataset["id"],
        "workspace_id": world.workspace_id,
        "status": "RUNNING",
        "progress": 0,
        "message": None,
        "work": {"kind": kind, "args": call.json},
    }
    world.store.put("dataset_import_task", task["id"], task)
    return json_response(_task_out(task), 202)


def _task_out(task: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in task.items() if k != "work"}


def _event_payload(world: World, event_id: str) -> dict[str, Any]:
    stored = event(world, event_id)
    return {"messages": stored["request_messages"] + stored["response_messages"]}


def _lines(world: World, file_id: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    _, data = file_bytes(world, file_id)
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            value = None
        if not is_object(value):
            raise observability_error(
                400, "DATASET_RECORD_FORMAT_ERROR", f"line {number} is not an object"
            )
        properties = value.pop("properties", {})
        found.append((value, properties if is_object(properties) else {}))
    return found


def _payloads(
    world: World, kind: str, args: dict[str, Any]
) -> tuple[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
    if kind == "campaign":
        ids = campaign(world, args["campaign_id"])["event_ids"]
        if not ids:
            raise observability_error(
                400, "CAMPAIGN_NO_MATCHING_EVENTS", "the campaign selected no events"
            )
        return "EXPLORER", [(_event_payload(world, i), {}) for i in ids]
    if kind == "explorer":
        ids = args["completion_event_ids"]
        return "EXPLORER", [(_event_payload(world, i), {}) for i in ids]
    if kind == "file":
        return "UPLOADED_FILE", _lines(world, args["file_id"])
    if kind == "playground":
        found: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for conversation_id in args["conversation_ids"]:
            conversation = world.require(
                "conversation", conversation_id, "Conversation"
            )
            messages = as_messages(conversation["entries"])
            found.append(({"messages": messages}, {"conversation_id": conversation_id}))
        return "PLAYGROUND", found
    records = [_record(world, i) for i in args["dataset_record_ids"]]
    return "DIRECT_INPUT", [(r["payload"], r["properties"]) for r in records]


def _run(world: World, task: dict[str, Any]) -> dict[str, Any]:
    if task["status"] != "RUNNING":
        return task
    work = task["work"]
    try:
        source, items = _payloads(world, work["kind"], work["args"])
        for payload, properties in items:
            _add(world, task["dataset_id"], payload, properties, source)
    except ApiError as failure:
        task.update(status="FAILED", message=failure.message)
    else:
        task.update(status="COMPLETED", progress=100, message=f"{len(items)} records")
    task["updated_at"] = world.now_iso()
    world.store.put("dataset_import_task", task["id"], task)
    return task


def settle(world: World) -> None:
    """Run every pending import."""
    for task in world.store.all("dataset_import_task"):
        _run(world, task)


def get_task(call: Call) -> Response:
    """GET .../datasets/{dataset_id}/tasks/{task_id}: runs a pending import."""
    world = call.world
    dataset = _dataset(world, call.path["dataset_id"])
    task = world.store.get("dataset_import_task", call.path["task_id"])
    if task is None or task["dataset_id"] != dataset["id"]:
        raise observability_error(
            404, "DATASET_TASK_NOT_FOUND", f"Task {call.path['task_id']} not found"
        )
    return json_response(_task_out(_run(world, task)))


def list_tasks(call: Call) -> Response:
    """GET .../datasets/{dataset_id}/tasks: by page; runs pending imports."""
    world = call.world
    dataset = _dataset(world, call.path["dataset_id"])
    found = [
        _task_out(_run(world, t))
        for t in world.store.all("dataset_import_task")
        if t["dataset_id"] == dataset["id"]
    ]
    path = f"/v1/observability/datasets/{dataset['id']}/tasks"
    return json_response({"tasks": paginated(call, found, path)})


def export(call: Call) -> Response:
    """GET .../datasets/{dataset_id}/exports/to-jsonl: a signed JSONL URL."""
    world = call.world
    dataset = _dataset(world, call.path["dataset_id"])
    lines = [
        json_bytes({**r["payload"], "properties": r["properties"]}) + b"\n"
        for r in _records_of(world, dataset["id"])
    ]
    key = f"dataset-export:{world.ids.hex('dataset_export')}"
    world.store.put_blob(key, b"".join(lines))
    url = signed_url(
        world,
        call.request.base_url,
        key,
        filename=f"{dataset['name']}.jsonl",
        mimetype=_EXPORT_TYPE,
    )
    return json_response({"file_url": url})


def get_record(call: Call) -> Response:
    """GET /v1/observability/dataset-records/{dataset_record_id}."""
    return json_response(_record(call.world, call.path["dataset_record_id"]))


def delete_record(call: Call) -> Response:
    """DELETE /v1/observability/dataset-records/{dataset_record_id} (204)."""
    record = _record(call.world, call.path["dataset_record_id"])
    call.world.store.delete("dataset_record", record["id"])
    return no_content()


def bulk_delete(call: Call) -> Response:
    """POST /v1/observability/dataset-records/bulk-delete (204): all or none."""
    world = call.world
    records = [_record(world, i) for i in call.json["dataset_record_ids"]]
    for record in records:
        world.store.delete("dataset_record", record["id"])
    return no_content()


def _change(call: Call, key: str) -> Response:
    world = call.world
    record = _record(world, call.path["dataset_record_id"])
    if key == "payload":
        _check_payload(call.json["payload"])
    record[key] = call.json[key]
    record["updated_at"] = world.now_iso()
    world.store.put("dataset_record", record["id"], record)
    return no_content()


def update_payload(call: Call) -> Response:
    """PUT .../dataset-records/{dataset_record_id}/payload (204)."""
    return _change(call, "payload")


def update_properties(call: Call) -> Response:
    """PUT .../dataset-records/{dataset_record_id}/properties (204)."""
    return _change(call, "properties")


def judge_record(call: Call) -> Response:
    """POST .../dataset-records/{dataset_record_id}/live-judging."""
    record = _record(call.world, call.path["dataset_record_id"])
    judge = call.json["judge_definition"]
    return json_response(verdict(call.world, judge, record["payload"]["messages"]))


def _importer(kind: str) -> Handler:
    def start(call: Call) -> Response:
        return _start_import(call, kind)

    start.__doc__ = f"POST .../datasets/{{dataset_id}}/imports/from-{kind} (202)."
    return start


_PREFIX: Final = "post_dataset_records_from_{0}_v1_observability_datasets__dataset_id__imports_from_{0}_post"  # noqa: E501

HANDLERS: dict[str, Handler] = {
    "create_dataset_v1_observability_datasets_post": create,
    "get_datasets_v1_observability_datasets_get": list_datasets,
    "get_dataset_by_id_v1_observability_datasets__dataset_id__get": get,
    "update_dataset_v1_observability_datasets__dataset_id__patch": update,
    "delete_dataset_v1_observability_datasets__dataset_id__delete": delete,
    "get_dataset_records_v1_observability_datasets__dataset_id__records_get": list_records,  # noqa: E501
    "create_dataset_record_v1_observability_datasets__dataset_id__records_post": create_record,  # noqa: E501
    **{
        _PREFIX.format(kind): _importer(kind)
        for kind in ("campaign", "explorer", "file", "playground", "dataset")
    },
    "export_dataset_to_jsonl_v1_observability_datasets__dataset_id__exports_to_jsonl_get": export,  # noqa: E501
    "get_dataset_import_task_v1_observability_datasets__dataset_id__tasks__task_id__get": get_task,  # noqa: E501
    "get_dataset_import_tasks_v1_observability_datasets__dataset_id__tasks_get": list_tasks,  # noqa: E501
    "get_dataset_record_v1_observability_dataset_records__dataset_record_id__get": get_record,  # noqa: E501
    "delete_dataset_record_v1_observability_dataset_records__dataset_record_id__delete": delete_record,  # noqa: E501
    "delete_dataset_records_v1_observability_dataset_records_bulk_delete_post": bulk_delete,  # noqa: E501
    "judge_dataset_record_v1_observability_dataset_records__dataset_record_id__live_judging_post": judge_record,  # noqa: E501
    "update_dataset_record_payload_v1_observability_dataset_records__dataset_record_id__payload_put": update_payload,  # noqa: E501
    "update_dataset_record_properties_v1_observability_dataset_records__dataset_record_id__properties_put": update_properties,  # noqa: E501
}

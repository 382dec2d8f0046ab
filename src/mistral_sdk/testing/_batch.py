"""Batch jobs that really run: every JSONL line goes through the emulated API.

Each read of a job moves it one step: QUEUED -> RUNNING -> SUCCESS (or FAILED
when every line failed, TIMEOUT_EXCEEDED past `timeout_hours` on the clock);
a cancelled job goes CANCELLATION_REQUESTED -> CANCELLED. Running writes an
output file (`batch_result`) and, for failed lines, an error file (`batch_error`).
"""

from __future__ import annotations

import collections
import json
from typing import Any, Final

from ._clock import parse_iso
from ._context import Call, Handler, World, json_response
from ._errors import ApiError
from ._files import create_file, file_bytes
from ._http import Response
from ._json import is_array, is_object, obj

__all__ = ["HANDLERS", "advance", "settle"]

_TERMINAL: Final = frozenset({"SUCCESS", "FAILED", "TIMEOUT_EXCEEDED", "CANCELLED"})
_PUBLIC: Final = (
    "id", "object", "input_files", "metadata", "endpoint", "model", "agent_id",
    "output_file", "error_file", "errors", "outputs", "status", "created_at",
    "total_requests", "completed_requests", "succeeded_requests",
    "failed_requests", "started_at", "completed_at",
)  # fmt: skip


def _lines(world: World, job: dict[str, Any]) -> list[tuple[str | None, Any]]:
    """Return `(custom_id, body)` per request; unreadable lines keep the raw text."""
    if job["requests"] is not None:
        return [(r.get("custom_id"), r["body"]) for r in job["requests"]]
    found: list[tuple[str | None, Any]] = []
    for file_id in job["input_files"]:
        for raw in (
            file_bytes(world, file_id)[1].decode("utf-8", "replace").splitlines()
        ):
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
                found.append((line.get("custom_id"), line["body"]))
            except (ValueError, KeyError, TypeError, AttributeError):
                found.append((None, raw))
    return found


def create(call: Call) -> Response:
    """POST /v1/batch/jobs."""
    world, body = call.world, call.json
    if not body.get("input_files") and not body.get("requests"):
        raise ApiError(400, "Either input_files or requests must be provided")
    if not body.get("model") and not body.get("agent_id"):
        raise ApiError(400, "Either model or agent_id must be provided")
    job: dict[str, Any] = {
        "id": world.ids.uuid("batch"),
        "object": "batch",
        "input_files": body.get("input_files") or [],
        "metadata": body.get("metadata"),
        "endpoint": body["endpoint"],
        "model": body.get("model"),
        "agent_id": body.get("agent_id"),
        "output_file": None,
        "error_file": None,
        "errors": [],
        "outputs": None,
        "status": "QUEUED",
        "created_at": world.now(),
        "completed_requests": 0,
        "succeeded_requests": 0,
        "failed_requests": 0,
        "started_at": None,
        "completed_at": None,
        "requests": body.get("requests"),
        "timeout_hours": body.get("timeout_hours", 24),
    }
    job["total_requests"] = len(_lines(world, job))
    world.store.put("batch", job["id"], job)
    return json_response(_public(job, inline=False))


def _public(job: dict[str, Any], *, inline: bool) -> dict[str, Any]:
    out = {key: job[key] for key in _PUBLIC}
    if not inline and job["requests"] is None:
        out["outputs"] = None
    return out


def _route(job: dict[str, Any], body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    body = dict(body)
    endpoint = job["endpoint"]
    if job["agent_id"] and endpoint == "/v1/chat/completions":
        return "/v1/agents/completions", {**body, "agent_id": job["agent_id"]}
    if job["agent_id"] and endpoint == "/v1/conversations":
        body.setdefault("agent_id", job["agent_id"])
    elif job["model"]:
        body.setdefault("model", job["model"])
    if "stream" in body:
        body["stream"] = False
    return endpoint, body


def _run(world: World, job: dict[str, Any]) -> None:
    assert world.internal is not None
    results: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    reasons: collections.Counter[str] = collections.Counter()
    for custom_id, body in _lines(world, job):
        line: dict[str, Any] = {
            "id": f"batch-{world.ids.hex('batch_line')}",
            "custom_id": custom_id,
        }
        if not is_object(body):
            line.update(
                response=None, error={"message": "Invalid JSON line", "code": 400}
            )
        else:
            path, payload = _route(job, body)
            answer = world.internal("POST", path, payload)
            line["response"] = {
                "status_code": answer.status,
                "body": json.loads(answer.content() or b"null"),
            }
            line["error"] = None
            if answer.status >= 400:
                line["error"] = {
                    "message": _reason(line["response"]["body"]),
                    "code": answer.status,
                }
        (failures if line["error"] else results).append(line)
        if line["error"]:
            reason = str(line["error"]["message"])
            reasons[reason] += 1
    job["outputs"] = results + failures
    if results:
        job["output_file"] = _write(world, job, results, "batch_result")
    if failures:
        job["error_file"] = _write(world, job, failures, "batch_error")
    job["errors"] = [{"message": m, "count": n} for m, n in reasons.items()]
    job["completed_requests"] = len(results) + len(failures)
    job["succeeded_requests"], job["failed_requests"] = len(results), len(failures)
    job["status"] = "FAILED" if failures and not results else "SUCCESS"
    job["completed_at"] = world.now()


def _reason(body: object) -> str:
    if is_object(body):
        message = body.get("message")
        if isinstance(message, str):
            return message
        detail = body.get("detail")
        if is_array(detail):
            return "; ".join(str(d.get("msg")) for d in detail if is_object(d))
    return "Request failed"


def _write(
    world: World, job: dict[str, Any], lines: list[dict[str, Any]], kind: str
) -> str:
    content = "".join(json.dumps(line) + "\n" for line in lines).encode()
    name = f"{job['id']}_{'output' if kind == 'batch_result' else 'error'}.jsonl"
    record = create_file(
        world,
        content,
        name,
        purpose="batch",
        sample_type=kind,
        mimetype="application/jsonl",
        source="mistral",
    )
    file_id: str = record["id"]
    return file_id


def advance(world: World, job: dict[str, Any]) -> dict[str, Any]:
    """Move a job one step along its lifecycle, store and return it."""
    status = job["status"]
    if status == "CANCELLATION_REQUESTED":
        job.update(status="CANCELLED", completed_at=world.now())
    elif (
        status in ("QUEUED", "RUNNING")
        and world.now() > job["created_at"] + job["timeout_hours"] * 3600
    ):
        job.update(status="TIMEOUT_EXCEEDED", completed_at=world.now())
    elif status == "QUEUED":
        job.update(status="RUNNING", started_at=world.now())
    elif status == "RUNNING":
        _run(world, job)
    world.store.put("batch", job["id"], job)
    return job


def settle(world: World) -> None:
    """Run every unfinished job to its end."""
    for job in world.store.all("batch"):
        while job["status"] not in _TERMINAL:
            job = advance(world, job)


def get(call: Call) -> Response:
    """GET /v1/batch/jobs/{job_id}: each read moves the job one step."""
    job = advance(
        call.world, call.world.require("batch", call.path["job_id"], "Batch job")
    )
    return json_response(_public(job, inline=bool(call.query.get("inline"))))


def cancel(call: Call) -> Response:
    """POST /v1/batch/jobs/{job_id}/cancel."""
    job = call.world.require("batch", call.path["job_id"], "Batch job")
    if job["status"] not in _TERMINAL:
        job["status"] = "CANCELLATION_REQUESTED"
        call.world.store.put("batch", job["id"], job)
    return json_response(_public(job, inline=False))


def list_jobs(call: Call) -> Response:
    """GET /v1/batch/jobs, filtered, ordered and paged."""
    q = call.query
    jobs = call.world.store.all("batch")
    for key in ("model", "agent_id"):
        if q.get(key) is not None:
            jobs = [j for j in jobs if j[key] == q[key]]
    if q.get("status"):
        jobs = [j for j in jobs if j["status"] in q["status"]]
    if q.get("metadata"):
        jobs = [
            j
            for j in jobs
            if all(
                obj(j["metadata"]).get(k) == v for k, v in obj(q["metadata"]).items()
            )
        ]
    if q.get("created_after"):
        after = parse_iso(q["created_after"])
        jobs = [j for j in jobs if j["created_at"] > after]
    if q["order_by"] == "-created":
        jobs.reverse()
    start = q["page"] * q["page_size"]
    page = [_public(j, inline=False) for j in jobs[start : start + q["page_size"]]]
    return json_response({"data": page, "object": "list", "total": len(jobs)})


HANDLERS: dict[str, Handler] = {
    "jobs_api_routes_batch_create_batch_job": create,
    "jobs_api_routes_batch_get_batch_jobs": list_jobs,
    "jobs_api_routes_batch_get_batch_job": get,
    "jobs_api_routes_batch_cancel_batch_job": cancel,
}

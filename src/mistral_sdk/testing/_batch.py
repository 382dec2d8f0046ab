"""Batch jobs that really run: every JSONL line goes through the emulated API.

A job waits `QUEUE_SECONDS` in QUEUED, then runs its lines at `LINES_PER_SECOND`
(faster for large jobs, which take `LONGEST_RUN_SECONDS` at most),
with its counters (`completed_requests`, `succeeded_requests`, `failed_requests`)
growing while it is RUNNING. On the system clock (a served emulator) progress
follows real time; on a virtual clock, where time moves only when told to, each
read of a running job also runs one step of at least `VIRTUAL_STEP_LINES` lines
(a quarter of the job for large ones), so polling loops see the counters move.

The job ends SUCCESS (FAILED when every line failed); TIMEOUT_EXCEEDED once the
clock passes `timeout_hours`; CANCELLED after a cancel. `Script.batch_outcome`
makes the next job(s) end FAILED or TIMEOUT_EXCEEDED part way. Whatever ran is
written to the output file (`batch_result`) and the error file (`batch_error`),
partial jobs included; `Emulator.settle()` runs every job to its end.
"""

from __future__ import annotations

import json
import math
from typing import Any, Final

from ._clock import VirtualClock, parse_iso
from ._context import Call, Handler, World, json_response
from ._errors import ApiError
from ._files import create_file, file_bytes
from ._http import Response
from ._json import is_array, is_object, obj

__all__ = [
    "HANDLERS",
    "LINES_PER_SECOND",
    "LONGEST_RUN_SECONDS",
    "QUEUE_SECONDS",
    "VIRTUAL_STEP_LINES",
    "advance",
    "settle",
]

QUEUE_SECONDS: Final = 1.0
"""How long a job stays QUEUED on the system clock."""
LINES_PER_SECOND: Final = 200.0
"""How fast a running job works through its lines on the system clock..."""
LONGEST_RUN_SECONDS: Final = 10.0
"""...unless that would take longer than this: large jobs run faster."""
VIRTUAL_STEP_LINES: Final = 1000
"""The fewest lines one read of a running job runs on a virtual clock."""

_TERMINAL: Final = frozenset({"SUCCESS", "FAILED", "TIMEOUT_EXCEEDED", "CANCELLED"})
_SCRIPTABLE: Final = frozenset({"FAILED", "TIMEOUT_EXCEEDED"})
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


def _scripted_end(world: World) -> dict[str, Any] | None:
    end = world.script.next_result("batch")
    if end is None:
        return None
    status, after = end["status"], float(end["after"])
    if status not in _SCRIPTABLE or not 0.0 <= after <= 1.0:
        raise ApiError(400, f"cannot script a batch job ending {status!r} at {after}")
    return {"status": status, "after": after}


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
        "queued_since": world.clock.now(),
        "completed_requests": 0,
        "succeeded_requests": 0,
        "failed_requests": 0,
        "started_at": None,
        "completed_at": None,
        "requests": body.get("requests"),
        "timeout_hours": body.get("timeout_hours", 24),
        "end": _scripted_end(world),
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


def _answer(world: World, job: dict[str, Any], custom_id: str | None, body: Any) -> Any:
    assert world.internal is not None
    line: dict[str, Any] = {
        "id": f"batch-{world.ids.hex('batch_line')}",
        "custom_id": custom_id,
    }
    if not is_object(body):
        line.update(response=None, error={"message": "Invalid JSON line", "code": 400})
        return line
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
    return line


def _run_lines(world: World, job: dict[str, Any], upto: int) -> None:
    """Run the job's lines `completed_requests` .. `upto`, appending their answers."""
    start = job["completed_requests"]
    if upto <= start:
        return
    reasons = {e["message"]: e["count"] for e in job["errors"]}
    written: dict[str, list[bytes]] = {"out": [], "err": []}
    for custom_id, body in _lines(world, job)[start:upto]:
        line = _answer(world, job, custom_id, body)
        kind = "err" if line["error"] else "out"
        written[kind].append(json.dumps(line).encode() + b"\n")
        if line["error"]:
            reason = str(line["error"]["message"])
            reasons[reason] = reasons.get(reason, 0) + 1
    for kind, chunks in written.items():
        if chunks:
            key = f"batch:{job['id']}:{kind}"
            previous = world.store.get_blob(key) or b""
            world.store.put_blob(key, previous + b"".join(chunks))
    job["errors"] = [{"message": m, "count": n} for m, n in reasons.items()]
    job["completed_requests"] = upto
    job["succeeded_requests"] += len(written["out"])
    job["failed_requests"] += len(written["err"])


def _finish(world: World, job: dict[str, Any], status: str) -> None:
    """End a job: its answers so far become its output and error files."""
    outputs: list[Any] = []
    for kind, sample_type in (("out", "batch_result"), ("err", "batch_error")):
        key = f"batch:{job['id']}:{kind}"
        content = world.store.get_blob(key)
        world.store.delete_blob(key)
        if not content:
            continue
        name = f"{job['id']}_{'output' if kind == 'out' else 'error'}.jsonl"
        record = create_file(
            world,
            content,
            name,
            purpose="batch",
            sample_type=sample_type,
            mimetype="application/jsonl",
            source="mistral",
        )
        job["output_file" if kind == "out" else "error_file"] = record["id"]
        if job["requests"] is not None:
            outputs += [json.loads(line) for line in content.splitlines()]
    if job["requests"] is not None:
        job["outputs"] = outputs
    job.update(status=status, completed_at=world.now())


def _reason(body: object) -> str:
    if is_object(body):
        message = body.get("message")
        if isinstance(message, str):
            return message
        detail = body.get("detail")
        if is_array(detail):
            return "; ".join(str(d.get("msg")) for d in detail if is_object(d))
    return "Request failed"


def _limit(job: dict[str, Any]) -> int:
    """Return how many lines the job runs before it ends."""
    end = job.get("end")
    total: int = job["total_requests"]
    return total if end is None else math.floor(total * end["after"])


def _due(world: World, job: dict[str, Any]) -> int:
    """Return how many lines should have run by now."""
    # Jobs stored by an older emulator (a --database file) lack the exact times.
    since = job.get("running_since", job["started_at"])
    elapsed = max(world.clock.now() - since, 0.0)
    rate = max(LINES_PER_SECOND, job["total_requests"] / LONGEST_RUN_SECONDS)
    due = int(elapsed * rate)
    if isinstance(world.clock, VirtualClock):
        # Virtual time stands still between reads: each read is one step.
        step = max(VIRTUAL_STEP_LINES, math.ceil(job["total_requests"] / 4))
        due = max(due, job["completed_requests"] + step)
    return min(due, _limit(job))


def _step(world: World, job: dict[str, Any], *, to_end: bool) -> None:
    status = job["status"]
    expired = world.now() > job["created_at"] + job["timeout_hours"] * 3600
    if status == "CANCELLATION_REQUESTED":
        _finish(world, job, "CANCELLED")
    elif expired:
        _finish(world, job, "TIMEOUT_EXCEEDED")
    elif status == "QUEUED":
        waited = world.clock.now() - job.get("queued_since", job["created_at"])
        if to_end or waited >= QUEUE_SECONDS or isinstance(world.clock, VirtualClock):
            # `started_at` is whole seconds, as the API writes it; progress is
            # measured from the exact time.
            job.update(
                status="RUNNING",
                started_at=world.now(),
                running_since=world.clock.now(),
            )
    elif status == "RUNNING":
        _run_lines(world, job, _limit(job) if to_end else _due(world, job))
        if job["completed_requests"] >= _limit(job):
            _finish(world, job, _final_status(job))


def _final_status(job: dict[str, Any]) -> str:
    if job.get("end") is not None:
        status: str = job["end"]["status"]
        return status
    return (
        "FAILED"
        if job["failed_requests"] and not job["succeeded_requests"]
        else ("SUCCESS")
    )


def advance(world: World, job: dict[str, Any]) -> dict[str, Any]:
    """Move a job along its lifecycle as far as the clock allows; store it."""
    if job["status"] not in _TERMINAL:
        _step(world, job, to_end=False)
    world.store.put("batch", job["id"], job)
    return job


def settle(world: World) -> None:
    """Run every unfinished job to its end."""
    for job in world.store.all("batch"):
        while job["status"] not in _TERMINAL:
            _step(world, job, to_end=True)
        world.store.put("batch", job["id"], job)


def get(call: Call) -> Response:
    """GET /v1/batch/jobs/{job_id}: each read moves the job on."""
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

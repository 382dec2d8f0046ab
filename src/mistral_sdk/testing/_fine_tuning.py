"""Fine-tuning jobs, whose success creates a fine-tuned model.

Each read of a job moves it one step: QUEUED -> VALIDATING -> VALIDATED ->
RUNNING -> SUCCESS. Training data that is not JSONL with `messages` (or `text`
and `labels` for classifiers) ends in FAILED_VALIDATION. A job created with
`auto_start: false` waits in VALIDATED until started; a cancelled one goes
CANCELLATION_REQUESTED -> CANCELLED.
"""

from __future__ import annotations

import json
import operator
import time
from typing import Any, Final

from ._catalogue import find_base
from ._clock import parse_iso
from ._context import Call, Handler, World, json_response
from ._errors import ApiError
from ._files import file_bytes
from ._generation import count_tokens
from ._http import Response
from ._json import array, is_object, obj

__all__ = ["HANDLERS", "advance", "settle"]

_TERMINAL: Final = frozenset({"SUCCESS", "FAILED", "FAILED_VALIDATION", "CANCELLED"})
_NEXT: Final = {
    "QUEUED": "VALIDATING",
    "VALIDATING": "VALIDATED",
    "VALIDATED": "RUNNING",
    "RUNNING": "SUCCESS",
}
_SUMMARY: Final = (
    "id", "auto_start", "model", "status", "created_at", "modified_at",
    "training_files", "validation_files", "object", "fine_tuned_model", "suffix",
    "integrations", "trained_tokens", "metadata", "job_type", "hyperparameters",
)  # fmt: skip


def _view(job: dict[str, Any], *, detailed: bool) -> dict[str, Any]:
    out = {key: job[key] for key in _SUMMARY}
    if job["job_type"] == "completion":
        out["repositories"] = job["repositories"]
    if detailed:
        out["events"] = job["events"]
        out["checkpoints"] = job["checkpoints"]
        if job["job_type"] == "classifier":
            out["classifier_targets"] = job["classifier_targets"]
    return out


def _training_tokens(
    world: World, job_type: str, file_ids: list[str]
) -> tuple[int, bool]:
    """Return the token count of the training data, and whether it is valid."""
    tokens, valid = 0, True
    needed = ("text", "labels") if job_type == "classifier" else ("messages",)
    for file_id in file_ids:
        for raw in (
            file_bytes(world, file_id)[1].decode("utf-8", "replace").splitlines()
        ):
            if not raw.strip():
                continue
            try:
                line = json.loads(raw)
            except ValueError:
                line = None
            valid = valid and is_object(line) and all(k in line for k in needed)
            tokens += count_tokens(raw)
    return tokens, valid


def create(call: Call) -> Response:
    """POST /v1/fine_tuning/jobs (`?dry_run=true`: the cost estimate only)."""
    world, body = call.world, call.json
    base = find_base(body["model"])
    if base is None or "fine_tuning" not in base.capabilities:
        raise ApiError.invalid_model(body["model"])
    job_type = body.get("job_type") or (
        "classifier" if body.get("classifier_targets") else "completion"
    )
    if job_type == "classifier" and not body.get("classifier_targets"):
        raise ApiError(400, "classifier_targets are required for a classifier job")
    files: list[str] = [f["file_id"] for f in array(body.get("training_files"))]
    tokens, _ = _training_tokens(world, job_type, files)
    for file_id in array(body.get("validation_files")):
        file_bytes(world, file_id)
    params = {"learning_rate": 0.0001, **body["hyperparameters"]}
    epochs = params.get("epochs") or 1.0
    metadata: dict[str, Any] = {
        "expected_duration_seconds": 60 + tokens // 100,
        "cost": round(tokens * epochs * 4e-6, 4),
        "cost_currency": "EUR",
        "train_tokens_per_step": 131072,
        "train_tokens": int(tokens * epochs),
        "data_tokens": tokens,
        "estimated_start_time": None,
    }
    if call.query.get("dry_run"):
        legacy: dict[str, Any] = {
            **metadata,
            "deprecated": True,
            "details": "",
            "epochs": epochs,
            "training_steps": params.get("training_steps"),
            "object": "job.metadata",
        }
        return json_response(legacy)
    now = world.now()
    job: dict[str, Any] = {
        "id": world.ids.uuid("fine_tuning_job"),
        "auto_start": body.get("auto_start", True),
        "model": body["model"],
        "status": "QUEUED",
        "created_at": now,
        "modified_at": now,
        "training_files": files,
        "validation_files": body.get("validation_files"),
        "object": "job",
        "fine_tuned_model": None,
        "suffix": body.get("suffix"),
        "integrations": [
            {k: v for k, v in i.items() if k != "api_key"} | {"url": None}
            for i in map(obj, array(body.get("integrations")))
        ],
        "trained_tokens": None,
        "metadata": metadata,
        "job_type": job_type,
        "hyperparameters": params,
        "repositories": [
            {k: v for k, v in r.items() if k != "token"} | {"commit_id": "0" * 40}
            for r in map(obj, array(body.get("repositories")))
        ],
        "classifier_targets": [
            {"weight": 1.0, "loss_function": "single_class", **t}
            for t in map(obj, array(body.get("classifier_targets")))
        ],
        "events": [],
        "checkpoints": [],
    }
    _event(world, job, "QUEUED")
    world.store.put("ft_job", job["id"], job)
    return json_response(_view(job, detailed=False))


def _event(world: World, job: dict[str, Any], status: str) -> None:
    job.update(status=status, modified_at=world.now())
    job["events"].append(
        {
            "name": "status-updated",
            "data": {"status": status},
            "created_at": world.now(),
        }
    )


def _succeed(world: World, job: dict[str, Any]) -> None:
    base = find_base(job["model"])
    root = base.id if base else job["model"]
    date = time.strftime("%Y%m%d", time.gmtime(world.now()))
    model_id = f"ft:{root}:{world.workspace_id[:8]}:{date}:{job['id'][:8]}"
    world.store.put("ft_model", model_id, {
        "id": model_id, "created": world.now(), "owned_by": world.org_id,
        "workspace_id": world.workspace_id, "root": root, "root_version": date,
        "archived": False, "name": None, "description": None, "job": job["id"],
        "model_type": job["job_type"], "classifier_targets": job["classifier_targets"],
    })  # fmt: skip
    tokens = job["metadata"]["train_tokens"]
    job["fine_tuned_model"], job["trained_tokens"] = model_id, tokens
    job["checkpoints"] = [
        {
            "metrics": {
                "train_loss": round(1.2 / step, 4),
                "valid_loss": round(1.3 / step, 4),
                "valid_mean_token_accuracy": round(1 - 0.3 / step, 4),
            },
            "step_number": step * 10,
            "created_at": world.now(),
        }
        for step in (1, 2, 3)
    ]


def advance(world: World, job: dict[str, Any]) -> dict[str, Any]:
    """Move a job one step along its lifecycle, store and return it."""
    status = job["status"]
    if status == "CANCELLATION_REQUESTED":
        _event(world, job, "CANCELLED")
    elif status == "VALIDATING":
        _, valid = _training_tokens(world, job["job_type"], job["training_files"])
        _event(world, job, "VALIDATED" if valid else "FAILED_VALIDATION")
    elif status == "VALIDATED" and not job["auto_start"]:
        pass
    elif status in _NEXT:
        if _NEXT[status] == "SUCCESS":
            _succeed(world, job)
        _event(world, job, _NEXT[status])
    world.store.put("ft_job", job["id"], job)
    return job


def settle(world: World) -> None:
    """Run every unfinished job that can move on to its end."""
    for job in world.store.all("ft_job"):
        while job["status"] not in _TERMINAL and not (
            job["status"] == "VALIDATED" and not job["auto_start"]
        ):
            job = advance(world, job)


def get(call: Call) -> Response:
    """GET /v1/fine_tuning/jobs/{job_id}: each read moves the job one step."""
    job = call.world.require("ft_job", call.path["job_id"], "Fine-tuning job")
    return json_response(_view(advance(call.world, job), detailed=True))


def start(call: Call) -> Response:
    """POST /v1/fine_tuning/jobs/{job_id}/start: release a job held in VALIDATED."""
    job = call.world.require("ft_job", call.path["job_id"], "Fine-tuning job")
    if job["status"] in _TERMINAL:
        raise ApiError(409, f"Job {job['id']} is {job['status']} and cannot start")
    job["auto_start"] = True
    if job["status"] == "VALIDATED":
        _event(call.world, job, "RUNNING")
    call.world.store.put("ft_job", job["id"], job)
    return json_response(_view(job, detailed=True))


def cancel(call: Call) -> Response:
    """POST /v1/fine_tuning/jobs/{job_id}/cancel."""
    job = call.world.require("ft_job", call.path["job_id"], "Fine-tuning job")
    if job["status"] not in _TERMINAL:
        _event(call.world, job, "CANCELLATION_REQUESTED")
        call.world.store.put("ft_job", job["id"], job)
    return json_response(_view(job, detailed=True))


def list_jobs(call: Call) -> Response:
    """GET /v1/fine_tuning/jobs, filtered and paged, newest first."""
    q = call.query
    jobs = list(reversed(call.world.store.all("ft_job")))
    for key in ("model", "status", "suffix"):
        if q.get(key) is not None:
            jobs = [j for j in jobs if j[key] == q[key]]
    for key, keep in (("created_after", operator.gt), ("created_before", operator.lt)):
        if q.get(key):
            bound = parse_iso(q[key])
            jobs = [j for j in jobs if keep(j["created_at"], bound)]
    for key, field in (("wandb_project", "project"), ("wandb_name", "name")):
        if q.get(key) is not None:
            jobs = [
                j
                for j in jobs
                if any(i.get(field) == q[key] for i in j["integrations"])
            ]
    start_at = q["page"] * q["page_size"]
    page = [
        _view(j, detailed=False) for j in jobs[start_at : start_at + q["page_size"]]
    ]
    return json_response({"data": page, "object": "list", "total": len(jobs)})


HANDLERS: dict[str, Handler] = {
    "jobs_api_routes_fine_tuning_create_fine_tuning_job": create,
    "jobs_api_routes_fine_tuning_get_fine_tuning_jobs": list_jobs,
    "jobs_api_routes_fine_tuning_get_fine_tuning_job": get,
    "jobs_api_routes_fine_tuning_cancel_fine_tuning_job": cancel,
    "jobs_api_routes_fine_tuning_start_fine_tuning_job": start,
}

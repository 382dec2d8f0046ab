"""The state of a batch run, sans-IO apart from its atomic file.

Everything a crashed run needs to continue: which part of the input each shard
(job) holds, the uploaded file and created job of each, the job's last known
counters, and how many of its results were already handed out. `save_state`
replaces the file atomically (write, fsync, rename), so a crash leaves either
the old state or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Final, TypeAlias, cast

__all__ = [
    "FINAL_STATUSES",
    "BatchProgress",
    "JobProgress",
    "ProgressCallback",
    "RunState",
    "ShardState",
    "load_state",
    "next_poll_delay",
    "save_state",
]

FINAL_STATUSES: Final = frozenset(
    {"SUCCESS", "FAILED", "TIMEOUT_EXCEEDED", "CANCELLED"}
)
"""Job statuses after which nothing changes."""
_VERSION: Final = 1


@dataclass
class ShardState:
    """One job of a run and the slice of the input it holds.

    Attributes:
        index: The shard's number in the run.
        first: The input position of its first request.
        count: How many requests it holds (known once uploaded).
        size: Its input file's size in bytes.
        file_id: The uploaded input file; None until the upload finished.
        job_id: The created job; None until created.
        status: The job's last known status.
        total: The job's request count, as the API reports it.
        completed: Requests the job finished, successfully or not.
        succeeded: Requests that got a response.
        failed: Requests that got an error.
        output_file: The job's output file, once it ended.
        error_file: The job's error file, once it ended.
        handed_out: Results of this shard already handed out.
        order: The order its results are handed out in ("completion" or
            "input"), fixed by the first one handed out: `handed_out` counts
            results in that order, so a resume asking for the other order
            still skips exactly the results already handed out.
        done: Every result of this shard was handed out.
        retry_of: The shard whose failed requests this one resends.
        retried: A retry shard holds this shard's failed requests.
    """

    index: int
    first: int
    count: int = 0
    size: int = 0
    file_id: str | None = None
    job_id: str | None = None
    status: str | None = None
    total: int = 0
    completed: int = 0
    succeeded: int = 0
    failed: int = 0
    output_file: str | None = None
    error_file: str | None = None
    handed_out: int = 0
    order: str | None = None
    done: bool = False
    retry_of: int | None = None
    retried: bool = False

    @property
    def finished(self) -> bool:
        """Return whether the job reached a final status."""
        return self.status in FINAL_STATUSES

    @property
    def incomplete(self) -> bool:
        """Return whether the job ended without running every request well."""
        return self.finished and (self.status != "SUCCESS" or self.failed > 0)


@dataclass
class RunState:
    """Everything needed to continue a batch run.

    Attributes:
        endpoint: The API endpoint every request goes to.
        model: The model (or None with an agent).
        metadata: The caller's job metadata.
        max_requests: Requests per job at most.
        max_bytes: Input bytes per job at most.
        timeout_hours: The jobs' timeout, if given.
        retry_failed: Resend failed requests once as a new job.
        run_id: A random id tagging the run's jobs (in their metadata), so a
            job created just before a crash is found again, not created twice.
        next_input: The input position after the last shard.
        input_done: Every request of the input is in a shard.
        shards: The run's shards, in input order (retries last).
        unconfirmed_uploads: Names of the input files whose upload began but
            whose id is not recorded yet: a crash may have come after the
            upload, so a resume looks for the file before uploading it again.
    """

    endpoint: str
    model: str | None
    metadata: dict[str, str] | None = None
    max_requests: int = 0
    max_bytes: int = 0
    timeout_hours: int | None = None
    retry_failed: bool = False
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    next_input: int = 0
    input_done: bool = False
    shards: list[ShardState] = field(default_factory=list["ShardState"])
    unconfirmed_uploads: list[str] = field(default_factory=list[str])

    def job_metadata(self, shard: ShardState) -> dict[str, str]:
        """Return the metadata a shard's job is created with."""
        tags = {"mistral_sdk_run": self.run_id, "mistral_sdk_shard": str(shard.index)}
        return {**(self.metadata or {}), **tags}

    def upload_name(self, shard: ShardState) -> str:
        """Return the file name a shard's input is uploaded under.

        Unique to the run and to what the shard holds (an original shard's
        place in the input, or the shard a retry resends), so a resume finds
        an upload of it by name whatever order the run went on in.
        """
        if shard.retry_of is not None:
            return f"batch-{self.run_id}-{shard.retry_of}-retry.jsonl"
        return f"batch-{self.run_id}-{shard.index}.jsonl"

    def to_json(self) -> str:
        """Return the state as JSON text."""
        return json.dumps({"version": _VERSION, **asdict(self)}, indent=1)

    @classmethod
    def from_json(cls, text: str | bytes) -> RunState:
        """Read a state written by `to_json`.

        Raises:
            ValueError: The text is not a batch run state of a known version.
        """
        try:
            data: object = json.loads(text)
            fields = cast("dict[str, Any]", data) if isinstance(data, dict) else {}
            if fields.get("version") != _VERSION:
                raise ValueError("not a mistral-sdk batch run state file")
            fields = dict(fields)
            fields.pop("version")
            shards = [ShardState(**shard) for shard in fields.pop("shards")]
            return cls(**fields, shards=shards)
        except (KeyError, TypeError) as error:
            # A field missing, unknown or of the wrong kind: damaged, or written
            # by another version; never half-read.
            raise ValueError(f"not a usable batch run state file ({error})") from None

    @property
    def total(self) -> int:
        """Return the requests in the run's shards, retries not counted twice."""
        return sum(s.count for s in self.shards if s.retry_of is None)


@dataclass(frozen=True, slots=True)
class JobProgress:
    """Where one job of a run stands (what `on_progress` callbacks get per job)."""

    shard: int
    job_id: str | None
    status: str | None
    total: int
    completed: int
    succeeded: int
    failed: int


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """Where a whole run stands; `total`/`completed`/... sum every job's counters.

    Attributes:
        phase: "uploading", "running", "results" or "done".
        uploaded: Requests written to the uploads so far.
        jobs: Each job's progress, in shard order.
    """

    phase: str
    uploaded: int
    jobs: tuple[JobProgress, ...]
    total: int
    completed: int
    succeeded: int
    failed: int

    @classmethod
    def of(cls, state: RunState, phase: str, uploaded: int) -> BatchProgress:
        """Return the progress of a run as its state records it."""
        jobs = tuple(
            JobProgress(
                s.index,
                s.job_id,
                s.status,
                s.total or s.count,
                s.completed,
                s.succeeded,
                s.failed,
            )
            for s in state.shards
        )
        return cls(
            phase,
            uploaded,
            jobs,
            sum(j.total for j in jobs),
            sum(j.completed for j in jobs),
            sum(j.succeeded for j in jobs),
            sum(j.failed for j in jobs),
        )


ProgressCallback: TypeAlias = Callable[[BatchProgress], object]
"""Called with a run's progress after each upload step and each poll."""


def save_state(path: str | os.PathLike[str], state: RunState) -> None:
    """Replace the state file at `path` atomically."""
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    handle, temporary = tempfile.mkstemp(
        prefix=".batch-state-", suffix=".tmp", dir=directory
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(state.to_json())
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def load_state(path: str | os.PathLike[str]) -> RunState:
    """Read the state file at `path`.

    Raises:
        OSError: The file cannot be read.
        ValueError: It is not a batch run state.
    """
    with open(path, encoding="utf-8") as file:
        return RunState.from_json(file.read())


def next_poll_delay(
    previous: float | None,
    *,
    poll_interval: float,
    max_interval: float,
    remaining: int,
    rate: float | None,
) -> float:
    """Return how long to wait before the next poll of unfinished jobs.

    Starts at `poll_interval` and backs off by half each time, but not past
    the time the rest should take when the jobs report progress (`rate`:
    requests per second), so the end is seen soon. Never below `poll_interval`,
    never above `max_interval` (unless `poll_interval` is larger).
    """
    delay = poll_interval if previous is None else previous * 1.5
    if rate is not None and rate > 0:
        delay = min(delay, remaining / rate)
    return max(poll_interval, min(delay, max(max_interval, poll_interval)))

"""The emulator's batch jobs: counters that move, partial files, scripted ends."""

from __future__ import annotations

import json
from typing import Any

from mistral_sdk import Mistral
from mistral_sdk.testing import Emulator, SystemClock
from mistral_sdk.types import BatchJobOut

MODEL = "mistral-small-latest"


def upload(client: Mistral, count: int) -> str:
    lines = "".join(
        json.dumps(
            {
                "custom_id": f"r{i}",
                "body": {"messages": [{"role": "user", "content": f"q{i}"}]},
            }
        )
        + "\n"
        for i in range(count)
    )
    return client.files.upload(file=("in.jsonl", lines.encode()), purpose="batch").id


def follow(client: Mistral, job: BatchJobOut) -> list[BatchJobOut]:
    seen = [job]
    while seen[-1].status in ("QUEUED", "RUNNING"):
        seen.append(client.batch.jobs.get(job.id))
    return seen


def lines_of(client: Mistral, file_id: str | None) -> list[dict[str, Any]]:
    if file_id is None:
        return []
    raw = client.files.download(file_id).read()
    return [json.loads(line) for line in raw.splitlines()]


def test_a_large_job_reports_growing_counters(client: Mistral) -> None:
    job = client.batch.jobs.create(
        input_files=[upload(client, 6000)], endpoint="/v1/chat/completions", model=MODEL
    )

    seen = follow(client, job)

    running = [j.completed_requests for j in seen if j.status == "RUNNING"]
    assert running == [0, 1500, 3000, 4500]
    assert seen[-1].status == "SUCCESS"
    assert seen[-1].succeeded_requests == 6000
    assert len(lines_of(client, seen[-1].output_file)) == 6000


def test_a_scripted_failure_keeps_what_ran(emulator: Emulator, client: Mistral) -> None:
    emulator.script.batch_outcome("FAILED", after=0.5)
    emulator.script.error(422, "nope", on="POST /v1/chat/completions", times=1)
    job = client.batch.jobs.create(
        input_files=[upload(client, 10)], endpoint="/v1/chat/completions", model=MODEL
    )

    done = follow(client, job)[-1]

    assert done.status == "FAILED"
    assert (done.completed_requests, done.succeeded_requests) == (5, 4)
    assert [line["custom_id"] for line in lines_of(client, done.error_file)] == ["r0"]
    ran = [line["custom_id"] for line in lines_of(client, done.output_file)]
    assert ran == ["r1", "r2", "r3", "r4"]


def test_a_scripted_expiry_over_http(emulator: Emulator, client: Mistral) -> None:
    answer = emulator.handle(
        "POST",
        "/_emulator/script/batch_outcome",
        headers={"authorization": "Bearer test-api-key"},
        body=b'{"status": "TIMEOUT_EXCEEDED", "after": 0}',
    )
    job = client.batch.jobs.create(
        input_files=[upload(client, 3)], endpoint="/v1/chat/completions", model=MODEL
    )

    done = follow(client, job)[-1]

    assert answer.status == 200
    assert (done.status, done.completed_requests, done.output_file) == (
        "TIMEOUT_EXCEEDED",
        0,
        None,
    )


def test_a_job_expires_when_the_clock_passes_its_timeout(
    emulator: Emulator, client: Mistral
) -> None:
    job = client.batch.jobs.create(
        input_files=[upload(client, 3)],
        endpoint="/v1/chat/completions",
        model=MODEL,
        timeout_hours=1,
    )
    emulator.clock.sleep(3601)

    assert client.batch.jobs.get(job.id).status == "TIMEOUT_EXCEEDED"


def test_a_cancelled_job_keeps_its_partial_output(client: Mistral) -> None:
    job = client.batch.jobs.create(
        input_files=[upload(client, 3000)], endpoint="/v1/chat/completions", model=MODEL
    )
    client.batch.jobs.get(job.id)
    client.batch.jobs.get(job.id)
    client.batch.jobs.cancel(job.id)

    done = client.batch.jobs.get(job.id)

    assert (done.status, done.completed_requests) == ("CANCELLED", 1000)
    assert len(lines_of(client, done.output_file)) == 1000


def test_on_the_system_clock_a_job_waits_in_the_queue() -> None:
    emulator = Emulator(clock=SystemClock())
    with emulator.client() as client:
        job = client.batch.jobs.create(
            input_files=[upload(client, 2)],
            endpoint="/v1/chat/completions",
            model=MODEL,
        )
        assert client.batch.jobs.get(job.id).status == "QUEUED"
        emulator.settle()
        assert client.batch.jobs.get(job.id).status == "SUCCESS"


class WallClock:
    """A clock that is not virtual (so jobs follow time) but moves when told."""

    def __init__(self) -> None:
        self.time = 1_800_000_000.0

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.time += seconds


def test_on_a_real_clock_counters_follow_time() -> None:
    clock = WallClock()
    emulator = Emulator(clock=clock)
    with emulator.client() as client:
        job = client.batch.jobs.create(
            input_files=[upload(client, 1000)],
            endpoint="/v1/chat/completions",
            model=MODEL,
        )
        seen = []
        for seconds in (0.5, 1.0, 1.0, 2.0, 2.0):
            clock.sleep(seconds)
            now = client.batch.jobs.get(job.id)
            seen.append((now.status, now.completed_requests))

    assert seen == [
        ("QUEUED", 0),
        ("RUNNING", 0),
        ("RUNNING", 200),
        ("RUNNING", 600),
        ("SUCCESS", 1000),
    ]


def test_a_large_job_on_a_real_clock_takes_ten_seconds_at_most() -> None:
    clock = WallClock()
    emulator = Emulator(clock=clock)
    with emulator.client() as client:
        job = client.batch.jobs.create(
            input_files=[upload(client, 4000)],
            endpoint="/v1/chat/completions",
            model=MODEL,
        )
        clock.sleep(1.0)
        client.batch.jobs.get(job.id)
        clock.sleep(5.0)
        half = client.batch.jobs.get(job.id)
        clock.sleep(5.0)
        done = client.batch.jobs.get(job.id)

    assert (half.status, half.completed_requests) == ("RUNNING", 2000)
    assert done.status == "SUCCESS"

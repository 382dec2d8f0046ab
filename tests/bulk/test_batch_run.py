"""`client.batch.run` / `resume` against the emulator, on both clients."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mistral_sdk import ResponseValidationError
from mistral_sdk.helpers.batch_results import BatchResult
from mistral_sdk.helpers.batch_state import BatchProgress, load_state
from mistral_sdk.testing import Emulator
from mistral_sdk.types import ChatCompletionResponse, EmbeddingResponse

from .conftest import Blocking

MODEL = "mistral-small-latest"


def questions(count: int, start: int = 0) -> Iterator[dict[str, Any]]:
    for i in range(start, count):
        yield {"messages": [{"role": "user", "content": f"question {i}"}]}


def calls(emulator: Emulator, method: str, path: str) -> int:
    return sum(1 for r in emulator.requests if (r.method, r.path) == (method, path))


def test_ten_thousand_requests_give_ten_thousand_results(
    sdk: Any, emulator: Emulator
) -> None:
    seen: list[BatchProgress] = []
    run = sdk.batch.run(
        questions(10_000),
        model=MODEL,
        poll_interval=0,
        max_requests_per_job=4000,
        on_progress=seen.append,
    )

    results: list[BatchResult] = list(run.results(order="input"))

    assert [r.custom_id for r in results] == [f"request-{i}" for i in range(10_000)]
    assert all(r.ok and isinstance(r.response, ChatCompletionResponse) for r in results)
    assert results[1234].response.choices[0].message.content == "question 1234"
    assert [s.count for s in run.shards] == [4000, 4000, 2000]
    assert calls(emulator, "POST", "/v1/batch/jobs") == 3
    assert seen[-1].phase == "done"
    assert (seen[-1].total, seen[-1].succeeded) == (10_000, 10_000)
    assert any(0 < p.completed < 10_000 for p in seen if p.phase == "running")


def test_given_custom_ids_and_another_endpoint(sdk: Any) -> None:
    requests = [{"custom_id": f"doc-{i}", "input": [f"text {i}"]} for i in range(3)]

    run = sdk.batch.run(
        requests, model="mistral-embed", endpoint="/v1/embeddings", poll_interval=0
    )
    results = {r.custom_id: r for r in run.results()}

    assert sorted(results) == ["doc-0", "doc-1", "doc-2"]
    assert all(isinstance(r.response, EmbeddingResponse) for r in results.values())


def test_inputs_are_split_by_bytes(sdk: Any) -> None:
    run = sdk.batch.run(
        questions(30), model=MODEL, poll_interval=0, max_bytes_per_job=1000
    )

    sizes = [s.size for s in run.shards]

    assert len(sizes) > 1
    assert all(size <= 1000 for size in sizes)
    assert sum(s.count for s in run.shards) == 30
    assert len({r.custom_id for r in run.results()}) == 30


def test_a_failed_request_is_a_result_with_its_status(
    sdk: Any, emulator: Emulator
) -> None:
    emulator.script.error(422, "bad request", on="POST /v1/chat/completions")

    run = sdk.batch.run(questions(3), model=MODEL, poll_interval=0)
    results = list(run.results(order="input"))

    assert [r.ok for r in results] == [False, True, True]
    error = results[0].error
    assert error is not None
    assert (error.status, error.message) == (422, "bad request")


def test_a_failed_job_is_reported_per_shard(sdk: Any, emulator: Emulator) -> None:
    emulator.script.batch_outcome("FAILED", after=0.5)

    run = sdk.batch.run(
        questions(20), model=MODEL, poll_interval=0, max_requests_per_job=10
    )
    results = list(run.results())

    assert [s.index for s in run.failed_shards] == [0]
    assert run.shards[0].status == "FAILED"
    not_run = sorted(r.custom_id for r in results if not r.ok)
    assert not_run == [f"request-{i}" for i in range(5, 10)]
    assert all(r.error.status is None for r in results if r.error is not None)
    assert len(results) == 20


def test_a_failed_shard_is_retried_alone(sdk: Any, emulator: Emulator) -> None:
    emulator.script.batch_outcome("TIMEOUT_EXCEEDED", after=0.3)

    run = sdk.batch.run(
        questions(20),
        model=MODEL,
        poll_interval=0,
        max_requests_per_job=10,
        retry_failed=True,
    )
    results = list(run.results(order="input"))

    assert [r.custom_id for r in results] == [
        *(f"request-{i}" for i in range(3)),
        *(f"request-{i}" for i in range(10, 20)),
        *(f"request-{i}" for i in range(3, 10)),
    ]
    assert all(r.ok for r in results)
    retry = run.shards[2]
    assert (retry.retry_of, retry.count, retry.status) == (0, 7, "SUCCESS")
    assert calls(emulator, "POST", "/v1/batch/jobs") == 3


def test_the_state_file_lets_a_new_run_object_finish(
    sdk: Any, emulator: Emulator, tmp_path: Path
) -> None:
    state_file = str(tmp_path / "run.json")
    first = sdk.batch.run(
        questions(25),
        model=MODEL,
        poll_interval=0,
        max_requests_per_job=10,
        state_file=state_file,
    )
    results = first.results()
    taken = [r.custom_id for _, r in zip(range(12), results, strict=False)]
    results.close()

    again = sdk.batch.resume(state_file, poll_interval=0)
    rest = [r.custom_id for r in again.results()]

    assert calls(emulator, "POST", "/v1/files") == 3
    assert calls(emulator, "POST", "/v1/batch/jobs") == 3
    assert sorted(taken + rest) == sorted(f"request-{i}" for i in range(25))
    assert all(shard.done for shard in load_state(state_file).shards)


def test_resume_continues_an_upload_that_broke(
    sdk: Any, emulator: Emulator, tmp_path: Path
) -> None:
    state_file = str(tmp_path / "run.json")

    def breaking() -> Iterator[dict[str, Any]]:
        yield from questions(14)
        raise RuntimeError("the input broke")

    with pytest.raises(RuntimeError, match="the input broke"):
        sdk.batch.run(
            breaking(),
            model=MODEL,
            poll_interval=0,
            max_requests_per_job=5,
            state_file=state_file,
        )
    with pytest.raises(ValueError, match="pass the same requests"):
        sdk.batch.resume(state_file)
    run = sdk.batch.resume(state_file, requests=questions(23), poll_interval=0)

    assert [s.first for s in run.shards] == [0, 5, 10, 15, 20]
    assert calls(emulator, "POST", "/v1/batch/jobs") == 5
    ids = [r.custom_id for r in run.results(order="input")]
    assert ids == [f"request-{i}" for i in range(23)]


def test_a_job_created_before_a_crash_is_found_not_created_again(
    sdk: Any, emulator: Emulator, tmp_path: Path
) -> None:
    state_file = tmp_path / "run.json"
    sdk.batch.run(questions(4), model=MODEL, state_file=str(state_file))
    # As if the process died between creating the job and recording its id.
    state = json.loads(state_file.read_text())
    state["shards"][0]["job_id"] = None
    state_file.write_text(json.dumps(state))

    run = sdk.batch.resume(str(state_file), poll_interval=0)

    assert calls(emulator, "POST", "/v1/batch/jobs") == 1
    assert len(list(run.results())) == 4


def test_polls_are_never_closer_than_poll_interval(sdk: Any) -> None:
    from factories import FakeClock, install_clock

    clock = FakeClock()
    install_clock(sdk.target if isinstance(sdk, Blocking) else sdk, clock)

    run = sdk.batch.run(
        questions(6000), model=MODEL, poll_interval=2, max_poll_interval=5
    )
    assert len(list(run.results())) == 6000

    assert len(clock.sleeps) >= 3
    assert all(2 <= pause <= 5 for pause in clock.sleeps)
    assert clock.sleeps == sorted(clock.sleeps)


def test_a_resume_in_the_other_order_hands_out_each_result_once(
    sdk: Any, emulator: Emulator, tmp_path: Path
) -> None:
    # request-0 fails: in completion order it comes after request-9 (the error
    # file is read after the output file), in input order first.
    emulator.script.error(422, "bad request", on="POST /v1/chat/completions")
    state_file = str(tmp_path / "run.json")
    first = sdk.batch.run(
        questions(10), model=MODEL, poll_interval=0, state_file=state_file
    )
    results = first.results(order="completion")
    taken = [r.custom_id for _, r in zip(range(3), results, strict=False)]
    results.close()

    again = sdk.batch.resume(state_file, poll_interval=0)
    rest = [r.custom_id for r in again.results(order="input")]

    assert taken == ["request-1", "request-2", "request-3"]
    assert sorted(taken + rest) == sorted(f"request-{i}" for i in range(10))


def test_progress_is_reported_per_job_and_overall(sdk: Any, emulator: Emulator) -> None:
    emulator.script.error(422, "bad request", on="POST /v1/chat/completions")
    seen: list[BatchProgress] = []

    run = sdk.batch.run(
        questions(25),
        model=MODEL,
        poll_interval=0,
        max_requests_per_job=10,
        on_progress=seen.append,
    )
    list(run.results())

    last = seen[-1]
    assert [(j.shard, j.total, j.completed) for j in last.jobs] == [
        (0, 10, 10),
        (1, 10, 10),
        (2, 5, 5),
    ]
    assert [(j.succeeded, j.failed) for j in last.jobs] == [(9, 1), (10, 0), (5, 0)]
    assert all(j.job_id == s.job_id for j, s in zip(last.jobs, run.shards, strict=True))
    assert (last.total, last.completed, last.succeeded, last.failed) == (25, 25, 24, 1)
    assert last.uploaded == 25
    assert {p.phase for p in seen} >= {"running", "results", "done"}


@pytest.mark.parametrize("order", ["input", "completion"])
def test_results_whose_ids_the_input_lacks_are_all_handed_out(
    client: Any, order: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = client.batch.run(questions(3), model=MODEL, poll_interval=0)
    run.wait()
    output_file = run.shards[0].output_file
    lines = getattr(run, "_lines")  # noqa: B009 - a private method, wrapped

    def with_strays(file_id: str | None) -> Iterator[bytes]:
        yield from lines(file_id)
        if file_id == output_file:
            for name in ("stray-a", "stray-b"):
                record = {"custom_id": name, "error": {"message": "?", "code": 500}}
                yield json.dumps(record).encode()

    monkeypatch.setattr(run, "_lines", with_strays)
    ids = [r.custom_id for r in run.results(order=order)]

    assert sorted(ids) == ["request-0", "request-1", "request-2", "stray-a", "stray-b"]


@pytest.mark.parametrize("strict", [True, False])
def test_results_are_read_as_strictly_as_the_client_reads(
    emulator: Emulator, strict: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    with emulator.client(strict=strict) as client:
        run = client.batch.run(questions(1), model=MODEL, poll_interval=0)
        run.wait()
        departed = {"status_code": 200, "body": {"id": "x", "choices": "none"}}

        def lines(file_id: str | None) -> Iterator[bytes]:
            if file_id is not None and file_id == run.shards[0].output_file:
                yield json.dumps(
                    {"custom_id": "request-0", "response": departed}
                ).encode()

        monkeypatch.setattr(run, "_lines", lines)
        if strict:
            with pytest.raises(ResponseValidationError):
                list(run.results())
        else:
            assert [r.ok for r in run.results()] == [True]


def test_a_new_iteration_after_a_break_gets_exactly_the_rest(sdk: Any) -> None:
    run = sdk.batch.run(
        questions(25), model=MODEL, poll_interval=0, max_requests_per_job=10
    )
    first = run.results()
    taken: list[str] = []
    for result in first:  # on AsyncMistral, break leaves the generator open
        taken.append(result.custom_id)
        if len(taken) == 13:
            break

    rest = [r.custom_id for r in run.results()]
    resumed_old = list(first)

    assert len(taken + rest) == 25
    assert sorted(taken + rest) == sorted(f"request-{i}" for i in range(25))
    assert resumed_old == []


def test_an_older_iteration_resumed_yields_nothing_the_newer_one_did(
    sdk: Any,
) -> None:
    run = sdk.batch.run(questions(10), model=MODEL, poll_interval=0)
    first = iter(run.results(order="input"))
    taken = [next(first).custom_id, next(first).custom_id]
    second = iter(run.results(order="input"))
    taken.append(next(second).custom_id)

    assert list(first) == []
    taken += [r.custom_id for r in second]
    assert taken == [f"request-{i}" for i in range(10)]


def test_breaks_with_a_state_file_then_resume_lose_and_repeat_nothing(
    sdk: Any, emulator: Emulator, tmp_path: Path
) -> None:
    state_file = str(tmp_path / "run.json")
    run = sdk.batch.run(
        questions(25),
        model=MODEL,
        poll_interval=0,
        max_requests_per_job=10,
        state_file=state_file,
    )
    taken: list[str] = []
    for result in run.results():
        taken.append(result.custom_id)
        if len(taken) == 4:
            break
    second = run.results()
    for result in second:
        taken.append(result.custom_id)
        if len(taken) == 17:
            break
    second.close()  # records the count now, as the docs say to

    again = sdk.batch.resume(state_file, poll_interval=0)
    rest = [r.custom_id for r in again.results()]

    assert len(taken) == 17
    assert len(taken + rest) == 25
    assert sorted(taken + rest) == sorted(f"request-{i}" for i in range(25))
    assert sum(s.handed_out for s in load_state(state_file).shards) == 25
    assert calls(emulator, "POST", "/v1/batch/jobs") == 3


def test_an_iteration_started_while_another_runs_raises(sdk: Any) -> None:
    errors: list[BaseException] = []
    run: Any = None

    def start_another(_progress: BatchProgress) -> None:
        if errors or run is None:
            return
        try:
            if isinstance(run, Blocking):
                # On the event loop thread: step the async generator by hand.
                run.target.results().__anext__().send(None)
            else:
                next(iter(run.results()))
        except RuntimeError as error:
            errors.append(error)

    run = sdk.batch.run(
        questions(10), model=MODEL, poll_interval=0, on_progress=start_another
    )
    results = [r.custom_id for r in run.results()]

    assert len(errors) == 1
    assert "being iterated by another consumer" in str(errors[0])
    assert sorted(results) == sorted(f"request-{i}" for i in range(10))


def test_a_new_results_iteration_after_one_was_closed_hands_out_the_rest(
    sdk: Any,
) -> None:
    run = sdk.batch.run(questions(10), model=MODEL, poll_interval=0)
    first = run.results(order="input")
    taken = [r.custom_id for _, r in zip(range(4), first, strict=False)]
    first.close()

    rest = [r.custom_id for r in run.results(order="input")]
    after_the_end = list(run.results())

    assert taken + rest == [f"request-{i}" for i in range(10)]
    assert after_the_end == []

"""A run that dies between an upload and the save recording it uploads nothing twice.

The death is simulated by a `save_state` that raises on the save right after
the upload and on every save after it (a dead process saves nothing more);
`resume` must then find the uploaded file by its name and size, on both clients.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mistral_sdk.helpers._async import batch_run as async_batch_run
from mistral_sdk.helpers._sync import batch_run as sync_batch_run
from mistral_sdk.helpers.batch_state import RunState, load_state, save_state
from mistral_sdk.testing import Emulator

MODEL = "mistral-small-latest"


class Died(Exception):
    """The simulated death of the process."""


def questions(count: int) -> Iterator[dict[str, Any]]:
    for i in range(count):
        yield {"messages": [{"role": "user", "content": f"question {i}"}]}


def calls(emulator: Emulator, method: str, path: str) -> int:
    return sum(1 for r in emulator.requests if (r.method, r.path) == (method, path))


def die_at_save(
    monkeypatch: pytest.MonkeyPatch, when: Callable[[RunState], bool]
) -> None:
    """Make the first save where `when(state)` holds, and every later one, raise."""
    dead: list[bool] = []

    def save(path: str, state: RunState) -> None:
        if dead or when(state):
            dead.append(True)
            raise Died
        save_state(path, state)

    for module in (async_batch_run, sync_batch_run):
        monkeypatch.setattr(module, "save_state", save)


def second_shard_uploaded(state: RunState) -> bool:
    return len(state.shards) == 2 and state.shards[1].job_id is None


def test_a_death_after_an_upload_reuses_the_file_on_resume(
    sdk: Any, emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state_file = str(tmp_path / "run.json")
    die_at_save(monkeypatch, second_shard_uploaded)
    with pytest.raises(Died):
        sdk.batch.run(
            questions(50),
            model=MODEL,
            state_file=state_file,
            poll_interval=0,
            max_requests_per_job=20,
        )
    monkeypatch.undo()
    assert calls(emulator, "POST", "/v1/files") == 2
    assert len(load_state(state_file).unconfirmed_uploads) == 1

    run = sdk.batch.resume(state_file, requests=questions(50), poll_interval=0)
    ids = [r.custom_id for r in run.results()]

    assert sorted(ids) == sorted(f"request-{i}" for i in range(50))
    assert [s.count for s in run.shards] == [20, 20, 10]
    assert calls(emulator, "POST", "/v1/files") == 3
    assert calls(emulator, "POST", "/v1/batch/jobs") == 3
    assert load_state(state_file).unconfirmed_uploads == []


def test_an_upload_that_never_arrived_is_sent_on_resume(
    sdk: Any, emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state_file = str(tmp_path / "run.json")
    die_at_save(monkeypatch, lambda state: len(state.shards) == 1)
    with pytest.raises(Died):
        sdk.batch.run(questions(5), model=MODEL, state_file=state_file)
    monkeypatch.undo()
    # The file is gone (as if the upload had failed before the server kept it).
    with emulator.client() as client:
        for file in client.files.list(purpose="batch"):
            client.files.delete(file.id)

    run = sdk.batch.resume(state_file, requests=questions(5), poll_interval=0)
    ids = [r.custom_id for r in run.results()]

    assert sorted(ids) == [f"request-{i}" for i in range(5)]
    assert calls(emulator, "POST", "/v1/files") == 2
    assert calls(emulator, "POST", "/v1/batch/jobs") == 1


def test_a_death_after_a_retry_upload_reuses_the_file_on_resume(
    sdk: Any, emulator: Emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.script.batch_outcome("TIMEOUT_EXCEEDED", after=0.3)
    state_file = str(tmp_path / "run.json")
    run = sdk.batch.run(
        questions(20),
        model=MODEL,
        state_file=state_file,
        poll_interval=0,
        max_requests_per_job=10,
        retry_failed=True,
    )
    die_at_save(
        monkeypatch,
        lambda state: any(s.retry_of is not None for s in state.shards),
    )
    with pytest.raises(Died):
        list(run.results(order="input"))
    monkeypatch.undo()
    assert calls(emulator, "POST", "/v1/files") == 3

    resumed = sdk.batch.resume(state_file, poll_interval=0)
    ids = [r.custom_id for r in resumed.results(order="input")]

    assert sorted(ids) == sorted(f"request-{i}" for i in range(20))
    assert len(ids) == 20
    retry = resumed.shards[2]
    assert (retry.retry_of, retry.count, retry.status) == (0, 7, "SUCCESS")
    assert calls(emulator, "POST", "/v1/files") == 3
    assert calls(emulator, "POST", "/v1/batch/jobs") == 3

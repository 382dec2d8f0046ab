"""The real `mistral` command, in a subprocess, against a served emulator."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mistral_sdk.testing import serve

from ._command import (
    KEY,
    MISTRAL,
    command_env,
    mistral,
    ok,
    read_jsonl,
    write_requests,
)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve() as server:
        yield server.url


def test_chat_streams_the_answer(url: str) -> None:
    assert ok(mistral(url, "chat", "Bonjour le monde")) == "Bonjour le monde\n"


def test_chat_reads_stdin_and_prints_json(url: str) -> None:
    response = json.loads(ok(mistral(url, "chat", "--json", stdin="From stdin")))

    assert response["object"] == "chat.completion"
    assert response["choices"][0]["message"]["content"] == "From stdin"


def test_models_list_as_json_and_as_a_table(url: str) -> None:
    models = json.loads(ok(mistral(url, "models", "list", "--json")))
    shown = ok(mistral(url, "models", "list"))

    assert "mistral-small-latest" in [m["id"] for m in models]
    assert "mistral-small-latest" in shown


def test_files_round_trip(url: str, tmp_path: Path) -> None:
    source = tmp_path / "data.jsonl"
    source.write_bytes(b'{"a": 1}\n' * 500)
    back = tmp_path / "back.jsonl"

    uploaded = json.loads(ok(mistral(url, "files", "upload", str(source), "--json")))
    listed = json.loads(ok(mistral(url, "files", "list", "--json")))
    ok(mistral(url, "files", "download", uploaded["id"], "-o", str(back)))
    ok(mistral(url, "files", "delete", uploaded["id"]))
    after = json.loads(ok(mistral(url, "files", "list", "--json")))

    assert uploaded["bytes"] == 4500
    assert uploaded["id"] in [f["id"] for f in listed]
    assert back.read_bytes() == source.read_bytes()
    assert uploaded["id"] not in [f["id"] for f in after]


def test_batch_run_writes_every_result_and_resumes_as_a_no_op(
    url: str, tmp_path: Path
) -> None:
    source, out, state = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s"
    write_requests(source, 30)
    args = ("batch", "run", str(source), "-m", "mistral-small-latest", "-o", str(out))
    options = ("--state", str(state), "--poll-interval", "0.2", "--order", "input")

    first = mistral(url, *args, *options)
    results = read_jsonl(out)
    again = mistral(url, *args, *options)

    assert first.returncode == 0, first.stderr[-2000:]
    assert [r["custom_id"] for r in results] == [f"q{i}" for i in range(30)]
    assert results[3]["response"]["choices"][0]["message"]["content"] == "n3"
    assert all(r["error"] is None for r in results)
    assert "30 results (0 failed)" in first.stderr
    assert again.returncode == 0
    assert read_jsonl(out) == results
    job_id = json.loads(state.read_text())["shards"][0]["job_id"]

    status = json.loads(ok(mistral(url, "batch", "status", job_id, "--json")))
    written = tmp_path / "again.jsonl"
    ok(mistral(url, "batch", "results", job_id, "-o", str(written)))
    jobs = json.loads(ok(mistral(url, "batch", "list", "--json")))
    cancelled = json.loads(ok(mistral(url, "batch", "cancel", job_id, "--json")))

    assert (status["status"], status["succeeded_requests"]) == ("SUCCESS", 30)
    assert sorted(r["custom_id"] for r in read_jsonl(written)) == sorted(
        f"q{i}" for i in range(30)
    )
    assert job_id in [j["id"] for j in jobs]
    assert cancelled["status"] == "SUCCESS"


def test_an_error_is_one_line_and_a_failure_status(url: str) -> None:
    failed = mistral(url, "batch", "status", "00000000-0000-4000-8000-000000000000")
    debugged = mistral(
        url, "--debug", "batch", "status", "00000000-0000-4000-8000-000000000000"
    )

    assert failed.returncode == 1
    assert failed.stderr.startswith("error: 404")
    assert failed.stderr.count("\n") == 1
    assert "Traceback" not in failed.stderr
    assert debugged.returncode == 1
    assert "Traceback" in debugged.stderr


def test_a_missing_key_is_a_clear_error(url: str) -> None:
    done = mistral(url, "models", "list", key=None)

    assert done.returncode == 1
    assert "MISTRAL_API_KEY" in done.stderr


def test_usage_errors_exit_with_two(url: str) -> None:
    assert mistral(url, "batch", "run", "x.jsonl").returncode == 2


def test_the_emulator_command_serves_the_api(tmp_path: Path) -> None:
    import socket
    import time

    import httpx2

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert MISTRAL is not None
    server = subprocess.Popen(
        [MISTRAL, "emulator", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                health = httpx2.get(f"{url}/_emulator/health", timeout=1)
                break
            except httpx2.TransportError:
                time.sleep(0.05)
        else:
            pytest.fail("the emulator did not start")
        assert health.json() == {"status": "ok"}
        assert ok(mistral(url, "chat", "ping")) == "ping\n"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_killed_batch_run_resumes_and_writes_each_result_once(
    url: str, tmp_path: Path
) -> None:
    import signal
    import time

    source, out, state = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s"
    write_requests(source, 20)
    args = ["batch", "run", str(source), "-m", "mistral-small-latest", "-o", str(out)]
    env = command_env(url)
    assert MISTRAL is not None
    child = subprocess.Popen(
        [MISTRAL, *args, "--state", str(state), "--poll-interval", "60"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            if state.exists() and '"job_id": "' in state.read_text():
                break
            time.sleep(0.05)
        else:
            pytest.fail("the run never created its job")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    # As if the kill came after one whole line, in the middle of the next.
    with out.open("a") as file:
        file.write('{"custom_id": "q3", "response": {}, "error": null}\n')
        file.write('{"custom_id": "q0", "resp')

    again = mistral(url, *args, "--state", str(state), "--poll-interval", "0.2")

    assert again.returncode == 0, again.stderr[-2000:]
    ids = [r["custom_id"] for r in read_jsonl(out)]
    assert sorted(ids) == sorted(f"q{i}" for i in range(20))


def test_batch_run_results_are_on_disk_before_the_state_counts_them(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A state that counts a result as handed out while its line still sits in a
    # write buffer loses that result to a SIGKILL: resume skips it.
    from mistral_sdk.cli import _app
    from mistral_sdk.helpers import batch_state
    from mistral_sdk.helpers._sync import batch_run

    source, out, state = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s"
    write_requests(source, 30)
    behind: list[tuple[int, int]] = []

    def save_state(path: str, run_state: batch_state.RunState) -> None:
        counted = sum(s.handed_out for s in run_state.shards)
        lines = out.read_bytes().count(b"\n") if out.exists() else 0
        if lines < counted:
            behind.append((lines, counted))
        batch_state.save_state(path, run_state)

    monkeypatch.setattr(batch_run, "save_state", save_state)
    monkeypatch.setattr(batch_run, "CHECKPOINT_EVERY", 2)
    monkeypatch.setenv("MISTRAL_BASE_URL", url)
    monkeypatch.setenv("MISTRAL_API_KEY", KEY)
    args = ["batch", "run", str(source), "-m", "mistral-small-latest"]

    status = _app.main(
        [*args, "-o", str(out), "--state", str(state), "--poll-interval", "0"]
    )

    assert status == 0
    assert len(read_jsonl(out)) == 30
    assert behind == []

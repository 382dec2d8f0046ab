"""What the `mistral` command promises about its output, seen from outside.

Progress bars on uploads, downloads and batch jobs (on stderr), streamed chat
output, and `--json` output that is the whole of stdout. Through a pipe rich
draws each bar once, when it stops: its last line shows the count it reached,
so a bar that is not drawn, or not advanced to the end, fails these tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mistral_sdk.testing import Emulator, Exchange, SystemClock, serve

from ._command import mistral, ok, read_jsonl, write_requests


@pytest.fixture(scope="module")
def emulator() -> Emulator:
    # As `mistral emulator` serves it: any key, the system's time.
    return Emulator(api_key=None, clock=SystemClock())


@pytest.fixture(scope="module")
def url(emulator: Emulator) -> Iterator[str]:
    with serve(emulator) as server:
        yield server.url


def bar(stderr: str, label: str, done: int) -> str:
    """Return the final line of the bar named `label`; fail unless it shows `done`."""
    lines = [line for line in stderr.splitlines() if line.startswith(label + " ")]
    assert lines, f"no {label!r} bar on stderr: {stderr!r}"
    assert re.search(rf"\b{done}/{done}\b", lines[-1]), lines[-1]
    return lines[-1]


def chat_exchange(emulator: Emulator, prompt: str) -> Exchange:
    """Return the chat completion the emulator answered for `prompt`."""
    for exchange in emulator.log:
        request = exchange.request
        if (request.method, request.path) != ("POST", "/v1/chat/completions"):
            continue
        body: dict[str, Any] = json.loads(request.body)
        if body["messages"][-1]["content"] == prompt:
            return exchange
    raise AssertionError(f"no chat request for {prompt!r}")


def test_chat_asks_for_a_stream_and_writes_it(url: str, emulator: Emulator) -> None:
    prompt = "Streamed word by word, one chunk each"

    shown = ok(mistral(url, "chat", prompt))

    exchange = chat_exchange(emulator, prompt)
    assert json.loads(exchange.request.body)["stream"] is True
    assert exchange.response.streaming
    assert exchange.response.chunks is not None
    assert len(exchange.response.chunks) > 2  # the text came in several events
    assert shown == prompt + "\n"


def test_chat_json_is_one_response_and_nothing_else(
    url: str, emulator: Emulator
) -> None:
    prompt = "One whole answer, please"

    response = json.loads(ok(mistral(url, "chat", "--json", prompt)))

    assert response["choices"][0]["message"]["content"] == prompt
    assert not json.loads(chat_exchange(emulator, prompt).request.body).get("stream")


def test_upload_and_download_draw_their_bars_on_stderr(
    url: str, tmp_path: Path
) -> None:
    # Bigger than one read of the upload and one chunk of the download.
    source = tmp_path / "data.jsonl"
    source.write_bytes(b'{"text": "%s"}\n' % (b"x" * 90) * 3000)
    size = source.stat().st_size
    back = tmp_path / "back.jsonl"

    uploaded = mistral(url, "files", "upload", str(source), "--json")
    file_id = json.loads(ok(uploaded))["id"]
    fetched = mistral(url, "files", "download", file_id, "-o", str(back), "--json")
    plain = mistral(url, "files", "download", file_id, "-o", str(back))

    bar(uploaded.stderr, "upload data.jsonl", size)
    assert json.loads(ok(fetched)) == {"id": file_id, "path": str(back), "bytes": size}
    bar(fetched.stderr, f"download {back}", size)
    assert "wrote" not in fetched.stderr  # --json replaces the note
    assert ok(plain) == ""
    bar(plain.stderr, f"download {back}", size)
    assert f"wrote {back} ({size} bytes)" in plain.stderr
    assert back.read_bytes() == source.read_bytes()


def test_batch_run_json_summary_with_bars_on_stderr(url: str, tmp_path: Path) -> None:
    source, out, state = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s"
    write_requests(source, 12)
    args = ("batch", "run", str(source), "-m", "mistral-small-latest", "-o", str(out))
    options = ("--state", str(state), "--poll-interval", "0.2", "--json")

    first = mistral(url, *args, *options)
    summary = json.loads(ok(first))
    again = json.loads(ok(mistral(url, *args, *options)))

    assert summary == {
        "output": str(out),
        "results": 12,
        "succeeded": 12,
        "failed": 0,
        "skipped": 0,
        "job_ids": summary["job_ids"],
        "failed_jobs": [],
    }
    assert len(summary["job_ids"]) == 1
    bar(first.stderr, "upload", 12)
    bar(first.stderr, "jobs", 12)
    assert "written to" not in first.stderr  # --json replaces the note
    assert len(read_jsonl(out)) == 12
    # Resumed: every result is in the output already, none is written again.
    assert (again["results"], again["skipped"]) == (0, 12)
    assert again["job_ids"] == summary["job_ids"]


def test_batch_results_json(url: str, tmp_path: Path) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_requests(source, 5)
    run = ("batch", "run", str(source), "-m", "mistral-small-latest", "-o", str(out))
    job_id = json.loads(ok(mistral(url, *run, "--poll-interval", "0.2", "--json")))[
        "job_ids"
    ][0]
    written = tmp_path / "results.jsonl"

    to_file = json.loads(
        ok(mistral(url, "batch", "results", job_id, "-o", str(written), "--json"))
    )
    to_stdout = ok(mistral(url, "batch", "results", job_id, "--json"))

    assert to_file == {
        "job_id": job_id,
        "status": "SUCCESS",
        "results": 5,
        "output": str(written),
    }
    assert sorted(r["custom_id"] for r in read_jsonl(written)) == [
        f"q{i}" for i in range(5)
    ]
    # Without -o stdout holds the results, one JSON object a line, and nothing else.
    lines = [json.loads(line) for line in to_stdout.splitlines()]
    assert sorted(r["custom_id"] for r in lines) == [f"q{i}" for i in range(5)]


def test_batch_run_json_names_a_failed_job(
    url: str, emulator: Emulator, tmp_path: Path
) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_requests(source, 10)
    emulator.script.batch_outcome("FAILED", after=0.5)
    args = ("batch", "run", str(source), "-m", "mistral-small-latest", "-o", str(out))

    summary = json.loads(ok(mistral(url, *args, "--poll-interval", "0.2", "--json")))

    (job,) = summary["failed_jobs"]
    assert job["job_id"] == summary["job_ids"][0]
    assert job["status"] == "FAILED"
    # The requests the job never ran come back as errors, so the run's
    # count is above the job's own `failed` counter.
    assert summary["failed"] >= job["failed"]
    assert 0 < summary["failed"] < 10
    assert summary["results"] == 10
    assert summary["succeeded"] == 10 - summary["failed"]
    assert sum(r["error"] is not None for r in read_jsonl(out)) == summary["failed"]

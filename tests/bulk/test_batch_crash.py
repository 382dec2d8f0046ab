"""A batch run killed with SIGKILL after its job was created resumes cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mistral_sdk.testing import Emulator

CHILD = Path(__file__).with_name("_killed_run.py")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_run_resumes_with_one_upload_one_job_and_every_result_once(
    sdk: Any, emulator: Emulator, tmp_path: Path
) -> None:
    state_file = tmp_path / "run.json"
    flavour = "async" if type(sdk).__name__ == "Blocking" else "sync"
    with emulator.serve() as server:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), flavour, server.url, str(state_file), "50"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdout is not None
            line = child.stdout.readline()
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
            stderr = child.stderr.read() if child.stderr is not None else ""
            for pipe in (child.stdout, child.stderr):
                if pipe is not None:
                    pipe.close()
        assert line.startswith("created"), stderr[-2000:]
        assert child.returncode == -signal.SIGKILL

    run = sdk.batch.resume(str(state_file), poll_interval=0)
    ids = [r.custom_id for r in run.results()]

    assert run.job_ids == [line.split()[1]]
    assert sorted(ids) == sorted(f"request-{i}" for i in range(50))
    assert len(ids) == 50
    paths = [(r.method, r.path) for r in emulator.requests]
    assert paths.count(("POST", "/v1/files")) == 1
    assert paths.count(("POST", "/v1/batch/jobs")) == 1

"""Every script in examples/ runs to completion against the offline emulator.

CI runs this, so an example that breaks fails the build. Each script runs in its own
process with MISTRAL_BASE_URL pointing at a real loopback server, as a user runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    from mistral_sdk.testing import serve

    with serve() as server:
        yield server.url


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_runs_against_the_emulator(
    script: Path, emulator_url: str, tmp_path: Path
) -> None:
    env = dict(os.environ, MISTRAL_BASE_URL=emulator_url, MISTRAL_API_KEY="example-key")

    # A directory of its own, as files an example leaves for a rerun (the batch
    # run's state file) must not meet another process's.
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip(), "the example printed nothing"

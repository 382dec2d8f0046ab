"""Run the real `mistral` command in a subprocess; read what it wrote."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

KEY = "sk-cli-test-secret-0123456789"
MISTRAL = shutil.which("mistral", path=str(Path(sys.executable).parent))

# rich takes any of these as a terminal (and then redraws its bars in place);
# the tests read what it writes to a pipe, whatever the caller's environment.
_TERMINAL_SWITCHES = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


def command_env(url: str, key: str | None = KEY) -> dict[str, str]:
    """Return the environment of a `mistral` run against the emulator at `url`."""
    env = dict(os.environ, MISTRAL_BASE_URL=url)
    for name in ("MISTRAL_API_KEY", *_TERMINAL_SWITCHES):
        env.pop(name, None)
    if key is not None:
        env["MISTRAL_API_KEY"] = key
    return env


def mistral(
    url: str, *args: str, stdin: str = "", key: str | None = KEY
) -> subprocess.CompletedProcess[str]:
    """Run `mistral ARGS...`; check the key never shows in its output."""
    assert MISTRAL is not None, "`mistral` is not installed: make install"
    done = subprocess.run(
        [MISTRAL, *args],
        input=stdin,
        env=command_env(url, key),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert KEY not in done.stdout + done.stderr
    return done


def ok(done: subprocess.CompletedProcess[str]) -> str:
    """Return the stdout of a run that succeeded."""
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def write_requests(path: Path, count: int) -> None:
    """Write `count` chat requests `q0`, `q1`, ... as a batch input file."""
    lines = [
        {
            "custom_id": f"q{i}",
            "body": {"messages": [{"role": "user", "content": f"n{i}"}]},
        }
        for i in range(count)
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Return the objects of a JSONL file."""
    return [json.loads(line) for line in path.read_text().splitlines()]

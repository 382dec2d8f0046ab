"""Provide `.bench/venv`, then run `python -m benchmarks ARGS` inside it.

`make bench` and `make bench-quick` call this with the system Python, so a
fresh clone needs nothing else: the virtualenv is created on first use and
refreshed when pyproject.toml changes. The project is installed editable
(the benchmark measures the working tree) together with its `bench` and
`emulator` extras.
Standard library only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".bench" / "venv"
STAMP = VENV / ".installed"
# `emulator` serves the batch-run scenario (uvicorn).
EXTRAS = "bench,emulator"


def _python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv() -> Path:
    python = _python()
    pyproject = ROOT / "pyproject.toml"
    if (
        STAMP.exists()
        and STAMP.stat().st_mtime >= pyproject.stat().st_mtime
        and STAMP.read_text(encoding="utf-8").strip() == EXTRAS
    ):
        return python
    if not python.exists():
        print(f"creating {VENV.relative_to(ROOT)}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    print(f"installing the project with its extras: {EXTRAS}", flush=True)
    pip = [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[{EXTRAS}]"], check=True)
    STAMP.write_text(EXTRAS + "\n", encoding="utf-8")
    return python


def main() -> None:
    python = ensure_venv()
    os.chdir(ROOT)
    args = [str(python), "-m", "benchmarks", *sys.argv[1:]]
    os.execv(args[0], args)


if __name__ == "__main__":
    main()

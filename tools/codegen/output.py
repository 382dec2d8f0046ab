"""Format rendered files with the pinned ruff, then write them or compare them with disk.

The generator owns `src/mistral_sdk/types/`, `src/mistral_sdk/resources/`,
`src/mistral_sdk/_namespaces.py`, `docs/reference.md` and every `_sync/` directory
of the package (the unasync twins). Writing replaces changed files and deletes files of those places
it no longer produces; `--check` changes nothing and reports missing, extra and different
files with the start of a diff.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from tools.codegen import unasync

OWNED_DIRS = ("src/mistral_sdk/types", "src/mistral_sdk/resources")
OWNED_FILES = ("docs/reference.md", "src/mistral_sdk/_namespaces.py")
_DIFF_LINES = 40
_FIRST_PARTY = "lint.isort.known-first-party = ['mistral_sdk', 'tools']"


def ruff() -> str:
    """Return the ruff next to the running interpreter (the project's pinned one)."""
    candidate = Path(sys.executable).parent / "ruff"
    return str(candidate) if candidate.exists() else "ruff"


def format_files(files: Mapping[str, str], root: Path) -> dict[str, str]:
    """Sort imports and format every Python file with ruff, using the repo's settings."""
    # isort tells first-party from third-party by looking at the disk; naming the package
    # keeps the output the same whether or not src/mistral_sdk exists yet.
    isort = [
        "check",
        "--fix-only",
        "--select",
        "I",
        "--quiet",
        "--config",
        _FIRST_PARTY,
    ]
    out = {}
    for path, source in sorted(files.items()):
        if path.endswith(".py"):
            source = _ruff(isort, path, source, root)
            source = _ruff(["format", "--quiet"], path, source, root)
        out[path] = source
    return out


def _ruff(args: list[str], path: str, source: str, root: Path) -> str:
    done = subprocess.run(
        [ruff(), *args, "--stdin-filename", path, "-"],
        input=source,
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ruff {args[0]} failed on {path}:\n{done.stderr}")
    return done.stdout


def owned_files(root: Path) -> set[str]:
    """Return the repo-relative paths of the generator's files currently on disk."""
    found = {p for p in OWNED_FILES if (root / p).is_file()}
    for directory in (*OWNED_DIRS, *unasync.owned_dirs(root)):
        for path in (root / directory).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                found.add(path.relative_to(root).as_posix())
    return found


def write(files: Mapping[str, str], root: Path) -> list[str]:
    """Write changed files, delete stale ones; return the paths touched."""
    touched = []
    for path, text in sorted(files.items()):
        target = root / path
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            touched.append(path)
    for path in sorted(owned_files(root) - set(files)):
        (root / path).unlink()
        touched.append(path)
    return touched


def check(files: Mapping[str, str], root: Path) -> list[str]:
    """Compare `files` with disk; return report lines (empty when everything matches)."""
    on_disk = owned_files(root)
    missing = sorted(set(files) - on_disk)
    extra = sorted(on_disk - set(files))
    different = [
        p
        for p in sorted(set(files) & on_disk)
        if (root / p).read_text(encoding="utf-8") != files[p]
    ]
    if not (missing or extra or different):
        return []
    report = _section("missing", missing) + _section("extra", extra)
    report += _section("different", different)
    if different:
        first = different[0]
        old = (root / first).read_text(encoding="utf-8").splitlines(keepends=True)
        diff = difflib.unified_diff(
            old, files[first].splitlines(keepends=True), first, first
        )
        report += [line.rstrip("\n") for line in list(diff)[:_DIFF_LINES]]
    return [*report, "generated files are stale: run `make generate`"]


def _section(title: str, paths: Iterable[str]) -> list[str]:
    return [f"{title}: {path}" for path in paths]

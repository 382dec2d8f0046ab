"""Writing and `--check`: stale, missing and extra files are found and reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.codegen import output
from tools.codegen.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
TYPES = "src/mistral_sdk/types"


def test_check_is_empty_when_disk_matches(tmp_path: Path) -> None:
    files = {f"{TYPES}/a.py": "A = 1\n", "docs/reference.md": "# ref\n"}
    output.write(files, tmp_path)

    assert output.check(files, tmp_path) == []


def test_check_reports_missing_extra_and_different_files(tmp_path: Path) -> None:
    output.write({f"{TYPES}/a.py": "A = 1\n", f"{TYPES}/old.py": "X = 0\n"}, tmp_path)
    wanted = {f"{TYPES}/a.py": "A = 2\n", f"{TYPES}/new.py": "N = 1\n"}

    report = output.check(wanted, tmp_path)

    assert f"missing: {TYPES}/new.py" in report
    assert f"extra: {TYPES}/old.py" in report
    assert f"different: {TYPES}/a.py" in report
    assert "-A = 1" in report
    assert "+A = 2" in report
    assert report[-1] == "generated files are stale: run `make generate`"


def test_write_deletes_stale_files_only_in_owned_places(tmp_path: Path) -> None:
    output.write({f"{TYPES}/a.py": "A = 1\n", f"{TYPES}/old.py": "X = 0\n"}, tmp_path)
    (tmp_path / "src/mistral_sdk/_client.py").write_text("hand-written\n")

    touched = output.write({f"{TYPES}/a.py": "A = 1\n"}, tmp_path)

    assert touched == [f"{TYPES}/old.py"]
    assert not (tmp_path / TYPES / "old.py").exists()
    assert (tmp_path / "src/mistral_sdk/_client.py").exists()


@pytest.fixture(scope="module")
def generated_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(
        ROOT / "tools", root / "tools", ignore=shutil.ignore_patterns("__pycache__")
    )
    (root / "docs").mkdir()
    shutil.copy(ROOT / "docs/openapi.yaml", root / "docs/openapi.yaml")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    assert main(["--root", str(root)]) == 0
    return root


def test_main_check_passes_right_after_generating(generated_repo: Path) -> None:
    assert main(["--check", "--root", str(generated_repo)]) == 0


def test_main_check_fails_on_a_stale_file(
    generated_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = generated_repo / TYPES / "chat.py"
    original = stale.read_text()
    stale.write_text(original.replace("class ChatCompletionRequest", "class Renamed"))
    try:
        status = main(["--check", "--root", str(generated_repo)])
    finally:
        stale.write_text(original)

    assert status == 1
    err = capsys.readouterr().err
    assert f"different: {TYPES}/chat.py" in err
    assert "run `make generate`" in err

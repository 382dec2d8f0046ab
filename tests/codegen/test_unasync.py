"""The unasync transformation: async sources become their generated sync twins."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.codegen import output, unasync
from tools.codegen.__main__ import main

RULES = {
    "AsyncIterator": "Iterator",
    "AsyncStream": "Stream",
    "__aenter__": "__enter__",
    "_async": "_sync",
    "aclose": "close",
}


def test_transform_drops_async_and_await_keywords() -> None:
    source = (
        "async def f(x):\n"
        "    async with x as y:\n"
        "        async for item in y:\n"
        "            await item.send()\n"
        "    return [await z async for z in x]\n"
    )

    result = unasync.transform(source, renames={})

    assert result == (
        "def f(x):\n"
        "    with x as y:\n"
        "        for item in y:\n"
        "            item.send()\n"
        "    return [z for z in x]\n"
    )


def test_transform_renames_whole_identifiers_only() -> None:
    source = "from ._async.s import AsyncStream\nMyAsyncStream = AsyncStream\n"

    result = unasync.transform(source, renames=RULES)

    assert result == "from ._sync.s import Stream\nMyAsyncStream = Stream\n"


def test_transform_renames_in_docstrings_and_comments() -> None:
    source = (
        'def f():\n    """Return an AsyncStream; call aclose()."""\n'
        "    # AsyncStream.__aenter__ opens it\n"
    )

    result = unasync.transform(source, renames=RULES)

    assert '"""Return an Stream; call close()."""' in result
    assert "# Stream.__enter__ opens it" in result


def test_transform_keeps_words_containing_a_keyword() -> None:
    source = "awaited = asyncio_like = 1\nx = 'await is a word'\n"

    assert unasync.transform(source, renames=RULES) == source


def test_transform_keeps_line_structure_of_await_before_a_newline() -> None:
    source = "async def f(x):\n    return await (\n        x\n    )\n"

    result = unasync.transform(source, renames={})

    assert result == "def f(x):\n    return (\n        x\n    )\n"


def test_transform_records_the_rules_it_used() -> None:
    used: set[str] = set()

    unasync.transform("async def f(s: AsyncStream) -> None: ...\n", used, RULES)

    assert used == {"async", "AsyncStream"}


def test_transform_rejects_a_bare_async_it_cannot_translate() -> None:
    with pytest.raises(unasync.UnasyncError, match="line 1"):
        unasync.transform("async = 1\n", renames={})


def test_twin_path_swaps_the_last_async_directory() -> None:
    assert (
        unasync.twin_path("src/mistral_sdk/helpers/_async/parse.py")
        == "src/mistral_sdk/helpers/_sync/parse.py"
    )
    assert (
        unasync.twin_path("src/mistral_sdk/_async/_streaming.py")
        == "src/mistral_sdk/_sync/_streaming.py"
    )


def _write(root: Path, path: str, text: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def test_render_twins_every_async_module_with_a_header(tmp_path: Path) -> None:
    _write(
        tmp_path, "src/mistral_sdk/_async/a.py", "async def f(s: AsyncStream): ...\n"
    )
    _write(tmp_path, "src/mistral_sdk/helpers/_async/b.py", "x: AsyncIterator[int]\n")
    _write(tmp_path, "src/mistral_sdk/_other.py", "async def g(): ...\n")

    files = unasync.render(
        tmp_path, {"AsyncStream": "Stream", "AsyncIterator": "Iterator"}
    )

    assert sorted(files) == [
        "src/mistral_sdk/_sync/a.py",
        "src/mistral_sdk/helpers/_sync/b.py",
    ]
    first = files["src/mistral_sdk/_sync/a.py"]
    assert (
        first.splitlines()[0] == unasync.header("src/mistral_sdk/_async/a.py").strip()
    )
    assert first.splitlines()[1] == "def f(s: Stream): ..."


def test_render_fails_on_an_unused_rule(tmp_path: Path) -> None:
    _write(tmp_path, "src/mistral_sdk/_async/a.py", "async def f(): ...\n")

    with pytest.raises(unasync.UnasyncError, match="unused unasync rules: AsyncPage"):
        unasync.render(tmp_path, {"AsyncPage": "SyncPage"})


def test_render_without_async_sources_is_empty(tmp_path: Path) -> None:
    assert unasync.render(tmp_path, {"AsyncPage": "SyncPage"}) == {}


def test_every_sync_directory_is_owned_so_stale_twins_are_removed(
    tmp_path: Path,
) -> None:
    _write(tmp_path, "src/mistral_sdk/_sync/old.py", "x = 1\n")

    touched = output.write({}, tmp_path)

    assert touched == ["src/mistral_sdk/_sync/old.py"]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = Path(__file__).resolve().parents[2]
    shutil.copytree(
        root / "tools", tmp_path / "tools", ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / "docs").mkdir()
    shutil.copy(root / "docs/openapi.yaml", tmp_path / "docs/openapi.yaml")
    shutil.copy(root / "pyproject.toml", tmp_path / "pyproject.toml")
    _write(tmp_path, "src/mistral_sdk/_async/s.py", SOURCE)
    monkeypatch.setattr(unasync, "RENAMES", {"AsyncIterator": "Iterator"})
    return tmp_path


SOURCE = (
    "from collections.abc import AsyncIterator\n\n\n"
    "async def f(items: AsyncIterator[int]) -> int:\n"
    "    return await items.__anext__()\n"
)


def test_main_writes_the_twins_and_check_then_passes(repo: Path) -> None:
    assert main(["--root", str(repo)]) == 0

    twin = (repo / "src/mistral_sdk/_sync/s.py").read_text()
    assert "def f(items: Iterator[int]) -> int:" in twin
    assert "return items.__anext__()" in twin
    assert main(["--check", "--root", str(repo)]) == 0


def test_main_check_fails_on_a_stale_twin(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(repo)]) == 0
    (repo / "src/mistral_sdk/_async/s.py").write_text(SOURCE + "X = 1\n")

    status = main(["--check", "--root", str(repo)])

    assert status == 1
    assert "different: src/mistral_sdk/_sync/s.py" in capsys.readouterr().err


def test_main_fails_on_an_unused_rule(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(unasync, "RENAMES", {"AsyncIterator": "Iterator", "X": "Y"})

    status = main(["--check", "--root", str(repo)])

    assert status == 2
    assert "unused unasync rules: X" in capsys.readouterr().err

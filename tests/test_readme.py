"""Every Python block of the README runs, in order, against the emulator.

The blocks share one namespace, as a reader would type them one after the
other; a block with `await` runs in a copy of it (it rebinds `client` to an
async client). `[...]` in a block stands for a list of messages. The clients
the blocks construct are routed to an in-process emulator through its httpx2
transport: no sockets, no network.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
from pathlib import Path
from typing import Any

import httpx2
import pytest

import mistral_sdk
from mistral_sdk.testing import Emulator

README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(
    r"^#{2,3} (?P<section>.+?)$|^```python\n(?P<code>.*?)^```", re.M | re.S
)
MESSAGES = '[{"role": "user", "content": "Hi"}]'


def python_blocks() -> list[tuple[str, str]]:
    """Return `(section, code)` for each Python block of the README, in order."""
    section, found = "", list[tuple[str, str]]()
    for match in _BLOCK.finditer(README.read_text(encoding="utf-8")):
        if match["section"]:
            section = match["section"]
        else:
            found.append((section, match["code"].replace("[...]", MESSAGES)))
    return found


class SupportBot:
    """The app under test in the README's emulator example."""

    def __init__(self, client: mistral_sdk.Mistral) -> None:
        self.client = client

    def answer(self, question: str) -> str:
        reply = self.client.chat.complete(
            model="mistral-small-latest",
            messages=[{"role": "user", "content": question}],
        )
        content = reply.choices[0].message.content
        assert isinstance(content, str)
        return content


def run_block(code: str, name: str, namespace: dict[str, Any]) -> None:
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    compiled = compile(code, name, "exec", flags=flags, dont_inherit=True)
    if compiled.co_flags & inspect.CO_COROUTINE:
        scratch = dict(namespace)
        asyncio.run(eval(compiled, scratch))
    else:
        exec(compiled, namespace)


@pytest.fixture
def emulated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Emulator:
    """Route every client the README builds to one emulator; run in `tmp_path`."""
    emulator = Emulator()

    class Mistral(mistral_sdk.Mistral):
        def __init__(self, **options: Any) -> None:
            if options.get("http_client") is None:
                options["http_client"] = httpx2.Client(transport=emulator.transport())
            super().__init__(**options)

    class AsyncMistral(mistral_sdk.AsyncMistral):
        def __init__(self, **options: Any) -> None:
            if options.get("http_client") is None:
                transport = emulator.async_transport()
                options["http_client"] = httpx2.AsyncClient(transport=transport)
            super().__init__(**options)

    monkeypatch.setattr(mistral_sdk, "Mistral", Mistral)
    monkeypatch.setattr(mistral_sdk, "AsyncMistral", AsyncMistral)
    monkeypatch.setenv("MISTRAL_API_KEY", emulator.api_key or "any-key")
    monkeypatch.setenv("MISTRAL_BASE_URL", "https://api.mistral.ai")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "requests.jsonl").write_bytes(
        b'{"custom_id": "1", "body": {"messages": [{"role": "user", "content": "a"}]}}\n'
    )
    return emulator


def test_readme_has_the_blocks_this_test_expects() -> None:
    sections = {section for section, _ in python_blocks()}

    assert {"Quickstart", "Configuration", "Streaming", "Files"} <= sections
    areas = {"FIM", "Embeddings", "Models", "OCR", "Agents", "Conversations"}
    assert areas <= sections
    joined = "\n".join(code for _, code in python_blocks())
    for call in ("fim.complete", "embeddings.create", "models.list", "chat.stream"):
        assert call in joined


def test_readme_blocks_run_in_order(
    emulated: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace: dict[str, Any] = {"__name__": "readme", "SupportBot": SupportBot}

    for number, (section, code) in enumerate(python_blocks()):
        run_block(code, f"README.md block {number} ({section})", namespace)

    out = capsys.readouterr().out
    assert "mistral-small-latest" in out  # the model list
    assert "200" in out  # the raw response's status
    copy = Path("copy.jsonl").read_bytes()
    assert copy == Path("requests.jsonl").read_bytes()
    # The emulator example defines a test; run it as pytest would.
    namespace["test_my_bot"](Emulator())
    operations = {exchange.operation_id for exchange in emulated.log}
    # One call at least per API area, each answered by the emulator.
    assert operations >= {
        "agents_api_v1_agents_create",
        "agents_api_v1_conversations_append",
        "agents_api_v1_conversations_history",
        "agents_api_v1_conversations_start",
        "agents_completion_v1_agents_completions_post",
        "audio_api_v1_transcriptions_post",
        "chat_completion_v1_chat_completions_post",
        "embeddings_v1_embeddings_post",
        "files_api_routes_download_file",
        "files_api_routes_upload_file",
        "fim_completion_v1_fim_completions_post",
        "jobs_api_routes_batch_create_batch_job",
        "jobs_api_routes_batch_get_batch_job",
        "jobs_api_routes_batch_get_batch_jobs",
        "jobs_api_routes_fine_tuning_get_fine_tuning_jobs",
        "libraries_create_v1",
        "libraries_documents_get_status_v1",
        "libraries_documents_upload_v1",
        "list_models_v1_models_get",
        "moderations_v1_moderations_post",
        "ocr_v1_ocr_post",
        "retrieve_model_v1_models__model_id__get",
    }

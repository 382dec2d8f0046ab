"""Where the cold start goes: `python -m benchmarks coldstart [--runs N]`.

The benchmark's cold-start figure (import + construct + first chat call) is one
number; this splits mistral-sdk's into the stages a first `chat.complete` goes
through, each loaded or built ahead of the call in a fresh process, and runs
the floor's three stages beside it. Client-process CPU time, median of `--runs`
processes per client (the clients take turns), against the bench server. The
stages add up to the cold start within the noise; the table says which of them
the SDK controls.

A third column, the "pydantic floor", is the least any client whose responses
are pydantic models pays: the httpx2 floor plus pydantic's import, four small
models for the chat answer and their validation, and no SDK at all. Its ratio
to the httpx2 floor bounds what such a client can reach.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

from benchmarks.runner import ROOT, Server

# Each stage is timed with time.process_time() around its statement, in the
# order given; the last one is the call itself, with everything it needs
# already loaded and built.
_SDK_STAGES = (
    ("import mistral_sdk", "import mistral_sdk"),
    ("construct Mistral", "client = mistral_sdk.Mistral(api_key=KEY, base_url=URL)"),
    (
        "pydantic (the library)",
        "import pydantic, pydantic.main, pydantic.fields, "
        "pydantic.functional_validators, pydantic.functional_serializers",
    ),
    ("model runtime (_model_base)", "import mistral_sdk._model_base"),
    (
        "chat types (the 5 modules a chat call loads)",
        "import mistral_sdk.types.chat, mistral_sdk.types.common_completions",
    ),
    ("chat resource and core modules", "client.chat"),
    (
        "pydantic plugin discovery",
        "from pydantic.plugin import _loader; list(_loader.get_plugins())",
    ),
    (
        "request model schema",
        "from mistral_sdk.types.chat import ChatCompletionRequest as R; "
        "R.model_rebuild()",
    ),
    (
        "response model schema",
        "from mistral_sdk.types.common_completions import "
        "ChatCompletionResponse as A; A.model_rebuild()",
    ),
    ("first chat.complete", "client.chat.complete(model=MODEL, messages=MESSAGES)"),
)
_FLOOR_STAGES = (
    ("import httpx2 + json", "import json, httpx2"),
    (
        "construct httpx2.Client",
        "client = httpx2.Client(base_url=URL, "
        "headers={'authorization': 'Bearer ' + KEY})",
    ),
    (
        "first chat call",
        "r = client.post('/v1/chat/completions', "
        "json={'model': MODEL, 'messages': MESSAGES}); r.raise_for_status(); r.json()",
    ),
)

# The smallest chat answer a typed client could return: four models, none of
# the spec's unions, built and used once.
_TINY_MODELS = """
from pydantic import BaseModel
class Message(BaseModel):
    role: str
    content: str | None = None
class Choice(BaseModel):
    index: int
    message: Message
    finish_reason: str | None = None
class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
class Answer(BaseModel):
    id: str
    object: str
    created: int
    model: str
    choices: list[Choice]
    usage: Usage
"""
_PYDANTIC_FLOOR_STAGES = (
    *_FLOOR_STAGES[:2],
    ("pydantic's import and four small models", f"exec({_TINY_MODELS!r})"),
    (
        "first chat call, validated into them",
        "r = client.post('/v1/chat/completions', "
        "json={'model': MODEL, 'messages': MESSAGES}); r.raise_for_status(); "
        "Answer.model_validate_json(r.content)",
    ),
)


def _script(stages: tuple[tuple[str, str], ...], url: str) -> str:
    lines = [
        "import sys, time",
        f"sys.path.insert(0, {str(ROOT)!r})",
        "from benchmarks.clients._request import API_KEY as KEY, "
        "CHAT_MESSAGES as MESSAGES, CHAT_MODEL as MODEL",
        f"URL = {url!r}",
        "_spent = []",
    ]
    for _, statement in stages:
        lines += [
            "_t = time.process_time()",
            statement,
            "_spent.append(time.process_time() - _t)",
        ]
    lines.append("print(_spent)")
    return "\n".join(lines)


def _run(stages: tuple[tuple[str, str], ...], url: str) -> list[float]:
    done = subprocess.run(
        [sys.executable, "-I", "-c", _script(stages, url)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [float(spent) for spent in json.loads(done.stdout.strip().splitlines()[-1])]


def _measure(
    clients: tuple[tuple[tuple[str, str], ...], ...], url: str, runs: int
) -> list[list[float]]:
    # The clients take turns, one process each per round: a change in the
    # machine's load falls on all of them alike instead of on whichever ran
    # its block of processes then.
    samples: list[list[list[float]]] = [[] for _ in clients]
    for _ in range(runs):
        for stages, taken in zip(clients, samples, strict=True):
            taken.append(_run(stages, url))
    return [
        [statistics.median(column) for column in zip(*taken, strict=True)]
        for taken in samples
    ]


def main(runs: int = 15) -> int:
    """Print the cold-start stages of the floor and of mistral-sdk, in ms."""
    server = Server()
    try:
        floor, typed, sdk = _measure(
            (_FLOOR_STAGES, _PYDANTIC_FLOOR_STAGES, _SDK_STAGES), server.url, runs
        )
    finally:
        server.close()
    print(f"median of {runs} processes each, client CPU time (ms)\n")
    print("| stage | httpx2 floor | pydantic floor | mistral-sdk |")
    print("|---|---:|---:|---:|")
    for (name, _), value in zip(_FLOOR_STAGES, floor, strict=True):
        print(f"| {name} | {value * 1e3:.1f} | | |")
    for (name, _), value in zip(_PYDANTIC_FLOOR_STAGES, typed, strict=True):
        print(f"| {name} | | {value * 1e3:.1f} | |")
    for (name, _), value in zip(_SDK_STAGES, sdk, strict=True):
        print(f"| {name} | | | {value * 1e3:.1f} |")
    totals = [sum(floor), sum(typed), sum(sdk)]
    print("| **total** | " + " | ".join(f"{t * 1e3:.1f}" for t in totals) + " |")
    print(
        f"\nratios to the httpx2 floor: pydantic floor {totals[1] / totals[0]:.2f}x, "
        f"mistral-sdk {totals[2] / totals[0]:.2f}x"
    )
    return 0

"""Fixtures for the behaviour tests of the generated resources, run on both clients."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from conftest import Handle


@pytest.fixture
def sdk(both_clients: Callable[..., Handle]) -> Any:
    """A `Mistral`, or an `AsyncMistral` behind a blocking facade: same calls, same results."""
    return both_clients().client


def sent_json(request: httpx2.Request) -> Any:
    """The JSON body of a recorded request."""
    return json.loads(request.content)


def sse(*events: object, done: bool = True) -> httpx2.Response:
    """A `text/event-stream` response whose `data:` lines are the given JSON payloads."""
    lines = [f"data: {json.dumps(event)}\n\n" for event in events]
    if done:
        lines.append("data: [DONE]\n\n")
    return httpx2.Response(
        200,
        content="".join(lines).encode(),
        headers={"content-type": "text/event-stream"},
    )

"""`complete_many` / `create_many` paced by the rate-limit headers the API sends.

The API answers every request with `x-ratelimit-*-req-minute` and
`x-ratelimit-*-tokens-minute` counts and no reset: an answer that says a window
is at 0 pauses the next requests before the API has to refuse one. Both clients,
on a `MockTransport` and a fake clock, and on the emulator's request quota.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import anyio.from_thread
import httpx2
import pytest
from factories import FakeClock, completion, install_clock

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.testing import BASE_URL, Emulator, VirtualClock
from mistral_sdk.types import ChatCompletionResponse, EmbeddingResponse

from .conftest import Blocking

MODEL = "mistral-small-latest"
Headers = Callable[[int], dict[str, str]]
"""The rate-limit headers of the n-th answer (from 1)."""


def counts(requests: int, tokens: int) -> dict[str, str]:
    return {
        "x-ratelimit-limit-req-minute": "720",
        "x-ratelimit-remaining-req-minute": str(requests),
        "x-ratelimit-limit-tokens-minute": "5000000",
        "x-ratelimit-remaining-tokens-minute": str(tokens),
        "x-ratelimit-tokens-query-cost": "52",
    }


def embedding() -> dict[str, Any]:
    return {
        "id": "emb-1",
        "object": "list",
        "model": "mistral-embed",
        "usage": {"prompt_tokens": 1, "completion_tokens": 0, "total_tokens": 1},
        "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2]}],
    }


class Api:
    """A MockTransport handler: answers, and when each request was sent."""

    def __init__(self, clock: FakeClock, headers: Headers) -> None:
        self.clock = clock
        self.headers = headers
        self.sent_at: list[float] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.sent_at.append(self.clock.monotonic)
        body = embedding() if request.url.path == "/v1/embeddings" else completion()
        return httpx2.Response(200, json=body, headers=self.headers(len(self.sent_at)))


Connect = Callable[[Headers], tuple[Any, Api, FakeClock]]


@pytest.fixture(params=["sync", "async"])
def connect(request: pytest.FixtureRequest) -> Iterator[Connect]:
    """Return a function building a client of each flavour on an `Api`."""
    with anyio.from_thread.start_blocking_portal() as portal:
        opened: list[Mistral | AsyncMistral] = []

        def build(headers: Headers) -> tuple[Any, Api, FakeClock]:
            clock = FakeClock()
            api = Api(clock, headers)
            sdk: Any
            client: Mistral | AsyncMistral
            if request.param == "sync":
                http = httpx2.Client(transport=httpx2.MockTransport(api))
                client = sdk = Mistral(
                    api_key="test-api-key", base_url=BASE_URL, http_client=http
                )
            else:
                async_http = httpx2.AsyncClient(transport=httpx2.MockTransport(api))
                client = AsyncMistral(
                    api_key="test-api-key", base_url=BASE_URL, http_client=async_http
                )
                sdk = Blocking(client, portal)
            install_clock(client, clock)
            opened.append(client)
            return sdk, api, clock

        yield build
        for client in opened:
            if isinstance(client, AsyncMistral):
                portal.call(client.close)
            else:
                client.close()


def ask(i: int) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": f"question {i}"}]}


def test_requests_window_at_0_pauses_the_next_requests(connect: Connect) -> None:
    sdk, api, clock = connect(lambda n: counts(0 if n == 3 else 720 - n, 4999000))

    results = sdk.chat.complete_many(
        [ask(i) for i in range(6)], model=MODEL, concurrency=1
    )

    assert all(isinstance(r.response, ChatCompletionResponse) for r in results)
    assert len(api.sent_at) == 6
    assert clock.sleeps == [0.5]
    # The three requests after the answer at 0 went once the pause was over.
    assert api.sent_at[3] - api.sent_at[2] == 0.5
    assert api.sent_at[3:] == [api.sent_at[3]] * 3


def test_tokens_window_at_0_pauses_longer_while_answers_keep_saying_0(
    connect: Connect,
) -> None:
    sdk, api, clock = connect(lambda n: counts(700, 0 if n in (2, 3) else 4999000))

    results = sdk.embeddings.create_many(
        [{"input": [f"text {i}"]} for i in range(5)],
        model="mistral-embed",
        concurrency=1,
    )

    assert all(isinstance(r.response, EmbeddingResponse) for r in results)
    assert len(api.sent_at) == 5
    assert clock.sleeps == [0.5, 1.0]


def test_without_rate_limit_headers_nothing_pauses(connect: Connect) -> None:
    sdk, api, clock = connect(lambda n: {})

    results = sdk.chat.complete_many(
        [ask(i) for i in range(4)], model=MODEL, concurrency=2
    )

    assert all(r.ok for r in results)
    assert len(api.sent_at) == 4
    assert clock.sleeps == []


@dataclass
class SharedClock(FakeClock):
    """A fake clock whose sleeps move the emulator's virtual clock too."""

    virtual: VirtualClock | None = None

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        assert self.virtual is not None
        self.virtual.advance(seconds)


def test_an_emulator_quota_is_paced_and_loses_no_request(
    sdk: Any, emulator: Emulator
) -> None:
    assert isinstance(emulator.clock, VirtualClock)
    clock = SharedClock(virtual=emulator.clock)
    install_clock(sdk.target if isinstance(sdk, Blocking) else sdk, clock)
    emulator.script.rate_limit(requests=5, per=60, on="POST /v1/chat/completions")

    results = sdk.chat.complete_many(
        [ask(i) for i in range(12)], model=MODEL, concurrency=1
    )

    assert [r.ok for r in results] == [True] * 12
    statuses = [x.response.status for x in emulator.log]
    assert statuses.count(200) == 12
    # The answer at 0 paused before the next request; the 429 that followed
    # (the API gives no reset) paused until the window's end.
    assert clock.sleeps == [0.5, 59.5, 0.5, 59.5]
    assert statuses.count(429) == 2

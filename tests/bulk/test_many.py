"""`client.chat.complete_many` / `client.embeddings.create_many`, both clients."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx2
import pytest
from factories import FakeClock, install_clock

from mistral_sdk import APIError, AsyncMistral, Mistral, ResponseDecodeError
from mistral_sdk.helpers.many_results import ManyProgress
from mistral_sdk.helpers.pacing import Pacer
from mistral_sdk.testing import BASE_URL, Emulator
from mistral_sdk.types import ChatCompletionResponse, EmbeddingResponse

from .conftest import Blocking

MODEL = "mistral-small-latest"


def fake_clock(sdk: Any) -> FakeClock:
    clock = FakeClock()
    install_clock(sdk.target if isinstance(sdk, Blocking) else sdk, clock)
    return clock


def ask(i: int) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": f"question {i}"}]}


def text(result: Any) -> str:
    assert isinstance(result.response, ChatCompletionResponse)
    content = result.response.choices[0].message.content
    assert isinstance(content, str)
    return content


def test_results_come_in_input_order_with_failures_kept(sdk: Any) -> None:
    fake_clock(sdk)
    requests = [ask(i) for i in range(30)]
    requests[7] = {**ask(7), "model": "no-such-model"}
    seen: list[ManyProgress] = []

    results = sdk.chat.complete_many(
        requests, model=MODEL, concurrency=4, on_progress=seen.append
    )

    assert [r.index for r in results] == list(range(30))
    assert isinstance(results[7].error, APIError)
    assert results[7].error.status_code >= 400
    assert [text(r) for i, r in enumerate(results) if i != 7] == [
        f"question {i}" for i in range(30) if i != 7
    ]
    assert seen[-1] == ManyProgress(30, 29, 1, 30, 0)


def test_a_429_storm_slows_down_without_losing_a_request(
    sdk: Any, emulator: Emulator
) -> None:
    clock = fake_clock(sdk)
    emulator.script.rate_limit(
        retry_after=0.5, times=40, on="POST /v1/chat/completions"
    )
    seen: list[ManyProgress] = []

    results = sdk.chat.complete_many(
        (ask(i) for i in range(50)),
        model=MODEL,
        concurrency=8,
        on_progress=seen.append,
    )

    assert [text(r) for r in results] == [f"question {i}" for i in range(50)]
    assert seen[-1].rate_limited == 40
    assert seen[-1].total is None
    assert sum(1 for r in emulator.requests if r.path == "/v1/chat/completions") == 90
    # Every pause lasted at least what the API asked for.
    assert clock.sleeps
    assert min(clock.sleeps) > 0
    assert all(pause <= 0.5 for pause in clock.sleeps)


def test_server_errors_are_retried_per_request(sdk: Any, emulator: Emulator) -> None:
    clock = fake_clock(sdk)
    emulator.script.error(503, on="POST /v1/chat/completions", times=2)

    results = sdk.chat.complete_many([ask(0)], model=MODEL, max_retries=2)

    assert text(results[0]) == "question 0"
    assert len(clock.sleeps) == 2


def test_a_request_out_of_retries_is_a_failed_result(
    sdk: Any, emulator: Emulator
) -> None:
    fake_clock(sdk)
    emulator.script.error(503, on="POST /v1/chat/completions", times=1)

    results = sdk.chat.complete_many([ask(0), ask(1)], model=MODEL, concurrency=1)

    assert [r.ok for r in results] == [False, True]


def test_create_many_embeds_every_input(sdk: Any) -> None:
    results = sdk.embeddings.create_many(
        [{"input": [f"text {i}"]} for i in range(5)], model="mistral-embed"
    )

    assert all(isinstance(r.response, EmbeddingResponse) for r in results)
    assert len(results) == 5


def test_the_pacer_closes_the_gate_when_the_window_is_used_up() -> None:
    pacer = Pacer()

    pacer.on_success({"x-ratelimit-remaining-requests": "5"}, now=10.0)
    open_before = pacer.wait(10.0)
    pacer.on_success(
        {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "3"},
        now=10.0,
    )

    assert open_before == 0.0
    assert pacer.wait(11.0) == 2.0


def test_the_pacer_backs_off_on_429s_in_a_row() -> None:
    pacer = Pacer()

    pacer.on_rate_limited({"retry-after": "3"}, now=0.0, wall_clock=0.0)
    asked = pacer.wait(0.0)
    for _ in range(4):
        pacer.on_rate_limited({}, now=10.0, wall_clock=0.0)

    assert asked == 3.0
    assert pacer.wait(10.0) == 8.0
    assert pacer.rate_limited == 5


class Counting:
    """In-flight requests, counted by a transport wrapper."""

    def __init__(self) -> None:
        self.now = self.most = 0
        self.lock = threading.Lock()

    def enter(self) -> None:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def leave(self) -> None:
        with self.lock:
            self.now -= 1


def test_sync_workers_keep_at_most_concurrency_requests_in_flight(
    emulator: Emulator,
) -> None:
    counting = Counting()
    inner = emulator.transport()

    class Slow(httpx2.BaseTransport):
        def handle_request(self, request: httpx2.Request) -> httpx2.Response:
            counting.enter()
            try:
                time.sleep(0.01)
                return inner.handle_request(request)
            finally:
                counting.leave()

    client = Mistral(
        api_key="test-api-key",
        base_url=BASE_URL,
        http_client=httpx2.Client(transport=Slow()),
    )
    with client:
        results = client.chat.complete_many(
            [ask(i) for i in range(24)], model=MODEL, concurrency=3
        )

    assert all(r.ok for r in results)
    assert 1 < counting.most <= 3


def test_async_tasks_keep_at_most_concurrency_requests_in_flight(
    emulator: Emulator,
) -> None:
    counting = Counting()
    inner = emulator.async_transport()

    class Slow(httpx2.AsyncBaseTransport):
        async def handle_async_request(
            self, request: httpx2.Request
        ) -> httpx2.Response:
            counting.enter()
            try:
                await asyncio.sleep(0.01)
                return await inner.handle_async_request(request)
            finally:
                counting.leave()

    async def go() -> list[Any]:
        client = AsyncMistral(
            api_key="test-api-key",
            base_url=BASE_URL,
            http_client=httpx2.AsyncClient(transport=Slow()),
        )
        async with client:
            return await client.chat.complete_many(
                [ask(i) for i in range(24)], model=MODEL, concurrency=5
            )

    results = asyncio.run(go())

    assert all(r.ok for r in results)
    assert counting.most == 5


def test_a_request_with_a_wrong_argument_fails_alone(sdk: Any) -> None:
    results = sdk.chat.complete_many(
        [ask(0), {**ask(1), "temprature": 0.2}, ask(2)], model=MODEL
    )

    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[1].error, TypeError)


def _empty_body_for_question_1(request: httpx2.Request) -> httpx2.Response:
    if b"question 1" in request.content:
        return httpx2.Response(200, content=b"")
    answer = {
        "id": "x",
        "object": "chat.completion",
        "model": MODEL,
        "created": 0,
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "ok"},
                "finish_reason": "stop",
            }
        ],
    }
    return httpx2.Response(200, json=answer)


def test_a_response_that_cannot_be_parsed_fails_alone_sync() -> None:
    transport = httpx2.MockTransport(_empty_body_for_question_1)
    client = Mistral(
        api_key="test-api-key",
        base_url=BASE_URL,
        http_client=httpx2.Client(transport=transport),
    )
    with client:
        results = client.chat.complete_many([ask(i) for i in range(3)], model=MODEL)

    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[1].error, ResponseDecodeError)


def test_a_response_that_cannot_be_parsed_fails_alone_async() -> None:
    async def go() -> list[Any]:
        transport = httpx2.MockTransport(_empty_body_for_question_1)
        client = AsyncMistral(
            api_key="test-api-key",
            base_url=BASE_URL,
            http_client=httpx2.AsyncClient(transport=transport),
        )
        async with client:
            return await client.chat.complete_many(
                [ask(i) for i in range(3)], model=MODEL
            )

    results = asyncio.run(go())

    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[1].error, ResponseDecodeError)


def test_an_error_raised_by_on_progress_stops_the_other_workers(
    sdk: Any, emulator: Emulator
) -> None:
    raised: list[int] = []

    def on_progress(progress: ManyProgress) -> None:
        if not raised:
            raised.append(progress.done)
            raise RuntimeError("the progress bar broke")

    with pytest.raises(RuntimeError, match="the progress bar broke"):
        sdk.chat.complete_many(
            [ask(i) for i in range(40)],
            model=MODEL,
            concurrency=2,
            on_progress=on_progress,
        )

    # Each worker finishes at most the call it had begun; none takes another.
    assert len(emulator.log) <= 3

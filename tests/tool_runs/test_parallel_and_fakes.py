"""Parallel calls on the async client, and runs against scripted fake transports.

Overlap is proven with barriers and events, never with timing: each function waits
until the others have started, which only happens when the calls of a step run at
the same time. A sequential run would wait forever; `fail_after` and the barrier's
timeout turn that into a failure instead of a hang.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import anyio
import httpx2
import pytest

from mistral_sdk import AsyncMistral, BadRequestError, Mistral
from mistral_sdk.testing import Emulator, Reply, ToolCall
from mistral_sdk.types import MessageParam

from .conftest import MODEL, Runner

USER: list[MessageParam] = [{"role": "user", "content": "Paris, Oslo and Rome?"}]
THREE_CALLS = Reply(
    tool_calls=[
        ToolCall("weather", {"city": "Paris"}, "p"),
        ToolCall("weather", {"city": "Oslo"}, "o"),
        ToolCall("weather", {"city": "Rome"}, "r"),
    ]
)


@pytest.mark.anyio
async def test_async_coroutine_calls_of_one_step_overlap() -> None:
    emulator = Emulator()
    emulator.script.add(THREE_CALLS)
    started: list[str] = []
    all_started = anyio.Event()

    async def weather(city: str) -> str:
        started.append(city)
        if len(started) == 3:
            all_started.set()
        await all_started.wait()  # returns only once every call has begun
        return f"{city}: sunny"

    async with emulator.async_client() as client:
        with anyio.fail_after(10):
            run = await client.chat.run_tools(
                model=MODEL, messages=USER, tools=[weather]
            )

    assert sorted(started) == ["Oslo", "Paris", "Rome"]
    assert [r.content for r in run.steps[0].results] == [
        "Paris: sunny",
        "Oslo: sunny",
        "Rome: sunny",
    ]


@pytest.mark.anyio
async def test_async_plain_functions_run_in_threads_at_the_same_time() -> None:
    emulator = Emulator()
    emulator.script.add(THREE_CALLS)
    barrier = threading.Barrier(3, timeout=10)
    threads: set[int] = set()

    def weather(city: str) -> str:
        threads.add(threading.get_ident())
        barrier.wait()  # raises BrokenBarrierError unless all three run at once
        return f"{city}: rain"

    async with emulator.async_client() as client:
        run = await client.chat.run_tools(model=MODEL, messages=USER, tools=[weather])

    assert [r.error for r in run.steps[0].results] == [None, None, None]
    assert len(threads) == 3


def test_sync_calls_of_one_step_run_in_order() -> None:
    emulator = Emulator()
    emulator.script.add(THREE_CALLS)
    order: list[str] = []

    def weather(city: str) -> str:
        order.append(city)
        return city

    with emulator.client() as client:
        client.chat.run_tools(model=MODEL, messages=USER, tools=[weather]).until_done()

    assert order == ["Paris", "Oslo", "Rome"]


def test_sync_client_refuses_coroutine_functions() -> None:
    async def weather(city: str) -> str:
        return city

    with Emulator().client() as client, pytest.raises(TypeError, match="AsyncMistral"):
        client.chat.run_tools(model=MODEL, messages=USER, tools=[weather])


@pytest.mark.anyio
async def test_async_run_is_lazy_and_final_needs_the_run_done() -> None:
    emulator = Emulator()
    async with emulator.async_client() as client:
        run = client.chat.run_tools(model=MODEL, messages=USER, tools=[count])

        assert list(emulator.log) == []
        with pytest.raises(RuntimeError, match="has not finished"):
            run.final  # noqa: B018 - the property is what is tested
        final = await run.until_done()

    assert run.final is final
    assert len(run.steps) == 2


def test_sync_run_reading_final_runs_it() -> None:
    emulator = Emulator()
    with emulator.client() as client:
        run = client.chat.run_tools(model=MODEL, messages=USER, tools=[count])
        assert list(emulator.log) == []

        content = run.final.choices[0].message.content

    assert content == "21"  # len("Paris, Oslo and Rome?")
    assert len(emulator.log) == 2


def count(text: str) -> int:
    """Count the characters of a text."""
    return len(text)


# --------------------------------------------------------------- scripted fakes
def completion(message: dict[str, Any], finish: str = "stop") -> httpx2.Response:
    return httpx2.Response(
        200,
        json={
            "id": "c",
            "object": "chat.completion",
            "model": MODEL,
            "created": 0,
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", **message},
                    "finish_reason": finish,
                }
            ],
        },
    )


class FakeModel:
    """A chat endpoint that answers from a list and records what it was sent."""

    def __init__(self, *replies: httpx2.Response) -> None:
        self.replies = list(replies)
        self.sent: list[dict[str, Any]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        assert request.url.path == "/v1/chat/completions"
        self.sent.append(json.loads(request.content))
        return self.replies.pop(0)


def test_fake_arguments_as_an_object_and_a_tool_named_twice(make_runner: Any) -> None:
    calls = [
        {"id": "a", "function": {"name": "add", "arguments": {"a": 1, "b": 2}}},
        {"id": "b", "function": {"name": "add", "arguments": '{"a": "x", "b": 2}'}},
        {"id": "c", "function": {"name": "add", "arguments": ""}},
    ]
    fake = FakeModel(
        completion({"content": "", "tool_calls": calls}, "tool_calls"),
        completion({"content": "3"}),
    )
    runner: Runner = make_runner(httpx2.MockTransport(fake))

    def add(a: int, b: int = 0) -> int:
        return a + b

    run = runner.chat(messages=USER, tools=[add])

    ok, bad, empty = run.steps[0].results
    assert (ok.content, ok.value) == ("3", 3)
    assert bad.content.startswith("Error: invalid arguments: a: Input should be")
    assert empty.content == "Error: invalid arguments: a: Missing required argument"
    tool_messages = fake.sent[1]["messages"][2:]
    assert [m["tool_call_id"] for m in tool_messages] == ["a", "b", "c"]
    assert run.final.choices[0].message.content == "3"


def test_fake_results_are_json_encoded(make_runner: Any) -> None:
    call = {"id": "a", "function": {"name": "info", "arguments": "{}"}}
    fake = FakeModel(
        completion({"content": None, "tool_calls": [call]}, "tool_calls"),
        completion({"content": "done"}),
    )
    runner: Runner = make_runner(httpx2.MockTransport(fake))

    def info() -> dict[str, Any]:
        return {"ok": True, "items": [1, 2], "name": "é"}

    runner.chat(messages=USER, tools=[info])

    assert (
        fake.sent[1]["messages"][2]["content"] == '{"ok":true,"items":[1,2],"name":"é"}'
    )


def test_fake_an_api_error_ends_the_run(make_runner: Any) -> None:
    fake = FakeModel(httpx2.Response(400, json={"message": "bad tools"}))
    runner: Runner = make_runner(httpx2.MockTransport(fake))

    with pytest.raises(BadRequestError):
        runner.chat(messages=USER, tools=[count])


CHUNKED = {
    "content": [
        {"type": "thinking", "thinking": [{"type": "text", "text": "hmm"}]},
        {"type": "text", "text": "It is "},
        {"type": "text", "text": "sunny."},
    ]
}


def test_fake_text_stream_gives_the_text_of_chunked_content_sync() -> None:
    fake = FakeModel(completion(CHUNKED))
    http = httpx2.Client(transport=httpx2.MockTransport(fake))
    with Mistral(api_key="test-key", http_client=http, max_retries=0) as client:
        run = client.chat.run_tools(model=MODEL, messages=USER, tools=[count])
        texts = list(run.text_stream)

    assert texts == ["It is sunny."]


@pytest.mark.anyio
async def test_fake_text_stream_gives_the_text_of_chunked_content_async() -> None:
    fake = FakeModel(completion(CHUNKED))
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(fake))
    async with AsyncMistral(api_key="test-key", http_client=http) as client:
        run = client.chat.run_tools(model=MODEL, messages=USER, tools=[count])
        texts = [text async for text in run.text_stream]

    assert texts == ["It is sunny."]


def shout(city: str) -> str:
    """Say the weather."""
    return f"sunny in {city} today"


WEATHER: list[MessageParam] = [{"role": "user", "content": "Weather in Lyon?"}]


def chat_requests(emulator: Emulator) -> int:
    return sum(1 for e in emulator.log if e.request.path == "/v1/chat/completions")


def test_sync_a_reader_stopping_early_leaves_the_step_to_the_next_one() -> None:
    emulator = Emulator()
    with emulator.client() as client:
        run = client.chat.run_tools(
            model=MODEL, messages=WEATHER, tools=[shout], stream=True
        )
        first = next(iter(run.text_stream))  # then stop reading
        final = run.until_done()

    assert first == "sunny"
    assert final.choices[0].message.content == "sunny in Weather in Lyon? today"
    assert chat_requests(emulator) == 2  # no step sent twice
    assert len(run.steps) == 2


@pytest.mark.anyio
async def test_async_a_reader_stopping_early_leaves_the_step_to_the_next_one() -> None:
    emulator = Emulator()
    async with emulator.async_client() as client:
        run = client.chat.run_tools(
            model=MODEL, messages=WEATHER, tools=[shout], stream=True
        )
        first = ""
        async for text in run.text_stream:
            first = text
            break
        final = await run.until_done()

    assert first == "sunny"
    assert final.choices[0].message.content == "sunny in Weather in Lyon? today"
    assert chat_requests(emulator) == 2  # no step sent twice
    assert len(run.steps) == 2

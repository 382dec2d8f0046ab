"""Scripting from a test: replies, tool calls, errors, latency, limits, streams."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mistral_sdk import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    Mistral,
    NotFoundError,
    RateLimitError,
)
from mistral_sdk.testing import Emulator, Prompt, Reply, ToolCall, VirtualClock

from ._narrow import present, text

MODEL = "mistral-small-latest"
HI: Any = [{"role": "user", "content": "Hi"}]


def say(client: Mistral, text: str = "Hi", **options: Any) -> str:
    reply = client.chat.complete(
        model=options.pop("model", MODEL),
        messages=[{"role": "user", "content": text}],
        **options,
    )
    content = reply.choices[0].message.content
    assert isinstance(content, str)
    return content


def test_script_replies_are_used_in_order_then_echo(
    emulator: Emulator, client: Mistral
) -> None:
    emulator.script.reply("First").reply("Second")

    answers = [say(client, "x"), say(client, "y"), say(client, "z")]

    assert answers == ["First", "Second", "z"]
    assert emulator.script.pending == []


def test_script_reply_for_one_model_only(emulator: Emulator, client: Mistral) -> None:
    emulator.script.reply("Large answer", model="mistral-large-latest")

    small = say(client, "ping")
    large = say(client, "ping", model="mistral-large-latest")

    assert (small, large) == ("ping", "Large answer")


def test_script_reply_times_none_repeats(emulator: Emulator, client: Mistral) -> None:
    emulator.script.reply("Always", times=None)

    assert {say(client, str(i)) for i in range(3)} == {"Always"}


def test_script_tool_call_shapes_the_choice(
    emulator: Emulator, client: Mistral
) -> None:
    emulator.script.tool_call("get_weather", {"city": "Lyon"}, id="call_1")

    choice = client.chat.complete(model=MODEL, messages=HI).choices[0]

    assert choice.finish_reason == "tool_calls"
    calls = choice.message.tool_calls or []
    assert [(c.id, c.function.name) for c in calls] == [("call_1", "get_weather")]
    assert json.loads(str(calls[0].function.arguments)) == {"city": "Lyon"}


def test_script_reply_with_several_tool_calls(
    emulator: Emulator, client: Mistral
) -> None:
    calls = [ToolCall("a", {"x": 1}), ToolCall("b", '{"y": 2}')]
    emulator.script.add(Reply("Let me check.", tool_calls=calls))

    message = client.chat.complete(model=MODEL, messages=HI).choices[0].message

    assert message.content == "Let me check."
    assert [c.index for c in message.tool_calls or []] == [0, 1]


def test_script_responder_answers_from_the_prompt(
    emulator: Emulator, client: Mistral
) -> None:
    seen: list[Prompt] = []

    def shout(prompt: Prompt) -> str:
        seen.append(prompt)
        return prompt.text.upper()

    emulator.script.respond_with(shout)

    assert say(client, "quiet please") == "QUIET PLEASE"
    assert seen[0].model == MODEL
    assert seen[0].endpoint == "chat_completion_v1_chat_completions_post"


def test_script_error_with_the_real_body(emulator: Emulator, client: Mistral) -> None:
    emulator.script.error(503, "Service overloaded", on="POST /v1/chat/completions")

    with pytest.raises(InternalServerError) as caught:
        say(client)

    assert caught.value.status_code == 503
    assert caught.value.body == {
        "object": "error",
        "message": "Service overloaded",
        "type": "service_unavailable",
        "param": None,
        "code": None,
    }
    assert say(client) == "Hi"


def test_script_error_only_hits_matching_requests(
    emulator: Emulator, client: Mistral
) -> None:
    emulator.script.error(404, on="files_api_routes_list_files")

    client.models.list()
    with pytest.raises(NotFoundError):
        client.files.list()


def test_script_error_custom_body_and_headers(emulator: Emulator) -> None:
    emulator.script.error(418, body={"teapot": True}, headers={"x-why": "tea"})

    response = emulator.handle(
        "GET", "/v1/models", headers={"authorization": "Bearer test-api-key"}
    )

    assert (response.status, response.json()) == (418, {"teapot": True})
    assert response.header("x-why") == "tea"
    emulator.log.clear()


def test_script_rate_limit_once_with_retry_after(
    emulator: Emulator, client: Mistral
) -> None:
    emulator.script.rate_limit(retry_after=2)

    with pytest.raises(RateLimitError) as caught:
        client.models.list()

    assert present(caught.value.response).headers["retry-after"] == "2"
    assert client.models.list().data


def test_script_rate_limit_is_retried_by_the_sdk(emulator: Emulator) -> None:
    emulator.script.rate_limit(retry_after=0, times=2)

    with emulator.client(max_retries=2) as client:
        assert say(client) == "Hi"

    assert [x.response.status for x in emulator.log] == [429, 429, 200]


def test_script_rate_limit_quota_per_window(
    emulator: Emulator, client: Mistral
) -> None:
    clock = emulator.clock
    assert isinstance(clock, VirtualClock)
    emulator.script.rate_limit(requests=2, per=60, on="/v1/models")

    client.models.list()
    client.models.list()
    with pytest.raises(RateLimitError) as caught:
        client.models.list()
    clock.advance(60)
    client.models.list()

    headers = present(caught.value.response).headers
    assert headers["x-ratelimit-limit-req-minute"] == "2"
    assert headers["x-ratelimit-remaining-req-minute"] == "0"
    assert headers["retry-after"] == "60"


def test_script_rate_limit_quota_counts_down_on_every_answer(
    emulator: Emulator, client: Mistral
) -> None:
    emulator.script.rate_limit(requests=2, per=60, on="/v1/models")

    answers = [client.models.with_raw_response.list() for _ in range(2)]
    other = client.files.with_raw_response.list()

    assert [a.headers["x-ratelimit-remaining-req-minute"] for a in answers] == [
        "1",
        "0",
    ]
    assert answers[1].rate_limit is not None
    assert (answers[1].rate_limit.limit, answers[1].rate_limit.remaining) == (2, 0)
    assert other.rate_limit is None


def test_script_latency_moves_the_virtual_clock(
    emulator: Emulator, client: Mistral
) -> None:
    clock = emulator.clock
    assert isinstance(clock, VirtualClock)
    before = clock.now()
    emulator.script.latency(2.5, times=1)

    say(client)

    assert clock.now() == before + 2.5


def test_script_latency_past_the_timeout_raises(emulator: Emulator) -> None:
    emulator.script.latency(30, on="POST /v1/chat/completions")

    with emulator.client(timeout=5) as client, pytest.raises(APITimeoutError):
        say(client)


def test_script_stream_is_token_by_token_with_usage(
    emulator: Emulator, client: Mistral
) -> None:
    emulator.script.reply("Bonjour à Lyon !")

    with client.chat.stream(model=MODEL, messages=HI) as stream:
        chunks = list(stream)

    deltas = [c.choices[0].delta.content for c in chunks]
    assert deltas == ["", "Bonjour", " à", " Lyon", " !", ""]
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == 4
    assert emulator.log[-1].response.content().endswith(b"data: [DONE]\n\n")


def test_script_stream_interrupted_by_an_error_event(
    emulator: Emulator, client: Mistral
) -> None:
    emulator.script.reply("one two three four", interrupt_after=2)
    received: list[str] = []

    def read_all() -> None:
        with client.chat.stream(model=MODEL, messages=HI) as stream:
            for chunk in stream:
                received.append(text(chunk.choices[0].delta.content or ""))

    with pytest.raises(InternalServerError):
        read_all()

    assert "".join(received) == "one two"


def test_script_stream_disconnect_breaks_the_connection(
    emulator: Emulator, client: Mistral
) -> None:
    emulator.script.reply("one two three", disconnect_after=2)

    with (
        pytest.raises(APIConnectionError),
        client.chat.stream(model=MODEL, messages=HI) as stream,
    ):
        list(stream)


def test_script_clear_forgets_everything(emulator: Emulator, client: Mistral) -> None:
    emulator.script.reply("x").error(500).latency(1)

    emulator.script.clear()

    assert emulator.script.pending == []
    assert say(client, "echo") == "echo"


def test_script_tool_call_streamed(emulator: Emulator, client: Mistral) -> None:
    emulator.script.tool_call("get_weather", {"city": "Lyon"})

    with client.chat.stream(model=MODEL, messages=HI) as stream:
        chunks = list(stream)

    last = chunks[-1].choices[0]
    assert last.finish_reason == "tool_calls"
    assert [c.function.name for c in last.delta.tool_calls or []] == ["get_weather"]

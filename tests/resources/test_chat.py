from __future__ import annotations

from typing import Any

import pytest
from conftest import MockApi, json_reply

from mistral_sdk import RequestValidationError
from mistral_sdk.types import (
    ChatCompletionResponse,
    CompletionChunk,
    TextChunk,
    UnknownContentChunk,
    UserMessage,
)

from . import payloads
from .conftest import sent_json, sse

MESSAGES = [{"role": "user", "content": "Hi"}]


def test_chat_complete_sends_the_request_shape(sdk: Any, api: MockApi) -> None:
    api.add("POST", "/v1/chat/completions", json_reply(200, payloads.completion()))

    response = sdk.chat.complete(
        model="mistral-small-latest", messages=MESSAGES, temperature=0.3
    )

    request = api.last
    assert request.headers["authorization"].startswith("Bearer ")
    assert request.headers["content-type"] == "application/json"
    assert request.headers["user-agent"].startswith("mistral-sdk-python/")
    assert sent_json(request) == {
        "model": "mistral-small-latest",
        "messages": MESSAGES,
        "temperature": 0.3,
        "stream": False,
    }
    assert isinstance(response, ChatCompletionResponse)
    assert response.choices[0].message.content == "Hello!"
    assert response.choices[0].finish_reason == "stop"
    assert response.usage.total_tokens == 12


def test_chat_complete_accepts_models_and_dicts_mixed(sdk: Any, api: MockApi) -> None:
    api.add("POST", "/v1/chat/completions", json_reply(200, payloads.completion()))

    sdk.chat.complete(
        model="m",
        messages=[
            {"role": "system", "content": "Be brief."},
            UserMessage(content=[TextChunk(text="Hi")]),
        ],
    )

    assert sent_json(api.last)["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": [{"type": "text", "text": "Hi"}]},
    ]


def test_chat_complete_sends_explicit_null_but_not_unset_fields(
    sdk: Any, api: MockApi
) -> None:
    api.add("POST", "/v1/chat/completions", json_reply(200, payloads.completion()))

    sdk.chat.complete(model="m", messages=MESSAGES, max_tokens=None)

    body = sent_json(api.last)
    assert body["max_tokens"] is None
    assert "temperature" not in body
    assert "tools" not in body


def test_chat_complete_per_call_options_reach_the_request(
    sdk: Any, api: MockApi
) -> None:
    api.add("POST", "/v1/chat/completions", json_reply(200, payloads.completion()))

    sdk.chat.complete(
        model="m",
        messages=MESSAGES,
        extra_headers={"x-trace": "abc"},
        extra_query={"debug": "1"},
        extra_body={"brand_new_field": True},
    )

    request = api.last
    assert request.headers["x-trace"] == "abc"
    assert request.url.params["debug"] == "1"
    assert sent_json(request)["brand_new_field"] is True


def test_chat_complete_keeps_unknown_content_chunks_and_finish_reasons(
    sdk: Any, api: MockApi
) -> None:
    content = [{"type": "text", "text": "a"}, {"type": "hologram", "depth": 3}]
    api.add(
        "POST",
        "/v1/chat/completions",
        json_reply(200, payloads.completion(content, finish_reason="thought_budget")),
    )

    choice = sdk.chat.complete(model="m", messages=MESSAGES).choices[0]

    assert choice.finish_reason == "thought_budget"
    text, unknown = choice.message.content
    assert isinstance(text, TextChunk)
    assert isinstance(unknown, UnknownContentChunk)
    assert unknown.type == "hologram"
    assert unknown.raw == {"type": "hologram", "depth": 3}


def test_chat_complete_rejects_a_bad_message_before_any_request(
    sdk: Any, api: MockApi
) -> None:
    with pytest.raises(RequestValidationError, match="messages"):
        sdk.chat.complete(model="m", messages=[{"role": "user", "content": 42}])

    assert api.requests == []


def test_chat_stream_yields_typed_chunks(sdk: Any, api: MockApi) -> None:
    api.add(
        "POST",
        "/v1/chat/completions",
        sse(payloads.chunk("Hel"), payloads.chunk("lo"), payloads.chunk("", "stop")),
    )

    with sdk.chat.stream(model="m", messages=MESSAGES) as stream:
        chunks = list(stream)

    assert sent_json(api.last)["stream"] is True
    assert all(isinstance(c, CompletionChunk) for c in chunks)
    assert "".join(c.choices[0].delta.content for c in chunks) == "Hello"
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_chat_with_raw_response_exposes_headers_and_parses(
    sdk: Any, api: MockApi
) -> None:
    api.add(
        "POST",
        "/v1/chat/completions",
        json_reply(
            200,
            payloads.completion(),
            **{
                "mistral-correlation-id": "req-42",
                "x-ratelimit-remaining-tokens": "99",
            },
        ),
    )

    raw = sdk.chat.with_raw_response.complete(model="m", messages=MESSAGES)

    assert raw.status_code == 200
    assert raw.request_id == "req-42"
    assert raw.parse().choices[0].message.content == "Hello!"


def _chunks_response() -> Any:
    return sse(payloads.chunk("Hel"), payloads.chunk("lo"), payloads.chunk("", "stop"))


def test_chat_stream_get_final_completion(sdk: Any, api: MockApi) -> None:
    api.add("POST", "/v1/chat/completions", _chunks_response())

    with sdk.chat.stream(model="m", messages=MESSAGES) as stream:
        final = stream.get_final_completion()

    assert isinstance(final, ChatCompletionResponse)
    assert final.choices[0].message.content == "Hello"
    assert final.choices[0].finish_reason == "stop"
    assert stream.response.is_closed


def test_chat_stream_final_completion_counts_chunks_read_before(
    sdk: Any, api: MockApi
) -> None:
    api.add("POST", "/v1/chat/completions", _chunks_response())

    with sdk.chat.stream(model="m", messages=MESSAGES) as stream:
        first = next(iter(stream))
        final = stream.get_final_completion()

    assert first.choices[0].delta.content == "Hel"
    assert final.choices[0].message.content == "Hello"


def test_chat_stream_text_stream_then_final(sdk: Any, api: MockApi) -> None:
    api.add("POST", "/v1/chat/completions", _chunks_response())

    with sdk.chat.stream(model="m", messages=MESSAGES) as stream:
        texts = list(stream.text_stream)
        final = stream.get_final_completion()

    assert texts == ["Hel", "lo"]
    assert final.choices[0].message.content == "Hello"


def test_chat_stream_until_done_reads_to_the_end(sdk: Any, api: MockApi) -> None:
    api.add("POST", "/v1/chat/completions", _chunks_response())
    stream = sdk.chat.stream(model="m", messages=MESSAGES)

    stream.until_done()

    assert stream.response.is_closed
    assert list(stream) == []


def test_fim_and_agents_streams_accumulate_too(sdk: Any, api: MockApi) -> None:
    api.add("POST", "/v1/fim/completions", _chunks_response())
    api.add("POST", "/v1/agents/completions", _chunks_response())

    fim = sdk.fim.stream(model="codestral-latest", prompt="def")
    agents = sdk.agents.stream(agent_id="ag-1", messages=MESSAGES)

    assert fim.get_final_completion().choices[0].message.content == "Hello"
    assert agents.get_final_completion().choices[0].message.content == "Hello"

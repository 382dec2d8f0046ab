from __future__ import annotations

from typing import Any

import pytest
from conftest import MockApi, json_reply

from mistral_sdk import APIError
from mistral_sdk.types import (
    ConversationResponse,
    FunctionTool,
    MessageOutputEntry,
    MessageOutputEvent,
    ResponseStartedEvent,
    UnknownAgentTool,
    UnknownEntry,
    UnknownEvent,
    WebSearchTool,
)

from . import payloads
from .conftest import sent_json, sse

HOLOGRAM = {"object": "entry", "type": "hologram.output", "id": "h-1", "depth": 3}


def test_conversations_start_with_a_string(sdk: Any, api: MockApi) -> None:
    api.add(
        "POST",
        "/v1/conversations",
        json_reply(200, payloads.conversation_response(payloads.message_output("Hi!"))),
    )

    response = sdk.beta.conversations.start(
        model="mistral-small-latest", inputs="Hello"
    )

    assert sent_json(api.last) == {
        "model": "mistral-small-latest",
        "inputs": "Hello",
        "stream": False,
    }
    assert isinstance(response, ConversationResponse)
    assert isinstance(response.outputs[0], MessageOutputEntry)
    assert response.outputs[0].content == "Hi!"


def test_conversations_keep_unknown_entries(sdk: Any, api: MockApi) -> None:
    api.add(
        "POST",
        "/v1/conversations",
        json_reply(200, payloads.conversation_response(HOLOGRAM)),
    )

    (entry,) = sdk.beta.conversations.start(model="m", inputs="x").outputs

    assert isinstance(entry, UnknownEntry)
    assert entry.type == "hologram.output"
    assert entry.raw == HOLOGRAM


def test_conversations_send_an_unknown_entry_back_unchanged(
    sdk: Any, api: MockApi
) -> None:
    history = {"object": "conversation.history", "conversation_id": "conv-1"}
    api.add(
        "GET",
        "/v1/conversations/conv-1/history",
        json_reply(200, {**history, "entries": [HOLOGRAM]}),
    )
    api.add(
        "POST",
        "/v1/conversations/conv-1",
        json_reply(200, payloads.conversation_response()),
    )
    api.add(
        "POST",
        "/v1/conversations/conv-1/restart",
        json_reply(200, payloads.conversation_response()),
    )

    entries = sdk.beta.conversations.get_history("conv-1").entries
    sdk.beta.conversations.append("conv-1", inputs=entries)
    appended = sent_json(api.last)
    sdk.beta.conversations.restart("conv-1", from_entry_id="h-1", inputs=entries)
    restarted = sent_json(api.last)

    assert appended["inputs"] == [HOLOGRAM]
    assert restarted["inputs"] == [HOLOGRAM]
    assert restarted["from_entry_id"] == "h-1"


def test_conversations_start_stream_yields_typed_events(sdk: Any, api: MockApi) -> None:
    api.add(
        "POST",
        "/v1/conversations",
        sse(
            {"type": "conversation.response.started", "conversation_id": "conv-1"},
            {
                "type": "message.output.delta",
                "id": "msg-1",
                "model": "m",
                "role": "assistant",
                "content": "Hi",
                "output_index": 0,
                "content_index": 0,
            },
            {"type": "teleport.started", "where": "mars"},
            done=False,
        ),
    )

    with sdk.beta.conversations.start_stream(model="m", inputs="x") as stream:
        events = list(stream)

    assert sent_json(api.last)["stream"] is True
    assert [type(e) for e in events] == [
        ResponseStartedEvent,
        MessageOutputEvent,
        UnknownEvent,
    ]
    assert events[1].content == "Hi"
    assert events[2].raw == {"type": "teleport.started", "where": "mars"}


def test_conversations_stream_raises_on_an_error_event(sdk: Any, api: MockApi) -> None:
    api.add(
        "POST",
        "/v1/conversations/conv-1",
        sse(
            {
                "type": "conversation.response.error",
                "message": "model overloaded",
                "code": 3000,
            },
            done=False,
        ),
    )

    with (
        pytest.raises(APIError, match="model overloaded"),
        sdk.beta.conversations.append_stream("conv-1", inputs="x") as stream,
    ):
        list(stream)


def _agent(tools: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "object": "agent",
        "id": "ag-1",
        "name": "helper",
        "model": "mistral-medium-latest",
        "version": 1,
        "versions": [1],
        "created_at": "2026-11-23T10:00:00Z",
        "updated_at": "2026-11-23T10:00:00Z",
        "deployment_chat": False,
        "source": "api",
        "tools": tools,
    }


def test_agents_tools_are_a_typed_union_both_ways(sdk: Any, api: MockApi) -> None:
    function = {"type": "function", "function": {"name": "f", "parameters": {}}}
    api.add(
        "POST",
        "/v1/agents",
        json_reply(
            200, _agent([function, {"type": "web_search"}, {"type": "mind_reader"}])
        ),
    )

    agent = sdk.beta.agents.create(
        model="mistral-medium-latest",
        name="helper",
        tools=[
            function,
            WebSearchTool(),
            UnknownAgentTool.model_validate({"type": "mind_reader"}),
        ],
    )

    assert sent_json(api.last)["tools"] == [
        function,
        {"type": "web_search"},
        {"type": "mind_reader"},
    ]
    assert [type(t) for t in agent.tools] == [
        FunctionTool,
        WebSearchTool,
        UnknownAgentTool,
    ]


def test_agents_list_iterates_across_array_pages(sdk: Any, api: MockApi) -> None:
    api.add(
        "GET",
        "/v1/agents",
        json_reply(200, [_agent([]), _agent([])]),
        json_reply(200, []),
    )

    agents = list(sdk.beta.agents.list(page_size=2))

    assert len(agents) == 2
    assert [r.url.params.get("page") for r in api.requests] == [None, "1"]


def _conversation_events() -> Any:
    delta = {
        "type": "message.output.delta",
        "id": "msg-1",
        "model": "m",
        "role": "assistant",
        "output_index": 0,
        "content_index": 0,
    }
    return sse(
        {"type": "conversation.response.started", "conversation_id": "conv-1"},
        {**delta, "content": "Hel"},
        {**delta, "content": "lo"},
        {
            "type": "conversation.response.done",
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
        },
        done=False,
    )


def test_conversation_stream_get_final_response(sdk: Any, api: MockApi) -> None:
    api.add("POST", "/v1/conversations", _conversation_events())

    with sdk.beta.conversations.start_stream(model="m", inputs="x") as stream:
        final = stream.get_final_response()

    assert final.conversation_id == "conv-1"
    assert [entry.content for entry in final.outputs] == ["Hello"]
    assert final.usage.total_tokens == 3


def test_conversation_stream_text_stream_and_until_done(sdk: Any, api: MockApi) -> None:
    api.add("POST", "/v1/conversations", _conversation_events(), _conversation_events())

    with sdk.beta.conversations.start_stream(model="m", inputs="x") as stream:
        texts = list(stream.text_stream)
    other = sdk.beta.conversations.start_stream(model="m", inputs="x")
    other.until_done()

    assert texts == ["Hel", "lo"]
    assert other.response.is_closed

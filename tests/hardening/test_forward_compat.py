"""Forward compatibility over a real socket: the API of next month, read today.

New union members, enum values, fields and roles must not break a call: known
parts stay readable and typed, unknown parts are kept as received and are sent
back unchanged when the caller passes them on (the round trip goes through the
fault server's request log, so it is the bytes on the wire that are compared).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from hardening import payloads
from hardening.faultserver import FaultServer
from hardening.support import (
    CHAT,
    CONVERSATIONS,
    MESSAGES,
    Sdk,
    json_reply,
    sse_events,
    sse_reply,
)
from mistral_sdk import ResponseValidationError, _logging
from mistral_sdk.types import (
    AssistantMessage,
    BaseModelCard,
    ChatCompletionResponse,
    CompletionDetailedJobOut,
    FunctionTool,
    MessageInputEntry,
    MessageOutputEntry,
    MessageOutputEvent,
    ResponseDoneEvent,
    ResponseStartedEvent,
    TextChunk,
    UnknownAgentTool,
    UnknownContentChunk,
    UnknownEntry,
    UnknownEvent,
    UnknownMessage,
    UnknownModelCard,
    WebSearchTool,
)

HOLOGRAM = {
    "type": "hologram",
    "hologram": {"frames": [1, 2, 3], "fps": 24.5},
    "caption": None,
    "z": "last",
}


def sent(fault: FaultServer, index: int = -1) -> Any:
    return json.loads(fault.requests[index].body)


def complete(sdk: Sdk, messages: Any = MESSAGES) -> ChatCompletionResponse:
    result: ChatCompletionResponse = sdk.client.chat.complete(
        model="m", messages=messages
    )
    return result


# ------------------------------------------------------------------ unions
def test_compat_unknown_content_chunk_in_an_assistant_message(
    sdk: Sdk, fault: FaultServer
) -> None:
    content = [{"type": "text", "text": "Look:"}, HOLOGRAM]
    body = payloads.completion(content)
    fault.script("POST", CHAT, json_reply(body), json_reply(payloads.completion()))

    message = complete(sdk).choices[0].message

    assert isinstance(message.content, list)
    text, unknown = message.content
    assert isinstance(text, TextChunk)
    assert text.text == "Look:"
    assert isinstance(unknown, UnknownContentChunk)
    assert unknown.type == "hologram"
    assert unknown.hologram == {"frames": [1, 2, 3], "fps": 24.5}
    assert unknown.raw == HOLOGRAM
    # Round trip: the message goes back to the API as it came.
    complete(sdk, [*MESSAGES, message, {"role": "user", "content": "More"}])
    assert sent(fault)["messages"][1] == body["choices"][0]["message"]
    assert list(sent(fault)["messages"][1]["content"][1]) == list(HOLOGRAM)


def test_compat_unknown_finish_reason(sdk: Sdk, fault: FaultServer) -> None:
    fault.script(
        "POST",
        CHAT,
        json_reply(payloads.completion(finish_reason="guardrail_v2")),
        sse_reply(
            sse_events(payloads.chunk("a"), payloads.chunk(None, "guardrail_v2"))
        ),
    )

    assert complete(sdk).choices[0].finish_reason == "guardrail_v2"
    with sdk.client.chat.stream(model="m", messages=MESSAGES) as stream:
        reasons = [c.choices[0].finish_reason for c in stream]
    assert reasons == [None, "guardrail_v2"]


def history(*entries: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "conversation.history",
        "conversation_id": "conv-1",
        "entries": list(entries),
    }


MEMORY = {
    "object": "entry",
    "type": "memory.recall",
    "id": "mem-1",
    "created_at": "2026-01-02T03:04:05Z",
    "memories": [{"text": "likes tea", "score": 0.9}],
}


def test_compat_unknown_entry_type_in_a_conversation_history(
    sdk: Sdk, fault: FaultServer
) -> None:
    entries = [payloads.message_input("Hi"), MEMORY, payloads.message_output("Hello")]
    fault.script(
        "GET", "/v1/conversations/conv-1/history", json_reply(history(*entries))
    )
    fault.script(
        "POST",
        "/v1/conversations/conv-2",
        json_reply(
            {
                "object": "conversation.response",
                "conversation_id": "conv-2",
                "outputs": [payloads.message_output("ok")],
                "usage": {
                    "prompt_tokens": 1,
                    "completion_tokens": 1,
                    "total_tokens": 2,
                },
            }
        ),
    )

    got = sdk.client.beta.conversations.get_history("conv-1")

    assert [type(e) for e in got.entries] == [
        MessageInputEntry,
        UnknownEntry,
        MessageOutputEntry,
    ]
    assert got.entries[0].content == "Hi"
    assert got.entries[2].content == "Hello"
    assert got.entries[1].type == "memory.recall"
    assert got.entries[1].raw == MEMORY
    sdk.client.beta.conversations.append("conv-2", inputs=got.entries)
    inputs = sent(fault)["inputs"]
    assert inputs[1] == MEMORY
    assert [e["type"] for e in inputs] == [
        "message.input",
        "memory.recall",
        "message.output",
    ]


def test_compat_unknown_event_type_mid_conversation_stream(
    sdk: Sdk, fault: FaultServer
) -> None:
    odd = {"type": "reasoning.summary.delta", "summary": "thinking…", "output_index": 0}
    events = [payloads.started(), odd, payloads.delta("Hi"), payloads.done()]
    body = "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events)
    fault.script("POST", CONVERSATIONS, sse_reply(body.encode()))

    with sdk.client.beta.conversations.start_stream(inputs="Hi") as stream:
        got = list(stream)

    assert [type(e) for e in got] == [
        ResponseStartedEvent,
        UnknownEvent,
        MessageOutputEvent,
        ResponseDoneEvent,
    ]
    assert got[1].type == "reasoning.summary.delta"
    assert got[1].raw == odd
    assert got[2].content == "Hi"


def test_compat_unknown_agent_tool_type(sdk: Sdk, fault: FaultServer) -> None:
    function: dict[str, Any] = {
        "type": "function",
        "function": {"name": "f", "description": "", "strict": False, "parameters": {}},
    }
    teleport = {
        "type": "teleport",
        "destinations": ["moon"],
        "tool_configuration": None,
    }
    fault.script(
        "GET",
        "/v1/agents/ag-1",
        json_reply(payloads.agent(function, {"type": "web_search"}, teleport)),
    )
    fault.script("PATCH", "/v1/agents/ag-1", json_reply(payloads.agent()))

    agent = sdk.client.beta.agents.get("ag-1")

    assert agent.tools is not None
    assert [type(t) for t in agent.tools] == [
        FunctionTool,
        WebSearchTool,
        UnknownAgentTool,
    ]
    assert agent.tools[2].type == "teleport"
    assert agent.tools[2].destinations == ["moon"]
    sdk.client.beta.agents.update("ag-1", tools=agent.tools)
    assert sent(fault)["tools"][2] == teleport
    assert sent(fault)["tools"][0] == function


def test_compat_unknown_message_role(sdk: Sdk, fault: FaultServer) -> None:
    narrator = {"role": "narrator", "content": "Once upon a time", "voice": "deep"}
    fault.script(
        "POST",
        CHAT,
        json_reply(payloads.completion()),
        json_reply(payloads.completion()),
    )
    fault.script(
        "GET",
        "/v1/conversations/conv-1/messages",
        json_reply(
            {
                "object": "conversation.messages",
                "conversation_id": "conv-1",
                "messages": [{**payloads.message_input("hi"), "role": "developer"}],
            }
        ),
    )
    from mistral_sdk._model_base import validate_python
    from mistral_sdk.types import Message

    parsed = validate_python(Message, narrator)

    assert isinstance(parsed, UnknownMessage)
    complete(sdk, [narrator, *MESSAGES])
    assert sent(fault)["messages"][0] == narrator
    complete(sdk, [parsed, *MESSAGES])
    assert sent(fault)["messages"][0] == narrator
    messages = sdk.client.beta.conversations.get_messages("conv-1").messages
    assert messages[0].role == "developer"


def test_compat_unknown_fields_at_every_level(sdk: Sdk, fault: FaultServer) -> None:
    body = payloads.completion(
        [{"type": "text", "text": "x", "lang": "en"}], top_level_new={"a": 1}
    )
    choice = body["choices"][0]
    choice["logprobs"] = {"tokens": [-0.1]}
    choice["message"]["citations"] = [{"url": "https://example.com"}]
    body["usage"]["cached_tokens"] = 3
    fault.script("POST", CHAT, json_reply(body), json_reply(payloads.completion()))

    got = complete(sdk)

    assert got.model_extra == {"top_level_new": {"a": 1}}
    assert got.choices[0].model_extra == {"logprobs": {"tokens": [-0.1]}}
    message = got.choices[0].message
    assert message.model_extra == {"citations": [{"url": "https://example.com"}]}
    assert got.usage.model_extra == {"cached_tokens": 3}
    chunk = message.content[0]  # type: ignore[index]
    assert isinstance(chunk, TextChunk)
    assert chunk.model_extra == {"lang": "en"}
    assert got.model_dump(mode="json", exclude_unset=True) == body
    complete(sdk, [message])
    assert sent(fault)["messages"][0] == choice["message"]


# ------------------------------------------------------------------ enums
def test_compat_unknown_model_card_type(sdk: Sdk, fault: FaultServer) -> None:
    cards = [payloads.model_card("a"), payloads.model_card("b", "moe-preview")]
    fault.script("GET", "/v1/models", json_reply({"object": "list", "data": cards}))

    got = sdk.client.models.list().data

    assert [type(c) for c in got] == [BaseModelCard, UnknownModelCard]
    assert got[1].type == "moe-preview"
    assert got[1].id == "b"
    assert got[1].raw == cards[1]


def test_compat_unknown_batch_status(sdk: Sdk, fault: FaultServer) -> None:
    fault.script(
        "GET", "/v1/batch/jobs/b-1", json_reply(payloads.batch_job(status="PAUSED"))
    )

    assert sdk.client.batch.jobs.get("b-1").status == "PAUSED"


def test_compat_unknown_fine_tuning_status(sdk: Sdk, fault: FaultServer) -> None:
    job = payloads.fine_tuning_job(status="DISTILLING")
    fault.script("GET", "/v1/fine_tuning/jobs/ft-1", json_reply(job))

    got = sdk.client.fine_tuning.jobs.get("ft-1")

    assert isinstance(got, CompletionDetailedJobOut)
    assert got.status == "DISTILLING"


def test_compat_unknown_document_process_status(sdk: Sdk, fault: FaultServer) -> None:
    path = "/v1/libraries/lib-1/documents/doc-1/status"
    fault.script("GET", path, json_reply(payloads.document_status("reticulating")))

    got = sdk.client.beta.libraries.documents.status("lib-1", "doc-1")

    assert got.process_status == "reticulating"


# ------------------------------------------------------------------ absent and null
def test_compat_null_in_nullable_fields(sdk: Sdk, fault: FaultServer) -> None:
    body = payloads.completion(None)
    body["choices"][0]["message"]["tool_calls"] = None
    fault.script(
        "POST",
        CHAT,
        json_reply(body),
        sse_reply(
            sse_events(
                {**payloads.chunk(None), "usage": None, "created": None, "object": None}
            )
        ),
    )

    message = complete(sdk).choices[0].message
    with sdk.client.chat.stream(model="m", messages=MESSAGES) as stream:
        chunks = list(stream)

    assert message.content is None
    assert message.tool_calls is None
    assert chunks[0].usage is None
    assert chunks[0].choices[0].delta.content is None


def test_compat_optional_fields_absent(sdk: Sdk, fault: FaultServer) -> None:
    body = payloads.completion()
    del body["choices"][0]["message"]["tool_calls"]
    bare_chunk: dict[str, Any] = {
        "id": "c",
        "model": "m",
        "choices": [{"index": 0, "delta": {}, "finish_reason": None}],
    }
    fault.script("POST", CHAT, json_reply(body), sse_reply(sse_events(bare_chunk)))

    message = complete(sdk).choices[0].message
    with sdk.client.chat.stream(model="m", messages=MESSAGES) as stream:
        chunks = list(stream)

    assert isinstance(message, AssistantMessage)
    assert message.tool_calls is None
    assert message.prefix is False
    assert chunks[0].object is None
    assert chunks[0].choices[0].delta.content is None


def departing() -> dict[str, Any]:
    body = payloads.completion()
    del body["created"]
    del body["usage"]
    body["choices"][0]["index"] = None
    return body


def test_compat_required_fields_absent_lenient_by_default(
    sdk: Sdk,
    fault: FaultServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_logging, "_seen", set[str]())  # warned once per process
    fault.script("POST", CHAT, json_reply(departing()), json_reply(departing()))

    with caplog.at_level(logging.WARNING, logger="mistral_sdk"):
        got: Any = complete(sdk)
        complete(sdk)

    assert got.id == "cmpl-1"
    assert got.choices[0].message.content == "Hello!"
    assert got.created is None
    assert got.usage is None
    assert got.choices[0].index is None
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 3  # one per shape, not per response
    assert all("departs from the API spec" in w for w in warnings)


def test_compat_required_fields_absent_strict(
    make_sdk: Any, fault: FaultServer
) -> None:
    sdk = make_sdk(strict=True)
    body = departing()
    fault.script("POST", CHAT, json_reply(body))
    fault.script(
        "POST",
        CHAT,
        sse_reply(sse_events(payloads.chunk("a"), {"id": "c", "choices": []})),
    )

    with pytest.raises(ResponseValidationError) as caught:
        complete(sdk)
    assert json.loads(caught.value.body) == body
    assert {e["loc"][0] for e in caught.value.errors} >= {"created", "usage"}  # type: ignore[index]
    got: list[Any] = []
    with (
        pytest.raises(ResponseValidationError),
        sdk.client.chat.stream(model="m", messages=MESSAGES) as stream,
    ):
        got.extend(stream)
    assert len(got) == 1

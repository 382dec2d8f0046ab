"""The model runtime, exercised through the generated types it exists for."""

from __future__ import annotations

import json
from typing import Annotated, Any

import pydantic
import pytest

from mistral_sdk._lenient import validate_lenient
from mistral_sdk._model_base import (
    OpenUnion,
    dump_request,
    validate_json,
    validate_python,
)
from mistral_sdk.types import (
    Agent,
    AgentTool,
    AssistantMessage,
    BaseModelCard,
    BatchJobOut,
    ChatCompletionRequest,
    ChatCompletionResponse,
    ClassificationResponse,
    CodeInterpreterTool,
    CompletionChunk,
    CompletionJobOut,
    ContentChunk,
    ConversationEvent,
    ConversationHistory,
    ConversationResponse,
    CreateFineTuningJobResponse,
    DocumentURLChunk,
    Entry,
    FTModelCard,
    FunctionCallEntry,
    ImageURLChunk,
    JsonSchema,
    LegacyJobMetadataOut,
    ListFilesOut,
    Message,
    MessageOutputEntry,
    ModelCard,
    ModelList,
    OCRRequest,
    ResponseStartedEvent,
    SystemMessage,
    TextChunk,
    ThinkChunk,
    ToolMessage,
    UnknownAgentTool,
    UnknownContentChunk,
    UnknownEntry,
    UnknownEvent,
    UnknownFineTuningJob,
    UnknownMessage,
    UnknownModelCard,
    UploadFileOut,
    UserMessage,
)


def compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def chat_response(**choice: Any) -> dict[str, Any]:
    return {
        "id": "cmpl-1",
        "object": "chat.completion",
        "model": "mistral-small-latest",
        "created": 1_700_000_000,
        "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "Hi"},
            }
            | choice
        ],
    }


AGENT = {
    "model": "mistral-medium-latest",
    "name": "helper",
    "id": "ag_1",
    "version": 1,
    "versions": [1],
    "created_at": "2025-05-13T10:00:00Z",
    "updated_at": "2025-05-13T10:00:00Z",
    "deployment_chat": False,
    "source": "api",
}

JOB = {
    "id": "9f1c",
    "auto_start": True,
    "model": "open-mistral-7b",
    "status": "QUEUED",
    "created_at": 1,
    "modified_at": 2,
    "training_files": [],
    "job_type": "completion",
    "hyperparameters": {},
}


# ----------------------------------------------------------------------------- unknown members
def test_content_chunk_unknown_type_keeps_payload_in_assistant_message() -> None:
    chunk = {
        "kind_hint": 1,
        "type": "audio_out",
        "audio": {"data": "AAA=", "rate": 24000},
    }
    body = chat_response(message={"role": "assistant", "content": [chunk]})

    response = validate_json(ChatCompletionResponse, compact(body))

    content = response.choices[0].message.content
    assert isinstance(content, list)
    assert isinstance(content[0], UnknownContentChunk)
    assert content[0].type == "audio_out"
    assert content[0].raw == chunk
    assert content[0].model_dump_json() == compact(chunk)


def test_content_chunk_unknown_type_round_trips_inside_the_whole_response() -> None:
    body = chat_response(
        message={
            "role": "assistant",
            "content": [{"type": "text", "text": "a"}, {"type": "new", "x": [1, 2.5]}],
        }
    )

    response = validate_json(ChatCompletionResponse, compact(body))

    dumped = response.model_dump(mode="json", exclude_unset=True)
    assert (
        dumped["choices"][0]["message"]["content"]
        == body["choices"][0]["message"]["content"]
    )


def test_content_chunk_missing_type_becomes_unknown_without_a_null_tag() -> None:
    chunk = validate_python(ContentChunk, {"text": "no tag"})

    assert isinstance(chunk, UnknownContentChunk)
    assert chunk.type is None
    assert chunk.raw == {"text": "no tag"}


def test_message_unknown_role_is_unknown_message() -> None:
    payload = {"role": "developer", "content": "be brief", "priority": 2}

    message = validate_python(Message, payload)

    assert isinstance(message, UnknownMessage)
    assert message.role == "developer"
    assert message.raw == payload


def test_entry_unknown_type_shares_one_class_between_entry_unions() -> None:
    entry = {"object": "entry", "type": "memory.recall", "id": "e1", "memories": ["a"]}
    response = {
        "conversation_id": "c1",
        "outputs": [entry],
        "usage": {"prompt_tokens": 1},
    }
    history = {"conversation_id": "c1", "entries": [entry]}

    output = validate_json(ConversationResponse, compact(response)).outputs[0]
    listed = validate_json(ConversationHistory, compact(history)).entries[0]

    assert isinstance(output, UnknownEntry)
    assert isinstance(listed, UnknownEntry)
    assert output.raw == listed.raw == entry


def test_conversation_event_unknown_type_is_unknown_event() -> None:
    data = {
        "type": "conversation.response.paused",
        "created_at": "2025-05-13T10:00:00Z",
    }

    event = validate_json(ConversationEvent, compact(data))

    assert isinstance(event, UnknownEvent)
    assert event.type == "conversation.response.paused"
    assert event.model_dump_json() == compact(data)


def test_agent_tool_unknown_type_is_unknown_agent_tool() -> None:
    tool = {"type": "mcp", "server_url": "https://example.test", "allowed": ["x"]}

    agent = validate_json(Agent, compact(AGENT | {"tools": [tool]}))

    assert agent.tools is not None
    assert isinstance(agent.tools[0], UnknownAgentTool)
    assert agent.tools[0].raw == tool


def test_model_card_unknown_type_is_unknown_model_card() -> None:
    card = {"id": "m", "capabilities": {}, "type": "distilled", "parent": "x"}

    listing = validate_json(ModelList, compact({"object": "list", "data": [card]}))

    assert listing.data is not None
    assert isinstance(listing.data[0], UnknownModelCard)
    assert listing.data[0].raw == card


@pytest.mark.parametrize(
    ("union", "payload", "expected"),
    [
        (ContentChunk, {"type": "text", "text": "x"}, TextChunk),
        (ContentChunk, {"type": "image_url", "image_url": "https://x"}, ImageURLChunk),
        (ContentChunk, {"type": "thinking", "thinking": []}, ThinkChunk),
        (Message, {"role": "system", "content": "s"}, SystemMessage),
        (Message, {"role": "tool", "content": None}, ToolMessage),
        (
            Entry,
            {
                "type": "function.call",
                "tool_call_id": "t",
                "name": "f",
                "arguments": "{}",
            },
            FunctionCallEntry,
        ),
        (Entry, {"type": "message.output", "content": "hi"}, MessageOutputEntry),
        (
            ConversationEvent,
            {"type": "conversation.response.started", "conversation_id": "c"},
            ResponseStartedEvent,
        ),
        (AgentTool, {"type": "code_interpreter"}, CodeInterpreterTool),
        (ModelCard, {"id": "m", "capabilities": {}, "type": "base"}, BaseModelCard),
        (
            ModelCard,
            {
                "id": "m",
                "capabilities": {},
                "type": "fine-tuned",
                "job": "j",
                "root": "r",
            },
            FTModelCard,
        ),
    ],
)
def test_open_union_known_tag_parses_to_its_member(
    union: Any, payload: dict[str, Any], expected: type[pydantic.BaseModel]
) -> None:
    assert type(validate_json(union, compact(payload))) is expected
    assert type(validate_python(union, payload)) is expected


def test_open_union_known_tag_with_invalid_payload_raises() -> None:
    with pytest.raises(pydantic.ValidationError, match="known tag"):
        validate_python(ContentChunk, {"type": "text"})


def test_open_union_accepts_member_instances_as_they_are() -> None:
    chunk = TextChunk(text="x")
    unknown = UnknownContentChunk(type="future", value=1)

    assert validate_python(ContentChunk, chunk) is chunk
    assert validate_python(ContentChunk, unknown) is unknown


def test_untagged_union_member_without_tag_still_routes_by_shape() -> None:
    legacy = {"details": "queued", "object": "job.metadata", "cost": 1.5}

    assert (
        type(validate_python(CreateFineTuningJobResponse, legacy))
        is LegacyJobMetadataOut
    )
    assert type(validate_python(CreateFineTuningJobResponse, JOB)) is CompletionJobOut
    unknown = validate_python(CreateFineTuningJobResponse, JOB | {"job_type": "vision"})
    assert type(unknown) is UnknownFineTuningJob


# ----------------------------------------------------------------------------- open enums, extras
def test_finish_reason_unknown_value_is_kept_as_string() -> None:
    body = chat_response(finish_reason="content_filter")

    response = validate_json(ChatCompletionResponse, compact(body))

    assert response.choices[0].finish_reason == "content_filter"


def test_finish_reason_known_value_compares_equal() -> None:
    chunk = {
        "id": "c",
        "model": "m",
        "choices": [{"index": 0, "delta": {}, "finish_reason": None}],
    }

    parsed = validate_json(CompletionChunk, compact(chunk))

    assert parsed.choices[0].finish_reason is None
    assert (
        validate_json(ChatCompletionResponse, compact(chat_response()))
        .choices[0]
        .finish_reason
        == "stop"
    )


def test_enum_unknown_values_are_kept_as_strings() -> None:
    batch = {
        "id": "b",
        "input_files": [],
        "endpoint": "/v1/chat/completions",
        "errors": [],
        "status": "PAUSED",
        "created_at": 1,
        "total_requests": 0,
        "completed_requests": 0,
        "succeeded_requests": 0,
        "failed_requests": 0,
    }

    assert validate_json(BatchJobOut, compact(batch)).status == "PAUSED"
    assert (
        validate_json(CompletionJobOut, compact(JOB | {"status": "ARCHIVED"})).status
        == "ARCHIVED"
    )


def test_unknown_fields_are_kept_at_every_level() -> None:
    body = chat_response(
        message={"role": "assistant", "content": "Hi", "audio_id": "a1"}, logprobs=[0.5]
    )
    body["system_fingerprint"] = "fp"
    body["usage"]["cached_tokens"] = 3

    response = validate_json(ChatCompletionResponse, compact(body))

    assert response.model_extra == {"system_fingerprint": "fp"}
    assert response.usage.model_extra == {"cached_tokens": 3}
    assert response.choices[0].model_extra == {"logprobs": [0.5]}
    assert response.choices[0].message.model_extra == {"audio_id": "a1"}
    assert json.loads(response.model_dump_json(exclude_unset=True)) == body


# ----------------------------------------------------------------------------- tags
def test_tag_fields_count_as_set_when_constructed() -> None:
    message = UserMessage(content="hi")

    assert message.model_dump(exclude_unset=True) == {"role": "user", "content": "hi"}


def test_tag_fields_are_not_marked_when_parsing_responses() -> None:
    chunk = validate_json(TextChunk, '{"text": "x"}')

    assert chunk.model_fields_set == {"text"}


# ----------------------------------------------------------------------------- dump_request
def test_dump_request_keeps_tags_and_drops_unset_fields() -> None:
    body = dump_request(
        ChatCompletionRequest,
        {
            "model": "m",
            "messages": [{"role": "user", "content": "hi"}],
            "prediction": {"content": "x"},
        },
    )

    assert body == {
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}],
        "prediction": {"type": "content", "content": "x"},
    }


def test_dump_request_accepts_a_mix_of_dicts_and_models() -> None:
    body = dump_request(
        ChatCompletionRequest,
        {
            "model": "m",
            "messages": [
                SystemMessage(content="be brief"),
                {
                    "role": "user",
                    "content": [TextChunk(text="a"), {"type": "text", "text": "b"}],
                },
                AssistantMessage(content=None, prefix=True),
            ],
            "response_format": {
                "type": "json_schema",
                "json_schema": JsonSchema(name="n", schema_={"type": "object"}),
            },
        },
    )

    assert body["messages"] == [
        {"role": "system", "content": "be brief"},
        {
            "role": "user",
            "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
        },
        {"role": "assistant", "content": None, "prefix": True},
    ]
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "n", "schema": {"type": "object"}},
    }


def test_dump_request_sends_unknown_members_back_unchanged() -> None:
    received = {"type": "audio_out", "b": 2, "a": {"nested": [1]}}
    unknown = validate_python(ContentChunk, received)
    as_dict = {"role": "narrator", "content": "x", "extra": None}

    body = dump_request(
        ChatCompletionRequest,
        {"model": "m", "messages": [{"role": "user", "content": [unknown]}, as_dict]},
    )

    assert compact(body["messages"][0]["content"][0]) == compact(received)
    assert body["messages"][1] == as_dict


@pytest.mark.parametrize(
    "body",
    [
        {"messages": [{"role": "user", "content": "hi"}]},
        {"model": "m", "messages": [{"role": "user"}]},
        {"model": "m", "messages": "hi"},
        {"model": "m", "messages": [], "temperature": "hot"},
    ],
)
def test_dump_request_raises_on_bad_input(body: dict[str, object]) -> None:
    with pytest.raises(pydantic.ValidationError):
        dump_request(ChatCompletionRequest, body)


# ----------------------------------------------------------------------------- validate_json
def test_validate_json_accepts_type_expressions() -> None:
    agents = validate_json(list[Agent], compact([AGENT]))

    assert [a.id for a in agents] == ["ag_1"]
    assert validate_json(str, '"https://signed"') == "https://signed"
    assert validate_json(None, "null") is None


# ----------------------------------------------------------------------------- validate_lenient
def test_validate_lenient_fills_absent_required_fields_with_none() -> None:
    body = chat_response()
    del body["choices"][0]["finish_reason"]
    del body["usage"]["total_tokens"]

    value, departures = validate_lenient(ChatCompletionResponse, body)

    assert isinstance(value, ChatCompletionResponse)
    loose: Any = value  # lenient values do not match their annotations
    assert loose.choices[0].finish_reason is None
    assert loose.choices[0].message.content == "Hi"
    assert loose.usage.total_tokens is None
    assert loose.usage.prompt_tokens == 5
    assert [(d.shape, d.kind) for d in departures] == [
        ("usage.total_tokens", "missing"),
        ("choices.*.finish_reason", "missing"),
    ]


def test_validate_lenient_keeps_null_where_the_spec_says_integer() -> None:
    body = {
        "id": "f",
        "object": "file",
        "bytes": None,
        "created_at": 1,
        "filename": "a.jsonl",
        "purpose": "fine-tune",
        "sample_type": "instruct",
        "source": "upload",
    }

    value, departures = validate_lenient(UploadFileOut, body)

    assert isinstance(value, UploadFileOut)
    loose: Any = value
    assert loose.bytes is None
    assert loose.filename == "a.jsonl"
    assert [(d.loc, d.kind, d.shape) for d in departures] == [
        (("bytes",), "null", "bytes")
    ]
    assert departures[0].message == "null where the spec does not allow it"


def test_validate_lenient_keeps_wrong_shapes_as_received() -> None:
    body = chat_response()
    body["choices"][0]["message"]["tool_calls"] = "not-a-list"
    body["usage"] = ["not", "an", "object"]

    value: Any
    value, departures = validate_lenient(ChatCompletionResponse, body)

    assert value.choices[0].message.tool_calls == "not-a-list"
    assert value.usage == ["not", "an", "object"]
    assert {(d.shape, d.kind) for d in departures} == {
        ("usage", "invalid"),
        ("choices.*.message.tool_calls", "invalid"),
    }


def test_validate_lenient_routes_union_members_by_tag() -> None:
    content = [
        {"type": "text"},
        {"type": "text", "text": "ok"},
        {"type": "later", "v": 1},
    ]
    body = chat_response(message={"role": "assistant", "content": content})

    value, departures = validate_lenient(ChatCompletionResponse, body)

    chunks = value.choices[0].message.content
    assert [type(c) for c in chunks] == [TextChunk, TextChunk, UnknownContentChunk]
    assert chunks[0].text is None
    assert chunks[1].text == "ok"
    assert [d.loc for d in departures] == [
        ("choices", 0, "message", "content", 0, "text")
    ]
    assert departures[0].shape == "choices.*.message.content.*.text"


def test_validate_lenient_shape_is_stable_across_list_indices() -> None:
    row = {
        "id": "f",
        "object": "file",
        "bytes": None,
        "created_at": 1,
        "filename": "a",
        "purpose": "batch",
        "sample_type": "batch_request",
        "source": "upload",
    }

    _, departures = validate_lenient(
        ListFilesOut, {"data": [row, row], "object": "list"}
    )

    assert [d.loc for d in departures] == [("data", 0, "bytes"), ("data", 1, "bytes")]
    assert {d.shape for d in departures} == {"data.*.bytes"}


def test_validate_lenient_never_raises_on_a_body_of_the_wrong_kind() -> None:
    value: Any
    value, departures = validate_lenient(ModelList, [{"id": "m"}])

    assert value == [{"id": "m"}]
    assert [(d.loc, d.kind) for d in departures] == [((), "invalid")]
    assert departures[0].shape == ""


def test_validate_lenient_returns_no_departures_for_a_valid_body() -> None:
    value, departures = validate_lenient(ChatCompletionResponse, chat_response())

    assert isinstance(value, ChatCompletionResponse)
    assert departures == ()


def test_validate_lenient_visits_mapping_values() -> None:
    body = {
        "id": "c",
        "model": "m",
        "results": [{"toxic": {"scores": {"yes": 0.9}}, "spam": {"scores": None}}],
    }

    value, departures = validate_lenient(ClassificationResponse, body)

    loose: Any = value
    assert loose.results[0]["toxic"].scores == {"yes": 0.9}
    assert loose.results[0]["spam"].scores is None
    assert [(d.loc, d.shape, d.kind) for d in departures] == [
        (("results", 0, "spam", "scores"), "results.*.*.scores", "null")
    ]


def test_validate_lenient_reads_fields_by_their_wire_name() -> None:
    value, departures = validate_lenient(JsonSchema, {"schema": {"type": "object"}})

    loose: Any = value
    assert loose.schema_ == {"type": "object"}
    assert loose.name is None
    assert [d.shape for d in departures] == ["name"]


def test_validate_lenient_keeps_values_of_types_pydantic_cannot_build() -> None:
    value, departures = validate_lenient(list[object()], [1])  # type: ignore[misc]

    assert value == [1]
    assert [d.kind for d in departures] == ["invalid"]


def test_validate_python_accepts_unhashable_type_expressions() -> None:
    unhashable = Annotated[int, {"note": "dict metadata is unhashable"}]

    assert validate_python(unhashable, "3") == 3


def test_open_union_without_unknown_member_is_rejected() -> None:
    with pytest.raises(TypeError, match="UnknownModel"):
        pydantic.TypeAdapter(Annotated[TextChunk | ImageURLChunk, OpenUnion("type")])


def test_unknown_member_built_without_validation_still_dumps_its_payload() -> None:
    chunk = UnknownContentChunk.model_construct(type="x", v=1)

    assert chunk.raw == {"type": "x", "v": 1}


def test_validate_lenient_routes_a_field_typed_as_an_open_union() -> None:
    body = {"model": "mistral-ocr-latest", "document": {"type": "document_url"}}

    value, departures = validate_lenient(OCRRequest, body)

    loose: Any = value
    assert loose.document.model_dump() == {
        "type": "document_url",
        "document_url": None,
        "document_name": None,
    }
    assert isinstance(loose.document, DocumentURLChunk)
    assert [(d.shape, d.kind) for d in departures] == [
        ("document.document_url", "missing")
    ]


# ----------------------------------------------------------------------------- hardening
@pytest.mark.parametrize("tag", [[], {}, [1, "text"], {"nested": True}])
def test_open_union_unhashable_tag_is_unknown_not_a_type_error(tag: object) -> None:
    payload = {"type": tag, "data": 1}

    value = validate_lenient(ContentChunk, payload)[0]
    with pytest.raises(pydantic.ValidationError):  # strict: the tag is not a str
        validate_json(ContentChunk, json.dumps(payload))

    assert isinstance(value, UnknownContentChunk)
    assert value.raw == payload


def test_unknown_member_with_a_tag_that_is_no_string_dumps_without_warnings() -> None:
    # The lenient path keeps `5` in the `str | None` tag field; `raw` and sending
    # the payload back must not trip pydantic's serializer warnings.
    value = validate_lenient(ContentChunk, {"z": 0, "type": 5, "a": [1]})[0]

    assert value.raw == {"z": 0, "type": 5, "a": [1]}
    assert list(value.raw) == ["z", "type", "a"]  # keys in the order received


def test_dump_request_sends_lenient_values_back_without_warnings() -> None:
    body = chat_response(
        message={"role": "assistant", "content": "Hi", "tool_calls": "odd"}
    )
    response, departures = validate_lenient(ChatCompletionResponse, body)
    message = response.choices[0].message

    sent = dump_request(ChatCompletionRequest, {"model": "m", "messages": [message]})

    assert departures
    assert sent["messages"] == [
        {"role": "assistant", "content": "Hi", "tool_calls": "odd"}
    ]

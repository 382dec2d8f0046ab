"""The tag of an open union in a request: required, though its value may be new.

A request payload without its union tag (`role`, `type`, ...) is a
`RequestValidationError` naming where and which tags fit, and nothing is sent;
a tag newer than the SDK goes out unchanged as the Unknown member; a response
without a tag still reads as the Unknown member.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pydantic
import pytest
from conftest import Handle, MockApi, json_reply
from factories import completion

from mistral_sdk import InternalServerError, RequestValidationError
from mistral_sdk._model_base import dump_request, validate_python
from mistral_sdk.types import (
    ChatCompletionRequest,
    ContentChunk,
    ConversationRequest,
    TextChunk,
    UnknownContentChunk,
    UnknownMessage,
)

URL = "/v1/chat/completions"
ROLES = "one of 'assistant', 'system', 'tool', 'user'"


def _sent(api: MockApi) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(api.last.content)
    return body


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        ([{"content": "hi"}], f"messages.0: 'role' is missing; {ROLES}"),
        ([{"role": None, "content": "hi"}], f"messages.0: 'role' is null; {ROLES}"),
        (
            [{"role": "user", "content": "a"}, {"content": "b"}],
            f"messages.1: 'role' is missing; {ROLES}",
        ),
    ],
)
def test_a_message_without_role_is_an_error_and_nothing_is_sent(
    both_clients: Callable[..., Handle],
    api: MockApi,
    messages: list[dict[str, Any]],
    expected: str,
) -> None:
    handle = both_clients()

    with pytest.raises(RequestValidationError) as caught:
        handle.client.chat.complete(model="m", messages=messages)

    assert str(caught.value) == (
        f"invalid arguments for ChatCompletionRequest: {expected}"
    )
    assert [err["type"] for err in caught.value.errors] == ["union_tag_missing"]
    assert api.requests == []


def test_a_content_chunk_without_type_is_an_error(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    handle = both_clients()

    with pytest.raises(RequestValidationError) as caught:
        handle.client.chat.complete(
            model="m", messages=[{"role": "user", "content": [{"text": "hi"}]}]
        )

    assert (
        "messages.0.user.content.0: 'type' is missing; one of 'document_url', "
        "'file', 'image_url', 'input_audio', 'reference', 'text', 'thinking'"
    ) in str(caught.value)
    assert api.requests == []


def test_a_single_member_union_needs_its_tag_too(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    # The spec gives `WandbIntegration.type` a default, but the union routes by
    # it (a discriminator): the tag is `Required` in the TypedDict, here too.
    handle = both_clients()

    with pytest.raises(RequestValidationError) as caught:
        handle.client.fine_tuning.jobs.create(
            model="m", hyperparameters={}, integrations=[{"project": "p"}]
        )

    assert "integrations.0: 'type' is missing; one of 'wandb'" in str(caught.value)
    assert api.requests == []


def test_a_tag_newer_than_the_sdk_is_sent_unchanged(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, json_reply(200, completion()))
    handle = both_clients()
    chunk = {"type": "hologram", "url": "h://1"}
    message = {"role": "developer", "content": "be brief"}

    handle.client.chat.complete(
        model="m", messages=[message, {"role": "user", "content": [chunk]}]
    )

    assert _sent(api)["messages"] == [
        message,
        {"role": "user", "content": [chunk]},
    ]


def test_unknown_instances_without_a_tag_are_sent_as_they_are(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    # Read from a response (no tag there is fine) or built by hand, an Unknown
    # member is the user's explicit choice: it is not a payload missing a tag.
    api.add("POST", URL, json_reply(200, completion()))
    handle = both_clients()
    chunk = validate_python(ContentChunk, {"text": "as received"})
    assert isinstance(chunk, UnknownContentChunk)
    message = UnknownMessage.model_validate({"content": "built by hand"})

    handle.client.chat.complete(
        model="m", messages=[message, {"role": "user", "content": [chunk]}]
    )

    assert _sent(api)["messages"] == [
        {"content": "built by hand"},
        {"role": "user", "content": [{"text": "as received"}]},
    ]


def test_a_response_without_a_tag_still_reads_as_unknown(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    body = completion()
    body["choices"][0]["message"]["content"] = [{"text": "no type"}]
    api.add("POST", URL, json_reply(200, body))
    handle = both_clients(strict=True)

    result = handle.client.chat.complete(
        model="m", messages=[{"role": "user", "content": "hi"}]
    )

    (chunk,) = result.choices[0].message.content
    assert isinstance(chunk, UnknownContentChunk)
    assert chunk.raw == {"text": "no type"}


def test_dump_request_keeps_the_other_errors_and_drops_the_tag_lookup() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        dump_request(
            ChatCompletionRequest,
            {"model": "m", "messages": [{"content": "hi"}], "temperature": "hot"},
        )

    errors = caught.value.errors(include_url=False)
    assert [(err["type"], err["loc"][:2]) for err in errors] == [
        ("float_parsing", ("temperature",)),
        ("union_tag_missing", ("messages", 0)),
    ]
    assert errors[0]["msg"] == (
        "Input should be a valid number, unable to parse string as a number"
    )
    assert errors[0]["input"] == "hot"
    assert errors[1]["msg"] == f"'role' is missing; {ROLES}"


def test_a_non_string_tag_is_still_reported_as_before() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        dump_request(ChatCompletionRequest, {"model": "m", "messages": [{"role": 5}]})

    types = [err["type"] for err in caught.value.errors()]
    assert types == ["union_tag_invalid", "string_type"]


# ------------------------------------------------ unions the spec lets go untagged
CONVERSATIONS = "/v1/conversations"
ENTRY_TYPES = (
    "one of 'agent.handoff', 'function.call', 'function.result', "
    "'message.input', 'message.output', 'tool.execution'"
)


def test_a_conversation_input_may_leave_its_type_out(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    # `InputEntries` is an `anyOf` without a discriminator and every entry's
    # `type` has a default: the spec (and the API's own examples) allow this.
    api.add("POST", CONVERSATIONS, json_reply(500, {}))
    handle = both_clients(max_retries=0)
    entry = {"role": "user", "content": [{"tool": "web_search", "file_id": "f"}]}

    with pytest.raises(InternalServerError):
        handle.client.beta.conversations.start(model="m", inputs=[entry])

    assert _sent(api)["inputs"] == [entry]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            {"unrelated": 1},
            "inputs.0: 'type' is missing and the fields fit no member without it; "
            + ENTRY_TYPES,
        ),
        (
            {"role": "user", "content": [{"text": "hi"}]},
            "inputs.0: 'type' is missing; read as 'message.input', the closest "
            "member without it; inputs.0.content: Input should be a valid string; "
            "inputs.0.content.0: 'type' is missing and the fields fit no member "
            "without it; one of 'document_url', 'image_url', 'text', 'thinking', "
            "'tool_file'",
        ),
        (
            {"type": None, "role": "user", "content": "hi"},
            f"inputs.0: 'type' is null; {ENTRY_TYPES}",
        ),
        # A member that lacks a required field is still the closest one.
        (
            {"role": "user"},
            "inputs.0: 'type' is missing; read as 'message.input', the closest "
            "member without it; inputs.0.content: Field required",
        ),
        (
            {"role": 5, "content": "hi"},
            "inputs.0: 'type' is missing; read as 'message.input', the closest "
            "member without it; inputs.0.role: Input should be 'assistant' or "
            "'user'; inputs.0.role: Input should be a valid string",
        ),
        # `agent_id` is an output's field, but `role` rules the output out.
        (
            {"role": "user", "agent_id": "a"},
            "inputs.0: 'type' is missing; read as 'message.input', the closest "
            "member without it; inputs.0.content: Field required",
        ),
        (
            {"tool_call_id": "call-1"},
            "inputs.0: 'type' is missing; read as 'function.result', the closest "
            "member without it; inputs.0.result: Field required",
        ),
    ],
)
def test_an_untagged_conversation_input_must_fit_a_member(
    both_clients: Callable[..., Handle],
    api: MockApi,
    entry: dict[str, Any],
    expected: str,
) -> None:
    handle = both_clients()

    with pytest.raises(RequestValidationError) as caught:
        handle.client.beta.conversations.start(model="m", inputs=[entry])

    assert str(caught.value) == (
        "invalid arguments for ConversationRequest: inputs: Input should be a "
        f"valid string; {expected}"
    )
    assert api.requests == []


def test_a_chunk_model_inside_an_untagged_input_is_sent_with_its_tag() -> None:
    # Validated from a dict, the chunk's `type` is unset; kept inside the input
    # as given, it would otherwise go out as the tagless chunk refused above.
    chunk = TextChunk.model_validate({"text": "hi"})

    body = dump_request(
        ConversationRequest, {"inputs": [{"role": "user", "content": [chunk]}]}
    )

    assert body["inputs"] == [
        {"role": "user", "content": [{"type": "text", "text": "hi"}]}
    ]

from __future__ import annotations

from collections.abc import Callable

import httpx2
import pytest
from conftest import Handle, MockApi, json_reply, make_sync
from factories import FakeClock, completion

from mistral_sdk import RequestValidationError, ResponseDecodeError
from mistral_sdk._resource import Operation, StreamedMethod
from mistral_sdk.resources.chat import (
    Chat,
    ChatWithRawResponse,
    ChatWithStreamingResponse,
)
from mistral_sdk.types.common_completions import ChatCompletionResponse

URL = "/v1/chat/completions"


def test_operation_defaults_and_generic_call() -> None:
    op = Operation[ChatCompletionResponse]("GET", "/v1/x", ChatCompletionResponse)

    assert op.body_model is None
    assert op.multipart is False
    assert dict(op.hidden) == {}
    assert op.json_query == frozenset()
    assert op.items is None
    assert op.operation_id == ""
    with pytest.raises(AttributeError):
        op.method = "POST"  # type: ignore[misc]


def test_resource_json_result(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, json_reply(200, completion("Hi there")))
    handle = both_clients()

    result = handle.client.chat.complete(
        model="m", messages=[{"role": "user", "content": "Hi"}], temperature=0.2
    )

    assert isinstance(result, ChatCompletionResponse)
    assert result.choices[0].message.content == "Hi there"
    assert api.last.method == "POST"
    assert api.last.url == "https://api.mistral.ai/v1/chat/completions"
    assert api.last.headers["authorization"].startswith("Bearer ")
    assert api.last.headers["accept"] == "application/json"
    assert api.last.content == (
        b'{"model":"m","temperature":0.2,"stream":false,'
        b'"messages":[{"role":"user","content":"Hi"}]}'
    )


def test_resource_unset_optional_fields_are_not_sent(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, json_reply(200, completion()))
    handle = both_clients()

    handle.client.chat.complete(model="m", messages=[])

    assert b"temperature" not in api.last.content


def test_resource_no_content_returns_none(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("DELETE", "/v1/conversations/a/b", httpx2.Response(204))
    handle = both_clients()

    assert handle.client.beta.conversations.delete("a/b") is None
    assert api.last.url.raw_path == b"/v1/conversations/a%2Fb"


def test_resource_invalid_arguments_send_nothing(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    handle = both_clients()

    with pytest.raises(RequestValidationError, match="messages"):
        handle.client.chat.complete(
            model="m", messages=[{"role": "user", "content": 1}]
        )
    with pytest.raises(TypeError, match="temprature"):
        handle.client.chat.complete(model="m", messages=[], temprature=1)
    with pytest.raises(RequestValidationError, match="conversation_id"):
        handle.client.beta.conversations.delete("")

    assert api.requests == []


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_resource_empty_body_where_json_is_promised_raises(
    both_clients: Callable[..., Handle], api: MockApi, strict: bool
) -> None:
    # Defect 5: an empty 200 used to come back as None in lenient mode.
    api.add("POST", URL, httpx2.Response(200))
    handle = both_clients(strict=strict)

    with pytest.raises(ResponseDecodeError, match="empty body") as caught:
        handle.client.chat.complete(model="m", messages=[])

    assert caught.value.status_code == 200


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_resource_no_content_where_json_is_promised_raises(
    both_clients: Callable[..., Handle], api: MockApi, strict: bool
) -> None:
    # A 204 on an operation that promises a model used to return None, which
    # the method's type says it cannot.
    api.add("POST", URL, httpx2.Response(204))
    handle = both_clients(strict=strict)

    with pytest.raises(ResponseDecodeError, match="204 No Content") as caught:
        handle.client.chat.complete(model="m", messages=[])

    assert caught.value.status_code == 204


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_resource_non_json_body_where_json_is_promised_raises(
    both_clients: Callable[..., Handle], api: MockApi, strict: bool
) -> None:
    api.add("POST", URL, httpx2.Response(200, text="<html>gateway</html>"))
    handle = both_clients(strict=strict)

    with pytest.raises(ResponseDecodeError, match="not JSON") as caught:
        handle.client.chat.complete(model="m", messages=[])

    assert caught.value.body == "<html>gateway</html>"


def test_resource_extra_options(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, json_reply(200, completion()))
    handle = both_clients()

    handle.client.chat.complete(
        model="m",
        messages=[],
        extra_headers={"x-custom": "1"},
        extra_query={"debug": True},
        extra_body={"beta_flag": True},
    )

    assert api.last.headers["x-custom"] == "1"
    assert api.last.url.params["debug"] == "true"
    assert b'"beta_flag":true' in api.last.content


def test_streamed_method_descriptor_on_the_class() -> None:
    member = ChatWithStreamingResponse.__dict__["complete"]

    assert isinstance(member, StreamedMethod)
    assert member.__wrapped__ is ChatWithRawResponse.complete


def test_raw_and_streaming_views_share_the_transport_and_are_cached(
    api: MockApi, clock: FakeClock
) -> None:
    chat = make_sync(api, clock).chat

    raw = chat.with_raw_response

    assert isinstance(chat, Chat)
    assert isinstance(raw, ChatWithRawResponse)
    assert raw._transport is chat._transport
    assert chat.with_raw_response is raw
    assert chat.with_streaming_response is chat.with_streaming_response

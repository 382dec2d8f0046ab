from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from conftest import Handle, MockApi, json_reply, make_sync
from factories import Chat, ChatWithRawResponse, Completion, FakeClock, completion

from mistral_sdk import RequestValidationError, ResponseDecodeError
from mistral_sdk._resource import Operation
from mistral_sdk._response import RawMethod

URL = "/v1/chat/completions"


def test_operation_defaults_and_generic_call() -> None:
    op = Operation[Completion]("GET", "/v1/x", Completion)

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

    result = handle.chat.complete(
        model="m", messages=[{"role": "user", "content": "Hi"}], temperature=0.2
    )

    assert isinstance(result, Completion)
    assert result.choices[0].message.content == "Hi there"
    assert api.last.method == "POST"
    assert api.last.url == "https://api.mistral.ai/v1/chat/completions"
    assert api.last.headers["authorization"].startswith("Bearer ")
    assert api.last.headers["accept"] == "application/json"
    assert api.last.content == (
        b'{"model":"m","messages":[{"role":"user","content":"Hi"}],"temperature":0.2,"stream":false}'
    )


def test_resource_unset_optional_fields_are_not_sent(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, json_reply(200, completion()))
    handle = both_clients()

    handle.chat.complete(model="m", messages=[])

    assert b"temperature" not in api.last.content


def test_resource_no_content_returns_none(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("DELETE", "/v1/items/a/b", httpx2.Response(204))
    handle = both_clients()

    assert handle.chat.delete("a/b") is None
    assert api.last.url.raw_path == b"/v1/items/a%2Fb"


def test_resource_invalid_arguments_send_nothing(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    handle = both_clients()

    with pytest.raises(RequestValidationError, match="messages"):
        handle.chat.complete(model="m", messages=[{"content": 1}])
    with pytest.raises(TypeError, match="temprature"):
        handle.chat.complete(model="m", messages=[], temprature=1)
    with pytest.raises(RequestValidationError, match="item_id"):
        handle.chat.delete("")

    assert api.requests == []


def test_resource_empty_body_lenient_is_none_strict_raises(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, httpx2.Response(200), httpx2.Response(200))
    lenient, strict = both_clients(), both_clients(strict=True)

    assert lenient.chat.complete(model="m", messages=[]) is None
    with pytest.raises(ResponseDecodeError):
        strict.chat.complete(model="m", messages=[])


def test_resource_extra_options(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, json_reply(200, completion()))
    handle = both_clients()

    handle.chat.complete(
        model="m",
        messages=[],
        extra_headers={"x-custom": "1"},
        extra_query={"debug": True},
        extra_body={"safe_prompt": True},
    )

    assert api.last.headers["x-custom"] == "1"
    assert api.last.url.params["debug"] == "true"
    assert b'"safe_prompt":true' in api.last.content


def test_raw_method_descriptor_on_the_class() -> None:
    assert isinstance(ChatWithRawResponse.__dict__["complete"], RawMethod)
    assert ChatWithRawResponse.complete.__doc__ == Chat.complete.__doc__


def test_raw_wrapper_copies_the_resource(api: MockApi, clock: FakeClock) -> None:
    chat = Chat(make_sync(api, clock)._transport)

    wrapper = chat.with_raw_response
    raw_resource: Any = wrapper._resource

    assert raw_resource is not chat
    assert raw_resource._raw is True
    assert chat._raw is False
    assert chat.with_raw_response is wrapper

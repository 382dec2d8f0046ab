from __future__ import annotations

import enum
import json
import platform
import re
from datetime import datetime, timezone
from typing import Any

import httpx2
import pytest

from mistral_sdk import NOT_GIVEN, RequestValidationError, __version__
from mistral_sdk._config import ClientConfig
from mistral_sdk._request import (
    build_request,
    encode_fields_only_multipart,
    encode_query,
    render_path,
    user_agent,
)
from mistral_sdk._resource import Operation
from mistral_sdk._types import RequestOptions
from mistral_sdk.types.chat import ChatCompletionRequest
from mistral_sdk.types.common import AssistantMessage, UserMessage

CONFIG = ClientConfig.create(api_key="sk-key", default_headers={"x-team": "a"})
CHAT = Operation[Any](
    "POST",
    "/v1/chat/completions",
    None,
    body_model=ChatCompletionRequest,
    hidden={"stream": False},
)
PLAIN = Operation[Any]("POST", "/v1/plain", None)
GET = Operation[Any](
    "GET", "/v1/items/{item_id}", None, json_query=frozenset({"metadata"})
)
UPLOAD = Operation[Any](
    "POST", "/v1/files", None, multipart=True, hidden={"stream": True}
)
NO_OPTIONS: RequestOptions = {}


class Purpose(enum.Enum):
    BATCH = "batch"


def test_render_path_quotes_values() -> None:
    assert (
        render_path("/v1/files/{file_id}", {"file_id": "a/b c?"})
        == "/v1/files/a%2Fb%20c%3F"
    )


def test_render_path_keeps_the_characters_a_path_segment_allows() -> None:
    model = "ft:open-mistral-7b:587a6b29:20240514:7e773925"

    assert render_path("/v1/models/{m}", {"m": model}) == f"/v1/models/{model}"
    assert render_path("/v1/x/{v}", {"v": "a@b!$&'()*+,;="}) == "/v1/x/a@b!$&'()*+,;="


@pytest.mark.parametrize(
    ("value", "sent"),
    [("a#b", "a%23b"), ("100%", "100%25"), ("é", "%C3%A9"), ("a\\b", "a%5Cb")],
)
def test_render_path_escapes_what_would_leave_the_segment(
    value: str, sent: str
) -> None:
    assert render_path("/v1/x/{v}", {"v": value}) == f"/v1/x/{sent}"


def test_render_path_accepts_ints_and_enums() -> None:
    path = render_path("/v1/{a}/{b}", {"a": 3, "b": Purpose.BATCH})

    assert path == "/v1/3/batch"


@pytest.mark.parametrize("value", [None, "", ".", "..", NOT_GIVEN, True])
def test_render_path_rejects_values_that_would_address_another_resource(
    value: object,
) -> None:
    with pytest.raises(RequestValidationError, match="file_id"):
        render_path("/v1/files/{file_id}", {"file_id": value})


def test_render_path_missing_parameter() -> None:
    with pytest.raises(RequestValidationError):
        render_path("/v1/files/{file_id}", None)


def test_encode_query_drops_unset_and_null_values() -> None:
    assert encode_query({"a": NOT_GIVEN, "b": None, "c": "x"}) == [("c", "x")]


def test_encode_query_scalars() -> None:
    when = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)

    pairs = encode_query(
        {"flag": True, "off": False, "n": 3, "f": 0.5, "when": when, "e": Purpose.BATCH}
    )

    assert pairs == [
        ("flag", "true"),
        ("off", "false"),
        ("n", "3"),
        ("f", "0.5"),
        ("when", "2024-05-01T12:30:00+00:00"),
        ("e", "batch"),
    ]


def test_encode_query_lists_become_repeated_keys() -> None:
    assert encode_query({"status": ["RUNNING", "QUEUED"]}) == [
        ("status", "RUNNING"),
        ("status", "QUEUED"),
    ]


def test_encode_query_json_params_are_json_strings() -> None:
    pairs = encode_query({"metadata": {"k": [1, True]}}, frozenset({"metadata"}))

    assert pairs == [("metadata", '{"k":[1,true]}')]


def test_encode_query_extra_query_comes_last_and_replaces() -> None:
    pairs = encode_query({"a": "1", "b": "2"}, extra={"a": "9", "z": False})

    assert pairs == [("b", "2"), ("a", "9"), ("z", "false")]


def test_build_request_json_body_validated_and_unset_fields_dropped() -> None:
    parts = build_request(
        CONFIG,
        CHAT,
        body={
            "model": "m",
            "messages": [UserMessage(content="hi")],
            "temperature": NOT_GIVEN,
        },
        options={"extra_body": {"safe_prompt": True}},
    )

    assert parts.content is not None
    assert json.loads(parts.content) == {
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}],
        "stream": False,
        "safe_prompt": True,
    }
    assert parts.headers["Content-Type"] == "application/json"


def test_build_request_explicit_null_is_sent() -> None:
    parts = build_request(
        CONFIG,
        CHAT,
        body={"model": "m", "messages": [], "temperature": None},
        options=NO_OPTIONS,
    )

    assert parts.content is not None
    assert json.loads(parts.content)["temperature"] is None


def test_build_request_extra_body_overrides_fields() -> None:
    parts = build_request(
        CONFIG,
        CHAT,
        body={"model": "m", "messages": []},
        options={"extra_body": {"model": "x"}},
    )

    assert parts.content is not None
    assert json.loads(parts.content)["model"] == "x"


def test_build_request_invalid_body_names_the_fields() -> None:
    with pytest.raises(RequestValidationError) as caught:
        build_request(
            CONFIG,
            CHAT,
            body={"model": 5, "messages": [{"role": "user", "content": 3}]},
            options=NO_OPTIONS,
        )

    message = str(caught.value)
    assert "ChatCompletionRequest" in message
    assert "model: Input should be a valid string" in message
    assert "messages.0." in message
    assert ".content" in message
    assert isinstance(caught.value, ValueError)
    assert caught.value.errors


def test_build_request_without_body_model_serialises_models_and_dates() -> None:
    when = datetime(2024, 1, 2, tzinfo=timezone.utc)

    parts = build_request(
        CONFIG,
        PLAIN,
        body={"m": AssistantMessage(content="x"), "when": when, "x": NOT_GIVEN},
        options=NO_OPTIONS,
    )

    assert parts.content is not None
    assert json.loads(parts.content) == {
        "m": {"role": "assistant", "content": "x", "tool_calls": None, "prefix": False},
        "when": "2024-01-02T00:00:00Z",
    }


def test_build_request_no_body_sends_no_content() -> None:
    parts = build_request(CONFIG, GET, path={"item_id": "i1"}, options=NO_OPTIONS)

    assert parts.content is None
    assert "Content-Type" not in parts.headers
    assert parts.url == "https://api.mistral.ai/v1/items/i1"


def test_build_request_non_json_body_is_a_request_error() -> None:
    with pytest.raises(RequestValidationError, match="not JSON"):
        build_request(CONFIG, PLAIN, body={"x": float("nan")}, options=NO_OPTIONS)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_build_request_names_where_a_non_finite_float_is(value: float) -> None:
    body = {"x": {"limits": [1, value]}}

    with pytest.raises(RequestValidationError) as caught:
        build_request(CONFIG, PLAIN, body=body, options=NO_OPTIONS)

    assert str(caught.value) == (
        f"the request body is not JSON: x.limits.1 is {value}, which JSON cannot carry"
    )


def test_build_request_names_a_non_finite_typed_field() -> None:
    body = {"model": "m", "messages": [], "temperature": float("nan")}

    with pytest.raises(RequestValidationError, match="temperature is nan"):
        build_request(CONFIG, CHAT, body=body, options=NO_OPTIONS)


def test_build_request_keeps_the_encoder_message_for_other_values() -> None:
    with pytest.raises(
        RequestValidationError, match="not JSON: Unable to serialize unknown type"
    ):
        build_request(CONFIG, PLAIN, body={"x": object()}, options=NO_OPTIONS)


def test_build_request_refuses_extra_body_on_a_get() -> None:
    # Sent, a GET's body is dropped on the way: the fields would vanish silently.
    with pytest.raises(TypeError, match=r"extra_body: GET /v1/items/\{item_id\} sends"):
        build_request(
            CONFIG, GET, path={"item_id": "1"}, options={"extra_body": {"x": 1}}
        )


def test_build_request_headers() -> None:
    parts = build_request(
        CONFIG,
        GET,
        path={"item_id": "1"},
        options={"extra_headers": {"x-team": "b", "x-trace": "t"}},
        accept="text/event-stream",
    )

    assert parts.headers["Authorization"] == "Bearer sk-key"
    assert parts.headers["User-Agent"] == user_agent()
    assert parts.headers["Accept"] == "text/event-stream"
    assert parts.headers["x-team"] == "b"
    assert parts.headers["x-trace"] == "t"


def test_user_agent_names_sdk_version_python_and_platform() -> None:
    agent = user_agent()

    assert agent.startswith(f"mistral-sdk-python/{__version__} ")
    assert re.search(r"python/3\.\d+\.\d+", agent)
    assert platform.system() in agent


def test_build_request_base_url_with_prefix() -> None:
    config = CONFIG.replace(base_url="http://proxy.local/mistral/")

    parts = build_request(config, GET, path={"item_id": "1"}, options=NO_OPTIONS)

    assert parts.url == "http://proxy.local/mistral/v1/items/1"


def test_build_request_per_call_timeout_and_retries() -> None:
    parts = build_request(
        CONFIG, GET, path={"item_id": "1"}, options={"timeout": 3, "max_retries": 0}
    )

    assert parts.timeout == httpx2.Timeout(3.0)
    assert parts.max_retries == 0


def test_build_request_default_timeout_and_retries() -> None:
    parts = build_request(CONFIG, GET, path={"item_id": "1"}, options=NO_OPTIONS)

    assert parts.timeout == CONFIG.timeout
    assert parts.max_retries is None


def test_build_request_rejects_unknown_keywords() -> None:
    options: Any = {"temprature": 0.2}

    with pytest.raises(TypeError, match="temprature"):
        build_request(CONFIG, GET, path={"item_id": "1"}, options=options)


def test_build_request_rejects_bad_per_call_retries() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        build_request(CONFIG, GET, path={"item_id": "1"}, options={"max_retries": -1})


def test_build_request_multipart_with_files() -> None:
    part = ("a.jsonl", b"{}", "application/jsonl")

    parts = build_request(
        CONFIG,
        UPLOAD,
        body={"purpose": "batch", "tags": ["a", "b"], "skip": NOT_GIVEN, "n": None},
        files=[("file", part)],
        options=NO_OPTIONS,
    )

    assert parts.data == {"purpose": ["batch"], "tags": ["a", "b"], "stream": ["true"]}
    assert parts.files == [("file", part)]
    assert parts.content is None


def test_build_request_multipart_without_files_is_still_multipart() -> None:
    parts = build_request(
        CONFIG, UPLOAD, body={"file_url": "https://x/a.mp3"}, options=NO_OPTIONS
    )

    assert parts.content is not None
    assert parts.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'name="file_url"\r\n\r\nhttps://x/a.mp3\r\n' in parts.content
    assert b'name="stream"\r\n\r\ntrue\r\n' in parts.content


def test_fields_only_multipart_is_parseable() -> None:
    body, content_type = encode_fields_only_multipart({"a": ["1", "2"], 'q"x': ["v"]})
    boundary = content_type.split("boundary=")[1]

    sections = body.split(f"--{boundary}".encode())

    assert sections[0] == b""
    assert sections[-1] == b"--\r\n"
    assert len(sections) == 5
    assert b'name="q\\"x"' in body


def test_request_parts_repr_hides_credentials() -> None:
    options: RequestOptions = {
        "extra_headers": {"Proxy-Authorization": "Basic c2VjcmV0"}
    }
    parts = build_request(
        CONFIG, CHAT, body={"model": "m", "messages": []}, options=options
    )

    shown = repr(parts)

    assert "sk-key" not in shown
    assert "c2VjcmV0" not in shown
    assert "'Authorization': '[secure]'" in shown
    assert "'x-team': 'a'" in shown
    assert parts.headers["Authorization"] == "Bearer sk-key"

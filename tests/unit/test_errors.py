from __future__ import annotations

import json

import httpx2
import pytest
from factories import API_KEY, ERROR_BODIES, HTML_502

from mistral_sdk import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MistralError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    UnprocessableEntityError,
)
from mistral_sdk._errors import (
    connection_error,
    error_from_payload,
    error_from_response,
    format_detail,
    is_error_payload,
)

REQUEST = httpx2.Request("POST", "https://api.mistral.ai/v1/chat/completions")


def response(
    status: int, body: object = None, *, text: str | None = None, **headers: str
) -> httpx2.Response:
    content = text.encode() if text is not None else json.dumps(body).encode()
    return httpx2.Response(status, content=content, headers=headers, request=REQUEST)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (418, APIError),
        (413, APIError),
    ],
)
def test_error_class_from_status(status: int, cls: type[APIError]) -> None:
    error = error_from_response(response(status, {"message": "nope"}))

    assert type(error) is cls
    assert isinstance(error, MistralError)
    assert error.status_code == status
    assert error.message == "nope"


@pytest.mark.parametrize("shape", sorted(ERROR_BODIES))
def test_error_message_from_each_body_shape(shape: str) -> None:
    body, expected = ERROR_BODIES[shape]

    error = error_from_response(response(400, body))

    assert error.message == expected
    assert error.body == body
    assert expected in str(error)


def test_error_object_shape_keeps_type_and_code() -> None:
    body, _ = ERROR_BODIES["object-error"]

    error = error_from_response(response(429, body))

    assert error.error_type == "rate_limited"
    assert error.code == "1300"


def test_error_unprocessable_entity_parses_detail_list() -> None:
    body, _ = ERROR_BODIES["detail-list"]

    error = error_from_response(response(422, body))

    assert isinstance(error, UnprocessableEntityError)
    assert [d["loc"] for d in error.detail] == [
        ["query", "page"],
        ["body", "messages", 0, "role"],
    ]


def test_error_unprocessable_entity_detail_inside_message() -> None:
    body, _ = ERROR_BODIES["message-dict"]

    error = error_from_response(response(422, body))

    assert isinstance(error, UnprocessableEntityError)
    assert error.detail[0]["msg"] == "Field required"


def test_error_unprocessable_entity_without_detail_has_empty_list() -> None:
    error = error_from_response(response(422, {"message": "bad"}))

    assert isinstance(error, UnprocessableEntityError)
    assert error.detail == []


def test_error_html_body_is_reduced_to_its_title() -> None:
    error = error_from_response(response(502, text=HTML_502))

    assert error.message == "502 Bad Gateway"
    assert error.body == HTML_502
    assert len(str(error)) < 100


def test_error_html_without_title_is_short_visible_text() -> None:
    page = "<html><body><script>var x = 1;</script>" + "<p>Upstream failed</p>" * 100
    error = error_from_response(response(502, text=page + "</body></html>"))

    assert error.message.startswith("Upstream failed Upstream failed")
    assert "script" not in error.message
    assert len(error.message) <= 200


def test_error_plain_text_body() -> None:
    error = error_from_response(response(503, text="upstream connect error"))

    assert error.message == "upstream connect error"
    assert error.body == "upstream connect error"


def test_error_empty_body_uses_the_reason_phrase() -> None:
    error = error_from_response(response(404, text=""))

    assert error.message == "Not Found"
    assert error.body is None


def test_error_message_dict_without_known_keys_is_compact_json() -> None:
    error = error_from_response(response(400, {"message": {"foo": "bar"}}))

    assert error.message == '{"foo":"bar"}'


def test_error_request_id_from_correlation_header() -> None:
    headers = {"mistral-correlation-id": "corr-1", "x-kong-request-id": "kong-1"}

    error = error_from_response(response(500, {"message": "x"}, **headers))

    assert error.request_id == "corr-1"
    assert "corr-1" in str(error)
    assert error.response is not None


def test_error_request_id_falls_back_to_kong_header() -> None:
    error = error_from_response(
        response(500, {"message": "x"}, **{"x-kong-request-id": "k"})
    )

    assert error.request_id == "k"


def test_error_never_repeats_the_api_key() -> None:
    body = {"message": f"Invalid key {API_KEY}", "echo": API_KEY}

    sent = httpx2.Request(
        "GET", "https://x", headers={"Authorization": f"Bearer {API_KEY}"}
    )
    reply = httpx2.Response(401, json=body, request=sent)

    error = error_from_response(reply)

    assert API_KEY not in str(error)
    assert API_KEY not in repr(error)
    assert API_KEY not in error.message
    assert API_KEY not in json.dumps(error.body)


def test_error_repr_names_status_and_message() -> None:
    error = error_from_response(response(404, {"message": "gone"}))

    assert (
        repr(error) == "NotFoundError(status_code=404, message='gone', request_id=None)"
    )


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "error", "message": "x"},
        {"error": {"message": "x"}},
        {"error": "x"},
        {"type": "conversation.response.error", "message": "x", "code": 500},
    ],
)
def test_error_payload_shapes_are_recognised(payload: object) -> None:
    assert is_error_payload(payload)


@pytest.mark.parametrize("payload", [None, [], "error", {"id": "x", "choices": []}])
def test_error_payload_ordinary_values_are_not_errors(payload: object) -> None:
    assert not is_error_payload(payload)


def test_error_from_payload_maps_http_like_code() -> None:
    ok = httpx2.Response(200, request=REQUEST)
    payload = {
        "type": "conversation.response.error",
        "message": "Tool failed",
        "code": 503,
    }

    error = error_from_payload(payload, response=ok)

    assert isinstance(error, InternalServerError)
    assert error.message == "Tool failed"


def test_error_from_payload_keeps_stream_status_for_other_codes() -> None:
    ok = httpx2.Response(200, request=REQUEST)

    error = error_from_payload(
        {"object": "error", "message": "m", "code": "3051"}, response=ok
    )

    assert type(error) is APIError
    assert error.status_code == 200
    assert error.code == "3051"


@pytest.mark.parametrize(
    ("payload", "cls", "status"),
    [
        (
            {"object": "error", "message": "m", "type": "rate_limited", "code": "1300"},
            RateLimitError,
            429,
        ),
        (
            {"object": "error", "message": "m", "type": "x", "status": 429},
            RateLimitError,
            429,
        ),
        ({"object": "error", "message": "m", "code": "429"}, RateLimitError, 429),
        (
            {"object": "error", "message": "m", "type": "unauthorized"},
            AuthenticationError,
            401,
        ),
        (
            {"object": "error", "message": "m", "type": "permission_denied"},
            PermissionDeniedError,
            403,
        ),
        ({"object": "error", "message": "m", "type": "not_found"}, NotFoundError, 404),
        ({"object": "error", "message": "m", "type": "conflict"}, ConflictError, 409),
        (
            {"object": "error", "message": "m", "code": 422},
            UnprocessableEntityError,
            422,
        ),
        (
            {"object": "error", "message": "m", "type": "invalid_request_error"},
            BadRequestError,
            400,
        ),
        (
            {"object": "error", "message": "m", "type": "internal_error"},
            InternalServerError,
            500,
        ),
        (
            {"object": "error", "message": "m", "type": "Service-Unavailable"},
            InternalServerError,
            503,
        ),
        (
            {"error": {"message": "m", "type": "rate_limit_exceeded"}},
            RateLimitError,
            429,
        ),
        ({"error": {"message": "m", "status": "502"}}, InternalServerError, 502),
        (
            {"type": "conversation.response.error", "message": "m", "code": 429},
            RateLimitError,
            429,
        ),
        (
            {"type": "conversation.response.error", "message": "m", "code": 3000},
            APIError,
            200,
        ),
        ({"object": "error", "message": "m", "type": "api_error"}, APIError, 200),
        ({"object": "error", "message": "m", "status": True}, APIError, 200),
    ],
)
def test_error_from_payload_raises_the_class_the_payload_names(
    payload: dict[str, object], cls: type[APIError], status: int
) -> None:
    ok = httpx2.Response(200, request=REQUEST)

    error = error_from_payload(payload, response=ok)

    assert type(error) is cls
    assert error.status_code == status
    assert error.message == "m"


def test_error_from_payload_status_wins_over_type() -> None:
    ok = httpx2.Response(200, request=REQUEST)
    payload = {"object": "error", "message": "m", "type": "rate_limited", "status": 503}

    error = error_from_payload(payload, response=ok)

    assert type(error) is InternalServerError
    assert error.error_type == "rate_limited"


def test_connection_error_maps_timeouts() -> None:
    timeout = connection_error(httpx2.ReadTimeout("read timed out"), REQUEST)
    broken = connection_error(httpx2.ConnectError("refused"), REQUEST)

    assert type(timeout) is APITimeoutError
    assert isinstance(timeout, APIConnectionError)
    assert type(broken) is APIConnectionError
    assert broken.request is REQUEST
    assert "refused" in str(broken)
    assert not isinstance(broken, APIError)


def test_request_validation_error_is_a_value_error() -> None:
    error = RequestValidationError("bad", [{"loc": ("model",), "msg": "required"}])

    assert isinstance(error, ValueError)
    assert isinstance(error, MistralError)
    assert error.errors[0]["msg"] == "required"


def test_format_detail_names_fields_not_pydantic_validator_steps() -> None:
    items = [
        {
            "loc": ("messages", 0, "tagged-union[UserMessage,ToolMessage]", "user"),
            "msg": "bad",
        },
        {"loc": ("messages", 0, "user", "content", "str"), "msg": "not a string"},
        {"loc": ("messages", 0, "user", "content", "list[Chunk]"), "msg": "no list"},
        {"loc": ("body", "model"), "msg": "Field required"},
        {"loc": ("body", "model"), "msg": "Field required"},
    ]

    assert format_detail(items) == (
        "messages.0.user: bad; messages.0.user.content: not a string; "
        "messages.0.user.content: no list; model: Field required"
    )

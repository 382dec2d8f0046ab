"""Requests are read like the API reads them: 422, 401, 404 and 405 bodies."""

from __future__ import annotations

from typing import Any

import pytest

from mistral_sdk import AuthenticationError, Mistral, UnprocessableEntityError
from mistral_sdk.testing import Emulator, Response

from ._spec_check import SERVICE_ERROR, exchange_problems, problems

KEY = {"authorization": "Bearer test-api-key"}
CHAT = "/v1/chat/completions"


def post(emulator: Emulator, path: str, body: Any, **headers: str) -> Response:
    import json

    return emulator.handle(
        "POST",
        path,
        headers={**KEY, "content-type": "application/json", **headers},
        body=json.dumps(body).encode(),
    )


def detail(response: Response) -> list[dict[str, Any]]:
    assert response.status == 422
    found: list[dict[str, Any]] = response.json()["detail"]
    return found


def test_validation_unknown_field_is_extra_forbidden(emulator: Emulator) -> None:
    body = {"model": "m", "messages": [], "store": False}

    errors = detail(post(emulator, CHAT, body))

    assert errors == [
        {
            "type": "extra_forbidden",
            "loc": ["body", "store"],
            "msg": "Extra inputs are not permitted",
            "input": False,
        }
    ]


def test_validation_missing_required_field(emulator: Emulator) -> None:
    errors = detail(post(emulator, CHAT, {"messages": []}))

    assert errors == [
        {
            "type": "missing",
            "loc": ["body", "model"],
            "msg": "Field required",
            "input": {"messages": []},
        }
    ]


def test_validation_wrong_type_reports_location_and_input(emulator: Emulator) -> None:
    body = {"model": "m", "messages": [], "temperature": "warm", "max_tokens": 1.5}

    errors = detail(post(emulator, CHAT, body))

    assert [(e["type"], e["loc"], e["input"]) for e in errors] == [
        ("float_type", ["body", "temperature"], "warm"),
        ("int_from_float", ["body", "max_tokens"], 1.5),
    ]


def test_validation_bounds_carry_context(emulator: Emulator) -> None:
    errors = detail(post(emulator, CHAT, {"model": "m", "messages": [], "top_p": 2}))

    assert errors[0]["type"] == "less_than_equal"
    assert errors[0]["msg"] == "Input should be less than or equal to 1"
    assert errors[0]["ctx"] == {"le": 1}


def test_validation_discriminated_union_names_the_tag(emulator: Emulator) -> None:
    body = {"model": "m", "messages": [{"role": "robot"}, {"role": "user"}]}

    errors = detail(post(emulator, CHAT, body))

    assert errors[0]["type"] == "union_tag_invalid"
    assert errors[0]["loc"] == ["body", "messages", 0]
    assert errors[1]["loc"] == ["body", "messages", 1, "user", "content"]
    assert errors[1]["type"] == "missing"


def test_validation_enum_lists_expected_values(emulator: Emulator) -> None:
    body = {"model": "m", "messages": [], "tool_choice": "sometimes"}

    errors = detail(post(emulator, CHAT, body))

    # Of the union's members only the enum could take a string: its error alone.
    assert [(e["type"], e["loc"]) for e in errors] == [
        ("enum", ["body", "tool_choice"])
    ]
    assert errors[0]["msg"] == "Input should be 'auto', 'none', 'any' or 'required'"


def test_validation_invalid_json_body(emulator: Emulator) -> None:
    response = emulator.handle("POST", CHAT, headers=KEY, body=b"{nope")

    assert detail(response)[0]["type"] == "json_invalid"


def test_validation_missing_body(emulator: Emulator) -> None:
    response = emulator.handle("POST", CHAT, headers=KEY)

    assert detail(response) == [
        {"type": "missing", "loc": ["body"], "msg": "Field required", "input": None}
    ]


def test_validation_query_text_is_parsed_with_its_type(emulator: Emulator) -> None:
    response = emulator.handle("GET", "/v1/files", "page=two&purpose=fine-tune", KEY)

    assert detail(response) == [
        {
            "type": "int_parsing",
            "loc": ["query", "page"],
            "msg": "Input should be a valid integer, unable to parse string as an integer",
            "input": "two",
        }
    ]


def test_validation_required_query_parameter(emulator: Emulator) -> None:
    response = emulator.handle("PATCH", "/v1/agents/ag_1/version", headers=KEY)

    assert detail(response)[0]["loc"] == ["query", "version"]


def test_validation_path_uuid(emulator: Emulator) -> None:
    response = emulator.handle("GET", "/v1/files/abc", headers=KEY)

    assert detail(response)[0]["type"] == "uuid_parsing"


def test_validation_multipart_requires_the_file(emulator: Emulator) -> None:
    body = b'--b\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n--b--\r\n'
    headers = {**KEY, "content-type": "multipart/form-data; boundary=b"}

    response = emulator.handle("POST", "/v1/files", headers=headers, body=body)

    assert detail(response)[0]["loc"] == ["body", "file"]


def test_validation_422_reaches_the_sdk_as_typed_error(client: Mistral) -> None:
    with pytest.raises(UnprocessableEntityError) as caught:
        client.chat.complete(
            model="mistral-small-latest",
            messages=[{"role": "user", "content": "Hi"}],
            extra_body={"store": True},
        )

    assert caught.value.status_code == 422


@pytest.mark.parametrize(
    "header", [None, "Bearer wrong", "Basic test-api-key", "Bearer "]
)
def test_auth_wrong_or_missing_key_gets_401(
    emulator: Emulator, header: str | None
) -> None:
    headers = {} if header is None else {"authorization": header}

    response = emulator.handle("GET", "/v1/models", headers=headers)

    assert response.status == 401
    body = response.json()
    assert body == {"message": "Unauthorized", "request_id": body["request_id"]}
    assert response.header("mistral-correlation-id") == body["request_id"]


def test_auth_401_comes_before_validation(emulator: Emulator) -> None:
    response = emulator.handle(
        "POST", CHAT, headers={"authorization": "Bearer x"}, body=b"{"
    )

    assert response.status == 401


def test_auth_sdk_raises_authentication_error(emulator: Emulator) -> None:
    with (
        emulator.client(api_key="wrong") as client,
        pytest.raises(AuthenticationError),
    ):
        client.models.list()


def test_auth_any_key_when_api_key_is_none() -> None:
    emulator = Emulator(api_key=None)

    response = emulator.handle(
        "GET", "/v1/models", headers={"authorization": "Bearer xyz"}
    )

    assert response.status == 200


def test_routes_unknown_path_and_method(emulator: Emulator) -> None:
    missing = emulator.handle("GET", "/v1/nothing", headers=KEY)
    wrong_method = emulator.handle("DELETE", "/v1/chat/completions", headers=KEY)

    assert (missing.status, missing.json()) == (404, {"detail": "Not Found"})
    assert (wrong_method.status, wrong_method.json()) == (
        405,
        {"detail": "Method Not Allowed"},
    )


def test_errors_not_found_has_the_service_shape(emulator: Emulator) -> None:
    response = emulator.handle(
        "GET", "/v1/files/3f7c2a18-5b9e-4d61-a2f0-8e4b6c1d9a75", headers=KEY
    )

    assert response.status == 404
    assert problems(SERVICE_ERROR, response.json()) == []


def test_errors_invalid_model_is_the_apis_400(emulator: Emulator) -> None:
    response = post(emulator, CHAT, {"model": "gpt-4", "messages": []})

    assert response.status == 400
    assert response.json() == {
        "object": "error",
        "message": "Invalid model: gpt-4",
        "type": "invalid_model",
        "param": None,
        "code": "1500",
    }


def test_spec_check_flags_a_response_that_departs(emulator: Emulator) -> None:
    emulator.handle("GET", "/v1/models", headers=KEY)
    exchange = emulator.log[-1]
    exchange.response.body = b'{"object": "list", "data": [{"id": 1}]}'

    assert exchange_problems(exchange) != []
    emulator.log.clear()

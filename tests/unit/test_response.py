from __future__ import annotations

import json
import logging
from collections.abc import Callable

import httpx2
import pytest
from conftest import Handle, MockApi, json_reply
from factories import (
    Chunks,
    agent,
    chunk,
    completion,
    event_response,
    file_list,
    sse,
)

from mistral_sdk import (
    APIResponse,
    ResponseDecodeError,
    ResponseValidationError,
)
from mistral_sdk._response import header_number, parse_response, rate_limit_of
from mistral_sdk.types.agents import Agent
from mistral_sdk.types.common_completions import ChatCompletionResponse

URL = "/v1/chat/completions"
MESSAGES = [{"role": "user", "content": "Hi"}]
COMPLETION = json.dumps(completion()).encode()
# A completion whose `model` is null, which the spec does not allow.
NULL_MODEL = COMPLETION.replace(b'"model": "mistral-small-latest"', b'"model": null')


def test_parse_response_fast_path() -> None:
    value = parse_response(ChatCompletionResponse, COMPLETION, strict=False)

    assert value == ChatCompletionResponse.model_validate(completion())
    assert value.choices[0].message.content == "Hello!"


def test_parse_response_type_expressions() -> None:
    body = json.dumps([agent("x")]).encode()

    value = parse_response(list[Agent], body, strict=True)

    assert value == [Agent.model_validate(agent("x"))]
    assert value[0].id == "x"


def test_parse_response_lenient_keeps_what_it_can(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = NULL_MODEL[:-1] + b', "extra": 1}'

    with caplog.at_level(logging.WARNING, logger="mistral_sdk"):
        value = parse_response(ChatCompletionResponse, body, strict=False)

    assert value.id == "cmpl-1"
    assert value.model is None
    assert value.model_extra == {"extra": 1}
    assert any(
        "ChatCompletionResponse departs from the API spec at 'model'" in r.getMessage()
        for r in caplog.records
    )


def test_parse_response_strict_raises_with_the_body() -> None:
    body = NULL_MODEL
    response = httpx2.Response(
        200, content=body, headers={"mistral-correlation-id": "r"}
    )

    with pytest.raises(ResponseValidationError, match="model") as caught:
        parse_response(ChatCompletionResponse, body, strict=True, response=response)

    assert caught.value.body == body
    assert caught.value.errors
    assert caught.value.request_id == "r"


@pytest.mark.parametrize("strict", [True, False])
def test_parse_response_invalid_json(strict: bool) -> None:
    with pytest.raises(ResponseDecodeError) as caught:
        parse_response(ChatCompletionResponse, b"<html>oops</html>", strict=strict)

    assert caught.value.body == "<html>oops</html>"
    assert caught.value.status_code == 200


def test_rate_limit_none_without_headers() -> None:
    assert rate_limit_of(httpx2.Headers({"content-type": "application/json"})) is None


def test_rate_limit_mistral_headers() -> None:
    headers = httpx2.Headers(
        {
            "ratelimitbysize-limit": "500000",
            "ratelimitbysize-remaining": "499000",
            "ratelimitbysize-reset": "23",
            "x-ratelimitbysize-limit-minute": "500000",
        }
    )

    rate = rate_limit_of(headers)

    assert rate is not None
    assert (rate.limit, rate.remaining, rate.reset) == (500000, 499000, 23.0)
    assert rate.headers["x-ratelimitbysize-limit-minute"] == "500000"


def test_rate_limit_x_headers() -> None:
    headers = httpx2.Headers(
        {
            "X-RateLimit-Limit-Requests": "60",
            "x-ratelimit-remaining-requests": "59",
            "x-ratelimit-reset-requests": "1s",
        }
    )

    rate = rate_limit_of(headers)

    assert rate is not None
    assert (rate.limit, rate.remaining, rate.reset) == (60, 59, 1.0)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("59", 59.0),
        ("0.5", 0.5),
        ("1.5s", 1.5),
        ("6m0s", 360.0),
        ("20ms", 0.02),
        ("1h2m3.5s", 3723.5),
        (".5s", 0.5),
        ("250us", 0.00025),
        (" 2m ", 120.0),
        ("-1", 0.0),
        ("-1.5s", 0.0),
    ],
)
def test_header_number_reads_numbers_and_go_durations(
    value: str, seconds: float
) -> None:
    assert header_number(value) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "s",
        "abc",
        "5sss",
        "6m 0s",
        "1.5.s",
        "--1s",
        "2d",
        "inf",
        "-inf",
        "nan",
        "1e400",
        "9" * 400 + "h",
    ],
)
def test_header_number_leaves_garbage_and_infinity_out(value: str | None) -> None:
    assert header_number(value) is None


def test_openai_style_reset_durations_are_seconds() -> None:
    headers = httpx2.Headers(
        {
            "x-ratelimit-limit-requests": "500",
            "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": "6m0s",
            "x-ratelimit-reset-tokens": "20ms",
        }
    )

    rate = rate_limit_of(headers)

    assert rate is not None
    assert (rate.limit, rate.remaining, rate.reset) == (500, 0, 360.0)


# What the API sends today (a curl dump of POST /v1/chat/completions).
MISTRAL_NOW = {
    "x-ratelimit-limit-tokens-minute": "5000000",
    "x-ratelimit-remaining-tokens-minute": "4999911",
    "x-ratelimit-tokens-query-cost": "52",
    "x-ratelimit-limit-req-minute": "720",
    "x-ratelimit-remaining-req-minute": "717",
    "x-ratelimit-limit-tokens-month": "200000000",
    "x-ratelimit-remaining-tokens-month": "199000000",
}


@pytest.mark.parametrize("flavour", ["httpx2", "mapping"])
def test_rate_limit_mistral_current_headers(flavour: str) -> None:
    headers = httpx2.Headers(MISTRAL_NOW) if flavour == "httpx2" else dict(MISTRAL_NOW)

    rate = rate_limit_of(headers)

    assert rate is not None
    # The summary is the requests-per-minute window; the API sends no reset.
    assert (rate.limit, rate.remaining, rate.reset) == (720, 717, None)
    assert (rate.limit_tokens, rate.remaining_tokens) == (5000000, 4999911)
    assert rate.query_cost == 52
    assert rate.headers["x-ratelimit-remaining-tokens-month"] == "199000000"


def test_rate_limit_tokens_only_leaves_the_requests_window_empty() -> None:
    headers = httpx2.Headers(
        {
            "X-RateLimit-Limit-Tokens-Minute": "2000000",
            "x-ratelimit-remaining-tokens-minute": "0",
        }
    )

    rate = rate_limit_of(headers)

    assert rate is not None
    assert (rate.limit, rate.remaining) == (None, None)
    assert (rate.limit_tokens, rate.remaining_tokens, rate.query_cost) == (
        2000000,
        0,
        None,
    )


def test_rate_limit_openai_tokens_window() -> None:
    rate = rate_limit_of(
        {"x-ratelimit-limit-tokens": "1000", "x-ratelimit-remaining-tokens": "10"}
    )

    assert rate is not None
    assert (rate.limit_tokens, rate.remaining_tokens) == (1000, 10)


def test_rate_limit_with_mistral_names_through_both_clients(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, json_reply(200, completion(), **MISTRAL_NOW))
    handle = both_clients()

    raw = handle.client.chat.with_raw_response.complete(model="m", messages=MESSAGES)

    assert raw.rate_limit is not None
    assert (raw.rate_limit.limit, raw.rate_limit.remaining) == (720, 717)
    assert raw.rate_limit.remaining_tokens == 4999911
    assert raw.rate_limit.query_cost == 52


def test_api_response_metadata_and_cached_parse() -> None:
    response = httpx2.Response(
        201,
        json={"x": 1},
        headers={"x-kong-request-id": "k", "ratelimit-remaining": "4"},
    )
    calls: list[bytes] = []

    def parse(read: httpx2.Response) -> str:
        calls.append(read.content)
        return "parsed"

    raw = APIResponse(response, parse, reads_body=True)

    assert raw.status_code == 201
    assert raw.headers["x-kong-request-id"] == "k"
    assert raw.request_id == "k"
    assert raw.rate_limit is not None
    assert raw.rate_limit.remaining == 4
    assert raw.http_response is response
    assert raw.parse() == raw.parse() == "parsed"
    assert calls == [b'{"x":1}']
    assert repr(raw) == "<APIResponse [201] request_id='k'>"


def test_raw_response_is_a_deprecated_alias_of_api_response() -> None:
    with pytest.warns(DeprecationWarning, match="use mistral_sdk.APIResponse"):
        from mistral_sdk import RawResponse

    assert RawResponse is APIResponse


# ------------------------------------------------------------------ raw mode of resources
def test_raw_json_response(both_clients: Callable[..., Handle], api: MockApi) -> None:
    api.add(
        "POST",
        URL,
        json_reply(
            200,
            completion(),
            **{"mistral-correlation-id": "c1", "ratelimit-limit": "10"},
        ),
    )
    handle = both_clients()

    raw = handle.client.chat.with_raw_response.complete(model="m", messages=MESSAGES)

    assert raw.status_code == 200
    assert raw.request_id == "c1"
    assert raw.rate_limit.limit == 10
    assert raw.parse().choices[0].message.content == "Hello!"


def test_raw_stream_response(both_clients: Callable[..., Handle], api: MockApi) -> None:
    api.add(
        "POST", URL, event_response(sse(chunk("a")), **{"mistral-correlation-id": "s1"})
    )
    handle = both_clients()

    raw = handle.client.chat.with_raw_response.stream(model="m", messages=MESSAGES)

    assert raw.request_id == "s1"
    with raw.parse() as stream:
        assert [c.choices[0].delta.content for c in stream] == ["a"]


def test_raw_page_response(both_clients: Callable[..., Handle], api: MockApi) -> None:
    api.add("GET", "/v1/files", json_reply(200, file_list("a", "b", total=2)))
    handle = both_clients()

    raw = handle.client.files.with_raw_response.list()

    assert raw.status_code == 200
    page = raw.parse()
    assert [i.id for i in page.data] == ["a", "b"]
    assert [i.id for i in page] == ["a", "b"]


def test_raw_download_response(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("GET", "/v1/files/f1/content", httpx2.Response(200, content=b"abc"))
    handle = both_clients()

    raw = handle.client.files.with_raw_response.download("f1")

    assert raw.status_code == 200
    assert raw.parse().read() == b"abc"


def test_raw_response_closes_and_is_a_context_manager(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    body = Chunks([sse(chunk("a"))])
    api.add("POST", URL, event_response(body))
    handle = both_clients()

    with handle.client.chat.with_raw_response.stream(
        model="m", messages=MESSAGES
    ) as raw:
        assert raw.status_code == 200

    assert body.closed
    assert raw.http_response.is_closed


def test_streaming_response_reads_the_body_only_when_asked(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    body = Chunks([COMPLETION[:20], COMPLETION[20:]])
    api.add("POST", URL, httpx2.Response(200, stream=body))
    handle = both_clients()

    with handle.client.chat.with_streaming_response.complete(
        model="m", messages=MESSAGES
    ) as response:
        assert body.sent == 0
        assert response.status_code == 200
        parsed = response.parse()

    assert parsed == ChatCompletionResponse.model_validate(completion())
    assert body.closed


def test_streaming_response_sends_nothing_before_entering(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    handle = both_clients()

    handle.client.chat.with_streaming_response.complete(model="m", messages=MESSAGES)

    assert api.requests == []


def test_streaming_response_iter_lines_and_close_on_exit(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    body = Chunks([b"one\ntw", b"o\nthree"])
    api.add("GET", "/v1/files/f1/content", httpx2.Response(200, stream=body))
    handle = both_clients()

    with handle.client.files.with_streaming_response.download("f1") as response:
        lines = list(response.iter_lines())

    assert lines == ["one", "two", "three"]
    assert body.closed


def test_streaming_response_left_unread_is_closed_on_exit(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    body = Chunks([sse(chunk("a"))])
    api.add("POST", URL, event_response(body))
    handle = both_clients()

    with handle.client.chat.with_streaming_response.stream(
        model="m", messages=MESSAGES
    ):
        pass

    assert body.sent == 0
    assert body.closed


def test_streaming_response_read_and_iter_bytes(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "GET",
        "/v1/files/f1/content",
        httpx2.Response(200, stream=Chunks([b"ab", b"c"])),
        httpx2.Response(200, stream=Chunks([b"ab", b"c"])),
    )
    handle = both_clients()

    with handle.client.files.with_streaming_response.download("f1") as response:
        whole = response.read()
    with handle.client.files.with_streaming_response.download("f1") as response:
        chunks = b"".join(response.iter_bytes())

    assert whole == chunks == b"abc"


def test_raw_stream_parse_gives_the_stream(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, event_response(sse(chunk("a"), chunk("b"))))
    handle = both_clients()

    raw = handle.client.chat.with_raw_response.stream(model="m", messages=MESSAGES)
    stream = raw.parse()

    again = raw.parse()
    assert getattr(stream, "target", stream) is getattr(again, "target", again)
    assert [c.choices[0].delta.content for c in stream] == ["a", "b"]


def test_raw_mode_does_not_leak_into_the_resource(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, json_reply(200, completion()), json_reply(200, completion()))
    handle = both_clients()

    handle.client.chat.with_raw_response.complete(model="m", messages=MESSAGES)
    result = handle.client.chat.complete(model="m", messages=MESSAGES)

    assert isinstance(result, ChatCompletionResponse)

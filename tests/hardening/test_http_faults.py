"""HTTP faults over a real socket: rate limits, overload, resets, slowness, redirects.

Retry waits go to the fake clock (`sdk.clock.sleeps`), so the policy's delays are
asserted exactly and no scenario sleeps through them; only the timeout scenarios
wait for real, for a fraction of a second.
"""

from __future__ import annotations

import json
import time
from email.utils import formatdate
from typing import Any

import httpx2
import pytest
from factories import API_KEY, ERROR_BODIES, HTML_502

from hardening import payloads
from hardening.faultserver import Close, FaultServer, Pause, Reply, Reset
from hardening.support import (
    CHAT,
    JSON,
    MESSAGES,
    Sdk,
    json_reply,
    sse_events,
    sse_reply,
    transport_of,
)
from mistral_sdk import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    UnprocessableEntityError,
)
from mistral_sdk.types import ChatCompletionResponse

OK = json_reply(payloads.completion())
REQUEST_ID = ("mistral-correlation-id", "req-42")


def complete(sdk: Sdk, **options: Any) -> ChatCompletionResponse:
    result: ChatCompletionResponse = sdk.client.chat.complete(
        model="m", messages=MESSAGES, **options
    )
    return result


def failure(sdk: Sdk, **options: Any) -> BaseException:
    with pytest.raises(Exception) as caught:  # the type is asserted by the caller
        complete(sdk, **options)
    return caught.value


def overloaded(status: int = 503, *headers: tuple[str, str]) -> Reply:
    return json_reply({"message": "Service overloaded"}, status, headers)


# ------------------------------------------------------------------ retries
def test_retry_429_with_retry_after_seconds_then_200(
    sdk: Sdk, fault: FaultServer
) -> None:
    fault.script("POST", CHAT, overloaded(429, ("retry-after", "3")), OK)

    assert complete(sdk).id == "cmpl-1"
    assert sdk.clock.sleeps == [3.0]
    assert len(fault.requests) == 2


def test_retry_429_with_retry_after_http_date(sdk: Sdk, fault: FaultServer) -> None:
    when = formatdate(sdk.clock.wall + 7, usegmt=True)
    fault.script("POST", CHAT, overloaded(429, ("retry-after", when)), OK)

    assert complete(sdk).id == "cmpl-1"
    assert sdk.clock.sleeps == [7.0]


def test_retry_429_with_retry_after_ms(sdk: Sdk, fault: FaultServer) -> None:
    fault.script("POST", CHAT, overloaded(429, ("retry-after-ms", "250")), OK)

    assert complete(sdk).id == "cmpl-1"
    assert sdk.clock.sleeps == [0.25]


def test_retry_after_is_capped(sdk: Sdk, fault: FaultServer) -> None:
    fault.script("POST", CHAT, overloaded(429, ("retry-after", "86400")), OK)

    assert complete(sdk).id == "cmpl-1"
    assert sdk.clock.sleeps == [60.0]


def test_retry_503_twice_then_200(sdk: Sdk, fault: FaultServer) -> None:
    fault.script("POST", CHAT, overloaded(), overloaded(), OK)

    assert complete(sdk).id == "cmpl-1"
    assert sdk.clock.sleeps == [0.5, 1.0]
    bodies = [r.body for r in fault.requests]
    assert len(bodies) == 3
    assert bodies[0] == bodies[1] == bodies[2]  # the same request, resent whole


def test_retry_jitter_shortens_the_backoff_by_up_to_a_quarter(
    sdk: Sdk, fault: FaultServer
) -> None:
    transport_of(sdk.target)._rng = lambda: 1.0  # the largest jitter
    fault.script("POST", CHAT, overloaded(), overloaded(), OK)

    assert complete(sdk).id == "cmpl-1"
    assert sdk.clock.sleeps == [0.375, 0.75]


@pytest.mark.parametrize("status", [408, 409, 500, 502, 504])
def test_retry_other_retryable_statuses(
    sdk: Sdk, fault: FaultServer, status: int
) -> None:
    fault.script("POST", CHAT, overloaded(status), OK)

    assert complete(sdk).id == "cmpl-1"
    assert len(fault.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_retry_never_for_client_errors(
    sdk: Sdk, fault: FaultServer, status: int
) -> None:
    fault.script("POST", CHAT, overloaded(status))

    error = failure(sdk)

    assert isinstance(error, APIError)
    assert error.status_code == status
    assert len(fault.requests) == 1
    assert sdk.clock.sleeps == []


def test_retry_500_forever_is_bounded(sdk: Sdk, fault: FaultServer) -> None:
    fault.always("POST", CHAT, overloaded(500, REQUEST_ID))

    started = time.monotonic()
    error = failure(sdk)

    assert type(error) is InternalServerError
    assert error.message == "Service overloaded"
    assert error.request_id == "req-42"
    assert len(fault.requests) == 3  # 1 + max_retries (2)
    assert sdk.clock.sleeps == [0.5, 1.0]
    assert time.monotonic() - started < 5


def test_retry_500_forever_with_many_retries_stops_at_the_budget(
    make_sdk: Any, fault: FaultServer
) -> None:
    sdk = make_sdk(max_retries=1000)
    fault.always("POST", CHAT, overloaded(500))

    error = failure(sdk)

    assert type(error) is InternalServerError
    sleeps = sdk.clock.sleeps
    # 0.5, 1, 2, 4, then 8 s each, until the next wait would pass 10 minutes.
    assert sleeps[:5] == [0.5, 1.0, 2.0, 4.0, 8.0]
    assert max(sleeps) == 8.0
    assert sum(sleeps) <= 600
    assert sum(sleeps) + 8.0 > 600
    assert len(fault.requests) == len(sleeps) + 1


def test_retry_after_waits_stop_at_the_budget(
    make_sdk: Any, fault: FaultServer
) -> None:
    sdk = make_sdk(max_retries=100)
    fault.always("POST", CHAT, overloaded(429, ("retry-after", "60")))

    error = failure(sdk)

    assert type(error) is RateLimitError
    assert sdk.clock.sleeps == [60.0] * 10  # an 11th wait would pass 10 minutes
    assert len(fault.requests) == 11


def test_retry_reset_before_any_response_then_200(sdk: Sdk, fault: FaultServer) -> None:
    fault.script("POST", CHAT, Reply(before=(Reset(),)), OK)

    assert complete(sdk).id == "cmpl-1"
    assert len(fault.requests) == 2
    assert sdk.clock.sleeps == [0.5]


def test_retry_close_before_any_response_then_200(sdk: Sdk, fault: FaultServer) -> None:
    fault.script("POST", CHAT, Reply(before=(Close(),)), OK)

    assert complete(sdk).id == "cmpl-1"
    assert len(fault.requests) == 2


def test_retry_reset_forever_raises_connection_error(
    sdk: Sdk, fault: FaultServer
) -> None:
    fault.always("POST", CHAT, Reply(before=(Reset(),)))

    error = failure(sdk)

    assert type(error) is APIConnectionError
    assert isinstance(error.__cause__, httpx2.TransportError)
    assert error.request is not None
    assert len(fault.requests) == 3


@pytest.mark.parametrize("cut", [Close(), Reset()])
def test_retry_json_body_cut_midway_then_200(
    sdk: Sdk, fault: FaultServer, cut: Close | Reset
) -> None:
    body = json.dumps(payloads.completion()).encode()
    fault.script("POST", CHAT, Reply(200, JSON, (body[:40], cut, body[40:])), OK)

    assert complete(sdk).id == "cmpl-1"
    assert len(fault.requests) == 2


def test_retry_connection_refused(make_sdk: Any, fault: FaultServer) -> None:
    with FaultServer() as gone:
        base_url = gone.base_url
    sdk = make_sdk(base_url=base_url)

    error = failure(sdk)

    assert type(error) is APIConnectionError
    assert sdk.clock.sleeps == [0.5, 1.0]


def test_retry_stream_before_its_body_starts(sdk: Sdk, fault: FaultServer) -> None:
    fault.script(
        "POST",
        CHAT,
        overloaded(429, ("retry-after", "1")),
        Reply(before=(Reset(),)),
        sse_reply(sse_events(payloads.chunk("a"))),
    )

    with sdk.client.chat.stream(model="m", messages=MESSAGES) as stream:
        texts = [c.choices[0].delta.content for c in stream]

    assert texts == ["a"]
    assert sdk.clock.sleeps == [1.0, 1.0]


# ------------------------------------------------------------------ timeouts
def test_timeout_response_slower_than_the_timeout(
    make_sdk: Any, fault: FaultServer
) -> None:
    sdk = make_sdk(timeout=0.2, max_retries=0)
    fault.script("POST", CHAT, Reply(before=(Pause(10),), body=(b"{}",)))

    started = time.monotonic()
    error = failure(sdk)
    elapsed = time.monotonic() - started

    assert type(error) is APITimeoutError
    assert 0.2 <= elapsed < 2.0  # close to the timeout; generous for a busy machine
    assert fault.settle(at_most=0) == 0  # the stalled connection was dropped


def test_timeout_is_retried_like_a_connection_error(
    make_sdk: Any, fault: FaultServer
) -> None:
    sdk = make_sdk(timeout=0.2, max_retries=1)
    fault.script("POST", CHAT, Reply(before=(Pause(10),), body=(b"{}",)), OK)

    assert complete(sdk).id == "cmpl-1"
    assert sdk.clock.sleeps == [0.5]


def test_timeout_per_call_option(sdk: Sdk, fault: FaultServer) -> None:
    fault.script("POST", CHAT, Reply(before=(Pause(10),), body=(b"{}",)))

    started = time.monotonic()
    error = failure(sdk, timeout=0.2, max_retries=0)

    assert type(error) is APITimeoutError
    assert time.monotonic() - started < 2.0


def test_timeout_body_stalled_midway(make_sdk: Any, fault: FaultServer) -> None:
    sdk = make_sdk(timeout=0.2, max_retries=0)
    body = json.dumps(payloads.completion()).encode()
    fault.script("POST", CHAT, Reply(200, JSON, (body[:10], Pause(10), body[10:])))

    started = time.monotonic()
    error = failure(sdk)

    assert type(error) is APITimeoutError
    assert time.monotonic() - started < 2.0


# ------------------------------------------------------------------ error bodies
STATUSES = {
    400: BadRequestError,
    401: AuthenticationError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
}


@pytest.mark.parametrize("shape", sorted(ERROR_BODIES))
@pytest.mark.parametrize("status", sorted(STATUSES))
def test_error_bodies_of_every_shape(
    make_sdk: Any, fault: FaultServer, status: int, shape: str
) -> None:
    sdk = make_sdk(max_retries=0)
    body, message = ERROR_BODIES[shape]
    fault.script("POST", CHAT, json_reply(body, status, (REQUEST_ID,)))

    error = failure(sdk)

    assert type(error) is STATUSES[status]
    assert error.status_code == status
    assert error.message == message
    assert error.body == body
    assert error.request_id == "req-42"
    assert isinstance(error.response, httpx2.Response)
    assert message in str(error)
    assert "req-42" in str(error)


def test_error_422_detail_is_parsed(make_sdk: Any, fault: FaultServer) -> None:
    sdk = make_sdk(max_retries=0)
    body, _ = ERROR_BODIES["detail-list"]
    fault.script("POST", CHAT, json_reply(body, 422))

    error = failure(sdk)

    assert isinstance(error, UnprocessableEntityError)
    assert [d["loc"] for d in error.detail] == [
        ["query", "page"],
        ["body", "messages", 0, "role"],
    ]


def test_error_502_with_an_html_body(make_sdk: Any, fault: FaultServer) -> None:
    sdk = make_sdk(max_retries=0)
    html = (("content-type", "text/html"),)
    fault.script("POST", CHAT, Reply(502, html, (HTML_502.encode(),)))

    error = failure(sdk)

    assert type(error) is InternalServerError
    assert error.message == "502 Bad Gateway"
    assert error.body == HTML_502
    assert error.request_id is None


def test_error_502_html_is_retried_then_succeeds(sdk: Sdk, fault: FaultServer) -> None:
    html = (("content-type", "text/html"),)
    fault.script("POST", CHAT, Reply(502, html, (HTML_502.encode(),)), OK)

    assert complete(sdk).id == "cmpl-1"


def test_error_empty_and_unparseable_bodies(make_sdk: Any, fault: FaultServer) -> None:
    sdk = make_sdk(max_retries=0)
    fault.script(
        "POST",
        CHAT,
        Reply(500, JSON, ()),
        Reply(500, JSON, (b'{"message": "trunc',)),
        Reply(
            500,
            (("content-type", "text/plain"),),
            ("upstream \xe9chou\xe9".encode("latin-1"),),
        ),
    )

    empty, broken, latin = failure(sdk), failure(sdk), failure(sdk)

    assert isinstance(empty, InternalServerError)
    assert empty.message == "Internal Server Error"
    assert isinstance(broken, InternalServerError)
    assert broken.body == '{"message": "trunc'
    assert isinstance(latin, InternalServerError)
    assert latin.message.startswith("upstream")


def test_error_on_a_stream_request(make_sdk: Any, fault: FaultServer) -> None:
    sdk = make_sdk(max_retries=0)
    body, message = ERROR_BODIES["object-error"]
    fault.script("POST", CHAT, json_reply(body, 429, (REQUEST_ID,)))

    with pytest.raises(RateLimitError) as caught:
        sdk.client.chat.stream(model="m", messages=MESSAGES)

    assert caught.value.message == message
    assert caught.value.request_id == "req-42"
    assert fault.settle(at_most=1) <= 1


# ------------------------------------------------------------------ redirects
@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirect_to_another_host_is_not_followed(
    make_sdk: Any, fault: FaultServer, status: int
) -> None:
    with FaultServer() as elsewhere:
        elsewhere.always("POST", CHAT, OK)
        location = elsewhere.base_url.replace("127.0.0.1", "localhost") + CHAT
        fault.script("POST", CHAT, Reply(status, (("location", location),)))
        sdk = make_sdk()

        error = failure(sdk)

        assert type(error) is APIError
        assert error.status_code == status
        assert location in error.message
        assert elsewhere.requests == []
    assert len(fault.requests) == 1
    assert fault.requests[0].headers["authorization"] == f"Bearer {API_KEY}"


def test_redirect_not_followed_with_a_client_that_follows(
    make_sdk: Any, fault: FaultServer
) -> None:
    with FaultServer() as elsewhere:
        elsewhere.always("POST", CHAT, OK)
        fault.script(
            "POST", CHAT, Reply(307, (("location", elsewhere.base_url + CHAT),))
        )
        sdk = make_sdk(max_retries=0)
        http: Any = transport_of(sdk.target).http_client
        http.follow_redirects = True

        error = failure(sdk)

        assert isinstance(error, APIError)
        assert error.status_code == 307
        assert elsewhere.requests == []

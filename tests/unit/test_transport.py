from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from email.utils import formatdate
from typing import Any

import anyio
import httpx2
import pytest
from conftest import Handle, MockApi, json_reply, make_sync
from factories import (
    API_KEY,
    Chunks,
    FakeClock,
    chunk,
    completion,
    event_response,
    sse,
)

import mistral_sdk._transport as transport_module
from mistral_sdk import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    Mistral,
    RateLimitError,
)
from mistral_sdk._async._transport import AsyncTransport
from mistral_sdk._request import user_agent
from mistral_sdk._retries import RetryPolicy
from mistral_sdk._transport import async_sleep

URL = "/v1/chat/completions"
MESSAGES = [{"role": "user", "content": "Hi"}]


def busy(status: int = 503, **headers: str) -> httpx2.Response:
    return json_reply(status, {"message": "busy"}, **headers)


def complete(handle: Handle, **options: object) -> object:
    return handle.client.chat.complete(model="m", messages=MESSAGES, **options)


def test_transport_retries_then_succeeds(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    api.add("POST", URL, busy(), busy(502), json_reply(200, completion()))

    result = complete(both_clients())

    assert result.id == "cmpl-1"  # type: ignore[attr-defined]
    assert len(api.requests) == 3
    assert clock.sleeps == [0.5, 1.0]


def test_transport_gives_up_after_max_retries(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    api.add("POST", URL, busy(), busy(), busy())

    with pytest.raises(InternalServerError, match="busy"):
        complete(both_clients())

    assert len(api.requests) == 3
    assert clock.sleeps == [0.5, 1.0]


def test_transport_jitter_shortens_backoff(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    api.add("POST", URL, busy(), json_reply(200, completion()))

    complete(both_clients(rng=0.999))

    assert clock.sleeps == [pytest.approx(0.5 * (1 - 0.25 * 0.999))]


def test_transport_per_call_max_retries(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    api.add("POST", URL, busy(), busy())

    with pytest.raises(InternalServerError):
        complete(both_clients(), max_retries=1)

    assert len(api.requests) == 2


def test_transport_zero_retries_from_with_options(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    api.add("POST", URL, busy())
    handle = both_clients(max_retries=0)

    with pytest.raises(InternalServerError):
        complete(handle)

    assert len(api.requests) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("status", "cls"), [(408, APIError), (409, ConflictError), (429, RateLimitError)]
)
def test_transport_retries_retryable_4xx(
    both_clients: Callable[..., Handle], api: MockApi, status: int, cls: type[APIError]
) -> None:
    api.add("POST", URL, busy(status), busy(status), busy(status))

    with pytest.raises(cls):
        complete(both_clients())

    assert len(api.requests) == 3


def test_transport_does_not_retry_bad_request(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    api.add("POST", URL, json_reply(400, {"message": "bad"}))

    with pytest.raises(BadRequestError):
        complete(both_clients())

    assert len(api.requests) == 1


def test_transport_honours_retry_after_seconds(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    api.add(
        "POST", URL, busy(429, **{"retry-after": "3"}), json_reply(200, completion())
    )

    complete(both_clients())

    assert clock.sleeps == [3.0]


def test_transport_honours_retry_after_http_date(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    when = formatdate(clock.wall + 12, usegmt=True)
    api.add(
        "POST", URL, busy(429, **{"retry-after": when}), json_reply(200, completion())
    )

    complete(both_clients())

    assert clock.sleeps == [pytest.approx(12.0)]


def test_transport_honours_retry_after_ms(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    api.add(
        "POST",
        URL,
        busy(429, **{"retry-after-ms": "1500"}),
        json_reply(200, completion()),
    )

    complete(both_clients())

    assert clock.sleeps == [1.5]


def test_transport_caps_retry_after(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    api.add(
        "POST",
        URL,
        busy(429, **{"retry-after": "86400"}),
        json_reply(200, completion()),
    )

    complete(both_clients())

    assert clock.sleeps == [60.0]


def test_transport_total_time_is_bounded(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    def slow(request: httpx2.Request) -> httpx2.Response:
        clock.monotonic += 250.0  # each attempt takes a long time to fail
        return busy()

    api.add("POST", URL, *[slow] * 10)

    with pytest.raises(InternalServerError):
        complete(both_clients(max_retries=10))

    assert len(api.requests) == 3
    assert clock.monotonic - 1000.0 < 800


def test_transport_connection_errors_are_retried(
    both_clients: Callable[..., Handle], api: MockApi, clock: FakeClock
) -> None:
    api.add(
        "POST",
        URL,
        httpx2.ConnectError("refused"),
        httpx2.ReadError("reset"),
        json_reply(200, completion()),
    )

    complete(both_clients())

    assert len(api.requests) == 3
    assert clock.sleeps == [0.5, 1.0]


def test_transport_connection_error_after_retries(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, *[httpx2.ConnectError("connection refused")] * 3)

    with pytest.raises(APIConnectionError, match="connection refused") as caught:
        complete(both_clients())

    assert type(caught.value) is APIConnectionError
    assert isinstance(caught.value.__cause__, httpx2.ConnectError)
    assert caught.value.request is not None
    assert len(api.requests) == 3


def test_transport_timeout_maps_to_timeout_error(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, *[httpx2.ReadTimeout("timed out")] * 3)

    with pytest.raises(APITimeoutError):
        complete(both_clients())

    assert len(api.requests) == 3


def test_transport_permanent_failures_are_not_retried(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, httpx2.UnsupportedProtocol("no such scheme"))

    with pytest.raises(APIConnectionError):
        complete(both_clients())

    assert len(api.requests) == 1


def test_transport_never_leaks_httpx_errors(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "POST",
        URL,
        httpx2.RemoteProtocolError("server disconnected"),
        httpx2.PoolTimeout("pool"),
        httpx2.ProxyError("proxy"),
    )

    with pytest.raises(APIConnectionError):
        complete(both_clients())


def test_transport_redirects_are_not_followed(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "POST",
        URL,
        httpx2.Response(307, headers={"location": "https://evil.example/steal"}),
    )

    with pytest.raises(
        APIError, match=r"redirected to https://evil\.example/steal"
    ) as caught:
        complete(both_clients())

    assert caught.value.status_code == 307
    assert [r.url.host for r in api.requests] == ["api.mistral.ai"]


def test_transport_redirects_not_followed_even_if_the_client_would(
    api: MockApi, clock: FakeClock
) -> None:
    api.add(
        "POST",
        URL,
        httpx2.Response(302, headers={"location": "https://other.example/x"}),
    )
    client = make_sync(api, clock)
    client._transport.http_client.follow_redirects = True

    with pytest.raises(APIError):
        client.chat.complete(model="m", messages=[])

    assert len(api.requests) == 1


def test_transport_user_agent_and_timeout_on_every_attempt(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, busy(), json_reply(200, completion()))

    complete(both_clients(), timeout=4.5)

    for request in api.requests:
        assert request.headers["user-agent"] == user_agent()
        assert request.extensions["timeout"]["read"] == 4.5


def test_transport_client_default_headers_still_apply(
    api: MockApi, clock: FakeClock
) -> None:
    api.add("POST", URL, json_reply(200, completion()))
    http = httpx2.Client(
        transport=httpx2.MockTransport(api), headers={"x-proxy-auth": "p"}
    )
    with Mistral(api_key=API_KEY, http_client=http) as client:
        client.chat.complete(model="m", messages=[])

    assert api.last.headers["x-proxy-auth"] == "p"
    assert api.last.headers["user-agent"] == user_agent()
    assert "gzip" in api.last.headers["accept-encoding"]


def test_transport_logs_requests_and_retries(
    both_clients: Callable[..., Handle], api: MockApi, caplog: pytest.LogCaptureFixture
) -> None:
    api.add("POST", URL, busy(), json_reply(200, completion()))

    with caplog.at_level(logging.DEBUG, logger="mistral_sdk"):
        complete(both_clients())

    lines = [r.getMessage() for r in caplog.records if r.name == "mistral_sdk"]
    assert "POST https://api.mistral.ai/v1/chat/completions -> 503" in lines[0]
    assert (
        "retrying POST https://api.mistral.ai/v1/chat/completions in 0.50 s" in lines[1]
    )
    assert "-> 200" in lines[2]


def test_transport_unreadable_error_body_of_a_stream_is_retried(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    broken = httpx2.Response(503, stream=Chunks([b'{"mess'], fail=True))
    api.add("POST", URL, broken, event_response(sse(chunk("x"))))
    handle = both_clients()

    with handle.client.chat.stream(model="m", messages=MESSAGES) as stream:
        assert [c.choices[0].delta.content for c in stream] == ["x"]

    assert len(api.requests) == 2


def test_transport_default_async_sleep_yields_to_the_event_loop() -> None:
    order: list[str] = []

    async def other() -> None:
        order.append("other")

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(other)
            order.append("before")
            await async_sleep(0)
            order.append("after")

    anyio.run(main)

    assert order == ["before", "other", "after"]
    default = inspect.signature(AsyncTransport).parameters["sleep"].default
    assert default is async_sleep


def test_transport_builds_the_retry_policy_once_per_request_and_only_on_failure(
    both_clients: Callable[..., Handle],
    api: MockApi,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[int] = []
    real = RetryPolicy

    def counting(**kwargs: Any) -> Any:
        built.append(1)
        return real(**kwargs)

    monkeypatch.setattr(transport_module, "RetryPolicy", counting)
    api.add("POST", URL, json_reply(200, completion()))
    api.add("POST", URL, busy(), busy(502), json_reply(200, completion()))
    handle = both_clients()

    complete(handle)
    assert built == []
    complete(handle)

    assert built == [1]

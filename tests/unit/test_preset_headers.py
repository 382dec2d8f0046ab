"""The headers the transport sets on the `httpx2` client it creates.

A client the SDK creates carries Authorization, User-Agent and Accept as its
own defaults, so that a call passes only what differs. What a request carries
on the wire must not change: each header once, the call's or the copy's value
where it differs, and a caller's `http_client` left as it was given.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from conftest import MockApi, json_reply
from factories import API_KEY, chunk, completion, event_response, sse

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk._request import user_agent
from mistral_sdk.types import UserMessageParam

URL = "https://api.example.test"
CHAT = "/v1/chat/completions"
MODELS = "/v1/models"
MESSAGES: list[UserMessageParam] = [{"role": "user", "content": "hi"}]

Call = Callable[[Any], Any]


@pytest.fixture
def wire(api: MockApi, monkeypatch: pytest.MonkeyPatch) -> MockApi:
    # The client the SDK creates uses httpx2's own transports: route them to
    # the mock API instead of the network.
    def handle(_: object, request: httpx2.Request) -> httpx2.Response:
        request.read()
        return api(request)

    async def handle_async(_: object, request: httpx2.Request) -> httpx2.Response:
        await request.aread()
        return api(request)

    monkeypatch.setattr(httpx2.HTTPTransport, "handle_request", handle)
    monkeypatch.setattr(httpx2.AsyncHTTPTransport, "handle_async_request", handle_async)
    return api


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Make an SDK-owned client of the flavour and run calls on it."""

    def call(call: Call, **options: Any) -> Any:
        if request.param == "sync":
            with Mistral(api_key=API_KEY, base_url=URL, **options) as client:
                return call(client)

        async def main() -> Any:
            async with AsyncMistral(api_key=API_KEY, base_url=URL, **options) as client:
                result = call(client)
                while asyncio.iscoroutine(result):
                    result = await result
                return result

        return asyncio.run(main())

    return call


def _complete(client: Any) -> Any:
    return client.chat.complete(model="m", messages=MESSAGES)


def test_owned_client_sends_each_sdk_header_once(
    wire: MockApi, run: Callable[..., Any]
) -> None:
    wire.add("POST", CHAT, json_reply(200, completion()))

    run(_complete)

    headers = wire.last.headers
    assert headers.get_list("authorization") == [f"Bearer {API_KEY}"]
    assert headers.get_list("user-agent") == [user_agent()]
    assert headers.get_list("accept") == ["application/json"]
    assert headers.get_list("content-type") == ["application/json"]


def test_a_copy_with_another_key_sends_its_key_and_the_original_keeps_its_own(
    wire: MockApi, run: Callable[..., Any]
) -> None:
    wire.add(
        "GET", MODELS, json_reply(200, {"data": []}), json_reply(200, {"data": []})
    )

    def both(client: Any) -> Any:
        other = client.with_options(api_key="sk-other")
        if isinstance(client, AsyncMistral):

            async def in_order() -> None:
                await other.models.list()
                await client.models.list()

            return in_order()
        other.models.list()
        return client.models.list()

    run(both)

    sent = [request.headers.get_list("authorization") for request in wire.requests]
    assert sent == [["Bearer sk-other"], [f"Bearer {API_KEY}"]]


def test_a_copy_without_the_default_headers_sends_none_of_them(
    wire: MockApi, run: Callable[..., Any]
) -> None:
    # A call can override a client default but not remove it: default_headers
    # must stay per request, or the copy would still send X-Team.
    wire.add(
        "GET", MODELS, json_reply(200, {"data": []}), json_reply(200, {"data": []})
    )

    def both(client: Any) -> Any:
        other = client.with_options(default_headers={})
        if isinstance(client, AsyncMistral):

            async def in_order() -> None:
                await client.models.list()
                await other.models.list()

            return in_order()
        client.models.list()
        return other.models.list()

    run(both, default_headers={"X-Team": "search"})

    assert [r.headers.get("x-team") for r in wire.requests] == ["search", None]


def test_a_call_overrides_accept_with_one_header(
    wire: MockApi, run: Callable[..., Any]
) -> None:
    wire.add("POST", CHAT, json_reply(200, completion()))

    run(
        lambda client: client.chat.complete(
            model="m", messages=MESSAGES, extra_headers={"accept": "text/plain"}
        )
    )

    assert wire.last.headers.get_list("accept") == ["text/plain"]


def test_a_stream_sends_one_accept_header_for_events(
    wire: MockApi, run: Callable[..., Any]
) -> None:
    wire.add("POST", CHAT, event_response(sse(chunk("Hi"))))

    def stream(client: Any) -> Any:
        if isinstance(client, AsyncMistral):

            async def read() -> list[Any]:
                async with client.chat.stream(model="m", messages=MESSAGES) as events:
                    return [event async for event in events]

            return read()
        with client.chat.stream(model="m", messages=MESSAGES) as events:
            return list(events)

    assert len(run(stream)) == 1
    assert wire.last.headers.get_list("accept") == ["text/event-stream"]
    assert wire.last.headers.get_list("authorization") == [f"Bearer {API_KEY}"]


def test_owned_client_headers_do_not_show_the_key(run: Callable[..., Any]) -> None:
    shown = run(lambda client: repr(client._transport.http_client.headers))

    assert "authorization" in shown
    assert API_KEY not in shown


def test_a_callers_http_client_is_left_as_given(api: MockApi) -> None:
    api.add("POST", CHAT, json_reply(200, completion()))
    http = httpx2.Client(transport=httpx2.MockTransport(api))
    before = list(http.headers.multi_items())

    with Mistral(api_key=API_KEY, http_client=http) as client:
        _complete(client)

    assert list(http.headers.multi_items()) == before
    assert api.last.headers.get_list("authorization") == [f"Bearer {API_KEY}"]
    assert api.last.headers.get_list("accept") == ["application/json"]
    http.close()

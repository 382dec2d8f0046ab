from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

import anyio
import httpx2
import pytest
from conftest import Handle, MockApi, json_reply
from factories import API_KEY, completion

from mistral_sdk import AsyncMistral, ConfigurationError, Mistral
from mistral_sdk._resource import AsyncResource, SyncResource
from mistral_sdk.resources.chat import AsyncChat, Chat

NAMESPACES = {
    "models": ("models", "Models"),
    "chat": ("chat", "Chat"),
    "fim": ("fim", "Fim"),
    "agents": ("agents", "Agents"),
    "embeddings": ("embeddings", "Embeddings"),
    "classifiers": ("classifiers", "Classifiers"),
    "ocr": ("ocr", "Ocr"),
    "files": ("files", "Files"),
    "fine_tuning": ("fine_tuning", "FineTuning"),
    "batch": ("batch", "Batch"),
    "audio": ("audio", "Audio"),
    "beta": ("beta", "Beta"),
}


def test_client_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", "env-key")
    monkeypatch.setenv("MISTRAL_BASE_URL", "http://localhost:4010")

    with Mistral() as client:
        assert client.base_url == "http://localhost:4010"


def test_client_missing_key_fails_at_construction() -> None:
    with pytest.raises(ConfigurationError, match="MISTRAL_API_KEY"):
        Mistral()
    with pytest.raises(ConfigurationError, match="api_key="):
        AsyncMistral()


def test_client_options_are_exposed() -> None:
    with Mistral(api_key="k", timeout=5, max_retries=4) as client:
        assert client.timeout == httpx2.Timeout(5.0)
        assert client.max_retries == 4
        assert client.base_url == "https://api.mistral.ai"


def test_client_rejects_the_wrong_http_client() -> None:
    with pytest.raises(TypeError, match=r"httpx2\.Client"):
        Mistral(api_key="k", http_client=httpx2.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"httpx2\.AsyncClient"):
        AsyncMistral(api_key="k", http_client=httpx2.Client())  # type: ignore[arg-type]


def test_client_closes_only_its_own_pool() -> None:
    given = httpx2.Client()
    with Mistral(api_key="k", http_client=given):
        pass
    own = Mistral(api_key="k")
    own.close()

    assert not given.is_closed
    assert own._transport.http_client.is_closed
    given.close()


def test_async_client_closes_only_its_own_pool() -> None:
    async def run() -> tuple[bool, bool]:
        given = httpx2.AsyncClient()
        async with AsyncMistral(api_key="k", http_client=given):
            pass
        own = AsyncMistral(api_key="k")
        async with own:
            pass
        result = given.is_closed, own._transport.http_client.is_closed
        await given.aclose()
        return result

    assert anyio.run(run) == (False, True)


def test_with_options_is_a_cheap_copy_sharing_the_pool(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", "/v1/chat/completions", json_reply(500, {"message": "x"}))
    handle = both_clients()
    client = getattr(handle.client, "target", handle.client)

    fast = client.with_options(timeout=5, max_retries=0, default_headers={"x-a": "b"})

    assert type(fast) is type(client)
    assert fast._transport.http_client is client._transport.http_client
    assert fast.timeout == httpx2.Timeout(5.0)
    assert fast.max_retries == 0
    assert client.max_retries == 2
    assert fast._transport._sleep is client._transport._sleep


def test_with_options_copy_does_not_close_the_pool() -> None:
    client = Mistral(api_key="k")

    client.with_options(max_retries=1).close()

    assert not client._transport.http_client.is_closed
    client.close()


def test_with_options_validates() -> None:
    with Mistral(api_key="k") as client, pytest.raises(ConfigurationError):
        client.with_options(max_retries=-1)


def test_client_repr_hides_the_key() -> None:
    with Mistral(api_key=API_KEY) as client:
        text = repr(client)

    assert API_KEY not in text
    assert text == "Mistral(base_url='https://api.mistral.ai', api_key='**********')"


@pytest.fixture
def fake_resources(monkeypatch: pytest.MonkeyPatch) -> None:
    package = types.ModuleType("mistral_sdk.resources")
    package.__path__ = []
    monkeypatch.setitem(sys.modules, "mistral_sdk.resources", package)
    for module, cls in NAMESPACES.values():
        fake = types.ModuleType(f"mistral_sdk.resources.{module}")
        fake.__dict__[cls] = type(cls, (SyncResource,), {})
        fake.__dict__["Async" + cls] = type("Async" + cls, (AsyncResource,), {})
        monkeypatch.setitem(sys.modules, f"mistral_sdk.resources.{module}", fake)


@pytest.mark.usefixtures("fake_resources")
@pytest.mark.parametrize("namespace", sorted(NAMESPACES))
def test_client_namespaces_import_their_module_lazily(namespace: str) -> None:
    _, cls = NAMESPACES[namespace]
    sync, async_ = Mistral(api_key="k"), AsyncMistral(api_key="k")

    resource = getattr(sync, namespace)
    async_resource = getattr(async_, namespace)

    assert type(resource).__name__ == cls
    assert type(async_resource).__name__ == "Async" + cls
    assert resource._transport is sync._transport
    assert async_resource._transport is async_._transport
    assert getattr(sync, namespace) is resource
    sync.close()


def test_client_generated_resource_end_to_end(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", "/v1/chat/completions", json_reply(200, completion("ok")))
    handle = both_clients()

    assert (
        handle.client.chat.complete(model="m", messages=[]).choices[0].message.content
        == "ok"
    )
    chat = getattr(handle.client.chat, "target", handle.client.chat)
    assert isinstance(chat, AsyncChat if handle.flavour == "async" else Chat)


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_client_keeps_the_http_client_timeout_without_timeout_argument(
    flavour: str,
) -> None:
    # Defect 6: the SDK default silently replaced the caller's client timeout.
    seen: list[object] = []

    def reply(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.extensions["timeout"])
        return httpx2.Response(200, json=completion())

    transport = httpx2.MockTransport(reply)
    body: dict[str, Any] = {"model": "m", "messages": []}
    if flavour == "sync":
        client = Mistral(
            api_key=API_KEY, http_client=httpx2.Client(transport=transport, timeout=7)
        )
        client.chat.complete(**body)
    else:
        aclient = AsyncMistral(
            api_key=API_KEY,
            http_client=httpx2.AsyncClient(transport=transport, timeout=7),
        )
        client_timeout = aclient.timeout
        anyio.run(lambda: aclient.chat.complete(**body))
        assert client_timeout == httpx2.Timeout(7.0)

    assert seen == [httpx2.Timeout(7.0).as_dict()]


def test_client_timeout_argument_wins_over_the_http_client_timeout() -> None:
    http = httpx2.Client(timeout=7)

    client = Mistral(api_key=API_KEY, http_client=http, timeout=3)

    assert client.timeout == httpx2.Timeout(3.0)


def test_client_default_timeout_without_http_client() -> None:
    assert Mistral(api_key=API_KEY).timeout == httpx2.Timeout(120.0)

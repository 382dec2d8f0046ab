"""Shared fixtures: a mock API, fake clocks, and clients of both flavours.

`both_clients` runs a behavioural test once against `Mistral` and once against
`AsyncMistral`, the latter driven from the test's synchronous code through an
anyio blocking portal; a fix made to one twin only shows up as a failing test.
"""

from __future__ import annotations

import gc
import inspect
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import anyio.from_thread
import httpx2
import pytest
from factories import API_KEY, FakeClock, install_clock
from hypothesis import settings

from mistral_sdk import (
    AsyncAPIResponse,
    AsyncBinaryResponse,
    AsyncMistral,
    AsyncPage,
    AsyncResponseContextManager,
    AsyncStream,
    Mistral,
)
from mistral_sdk._resource import AsyncResource, StreamingResponseWrapper

# Hypothesis keeps its files in `.hypothesis/` under the working directory, which
# pytest's `norecursedirs` setting then warns about (and warnings are errors
# here); keep them out of the tree, and keep no example database.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY",
    os.path.join(tempfile.gettempdir(), "mistral-sdk-hypothesis"),
)
settings.register_profile("sdk", database=None, deadline=None)
settings.load_profile("sdk")

Reply = httpx2.Response | Exception | Callable[[httpx2.Request], httpx2.Response]


class MockApi:
    """A tiny router for `httpx2.MockTransport`: replies are served in order."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Reply]] = {}
        self.requests: list[httpx2.Request] = []

    def add(self, method: str, path: str, *replies: Reply) -> None:
        self.routes.setdefault((method, path), []).extend(replies)

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        queue = self.routes.get((request.method, request.url.path))
        if not queue:
            raise AssertionError(f"unexpected {request.method} {request.url}")
        reply = queue.pop(0)
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx2.Response):
            return reply
        return reply(request)

    @property
    def last(self) -> httpx2.Request:
        return self.requests[-1]


def json_reply(
    status: int = 200, body: object = None, **headers: str
) -> httpx2.Response:
    return httpx2.Response(status, json=body, headers=headers)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api() -> MockApi:
    return MockApi()


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's real key or endpoint must never leak into a test.
    monkeypatch.delenv("MISTRAL_API_KEY", raising=False)
    monkeypatch.delenv("MISTRAL_BASE_URL", raising=False)


def make_sync(
    api: MockApi, clock: FakeClock, rng: float = 0.0, **kwargs: Any
) -> Mistral:
    http = httpx2.Client(transport=httpx2.MockTransport(api))
    client = Mistral(api_key=API_KEY, http_client=http, **kwargs)
    install_clock(client, clock, rng)
    return client


def make_async(
    api: MockApi, clock: FakeClock, rng: float = 0.0, **kwargs: Any
) -> AsyncMistral:
    http = httpx2.AsyncClient(transport=httpx2.MockTransport(api))
    client = AsyncMistral(api_key=API_KEY, http_client=http, **kwargs)
    install_clock(client, clock, rng)
    return client


# ------------------------------------------------------------------ both clients
_ASYNC_TYPES = (
    AsyncMistral,
    AsyncResource,
    AsyncStream,
    AsyncPage,
    AsyncBinaryResponse,
    AsyncAPIResponse,
    AsyncResponseContextManager,
    StreamingResponseWrapper,
)


async def _settle(function: Callable[..., Any], args: Any, kwargs: Any) -> Any:
    result = function(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


def _wrap(value: Any, portal: anyio.from_thread.BlockingPortal) -> Any:
    if isinstance(value, _ASYNC_TYPES) or inspect.isasyncgen(value):
        return Blocking(value, portal)
    return value


class Blocking:
    """A synchronous view of an async object: calls, iteration, `with`."""

    def __init__(self, target: Any, portal: anyio.from_thread.BlockingPortal) -> None:
        self._target = target
        self._portal = portal

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if callable(value) and not isinstance(value, type | Blocking):
            portal = self._portal

            def call(*args: Any, **kwargs: Any) -> Any:
                return _wrap(portal.call(_settle, value, args, kwargs), portal)

            return call
        return _wrap(value, self._portal)

    def __iter__(self) -> Iterator[Any]:
        iterator = self._target.__aiter__()
        while True:
            try:
                no_kwargs: dict[str, Any] = {}
                item = self._portal.call(_settle, iterator.__anext__, (), no_kwargs)
            except StopAsyncIteration:
                return
            yield _wrap(item, self._portal)

    def __enter__(self) -> Any:
        entered = self._portal.call(self._target.__aenter__)
        return self if entered is self._target else _wrap(entered, self._portal)

    def __exit__(self, *exc_info: object) -> None:
        self._portal.call(self._target.__aexit__, *exc_info)

    @property
    def target(self) -> Any:
        return self._target


@dataclass
class Handle:
    """A client under test: a `Mistral`, or an `AsyncMistral` behind `Blocking`.

    Tests reach the generated resources through it (`handle.client.chat`), so
    the core is exercised by the same code users call.
    """

    flavour: str
    client: Any

    def collect_garbage(self) -> None:
        """Free what the test dropped; async, let the loop run the finalizers it got."""
        gc.collect()
        if self.flavour == "async":
            # The async-generator finalizer schedules each close as a task.
            for _ in range(3):
                self.client._portal.call(anyio.sleep, 0)


@pytest.fixture(params=["sync", "async"])
def both_clients(
    request: pytest.FixtureRequest, api: MockApi, clock: FakeClock
) -> Iterator[Callable[..., Handle]]:
    made: list[Any] = []
    if request.param == "sync":

        def make(rng: float = 0.0, **kwargs: Any) -> Handle:
            client = make_sync(api, clock, rng, **kwargs)
            made.append(client)
            return Handle("sync", client)

        yield make
        for client in made:
            client._transport.http_client.close()
        return

    with anyio.from_thread.start_blocking_portal() as portal:

        def make_a(rng: float = 0.0, **kwargs: Any) -> Handle:
            client = make_async(api, clock, rng, **kwargs)
            made.append(client)
            return Handle("async", Blocking(client, portal))

        yield make_a
        for client in made:
            portal.call(client._transport.http_client.aclose)

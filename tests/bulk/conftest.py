"""Fixtures: an emulator, and a client of each flavour on it.

`sdk` runs a test once with `Mistral` and once with `AsyncMistral`, the latter
seen through `Blocking`, a synchronous view that runs each call on an event
loop in another thread; a fix made to one twin only shows up as a failure.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import anyio.from_thread
import pytest

from mistral_sdk import Mistral
from mistral_sdk.testing import Emulator


async def _settle(function: Any, args: Any, kwargs: Any) -> Any:
    result = function(*args, **kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result


def _wrap(value: Any, portal: anyio.from_thread.BlockingPortal) -> Any:
    if inspect.isasyncgen(value) or type(value).__name__.startswith("Async"):
        return Blocking(value, portal)
    return value


class Blocking:
    """A synchronous view of an async object: calls, attributes, iteration."""

    def __init__(self, target: Any, portal: anyio.from_thread.BlockingPortal) -> None:
        self._target = target
        self._portal = portal

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if callable(value) and not isinstance(value, type):
            portal = self._portal

            def call(*args: Any, **kwargs: Any) -> Any:
                return _wrap(portal.call(_settle, value, args, kwargs), portal)

            return call
        return _wrap(value, self._portal)

    @property
    def target(self) -> Any:
        return self._target

    def close(self) -> None:
        self._portal.call(self._target.aclose)

    def __iter__(self) -> Iterator[Any]:
        iterator = self._target.__aiter__()
        while True:
            try:
                item = self._portal.call(_settle, iterator.__anext__, (), {})
            except StopAsyncIteration:
                return
            yield _wrap(item, self._portal)


@pytest.fixture
def emulator() -> Emulator:
    return Emulator()


@pytest.fixture
def client(emulator: Emulator) -> Iterator[Mistral]:
    with emulator.client(strict=True) as sdk:
        yield sdk


@pytest.fixture(params=["sync", "async"])
def sdk(request: pytest.FixtureRequest, emulator: Emulator) -> Iterator[Any]:
    """A `Mistral`, or an `AsyncMistral` behind a `Blocking` view."""
    if request.param == "sync":
        with emulator.client(strict=True) as client:
            yield client
        return
    with anyio.from_thread.start_blocking_portal() as portal:
        async_client = emulator.async_client(strict=True)
        yield Blocking(async_client, portal)
        portal.call(async_client.close)

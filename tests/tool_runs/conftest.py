"""Tool runs on both clients: one harness drives `Mistral` and `AsyncMistral` alike.

`Runner.chat(...)` and `Runner.converse(...)` return finished runs; the async
flavour awaits the run through an anyio blocking portal, so every test body stays
synchronous and runs once per client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import anyio.from_thread
import httpx2
import pytest

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.testing import Emulator

MODEL = "mistral-small-latest"


@dataclass
class Runner:
    """A client of one flavour and the way to run its tool loops to the end."""

    flavour: str
    client: Mistral | AsyncMistral
    portal: anyio.from_thread.BlockingPortal | None

    def chat(self, **kwargs: Any) -> Any:
        """Run `client.chat.run_tools(...)` to its end; return the run."""
        kwargs.setdefault("model", MODEL)
        if isinstance(self.client, Mistral):
            run = self.client.chat.run_tools(**kwargs)
            run.until_done()
            return run
        return self._await(self.client.chat.run_tools(**kwargs))

    def converse(self, **kwargs: Any) -> Any:
        """Run `client.beta.conversations.run(...)` to its end; return the run."""
        if not {"agent_id", "conversation_id"} & set(kwargs):
            kwargs.setdefault("model", MODEL)
        if isinstance(self.client, Mistral):
            run = self.client.beta.conversations.run(**kwargs)
            run.until_done()
            return run
        return self._await(self.client.beta.conversations.run(**kwargs))

    def chat_steps(self, **kwargs: Any) -> Iterator[Any]:
        """Iterate `client.chat.run_tools(...)` step by step."""
        kwargs.setdefault("model", MODEL)
        if isinstance(self.client, Mistral):
            yield from self.client.chat.run_tools(**kwargs)
            return
        assert self.portal is not None
        iterator = self.client.chat.run_tools(**kwargs).__aiter__()
        while True:
            try:
                yield self.portal.call(_next, iterator)
            except StopAsyncIteration:
                return

    def chat_texts(self, **kwargs: Any) -> list[str]:
        """Run `client.chat.run_tools(...)` through its `text_stream`."""
        kwargs.setdefault("model", MODEL)
        if isinstance(self.client, Mistral):
            return list(self.client.chat.run_tools(**kwargs).text_stream)
        assert self.portal is not None
        return self.portal.call(_texts, self.client.chat.run_tools(**kwargs))

    def converse_texts(self, **kwargs: Any) -> list[str]:
        """Run `client.beta.conversations.run(...)` through its `text_stream`."""
        kwargs.setdefault("model", MODEL)
        if isinstance(self.client, Mistral):
            return list(self.client.beta.conversations.run(**kwargs).text_stream)
        assert self.portal is not None
        run = self.client.beta.conversations.run(**kwargs)
        return self.portal.call(_texts, run)

    def _await(self, run: Any) -> Any:
        assert self.portal is not None
        return self.portal.call(_finish, run)


async def _finish(run: Any) -> Any:
    return await run


async def _texts(run: Any) -> list[str]:
    return [text async for text in run.text_stream]


async def _next(iterator: Any) -> Any:
    return await iterator.__anext__()


@pytest.fixture
def emulator() -> Emulator:
    return Emulator()


@pytest.fixture(params=["sync", "async"])
def make_runner(
    request: pytest.FixtureRequest,
) -> Iterator[Callable[[Emulator | httpx2.MockTransport], Runner]]:
    """Build a `Runner` on an emulator or on a scripted fake transport."""
    if request.param == "sync":
        sync_clients: list[Mistral] = []

        def make(backend: Emulator | httpx2.MockTransport) -> Runner:
            if isinstance(backend, Emulator):
                client = backend.client()
            else:
                http = httpx2.Client(transport=backend)
                client = Mistral(api_key="test-key", http_client=http, max_retries=0)
            sync_clients.append(client)
            return Runner("sync", client, None)

        yield make
        for client in sync_clients:
            client.close()
        return

    with anyio.from_thread.start_blocking_portal() as portal:
        async_clients: list[AsyncMistral] = []

        def make_async(backend: Emulator | httpx2.MockTransport) -> Runner:
            if isinstance(backend, Emulator):
                client = backend.async_client()
            else:
                http = httpx2.AsyncClient(transport=backend)
                client = AsyncMistral(
                    api_key="test-key", http_client=http, max_retries=0
                )
            async_clients.append(client)
            return Runner("async", client, portal)

        yield make_async
        for async_client in async_clients:
            portal.call(async_client.close)


@pytest.fixture
def runner(
    make_runner: Callable[[Emulator | httpx2.MockTransport], Runner],
    emulator: Emulator,
) -> Runner:
    """A runner of each flavour on a fresh emulator."""
    return make_runner(emulator)

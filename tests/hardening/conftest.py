"""Fixtures of the hardening suite: the fault server and real clients aimed at it.

`sdk` runs a scenario once with `Mistral` and once with `AsyncMistral`, the latter
behind the blocking facade of `tests/conftest.py`, so both go through real sockets
to the same scripted server. Retry waits go to a fake `FakeClock` installed on the
transport: no scenario sleeps through a backoff. Timeouts are real and short: 5 s
unless a scenario sets less, so that a bug shows as a failure, never as a hang.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import anyio.from_thread
import pytest

# pyright resolves `conftest` to this very file; pytest and mypy to tests/conftest.py.
from conftest import Blocking  # pyright: ignore[reportAttributeAccessIssue]
from factories import API_KEY, FakeClock, install_clock
from hypothesis import settings

from hardening.faultserver import FaultServer
from hardening.support import Sdk
from mistral_sdk import AsyncMistral, Mistral

# `pytest tests/hardening --hypothesis-profile=hardening-deep` fuzzes longer.
settings.register_profile(
    "hardening-deep", parent=settings.get_profile("sdk"), max_examples=2000
)


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    """One fault server per test module, stopped at its end."""
    with FaultServer() as running:
        yield running


@pytest.fixture
def fault(server: FaultServer) -> Iterator[FaultServer]:
    """The module's fault server, with empty scripts and log."""
    server.reset()
    yield server
    assert not server.problems, server.problems


@pytest.fixture(params=["sync", "async"])
def make_sdk(
    request: pytest.FixtureRequest, fault: FaultServer
) -> Iterator[Callable[..., Sdk]]:
    """Build clients of one flavour against the fault server; closed at teardown."""
    made: list[Sdk] = []
    flavour: str = request.param
    with anyio.from_thread.start_blocking_portal() as portal:

        def make(**kwargs: Any) -> Sdk:
            kwargs.setdefault("base_url", fault.base_url)
            kwargs.setdefault("api_key", API_KEY)
            kwargs.setdefault("timeout", 5.0)
            clock = FakeClock()
            client: Mistral | AsyncMistral
            if flavour == "sync":
                client = Mistral(**kwargs)
                facade: Any = client
            else:
                client = AsyncMistral(**kwargs)
                facade = Blocking(client, portal)  # pyright: ignore[reportCallIssue, reportUnknownVariableType]
            install_clock(client, clock)
            sdk = Sdk(flavour, facade, client, clock, portal)
            made.append(sdk)
            return sdk

        yield make
        for sdk in made:
            if isinstance(sdk.target, AsyncMistral):
                portal.call(sdk.target.close)
            else:
                sdk.target.close()


@pytest.fixture
def sdk(make_sdk: Callable[..., Sdk]) -> Sdk:
    """A client of each flavour with the default options."""
    return make_sdk()

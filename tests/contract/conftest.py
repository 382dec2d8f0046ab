"""Fixtures of the contract tests: Prism, the recording transport, both clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import httpx2
import pytest

from . import _prism, _spec
from ._recorder import AsyncRecordingTransport, Recorder, RecordingTransport

if TYPE_CHECKING:
    from mistral_sdk import AsyncMistral, Mistral

API_KEY = "test-key"

# Prism speaks plain HTTP on loopback: the transports load no CA bundle (that alone
# costs ~75 ms per test) and the clients ignore proxy settings from the environment.


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run Prism on a derived copy of the spec for the whole session."""
    workdir = tmp_path_factory.mktemp("prism")
    spec = _spec.write_prism_spec(workdir / "openapi.json")
    try:
        with _prism.running_prism(spec, workdir / "prism.log") as url:
            yield url
    except _prism.PrismNotInstalledError as error:
        # Fail, not skip: a contract suite that did not run has not passed.
        pytest.fail(str(error), pytrace=False)


@pytest.fixture
def recorder() -> Recorder:
    """The exchanges of one test."""
    return Recorder()


@pytest.fixture
def raw_client(prism_url: str, recorder: Recorder) -> Iterator[httpx2.Client]:
    """A bare httpx2 client on Prism, through the recording transport."""
    transport = RecordingTransport(recorder, httpx2.HTTPTransport(verify=False))
    with httpx2.Client(
        base_url=prism_url,
        transport=transport,
        headers={"Authorization": f"Bearer {API_KEY}"},
        trust_env=False,
    ) as client:
        yield client


@pytest.fixture
def client(prism_url: str, recorder: Recorder) -> Iterator[Mistral]:
    """The sync SDK client on Prism, without retries."""
    from mistral_sdk import Mistral

    transport = RecordingTransport(recorder, httpx2.HTTPTransport(verify=False))
    http = httpx2.Client(transport=transport, trust_env=False)
    with (
        http,
        Mistral(
            api_key=API_KEY, base_url=prism_url, http_client=http, max_retries=0
        ) as sdk,
    ):
        yield sdk


@pytest.fixture
async def async_client(
    prism_url: str, recorder: Recorder
) -> AsyncIterator[AsyncMistral]:
    """The async SDK client on Prism, without retries."""
    from mistral_sdk import AsyncMistral

    transport = AsyncRecordingTransport(
        recorder, httpx2.AsyncHTTPTransport(verify=False)
    )
    http = httpx2.AsyncClient(transport=transport, trust_env=False)
    async with (
        http,
        AsyncMistral(
            api_key=API_KEY, base_url=prism_url, http_client=http, max_retries=0
        ) as sdk,
    ):
        yield sdk

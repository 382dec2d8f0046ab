"""`client.batch.run` streams each shard's JSONL into its upload, on both clients.

A transport in front of the emulator reads every upload's body the way a
network transport does, chunk by chunk, and notes for each chunk how many
requests the run had taken from its input by then. A body built whole before
it is sent (one bytes object, a `Content-Length`, every request taken before
the first chunk) fails these tests; so does an upload that is not the whole
input (the results are checked).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx2

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.testing import BASE_URL, DEFAULT_API_KEY, Emulator

MODEL = "mistral-small-latest"
COUNT = 2000
PER_JOB = 1000
# About 280 bytes a line: each shard is several of httpx2's 64 KiB reads.
FILLER = "x" * 200


class Requests:
    """The run's input: a generator that counts the requests taken from it."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.taken = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for i in range(self.count):
            self.taken += 1
            yield {"messages": [{"role": "user", "content": f"q{i} {FILLER}"}]}


@dataclass
class Upload:
    """One upload as the transport received it."""

    headers: httpx2.Headers
    chunks: list[int] = field(default_factory=list[int])
    taken: list[int] = field(default_factory=list[int])


def is_upload(request: httpx2.Request) -> bool:
    return (request.method, request.url.path) == ("POST", "/v1/files")


class Recording(httpx2.BaseTransport):
    """Reads each upload chunk by chunk, then hands the request to the emulator."""

    def __init__(self, emulator: Emulator, requests: Requests) -> None:
        self.inner = emulator.transport()
        self.requests = requests
        self.uploads: list[Upload] = []

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if is_upload(request):
            upload = Upload(request.headers)
            self.uploads.append(upload)
            assert isinstance(request.stream, httpx2.SyncByteStream)
            body = bytearray()
            for chunk in request.stream:
                upload.chunks.append(len(chunk))
                upload.taken.append(self.requests.taken)
                body += chunk
            request.stream = httpx2.ByteStream(bytes(body))
        return self.inner.handle_request(request)


class AsyncRecording(httpx2.AsyncBaseTransport):
    """`Recording` for an async client."""

    def __init__(self, emulator: Emulator, requests: Requests) -> None:
        self.inner = emulator.async_transport()
        self.requests = requests
        self.uploads: list[Upload] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if is_upload(request):
            upload = Upload(request.headers)
            self.uploads.append(upload)
            assert isinstance(request.stream, httpx2.AsyncByteStream)
            body = bytearray()
            async for chunk in request.stream:
                upload.chunks.append(len(chunk))
                upload.taken.append(self.requests.taken)
                body += chunk
            request.stream = httpx2.ByteStream(bytes(body))
        return await self.inner.handle_async_request(request)


def check_streamed(uploads: list[Upload], requests: Requests) -> None:
    assert len(uploads) == COUNT // PER_JOB
    for shard, upload in enumerate(uploads):
        # Sent as it is produced: no length known in advance.
        assert "content-length" not in upload.headers
        assert upload.headers["transfer-encoding"] == "chunked"
        assert len(upload.chunks) > 4
        assert max(upload.chunks) < sum(upload.chunks) / 4
        # The shard's requests were read while the body went out, not before.
        assert upload.taken[0] <= shard * PER_JOB + 1
        assert upload.taken[-1] >= (shard + 1) * PER_JOB
        assert upload.taken == sorted(upload.taken)
    assert requests.taken == COUNT


def test_sync_run_streams_each_upload() -> None:
    emulator, requests = Emulator(), Requests(COUNT)
    transport = Recording(emulator, requests)
    http = httpx2.Client(transport=transport)
    with Mistral(
        api_key=DEFAULT_API_KEY, base_url=BASE_URL, http_client=http, max_retries=0
    ) as client:
        run = client.batch.run(
            requests, model=MODEL, poll_interval=0, max_requests_per_job=PER_JOB
        )
        ids = [result.custom_id for result in run.results(order="input")]

    check_streamed(transport.uploads, requests)
    assert ids == [f"request-{i}" for i in range(COUNT)]


def test_async_run_streams_each_upload() -> None:
    emulator, requests = Emulator(), Requests(COUNT)
    transport = AsyncRecording(emulator, requests)

    async def go() -> list[str]:
        http = httpx2.AsyncClient(transport=transport)
        async with AsyncMistral(
            api_key=DEFAULT_API_KEY, base_url=BASE_URL, http_client=http, max_retries=0
        ) as client:
            run = await client.batch.run(
                requests, model=MODEL, poll_interval=0, max_requests_per_job=PER_JOB
            )
            return [result.custom_id async for result in run.results(order="input")]

    ids = asyncio.run(go())

    check_streamed(transport.uploads, requests)
    assert ids == [f"request-{i}" for i in range(COUNT)]

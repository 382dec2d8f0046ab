"""Client-side cost only: `python -m benchmarks micro`.

The same calls as the benchmark, the floor against mistral-sdk, but through an
`httpx2.MockTransport` that hands back the precomputed responses: no socket,
no connection pool, no h11, no server. What is left is the Python each client
runs per call, which is where the two differ; on this noisy machine it is also
far steadier than the end-to-end figures, so use it to check a change to the
SDK in seconds (then confirm with `make bench`). Streams arrive one event per
chunk, as h11 hands them over from the network. `complete_many x64` is the
async helper over 500 requests, 64 at a time, against the floor's 64 workers
keeping every parsed answer (`complete_many_async` of each adapter).

Reported: the minimum and the median over the repeats, per operation, and
the SDK's extra over the floor in microseconds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx2

from benchmarks.bodies import build_responses, chat_stream_events
from benchmarks.clients import floor_httpx2 as floor
from benchmarks.clients import mistral_sdk_client as sdk
from benchmarks.clients._request import API_KEY

URL = "http://bench.invalid"


def _split(raw: bytes) -> tuple[list[tuple[str, str]], bytes]:
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode("ascii").split("\r\n")[1:]
    headers = [(k, v) for k, _, v in (line.partition(": ") for line in lines)]
    return [
        h for h in headers if h[0] not in ("content-length", "transfer-encoding")
    ], body


def _transport() -> httpx2.MockTransport:
    responses = build_responses()
    parsed = {name: _split(raw) for name, raw in responses.items()}
    events = chat_stream_events()
    stream_headers = parsed["stream"][0]

    def handler(request: httpx2.Request) -> httpx2.Response:
        path = request.url.path
        if path == "/v1/models":
            headers, body = parsed["models"]
        elif path == "/v1/embeddings":
            headers, body = parsed["embeddings"]
        elif b'"stream":true' in request.content.replace(b" ", b""):
            return httpx2.Response(200, headers=stream_headers, content=iter(events))
        else:
            headers, body = parsed["chat"]
        return httpx2.Response(200, headers=headers, content=body)

    return httpx2.MockTransport(handler)


def _measure(
    func: Callable[[], object], count: int, per: int, repeats: int
) -> list[float]:
    func()
    samples = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(count):
            func()
        samples.append((time.process_time() - start) / count / per)
    return samples


# Calls per sample of the 64-concurrent row: every sample is one helper call
# (or one run of the floor's workers) over that many requests.
_MANY = 500


def _clients(transport: httpx2.MockTransport, floor_class: Any, sdk_class: Any) -> Any:
    # The floor's client, and the client the SDK creates, as users get it (it
    # presets its headers on its own httpx2 client), with the mock transport in
    # place of the network.
    base = floor_class(
        base_url=URL,
        headers={"authorization": f"Bearer {API_KEY}"},
        transport=transport,
    )
    ours = sdk_class(api_key=API_KEY, base_url=URL)
    ours._transport.http_client._transport = transport
    return base, ours


def _many_case(
    transport: httpx2.MockTransport,
) -> tuple[Callable[[], object], Callable[[], object], Callable[[], None]]:
    # `complete_many` against the floor's workers keeping every answer, both on
    # one event loop of their own; with the mock transport no call ever waits,
    # so this is the client-side cost of 64 workers, not their overlap.
    import asyncio

    from mistral_sdk import AsyncMistral

    loop = asyncio.new_event_loop()
    base, ours = _clients(transport, httpx2.AsyncClient, AsyncMistral)

    def floor_many() -> object:
        return loop.run_until_complete(floor.complete_many_async(base, _MANY, 64))

    def sdk_many() -> object:
        return loop.run_until_complete(sdk.complete_many_async(ours, _MANY, 64))

    def close() -> None:
        loop.run_until_complete(base.aclose())
        loop.run_until_complete(ours.close())
        loop.close()

    return floor_many, sdk_many, close


def main(repeats: int = 9) -> int:
    from mistral_sdk import Mistral

    transport = _transport()
    base, ours = _clients(transport, httpx2.Client, Mistral)
    floor_many, sdk_many, close_many = _many_case(transport)
    cases = [
        ("sync chat.complete", "µs/call", 1e6, 300, 1, floor.chat, sdk.chat),
        ("chat stream", "µs/chunk", 1e6, 2, 2000, floor.stream, sdk.stream),
        ("embeddings 64x1024", "ms/call", 1e3, 4, 1, floor.embeddings, sdk.embeddings),
        ("models.list", "µs/call", 1e6, 100, 1, floor.models, sdk.models),
        (
            "complete_many x64",
            "µs/call",
            1e6,
            1,
            _MANY,
            lambda _client: floor_many(),
            lambda _client: sdk_many(),
        ),
    ]
    print(f"client-side CPU per operation, MockTransport; min / median of {repeats}")
    print(
        f"{'scenario':22} {'floor':>17} {'mistral-sdk':>17} {'extra':>10} {'ratio':>6}"
    )
    for title, unit, scale, count, per, floor_call, sdk_call in cases:
        floor_samples, sdk_samples = [], []
        # Alternate the two so that the machine's load falls on both alike.
        for _ in range(repeats):
            floor_samples += _measure(lambda f=floor_call: f(base), count, per, 1)
            sdk_samples += _measure(lambda f=sdk_call: f(ours), count, per, 1)
        f_min, s_min = min(floor_samples) * scale, min(sdk_samples) * scale
        f_med = statistics.median(floor_samples) * scale
        s_med = statistics.median(sdk_samples) * scale
        print(
            f"{title:22} {f_min:7.1f} / {f_med:7.1f} {s_min:7.1f} / {s_med:7.1f} "
            f"{s_med - f_med:+8.1f} {s_med / f_med:5.2f}\u00d7  {unit}"
        )
    close_many()
    return 0

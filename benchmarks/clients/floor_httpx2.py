"""The floor: httpx2 and the standard json module, no SDK.

What a careful user writes by hand: one `httpx2.Client` with the key in its
default headers, `json=` to send, `.json()` to parse, `raise_for_status()`,
and for streams the lines of the response split by hand (`data: ` prefix,
`[DONE]` sentinel) then `json.loads` per event. Results are plain dicts.

The library is imported inside the functions: the harness measures the import.
"""

from __future__ import annotations

from benchmarks.clients._request import (
    API_KEY,
    CHAT_MESSAGES,
    CHAT_MODEL,
    EMBED_INPUTS,
    EMBED_MODEL,
)


def import_library() -> None:
    import json  # noqa: F401

    import httpx2  # noqa: F401


def construct(base_url: str) -> object:
    import httpx2

    return httpx2.Client(
        base_url=base_url, headers={"authorization": f"Bearer {API_KEY}"}
    )


def construct_async(base_url: str) -> object:
    import httpx2

    return httpx2.AsyncClient(
        base_url=base_url,
        headers={"authorization": f"Bearer {API_KEY}"},
        limits=httpx2.Limits(max_connections=100, max_keepalive_connections=100),
    )


def chat(client) -> list[object]:
    response = client.post(
        "/v1/chat/completions", json={"model": CHAT_MODEL, "messages": CHAT_MESSAGES}
    )
    response.raise_for_status()
    data = response.json()
    choice = data["choices"][0]
    return [
        len(choice["message"]["content"]),
        data["usage"]["total_tokens"],
        choice["finish_reason"],
    ]


async def chat_async(client) -> list[object]:
    return _chat_summary(await _chat_async_answer(client))


async def _chat_async_answer(client) -> dict[str, object]:
    response = await client.post(
        "/v1/chat/completions", json={"model": CHAT_MODEL, "messages": CHAT_MESSAGES}
    )
    response.raise_for_status()
    return response.json()


def _chat_summary(data) -> list[object]:
    choice = data["choices"][0]
    return [
        len(choice["message"]["content"]),
        data["usage"]["total_tokens"],
        choice["finish_reason"],
    ]


async def complete_many_async(client, count: int, concurrency: int) -> list[object]:
    """What `complete_many` does, by hand: workers that keep every parsed answer.

    `concurrency` workers take the next index in turn and keep the answer, the
    parsed body, in input order, as the helper returns its responses (holding
    4,000 answers costs any client ~50 µs per call in the garbage collector's
    passes over them, docs/benchmarks.md, "Bulk helpers").
    """
    import asyncio

    results: list[dict[str, object] | None] = [None] * count
    taken = 0

    async def worker() -> None:
        nonlocal taken
        while taken < count:
            index = taken
            taken += 1
            results[index] = await _chat_async_answer(client)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return _chat_summary(results[-1])


def stream(client, max_tokens: int | None = None) -> list[object]:
    options = {"max_tokens": max_tokens} if max_tokens else {}
    import json

    chunks = 0
    chars = 0
    finish = None
    body = {"model": CHAT_MODEL, "messages": CHAT_MESSAGES, "stream": True, **options}
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if not line.startswith("data: "):
                continue
            data = line[6:]
            if data == "[DONE]":
                break
            choice = json.loads(data)["choices"][0]
            chunks += 1
            chars += len(choice["delta"]["content"] or "")
            finish = choice["finish_reason"] or finish
    return [chunks, chars, finish]


def embeddings(client) -> list[object]:
    response = client.post(
        "/v1/embeddings", json={"model": EMBED_MODEL, "input": EMBED_INPUTS}
    )
    response.raise_for_status()
    rows = response.json()["data"]
    total = 0.0
    count = 0
    for row in rows:
        vector = row["embedding"]
        total += vector[0] + vector[-1]
        count += len(vector)
    return [len(rows), count, round(total, 9)]


def models(client) -> list[object]:
    response = client.get("/v1/models")
    response.raise_for_status()
    cards = response.json()["data"]
    chat_capable = sum(1 for card in cards if card["capabilities"]["completion_chat"])
    return [len(cards), chat_capable, cards[-1]["id"]]


def close(client) -> None:
    client.close()


async def close_async(client) -> None:
    await client.aclose()

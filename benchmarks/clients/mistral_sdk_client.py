"""mistral-sdk (this project), used as documented in ../shared/API.md."""

from __future__ import annotations

from benchmarks.clients._request import (
    API_KEY,
    CHAT_MESSAGES,
    CHAT_MODEL,
    EMBED_INPUTS,
    EMBED_MODEL,
)


def import_library() -> None:
    from mistral_sdk import Mistral  # noqa: F401


def construct(base_url: str) -> object:
    from mistral_sdk import Mistral

    return Mistral(api_key=API_KEY, base_url=base_url)


def construct_async(base_url: str) -> object:
    from mistral_sdk import AsyncMistral

    return AsyncMistral(api_key=API_KEY, base_url=base_url)


def chat(client) -> list[object]:
    response = client.chat.complete(model=CHAT_MODEL, messages=CHAT_MESSAGES)
    choice = response.choices[0]
    return [
        len(choice.message.content),
        response.usage.total_tokens,
        choice.finish_reason,
    ]


async def chat_async(client) -> list[object]:
    response = await client.chat.complete(model=CHAT_MODEL, messages=CHAT_MESSAGES)
    choice = response.choices[0]
    return [
        len(choice.message.content),
        response.usage.total_tokens,
        choice.finish_reason,
    ]


async def complete_many_async(client, count: int, concurrency: int) -> list[object]:
    requests = ({"messages": CHAT_MESSAGES} for _ in range(count))
    results = await client.chat.complete_many(
        requests, model=CHAT_MODEL, concurrency=concurrency
    )
    failed = [result.error for result in results if not result.ok]
    if failed or len(results) != count:
        raise RuntimeError(f"{len(failed)} of {count} calls failed: {failed[:1]!r}")
    response = results[-1].response
    choice = response.choices[0]
    return [
        len(choice.message.content),
        response.usage.total_tokens,
        choice.finish_reason,
    ]


def batch_run(client, count: int, timed: bool = False):
    import time

    exhausted = []

    # A lazy generator: the run must never hold the requests in memory. When
    # it is exhausted, every request has been written to the upload but the
    # last chunk, which is on its way.
    def requests():
        for i in range(count):
            yield {"messages": CHAT_MESSAGES, "max_tokens": 16, "custom_id": f"r{i}"}
        exhausted.append(time.perf_counter())

    started = time.perf_counter()
    run = client.batch.run(requests(), model=CHAT_MODEL)
    created = time.perf_counter() - started
    # The jobs exist once `run` returns; what they do next is the emulator's
    # work, stopped here so that it does not load the machine during the other
    # scenarios.
    for job_id in run.job_ids:
        client.batch.jobs.cancel(job_id)
    check = [len(run.job_ids), sum(shard.count for shard in run.shards)]
    if not timed:
        return check
    return check, exhausted[0] - started, created


def stream(client, max_tokens: int | None = None) -> list[object]:
    options = {"max_tokens": max_tokens} if max_tokens else {}
    chunks = 0
    chars = 0
    finish = None
    with client.chat.stream(
        model=CHAT_MODEL, messages=CHAT_MESSAGES, **options
    ) as events:
        for chunk in events:
            choice = chunk.choices[0]
            chunks += 1
            chars += len(choice.delta.content or "")
            finish = choice.finish_reason or finish
    return [chunks, chars, finish]


def embeddings(client) -> list[object]:
    response = client.embeddings.create(model=EMBED_MODEL, input=EMBED_INPUTS)
    total = 0.0
    count = 0
    for row in response.data:
        vector = row.embedding
        total += vector[0] + vector[-1]
        count += len(vector)
    return [len(response.data), count, round(total, 9)]


def models(client) -> list[object]:
    cards = client.models.list().data
    chat_capable = sum(1 for card in cards if card.capabilities.completion_chat)
    return [len(cards), chat_capable, cards[-1].id]


def close(client) -> None:
    client.close()


async def close_async(client) -> None:
    await client.close()

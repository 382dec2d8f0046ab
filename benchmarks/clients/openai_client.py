"""openai-python pointed at the bench server (`base_url=<server>/v1`).

The Mistral chat and embeddings wire formats are close enough to OpenAI's for
its chat, stream and embeddings calls; it has no `models.list` scenario (the
Mistral model card is not OpenAI's). `encoding_format="float"` is passed so
that it does not ask for base64 embeddings.
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
    from openai import OpenAI  # noqa: F401


def construct(base_url: str) -> object:
    from openai import OpenAI

    return OpenAI(api_key=API_KEY, base_url=base_url + "/v1")


def construct_async(base_url: str) -> object:
    from openai import AsyncOpenAI

    return AsyncOpenAI(api_key=API_KEY, base_url=base_url + "/v1")


def chat(client) -> list[object]:
    response = client.chat.completions.create(model=CHAT_MODEL, messages=CHAT_MESSAGES)
    choice = response.choices[0]
    return [
        len(choice.message.content),
        response.usage.total_tokens,
        choice.finish_reason,
    ]


async def chat_async(client) -> list[object]:
    response = await client.chat.completions.create(
        model=CHAT_MODEL, messages=CHAT_MESSAGES
    )
    choice = response.choices[0]
    return [
        len(choice.message.content),
        response.usage.total_tokens,
        choice.finish_reason,
    ]


def stream(client, max_tokens: int | None = None) -> list[object]:
    options = {"max_tokens": max_tokens} if max_tokens else {}
    chunks = 0
    chars = 0
    finish = None
    with client.chat.completions.create(
        model=CHAT_MODEL, messages=CHAT_MESSAGES, stream=True, **options
    ) as events:
        for chunk in events:
            choice = chunk.choices[0]
            chunks += 1
            chars += len(choice.delta.content or "")
            finish = choice.finish_reason or finish
    return [chunks, chars, finish]


def embeddings(client) -> list[object]:
    response = client.embeddings.create(
        model=EMBED_MODEL, input=EMBED_INPUTS, encoding_format="float"
    )
    total = 0.0
    count = 0
    for row in response.data:
        vector = row.embedding
        total += vector[0] + vector[-1]
        count += len(vector)
    return [len(response.data), count, round(total, 9)]


def close(client) -> None:
    client.close()


async def close_async(client) -> None:
    await client.close()

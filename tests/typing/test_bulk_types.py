"""Bulk helpers as users call them, checked by mypy --strict and pyright (never run)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

from typing_extensions import assert_type

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.helpers._async.batch_run import AsyncBatchRun
from mistral_sdk.helpers._sync.batch_run import BatchRun
from mistral_sdk.helpers.batch_results import BatchResult
from mistral_sdk.helpers.batch_state import BatchProgress, ShardState
from mistral_sdk.helpers.many_results import CallResult, ManyProgress
from mistral_sdk.types import ChatCompletionResponse, EmbeddingResponse


def requests() -> Iterator[dict[str, Any]]:
    yield {"messages": [{"role": "user", "content": "Hi"}]}


def show(progress: BatchProgress) -> None:
    print(progress.completed, progress.total)


def count(progress: ManyProgress) -> None:
    print(progress.done)


def sync_calls(client: Mistral) -> None:
    run = client.batch.run(
        requests(), model="m", state_file="run.json", on_progress=show
    )
    assert_type(run, BatchRun)
    assert_type(run.results(order="input"), Generator[BatchResult, None, None])
    assert_type(run.failed_shards, list[ShardState])
    assert_type(client.batch.resume("run.json"), BatchRun)
    chats = client.chat.complete_many(requests(), model="m", on_progress=count)
    assert_type(chats, list[CallResult[ChatCompletionResponse]])
    vectors = client.embeddings.create_many([{"input": ["a"]}], model="e")
    assert_type(vectors[0].response, EmbeddingResponse | None)
    client.batch.run(requests(), model="m", order="input")  # type: ignore[call-arg]


async def async_calls(client: AsyncMistral) -> None:
    run = await client.batch.run(requests(), model="m")
    assert_type(run, AsyncBatchRun)
    async for result in run.results():
        assert_type(result, BatchResult)
    assert_type(await client.batch.resume("run.json"), AsyncBatchRun)
    chats = await client.chat.complete_many(requests(), concurrency=4)
    assert_type(chats, list[CallResult[ChatCompletionResponse]])


def per_call_options(client: Mistral) -> None:
    client.chat.complete_many(
        requests(),
        model="m",
        max_retries=None,
        timeout=30.0,
        extra_headers={"X-Trace": "t"},
        extra_query={"trace": 1},
        extra_body={"random_seed": 7},
    )
    client.embeddings.create_many([{"input": ["a"]}], timeout=None)
    client.batch.run(
        requests(),
        model="m",
        timeout=30.0,
        max_retries=2,
        extra_headers={"X-Trace": "t"},
        extra_query={"trace": 1},
        extra_body={"timeout_hours": 2},
    )
    client.batch.resume("run.json", extra_headers={"X-Trace": "t"})
    client.chat.complete_many(requests(), timeout="30")  # type: ignore[arg-type]
    client.chat.complete_many(requests(), extra_headers={"X": 1})  # type: ignore[dict-item]
    client.chat.complete_many(requests(), extra_header={})  # type: ignore[call-arg]
    client.batch.run(requests(), model="m", max_retries="2")  # type: ignore[arg-type]

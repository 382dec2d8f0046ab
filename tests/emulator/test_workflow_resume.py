"""Resuming a dropped workflow event stream from its `last_event_id`, both clients.

The emulator sends each event's broker sequence as its SSE `id` and, given
`last_event_id=`, only the events after it: a stream read in part, closed and
reopened from `stream.last_event_id` must continue exactly where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice

import pytest

from mistral_sdk import AsyncMistral, AsyncStream, Mistral, Stream
from mistral_sdk.types.workflow_events import StreamEventSsePayload

READ_FIRST = 3


def started(client: Mistral) -> str:
    execution = client.beta.workflows.execute("report", input={"topic": "resume"})
    return execution.execution_id


def sequences(stream: Stream[StreamEventSsePayload], limit: int | None) -> list[int]:
    return [payload.broker_sequence for payload in islice(stream, limit)]


def resumed_in_two(
    open_stream: Callable[[str | None], Stream[StreamEventSsePayload]],
) -> tuple[list[int], list[int], str | None, list[int]]:
    # `open_stream(last_event_id)` opens the stream; returns everything, the first
    # part, the id the first part stopped at, and what the resumed stream sent.
    with open_stream(None) as stream:
        everything = sequences(stream, None)
    with open_stream(None) as stream:
        first = sequences(stream, READ_FIRST)
        stopped_at = stream.last_event_id
    with open_stream(stopped_at) as stream:
        rest = sequences(stream, None)
        assert stream.last_event_id == str(everything[-1])
    return everything, first, stopped_at, rest


def test_execution_stream_resumes_after_its_last_event_id(client: Mistral) -> None:
    execution_id = started(client)

    everything, first, stopped_at, rest = resumed_in_two(
        lambda last: client.beta.workflows.executions.stream(
            execution_id, last_event_id=last
        )
    )

    assert len(everything) > READ_FIRST
    assert stopped_at == str(first[-1])
    assert first + rest == everything


def test_global_event_stream_resumes_after_its_last_event_id(client: Mistral) -> None:
    execution_id = started(client)
    client.beta.workflows.executions.stream(execution_id).close()  # runs it all

    everything, first, stopped_at, rest = resumed_in_two(
        lambda last: client.beta.workflows.events.stream(
            workflow_exec_id=execution_id, last_event_id=last
        )
    )

    assert len(everything) > READ_FIRST
    assert stopped_at == str(first[-1])
    assert first + rest == everything


async def async_sequences(
    stream: AsyncStream[StreamEventSsePayload], limit: int | None
) -> list[int]:
    found: list[int] = []
    async for payload in stream:
        found.append(payload.broker_sequence)
        if len(found) == limit:
            break
    return found


@pytest.mark.anyio
async def test_async_streams_resume_after_their_last_event_id(
    async_client: AsyncMistral,
) -> None:
    workflows = async_client.beta.workflows
    execution = await workflows.execute("report", input={"topic": "resume"})
    execution_id = execution.execution_id

    async with workflows.executions.stream(execution_id) as stream:
        everything = await async_sequences(stream, None)
    async with workflows.executions.stream(execution_id) as stream:
        first = await async_sequences(stream, READ_FIRST)
        stopped_at = stream.last_event_id
    async with workflows.executions.stream(
        execution_id, last_event_id=stopped_at
    ) as stream:
        rest = await async_sequences(stream, None)
    async with workflows.events.stream(last_event_id=stopped_at) as stream:
        rest_of_all = await async_sequences(stream, None)

    assert len(everything) > READ_FIRST
    assert stopped_at == str(first[-1])
    assert first + rest == everything
    assert first + rest_of_all == everything  # the only execution so far

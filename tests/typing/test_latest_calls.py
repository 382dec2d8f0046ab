"""User-style calls of what the latest spec added, checked by mypy --strict and pyright.

Never run (pytest does not collect `tests/typing`); see test_client_calls.py for the
conventions, negative cases included.
"""

from __future__ import annotations

from typing_extensions import assert_type

from mistral_sdk import (
    AsyncMistral,
    AsyncPaginator,
    AsyncStream,
    BinaryResponse,
    Mistral,
    Stream,
    SyncPage,
)
from mistral_sdk.types import (
    ChatCompletionEventPreview,
    ChatCompletionEvents,
    ChatCompletionResponse,
    ConversationThinkChunk,
    JudgePreview,
    JudgePreviews,
    SpeechResponse,
    SpeechStreamEvent,
    StreamEventSsePayload,
    ThinkChunk,
    VoiceListResponse,
    VoiceResponse,
    WorkflowEvent,
    WorkflowExecutionResponse,
    WorkflowExecutionSyncResponse,
)


def reasoning_effort(client: Mistral) -> None:
    response = client.chat.complete(
        model="magistral-medium-latest",
        messages=[{"role": "user", "content": "Plan a three-city trip."}],
        reasoning_effort="high",
    )
    assert_type(response, ChatCompletionResponse)


def speech_and_voices(client: Mistral) -> None:
    speech = client.audio.speech.complete(input="Hello", voice_id="v-1")
    assert_type(speech, SpeechResponse)
    with client.audio.speech.stream(input="Hello", response_format="mp3") as stream:
        assert_type(stream, Stream[SpeechStreamEvent])
    voices = client.audio.voices.list(limit=10)
    assert_type(voices, SyncPage[VoiceResponse, VoiceListResponse])
    with client.audio.voices.get_sample_audio("v-1") as sample:
        assert_type(sample, BinaryResponse)


def workflows(client: Mistral) -> None:
    started = client.beta.workflows.execute("order-fulfilment", input={"id": 1})
    assert_type(started, WorkflowExecutionResponse | WorkflowExecutionSyncResponse)
    with client.beta.workflows.events.stream(
        workflow_exec_id="exec-1", last_event_id="42"
    ) as events:
        assert_type(events, Stream[StreamEventSsePayload])
        for payload in events:
            assert_type(payload.data, WorkflowEvent)


def observability(client: Mistral) -> None:
    found = client.beta.observability.chat_completion_events.search(
        search_params={"filters": {"field": "model", "op": "eq", "value": "m"}},
        page_size=50,
    )
    assert_type(found, SyncPage[ChatCompletionEventPreview, ChatCompletionEvents])
    judges = client.beta.observability.judges.list(page_size=10)
    assert_type(judges, SyncPage[JudgePreview, JudgePreviews])


def renamed_types_still_type_check(chunk: ConversationThinkChunk) -> ThinkChunk:
    return chunk


async def async_twins(client: AsyncMistral) -> None:
    speech = await client.audio.speech.complete(input="Hello")
    assert_type(speech, SpeechResponse)
    async with await client.audio.speech.stream(input="Hello") as stream:
        assert_type(stream, AsyncStream[SpeechStreamEvent])
    pages = client.beta.observability.judges.list()
    assert_type(pages, AsyncPaginator[JudgePreview, JudgePreviews])


def negative_cases(client: Mistral) -> None:
    client.chat.complete(model="m", messages=[], reasoning_effort=3)  # type: ignore[arg-type]
    client.beta.workflows.events.stream(last_event_id=42)  # type: ignore[arg-type]

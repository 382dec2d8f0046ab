"""The SDK's typed events, from spec-validated event streams (Prism cannot stream).

Each stream method gets the fixture of its operation, delivered in 7-byte pieces
through `httpx2.MockTransport`, with both clients. Every event must come out as the
class the spec's discriminator names (an `Unknown…` member keeping the payload for
the event type the spec does not know), with its fields as sent.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import httpx2
import pytest

from . import _spec
from ._calls import CALLS, Call
from ._calls_latest import LATEST_CALLS
from ._sse_fixtures import (
    CHAT,
    CHAT_TOOL_CALLS,
    CONVERSATION,
    CONVERSATION_ERROR,
    FIM,
    SPEECH,
    TRANSCRIPTION,
    UNKNOWN_CONVERSATION_EVENT,
    UNKNOWN_WORKFLOW_EVENT,
    WORKFLOW,
    Fixture,
    chunked,
)

pytestmark = pytest.mark.contract

STREAM_CALLS = {
    call.name: call for call in CALLS + LATEST_CALLS if call.kind == "stream"
}
CASES: list[tuple[Call, Fixture]] = [
    (STREAM_CALLS["chat.stream"], CHAT),
    (STREAM_CALLS["chat.stream"], CHAT_TOOL_CALLS),
    (STREAM_CALLS["fim.stream"], FIM),
    (STREAM_CALLS["agents.stream"], CHAT),
    (STREAM_CALLS["beta.conversations.start_stream"], CONVERSATION),
    (STREAM_CALLS["beta.conversations.append_stream"], CONVERSATION),
    (STREAM_CALLS["beta.conversations.restart_stream"], CONVERSATION),
    (STREAM_CALLS["audio.transcriptions.stream"], TRANSCRIPTION),
    (STREAM_CALLS["audio.speech.stream"], SPEECH),
    (STREAM_CALLS["beta.workflows.executions.stream"], WORKFLOW),
    (STREAM_CALLS["beta.workflows.events.stream"], WORKFLOW),
]
IDS = [f"{call.name}-{fixture.file}" for call, fixture in CASES]


def test_sse_cases_cover_every_stream_method() -> None:
    assert {call.name for call, _ in CASES} == set(STREAM_CALLS)


def _headers() -> dict[str, str]:
    return {"content-type": "text/event-stream", "mistral-correlation-id": "req-sse-1"}


def _sync_client(fixture: Fixture) -> Any:
    from mistral_sdk import Mistral

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers=_headers(), content=chunked(fixture.read()))

    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    return Mistral(api_key="test-key", http_client=http, max_retries=0)


def _async_client(fixture: Fixture) -> Any:
    from mistral_sdk import AsyncMistral

    async def body() -> AsyncIterator[bytes]:
        for piece in chunked(fixture.read()):
            yield piece

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers=_headers(), content=body())

    http = httpx2.AsyncClient(transport=httpx2.MockTransport(handler))
    return AsyncMistral(api_key="test-key", http_client=http, max_retries=0)


def _method(client: object, call: Call) -> Callable[..., Any]:
    for name in call.namespace.split("."):
        client = getattr(client, name)
    method: Callable[..., Any] = getattr(client, call.method)
    return method


def _expected_class(fixture: Fixture, data: dict[str, Any]) -> str | None:
    """Return the schema name the spec's discriminator gives an event's data."""
    if fixture.data_only:
        return fixture.schema
    union = _spec.resolve({"$ref": f"#/components/schemas/{fixture.schema}"})
    mapping = union["properties"]["data"]["discriminator"]["mapping"]
    target = mapping.get(data["type"])
    return None if target is None else str(target).rsplit("/", 1)[1]


def _dump(value: object) -> object:
    from mistral_sdk._model_base import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [_dump(item) for item in value]
    return value


def _check_event(fixture: Fixture, event: object, data: dict[str, Any]) -> None:
    from mistral_sdk._model_base import UnknownModel

    expected = _expected_class(fixture, data)
    if expected is None:
        assert data["type"] == UNKNOWN_CONVERSATION_EVENT
        assert isinstance(event, UnknownModel)
        assert getattr(event, "type", None) == data["type"]
        assert event.raw == data
        assert json.loads(event.model_dump_json(by_alias=True)) == data
        return
    assert type(event).__name__ == expected
    for key, value in data.items():
        got = getattr(event, key)
        if isinstance(got, datetime):
            assert got == datetime.fromisoformat(value), key
        else:
            assert _dump(got) == value, key


def _check_events(fixture: Fixture, events: list[object]) -> None:
    expected = fixture.events()
    assert len(events) == len(expected)
    for event, (_name, data) in zip(events, expected, strict=True):
        _check_event(fixture, event, data)


@pytest.mark.parametrize(("call", "fixture"), CASES, ids=IDS)
def test_sse_events_are_typed_sync(call: Call, fixture: Fixture) -> None:
    with (
        _sync_client(fixture) as client,
        _method(client, call)(*call.args, **call.kwargs) as stream,
    ):
        events = list(stream)

    _check_events(fixture, events)
    assert stream.request_id == "req-sse-1"
    assert stream.response.is_closed


@pytest.mark.anyio
@pytest.mark.parametrize(("call", "fixture"), CASES, ids=IDS)
async def test_sse_events_are_typed_async(call: Call, fixture: Fixture) -> None:
    async with (
        _async_client(fixture) as client,
        await _method(client, call)(*call.args, **call.kwargs) as stream,
    ):
        events = [event async for event in stream]

    _check_events(fixture, events)
    assert stream.request_id == "req-sse-1"
    assert stream.response.is_closed


def test_sse_chat_stream_reads_as_a_user_would() -> None:
    call = STREAM_CALLS["chat.stream"]

    with _sync_client(CHAT) as client, client.chat.stream(**call.kwargs) as stream:
        chunks = list(stream)

    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert text == "Bonjour à Lyon !"
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].usage.total_tokens == 27


def test_sse_tool_call_deltas_are_typed() -> None:
    call = STREAM_CALLS["chat.stream"]

    with (
        _sync_client(CHAT_TOOL_CALLS) as client,
        client.chat.stream(**call.kwargs) as stream,
    ):
        chunks = list(stream)

    [tool_call] = chunks[1].choices[0].delta.tool_calls
    assert tool_call.function.name == "get_weather"
    assert json.loads(tool_call.function.arguments) == {"city": "Lyon"}
    assert chunks[1].choices[0].finish_reason == "tool_calls"


def _error_case() -> tuple[Call, list[tuple[str | None, Any]]]:
    # The events before the error event come out; the error event raises.
    call = STREAM_CALLS["beta.conversations.start_stream"]
    return call, CONVERSATION_ERROR.events()[:-1]


def _drain_into(seen: list[object], stream: Any) -> None:
    with stream:
        for event in stream:
            seen.append(event)


async def _adrain_into(seen: list[object], stream: Any) -> None:
    async with stream:
        async for event in stream:
            seen.append(event)


def test_sse_conversation_error_event_raises_after_the_events_before_it_sync() -> None:
    from mistral_sdk import APIError

    call, expected = _error_case()
    seen: list[object] = []

    with _sync_client(CONVERSATION_ERROR) as client:
        stream = _method(client, call)(*call.args, **call.kwargs)
        with pytest.raises(APIError, match="Tool get_weather timed out") as caught:
            _drain_into(seen, stream)

    assert len(seen) == len(expected)
    for event, (_name, data) in zip(seen, expected, strict=True):
        _check_event(CONVERSATION_ERROR, event, data)
    assert caught.value.request_id == "req-sse-1"
    assert stream.response.is_closed


@pytest.mark.anyio
async def test_sse_conversation_error_event_raises_after_the_events_before_it_async() -> (
    None
):
    from mistral_sdk import APIError

    call, expected = _error_case()
    seen: list[object] = []

    async with _async_client(CONVERSATION_ERROR) as client:
        stream = await _method(client, call)(*call.args, **call.kwargs)
        with pytest.raises(APIError, match="Tool get_weather timed out") as caught:
            await _adrain_into(seen, stream)

    assert len(seen) == len(expected)
    for event, (_name, data) in zip(seen, expected, strict=True):
        _check_event(CONVERSATION_ERROR, event, data)
    assert caught.value.request_id == "req-sse-1"
    assert stream.response.is_closed


def test_sse_workflow_events_keep_an_unknown_event_type_and_resume_by_id() -> None:
    from mistral_sdk import Mistral
    from mistral_sdk._model_base import UnknownModel
    from mistral_sdk.types import WorkflowExecutionCompletedResponse

    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, headers=_headers(), content=WORKFLOW.read())

    http = httpx2.Client(transport=httpx2.MockTransport(handler))
    with (
        Mistral(api_key="test-key", http_client=http, max_retries=0) as client,
        client.beta.workflows.events.stream(last_event_id="1747215000450-0") as stream,
    ):
        events = [payload.data for payload in stream]

    [unknown] = [e for e in events if isinstance(e, UnknownModel)]
    assert getattr(unknown, "event_type", None) == UNKNOWN_WORKFLOW_EVENT
    assert isinstance(events[-1], WorkflowExecutionCompletedResponse)
    assert seen[0].headers["last-event-id"] == "1747215000450-0"

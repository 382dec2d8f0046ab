"""The latest spec's areas on both clients: offset, cursor and token lists, header
parameters, speech events and voice samples."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx2
from conftest import MockApi, json_reply

from .conftest import sent_json

VOICE = {
    "name": "Desk",
    "id": "v-1",
    "created_at": "2025-05-14T09:30:00Z",
    "user_id": None,
}
FILTERS = {"filters": {"field": "model", "op": "eq", "value": "m"}}


def _voice(voice_id: str) -> dict[str, Any]:
    return {**VOICE, "id": voice_id}


def test_voices_list_pages_by_offset(sdk: Any, api: MockApi) -> None:
    def page(*ids: str) -> httpx2.Response:
        items = [_voice(i) for i in ids]
        body = {"items": items, "total": 3, "page": 0, "page_size": 2, "total_pages": 2}
        return json_reply(200, body)

    api.add("GET", "/v1/audio/voices", page("a", "b"), page("c"))

    ids = [voice.id for voice in sdk.audio.voices.list(limit=2)]

    assert ids == ["a", "b", "c"]
    offsets = [dict(r.url.params) for r in api.requests]
    assert offsets == [{"limit": "2"}, {"limit": "2", "offset": "2"}]


def _events(*ids: str, cursor: str | None) -> httpx2.Response:
    preview = {
        "correlation_id": "c",
        "created_at": "2025-05-14T09:30:00Z",
        "extra_fields": {},
        "nb_input_tokens": 3,
        "nb_output_tokens": 5,
    }
    results = [{**preview, "event_id": i} for i in ids]
    body = {"completion_events": {"results": results, "next": None, "cursor": cursor}}
    return json_reply(200, body)


def test_search_pages_by_cursor_and_sends_its_body_with_every_page(
    sdk: Any, api: MockApi
) -> None:
    path = "/v1/observability/chat-completion-events/search"
    api.add("POST", path, _events("e1", "e2", cursor="k2"), _events("e3", cursor=None))

    found = sdk.beta.observability.chat_completion_events.search(
        search_params=FILTERS, page_size=2
    )
    ids = [event.event_id for event in found]

    assert ids == ["e1", "e2", "e3"]
    assert [dict(r.url.params) for r in api.requests] == [
        {"page_size": "2"},
        {"page_size": "2", "cursor": "k2"},
    ]
    assert [sent_json(r) for r in api.requests] == [{"search_params": FILTERS}] * 2


def test_runs_list_pages_by_token(sdk: Any, api: MockApi) -> None:
    run = {
        "workflow_name": "report",
        "root_execution_id": "x",
        "status": "COMPLETED",
        "start_time": "2025-05-14T09:30:00Z",
        "end_time": None,
        "result": None,
    }

    def page(token: str | None, *ids: str) -> httpx2.Response:
        runs = [{**run, "execution_id": i} for i in ids]
        return json_reply(200, {"executions": runs, "next_page_token": token})

    api.add("GET", "/v1/workflows/runs", page("t2", "r1"), page(None, "r2"))

    ids = [r.execution_id for r in sdk.beta.workflows.runs.list(status="COMPLETED")]

    assert ids == ["r1", "r2"]
    assert api.requests[1].url.params["next_page_token"] == "t2"
    assert api.requests[1].url.params["status"] == "COMPLETED"


def test_workflow_events_stream_resumes_with_the_last_event_id_header(
    sdk: Any, api: MockApi
) -> None:
    api.add(
        "GET",
        "/v1/workflows/events/stream",
        httpx2.Response(
            200, content=b"", headers={"content-type": "text/event-stream"}
        ),
    )

    with sdk.beta.workflows.events.stream(
        workflow_exec_id="exec-1", last_event_id="17"
    ) as stream:
        assert list(stream) == []

    assert api.last.headers["last-event-id"] == "17"
    assert dict(api.last.url.params) == {"workflow_exec_id": "exec-1"}


def test_speech_stream_yields_typed_audio_chunks(sdk: Any, api: MockApi) -> None:
    audio = base64.b64encode(b"RIFF....WAVE").decode()
    events = [
        ("speech.audio.delta", {"type": "speech.audio.delta", "audio_data": audio}),
        (
            "speech.audio.done",
            {
                "type": "speech.audio.done",
                "usage": {
                    "prompt_tokens": 1,
                    "completion_tokens": 2,
                    "total_tokens": 3,
                },
            },
        ),
        ("speech.audio.later", {"type": "speech.audio.later", "x": 1}),
    ]
    body = "".join(f"event: {n}\ndata: {json.dumps(d)}\n\n" for n, d in events)
    api.add(
        "POST",
        "/v1/audio/speech",
        httpx2.Response(
            200, content=body.encode(), headers={"content-type": "text/event-stream"}
        ),
    )

    with sdk.audio.speech.stream(input="Hello", response_format="wav") as stream:
        got = list(stream)

    assert [type(e).__name__ for e in got] == [
        "SpeechStreamAudioDelta",
        "SpeechStreamDone",
        "UnknownSpeechStreamEvent",
    ]
    assert base64.b64decode(got[0].audio_data) == b"RIFF....WAVE"
    assert got[1].usage.total_tokens == 3
    assert sent_json(api.last) == {
        "input": "Hello",
        "response_format": "wav",
        "stream": True,
    }


def test_voice_sample_is_a_download(sdk: Any, api: MockApi, tmp_path: Path) -> None:
    wav = b"RIFF" + bytes(100)
    api.add(
        "GET",
        "/v1/audio/voices/v-1/sample",
        httpx2.Response(200, content=wav, headers={"content-type": "audio/wav"}),
    )

    with sdk.audio.voices.get_sample_audio("v-1") as sample:
        sample.write_to_file(tmp_path / "v.wav")

    assert (tmp_path / "v.wav").read_bytes() == wav


def test_chat_sends_reasoning_effort(sdk: Any, api: MockApi) -> None:
    reply = {
        "id": "c",
        "object": "chat.completion",
        "model": "m",
        "created": 1,
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "ok"},
            }
        ],
    }
    api.add("POST", "/v1/chat/completions", json_reply(200, reply))

    sdk.chat.complete(
        model="m", messages=[{"role": "user", "content": "Hi"}], reasoning_effort="high"
    )

    assert sent_json(api.last)["reasoning_effort"] == "high"

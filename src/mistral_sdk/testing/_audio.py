"""Transcriptions: scripted text, else the audio's own text, else a fixed line.

A test can upload a text file as "audio" to choose what is heard; real audio
bytes get a deterministic sentence naming the file. Timing is 0.4 s a word.
"""

from __future__ import annotations

import math
import re
from typing import Any, Final

from ._catalogue import require_model
from ._context import Call, Handler, World, json_response, sse_response
from ._errors import ApiError
from ._files import file_bytes
from ._generation import count_tokens, pieces
from ._http import FormData, Response, sse_event
from ._json import obj
from ._signed import fetch

__all__ = ["HANDLERS"]

_SECONDS_PER_WORD: Final = 0.4
_SENTENCE: Final = re.compile(r"[^.!?]+[.!?]*")


def _audio(world: World, form: FormData) -> tuple[bytes, str]:
    if "file" in form.files:
        part = form.files["file"][-1]
        return part.content, part.filename
    if form.fields.get("file_id"):
        record, data = file_bytes(world, form.fields["file_id"][-1])
        return data, record["filename"]
    if form.fields.get("file_url"):
        url = form.fields["file_url"][-1]
        return fetch(world, url) or (b"", url.rsplit("/", 1)[-1])
    raise ApiError(400, "Provide one of file, file_url or file_id")


def _heard(data: bytes, filename: str) -> str:
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        text = ""
    if text and text.isprintable():
        return text
    return f"This is an emulated transcription of {filename}."


def _segments(text: str, diarize: bool) -> list[dict[str, Any]]:
    segments: list[dict[str, Any]] = []
    start = 0.0
    for index, sentence in enumerate(s.strip() for s in _SENTENCE.findall(text)):
        if not sentence:
            continue
        end = round(start + count_tokens(sentence) * _SECONDS_PER_WORD, 2)
        segment: dict[str, Any] = {
            "type": "transcription_segment",
            "text": sentence,
            "start": start,
            "end": end,
        }
        if diarize:
            segment["speaker_id"] = f"speaker_{index % 2 + 1}"
        segments.append(segment)
        start = end
    return segments


def transcribe(call: Call) -> Response:
    """POST /v1/audio/transcriptions (multipart), whole or streamed."""
    form = call.form
    model = form.fields["model"][-1]
    require_model(call.world, model, ["audio_transcription"])
    data, filename = _audio(call.world, form)
    scripted = obj(call.world.script.next_result("transcription"))
    text = scripted.get("text") or _heard(data, filename)
    given = form.fields.get("language")
    language = given[-1] if given else scripted.get("language", "en")
    diarize = (form.fields.get("diarize") or ["false"])[-1].lower() == "true"
    segments = _segments(text, diarize)
    seconds = math.ceil(count_tokens(text) * _SECONDS_PER_WORD)
    usage: dict[str, Any] = {
        "prompt_tokens": seconds * 4,
        "completion_tokens": count_tokens(text),
        "total_tokens": seconds * 4 + count_tokens(text),
        "prompt_audio_seconds": seconds,
    }
    if "segment" not in form.fields.get("timestamp_granularities", []):
        segments = list[dict[str, Any]]()
    result: dict[str, Any] = {
        "model": model,
        "text": text,
        "language": language,
        "segments": segments,
        "usage": usage,
    }
    if call.op.streaming:
        return sse_response(_events(result))
    return json_response(result)


def _events(result: dict[str, Any]) -> list[bytes]:
    events: list[tuple[str, dict[str, Any]]] = []
    if result["language"]:
        events.append(
            ("transcription.language", {"audio_language": result["language"]})
        )
    events += [
        ("transcription.text.delta", {"text": p}) for p in pieces(result["text"])
    ]
    for segment in result["segments"]:
        events.append(
            ("transcription.segment", {k: v for k, v in segment.items() if k != "type"})
        )
    events.append(("transcription.done", result))
    return [sse_event(name, {"type": name, **data}) for name, data in events]


HANDLERS: dict[str, Handler] = {
    "audio_api_v1_transcriptions_post": transcribe,
    "audio_api_v1_transcriptions_post_stream": transcribe,
}

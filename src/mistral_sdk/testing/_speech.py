"""Text to speech: the input spoken as real audio, whole or as an event stream.

The audio is `_wav`'s one tone per word, in the requested format (mp3 unless
told), voiced by a saved voice, a preset name or a reference clip. The stream
sends the audio base64-encoded in `speech.audio.delta` events of 4 KiB, then
`speech.audio.done` with the usage.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any, Final

from ._catalogue import find_base
from ._context import Call, Handler, json_response, sse_response
from ._errors import ApiError
from ._generation import count_tokens
from ._http import Response, sse_event
from ._voices import find_voice
from ._wav import encode

__all__ = ["HANDLERS"]

_DEFAULT_MODEL: Final = "voxtral-mini-tts-latest"
_CHUNK: Final = 4096
_UUID: Final = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)


def _voice_key(call: Call, body: dict[str, Any]) -> str:
    voice_id = body.get("voice_id")
    if body.get("ref_audio"):
        return hashlib.sha256(str(body["ref_audio"]).encode()).hexdigest()
    if not voice_id:
        return "default"
    voice = find_voice(call.world, voice_id)
    if voice is not None:
        return str(voice["id"])
    if _UUID.match(voice_id):
        # A saved voice's id that is not (or no longer) there.
        raise ApiError.not_found("Voice", voice_id)
    return str(voice_id)  # a preset voice name


def speak(call: Call) -> Response:
    """POST /v1/audio/speech: `{"audio_data": base64}` or an event stream."""
    body = call.json
    model = body.get("model") or _DEFAULT_MODEL
    base = find_base(model)
    if base is None or "audio_speech" not in base.capabilities:
        raise ApiError.invalid_model(model)
    text = body["input"]
    audio = encode(text, body.get("response_format", "mp3"), _voice_key(call, body))
    if not body.get("stream"):
        return json_response({"audio_data": base64.b64encode(audio).decode()})
    events = [
        sse_event(
            "speech.audio.delta",
            {
                "type": "speech.audio.delta",
                "audio_data": base64.b64encode(audio[i : i + _CHUNK]).decode(),
            },
        )
        for i in range(0, len(audio), _CHUNK)
    ]
    tokens = count_tokens(text)
    usage = {"prompt_tokens": tokens, "completion_tokens": 0, "total_tokens": tokens}
    done = {"type": "speech.audio.done", "usage": usage}
    return sse_response([*events, sse_event("speech.audio.done", done)])


HANDLERS: dict[str, Handler] = {"speech_v1_audio_speech_post": speak}

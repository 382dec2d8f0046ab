"""Voices: saved with a sample, listed by offset, and their sample as WAV.

A voice's sample is served back as uploaded when it is a WAV file; any other
upload (MP3, raw bytes...) is answered with the voice saying its own name, so
the sample route always delivers the `audio/wav` the spec promises.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Final

from ._context import Call, Handler, World, json_response
from ._errors import ApiError
from ._http import Response
from ._paging import by_offset
from ._wav import encode

__all__ = ["HANDLERS", "find_voice"]

_FIELDS: Final = ("name", "slug", "languages", "gender", "age", "color", "tags")
_UPDATABLE: Final = ("name", "languages", "gender", "age", "tags")


def find_voice(world: World, voice_id: str) -> dict[str, Any] | None:
    """Return a saved voice by id or slug, or None."""
    voice = world.store.get("voice", voice_id)
    if voice is not None:
        return voice
    return next((v for v in world.store.all("voice") if v["slug"] == voice_id), None)


def _voice(world: World, voice_id: str) -> dict[str, Any]:
    voice = find_voice(world, voice_id)
    if voice is None:
        raise ApiError.not_found("Voice", voice_id)
    return voice


def _decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(400, "sample_audio is not valid base64") from None


def create(call: Call) -> Response:
    """POST /v1/audio/voices: save a voice and its sample."""
    world, body = call.world, call.json
    sample = _decode(body["sample_audio"])
    voice: dict[str, Any] = {
        "id": world.ids.uuid("voice"),
        **{name: body.get(name) for name in _FIELDS},
        "languages": body.get("languages") or [],
        "retention_notice": body.get("retention_notice", 30),
        "created_at": world.now_iso(),
        "user_id": world.user_id,
    }
    world.store.put("voice", voice["id"], voice)
    world.store.put_blob(f"voice:{voice['id']}", sample)
    return json_response(voice)


def list_voices(call: Call) -> Response:
    """GET /v1/audio/voices: offset/limit, reported as page numbers."""
    window = by_offset(
        call.world.store.all("voice"), call.query["offset"], call.query["limit"]
    )
    return json_response(
        {
            "items": window.items,
            "total": window.total,
            "page": window.page,
            "page_size": window.page_size,
            "total_pages": window.total_pages,
        }
    )


def get(call: Call) -> Response:
    """GET /v1/audio/voices/{voice_id}."""
    return json_response(_voice(call.world, call.path["voice_id"]))


def update(call: Call) -> Response:
    """PATCH /v1/audio/voices/{voice_id}: the fields given (not null)."""
    voice = _voice(call.world, call.path["voice_id"])
    for name in _UPDATABLE:
        if call.json.get(name) is not None:
            voice[name] = call.json[name]
    call.world.store.put("voice", voice["id"], voice)
    return json_response(voice)


def delete(call: Call) -> Response:
    """DELETE /v1/audio/voices/{voice_id}: answers the deleted voice."""
    voice = _voice(call.world, call.path["voice_id"])
    call.world.store.delete("voice", voice["id"])
    call.world.store.delete_blob(f"voice:{voice['id']}")
    return json_response(voice)


def sample(call: Call) -> Response:
    """GET /v1/audio/voices/{voice_id}/sample: the sample as `audio/wav`."""
    voice = _voice(call.world, call.path["voice_id"])
    data = call.world.store.get_blob(f"voice:{voice['id']}") or b""
    if not (data[:4] == b"RIFF" and data[8:12] == b"WAVE"):
        data = encode(f"Hello, I am {voice['name']}.", "wav", voice["id"])
    return Response(200, [("content-type", "audio/wav")], data)


HANDLERS: dict[str, Handler] = {
    "list_voices_v1_audio_voices_get": list_voices,
    "create_voice_v1_audio_voices_post": create,
    "get_voice_v1_audio_voices__voice_id__get": get,
    "update_voice_v1_audio_voices__voice_id__patch": update,
    "delete_voice_v1_audio_voices__voice_id__delete": delete,
    "get_voice_sample_audio_v1_audio_voices__voice_id__sample_get": sample,
}

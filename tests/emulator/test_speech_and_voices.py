"""Text to speech and voices over plain HTTP, every answer checked against the spec.

The speech is real audio: the WAV opens with the `wave` module and lasts longer
for a longer text; the event stream's deltas join into the same bytes as the
whole answer; a voice's sample is served as `audio/wav`.
"""

from __future__ import annotations

import base64
import io
import json
import wave
from typing import Any

import httpx2
import pytest

from mistral_sdk.testing import Emulator

from ._raw import ok, raw_client
from ._spec_check import events

SPEECH = "/v1/audio/speech"


@pytest.fixture
def http(emulator: Emulator) -> httpx2.Client:
    return raw_client(emulator)


def _wav(data: bytes) -> tuple[Any, bytes]:
    """Return the WAV's parameters and frames, read with the `wave` module."""
    with wave.open(io.BytesIO(data)) as reader:
        return reader.getparams(), reader.readframes(reader.getnframes())


def speak(http: httpx2.Client, text: str, **fields: object) -> bytes:
    body = ok(http.post(SPEECH, json={"input": text, **fields}))
    return base64.b64decode(body["audio_data"])


def test_speech_is_a_wav_file_the_wave_module_opens(http: httpx2.Client) -> None:
    short, _ = _wav(speak(http, "Hello", response_format="wav"))
    long, frames = _wav(speak(http, "Hello there, how are you?", response_format="wav"))

    assert (short.nchannels, short.sampwidth, short.framerate) == (1, 2, 16_000)
    assert long.nframes > short.nframes > 0
    assert max(frames) > 0


def test_speech_is_deterministic_and_voiced(http: httpx2.Client) -> None:
    first = speak(http, "Same words", response_format="wav", voice_id="Alice")
    again = speak(http, "Same words", response_format="wav", voice_id="Alice")
    other = speak(http, "Same words", response_format="wav", voice_id="Bob")

    assert first == again
    assert first != other
    assert len(first) == len(other)


@pytest.mark.parametrize(
    ("response_format", "magic"),
    [
        ("mp3", b"\xff\xfb"),
        ("flac", b"fLaC"),
        ("opus", b"OggS"),
        ("wav", b"RIFF"),
    ],
)
def test_speech_formats_carry_their_container(
    http: httpx2.Client, response_format: str, magic: bytes
) -> None:
    assert speak(http, "Hi", response_format=response_format).startswith(magic)


def test_speech_defaults_to_mp3_and_pcm_is_the_raw_samples(
    http: httpx2.Client,
) -> None:
    _, frames = _wav(speak(http, "Raw audio", response_format="wav"))

    assert speak(http, "Raw audio").startswith(b"\xff\xfb")
    assert speak(http, "Raw audio", response_format="pcm") == frames


def test_speech_stream_deltas_join_into_the_whole_audio(
    http: httpx2.Client,
) -> None:
    text = " ".join(["word"] * 30)
    whole = speak(http, text, response_format="wav")
    response = http.post(
        SPEECH, json={"input": text, "response_format": "wav", "stream": True}
    )
    found = [(name, json.loads(data)) for name, data in events(response.content)]

    assert response.headers["content-type"].startswith("text/event-stream")
    deltas = [d for name, d in found if name == "speech.audio.delta"]
    assert len(deltas) > 1
    assert b"".join(base64.b64decode(d["audio_data"]) for d in deltas) == whole
    assert found[-1][0] == "speech.audio.done"
    assert found[-1][1]["usage"]["prompt_tokens"] == 30


def test_speech_refuses_a_model_that_does_not_speak(http: httpx2.Client) -> None:
    response = http.post(SPEECH, json={"input": "Hi", "model": "mistral-embed"})

    assert response.status_code == 400
    assert response.json()["type"] == "invalid_model"


def test_speech_requires_input(http: httpx2.Client) -> None:
    response = http.post(SPEECH, json={"model": "voxtral-mini-tts-latest"})

    assert response.status_code == 422


def _voice(
    http: httpx2.Client, name: str, sample: bytes = b"\x00\x01"
) -> dict[str, Any]:
    body = {"name": name, "sample_audio": base64.b64encode(sample).decode()}
    created: dict[str, Any] = ok(http.post("/v1/audio/voices", json=body))
    return created


def test_voices_crud(http: httpx2.Client) -> None:
    voice = _voice(http, "Narrator")
    path = f"/v1/audio/voices/{voice['id']}"

    updated = ok(http.patch(path, json={"name": "Storyteller", "languages": ["fr"]}))
    fetched = ok(http.get(path))
    deleted = ok(http.delete(path))
    gone = http.get(path)

    assert (updated["name"], updated["languages"]) == ("Storyteller", ["fr"])
    assert fetched == updated
    assert deleted["id"] == voice["id"]
    assert gone.status_code == 404


def test_voices_list_pages_by_offset(http: httpx2.Client) -> None:
    ids = [_voice(http, f"v{i}")["id"] for i in range(5)]

    first = ok(http.get("/v1/audio/voices", params={"limit": 2}))
    third = ok(http.get("/v1/audio/voices", params={"limit": 2, "offset": 4}))

    assert [v["id"] for v in first["items"]] == ids[:2]
    assert (first["total"], first["page"], first["total_pages"]) == (5, 1, 3)
    assert [v["id"] for v in third["items"]] == ids[4:]
    assert third["page"] == 3


def test_voice_sample_is_audio_wav(http: httpx2.Client) -> None:
    uploaded_wav = speak(http, "My own voice", response_format="wav")
    mine = _voice(http, "Mine", uploaded_wav)
    other = _voice(http, "Other", b"not a wav")

    same = http.get(f"/v1/audio/voices/{mine['id']}/sample")
    spoken = http.get(f"/v1/audio/voices/{other['id']}/sample")

    assert same.headers["content-type"] == "audio/wav"
    assert same.content == uploaded_wav
    assert _wav(spoken.content)[0].nframes > 0


def test_speech_with_a_saved_voice_or_a_missing_one(http: httpx2.Client) -> None:
    voice = _voice(http, "Saved")
    http.delete(f"/v1/audio/voices/{voice['id']}")
    kept = _voice(http, "Kept")

    assert speak(http, "Hi", voice_id=kept["id"])
    missing = http.post(SPEECH, json={"input": "Hi", "voice_id": voice["id"]})
    assert missing.status_code == 404

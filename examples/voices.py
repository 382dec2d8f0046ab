"""Voices: create a voice from a sample, list voices, download a sample, delete it."""

import base64
import io
import tempfile
import wave
from pathlib import Path

from mistral_sdk import Mistral


def silent_wav(seconds: float = 0.5, rate: int = 16_000) -> bytes:
    """A short mono WAV recording (silence), standing in for a real voice sample."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * int(seconds * rate))
    return buffer.getvalue()


def main() -> None:
    with Mistral() as client:
        voice = client.audio.voices.create(
            name="Support desk",
            languages=["en"],
            sample_audio=base64.b64encode(silent_wav()).decode(),
            sample_filename="support.wav",
        )
        print(f"created voice {voice.name} ({voice.id})")
        for listed in client.audio.voices.list(limit=10):
            print(f"  {listed.id} {listed.name}")
        target = Path(tempfile.gettempdir()) / "voice_sample.wav"
        with client.audio.voices.get_sample_audio(voice.id) as sample:
            sample.write_to_file(target)
        print(f"downloaded {target}")
        client.audio.voices.delete(voice.id)
        print(f"deleted {voice.id}")


if __name__ == "__main__":
    main()

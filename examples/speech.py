"""Text to speech: write the audio to a file, then stream it chunk by chunk."""

import base64
import tempfile
from pathlib import Path

from mistral_sdk import Mistral
from mistral_sdk.types import SpeechStreamAudioDelta, SpeechStreamDone

MODEL = "voxtral-mini-tts-latest"
TEXT = "Your order has shipped and arrives on Thursday."
OUT = Path(tempfile.gettempdir())


def main() -> None:
    with Mistral() as client:
        speech = client.audio.speech.complete(
            model=MODEL, input=TEXT, response_format="wav"
        )
        audio = base64.b64decode(speech.audio_data)
        (OUT / "order.wav").write_bytes(audio)
        print(f"wrote {OUT / 'order.wav'} ({len(audio)} bytes)")

        with (
            client.audio.speech.stream(
                model=MODEL, input=TEXT, response_format="mp3"
            ) as stream,
            (OUT / "order.mp3").open("wb") as out,
        ):
            for event in stream:
                if isinstance(event, SpeechStreamAudioDelta):
                    out.write(base64.b64decode(event.audio_data))
                elif isinstance(event, SpeechStreamDone):
                    print(f"streamed {out.name} ({event.usage.total_tokens} tokens)")


if __name__ == "__main__":
    main()

"""Audio: transcribe a recording given by URL, then stream a transcription."""

from mistral_sdk import Mistral

AUDIO_URL = "https://docs.mistral.ai/audio/obama.mp3"


def main() -> None:
    with Mistral() as client:
        result = client.audio.transcriptions.complete(
            model="voxtral-mini-latest", file_url=AUDIO_URL
        )
        print(f"[{result.language}] {result.text}")
        with client.audio.transcriptions.stream(
            model="voxtral-mini-latest", file_url=AUDIO_URL
        ) as stream:
            for event in stream:
                print(f"event: {event.type}")


if __name__ == "__main__":
    main()

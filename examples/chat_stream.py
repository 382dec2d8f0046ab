"""Streamed chat completion: print the answer as it is generated."""

from mistral_sdk import Mistral


def main() -> None:
    with (
        Mistral() as client,
        client.chat.stream(
            model="mistral-small-latest",
            messages=[{"role": "user", "content": "Write a haiku about the sea."}],
        ) as stream,
    ):
        for chunk in stream:
            if chunk.choices:
                content = chunk.choices[0].delta.content
                if isinstance(content, str):
                    print(content, end="", flush=True)
        print()
        print(f"request id: {stream.request_id}")


if __name__ == "__main__":
    main()

"""Moderation: score a text and a chat against the moderation categories."""

from mistral_sdk import Mistral
from mistral_sdk.types import MessageParam


def main() -> None:
    with Mistral() as client:
        text = client.classifiers.moderate(
            model="mistral-moderation-latest",
            input=["I love sunny days in the park."],
        )
        for result in text.results:
            flagged = [name for name, hit in (result.categories or {}).items() if hit]
            print(f"text flagged for: {flagged or 'nothing'}")
        conversation: list[MessageParam] = [
            {"role": "user", "content": "How do I bake bread?"}
        ]
        chat = client.classifiers.moderate_chat(
            model="mistral-moderation-latest", input=conversation
        )
        print(f"chat moderation results: {len(chat.results)}")


if __name__ == "__main__":
    main()

"""Chat completion: one question, one answer.

Reads MISTRAL_API_KEY (and MISTRAL_BASE_URL, if set) from the environment.
"""

from mistral_sdk import Mistral


def main() -> None:
    with Mistral() as client:
        response = client.chat.complete(
            model="mistral-small-latest",
            messages=[
                {"role": "system", "content": "Answer in one short sentence."},
                {"role": "user", "content": "What is the capital of France?"},
            ],
            temperature=0.2,
        )
        choice = response.choices[0]
        print(f"[{choice.finish_reason}] {choice.message.content}")
        print(f"tokens: {response.usage.total_tokens}")


if __name__ == "__main__":
    main()

"""Fill-in-the-middle: complete the body of a function between a prefix and a suffix."""

from mistral_sdk import Mistral


def main() -> None:
    with Mistral() as client:
        response = client.fim.complete(
            model="codestral-latest",
            prompt="def fibonacci(n: int) -> int:\n",
            suffix="\n\nprint(fibonacci(10))\n",
            max_tokens=64,
        )
        print(response.choices[0].message.content)


if __name__ == "__main__":
    main()

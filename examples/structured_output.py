"""Structured output: replies parsed into your own pydantic model, whole and streamed.

Reads MISTRAL_API_KEY (and MISTRAL_BASE_URL, if set) from the environment.
"""

from typing import Literal

from pydantic import BaseModel, Field

from mistral_sdk import LengthFinishReasonError, Mistral, StructuredOutputError
from mistral_sdk.types import MessageParam

MODEL = "mistral-small-latest"


class Landmark(BaseModel):
    """A place worth a visit."""

    name: str
    kind: Literal["museum", "monument", "park", "other"]


class City(BaseModel):
    """Facts about a city."""

    name: str
    country: str
    population: int = Field(description="Inhabitants of the city proper")
    landmarks: list[Landmark]
    motto: str | None = None


def main() -> None:
    question: list[MessageParam] = [
        {"role": "user", "content": "Describe Paris with two landmarks."}
    ]
    with Mistral() as client:
        # 1. One call, one typed value.
        completion = client.chat.parse(
            model=MODEL, messages=question, response_format=City, temperature=0
        )
        message = completion.choices[0].message
        city = message.parsed
        if city is None:
            print(f"no city: {message.refusal or 'the model answered otherwise'}")
        else:
            names = ", ".join(f"{m.name} ({m.kind})" for m in city.landmarks)
            print(f"{city.name}, {city.country}: {city.population} people; {names}")

        # 2. Streamed: the value grows as the text comes.
        with client.chat.parse_stream(
            model=MODEL, messages=question, response_format=City
        ) as stream:
            shown = 0
            for event in stream:
                # `event.parsed`: the text so far read as partial JSON (a dict here).
                partial = event.parsed if isinstance(event.parsed, dict) else {}
                if len(partial) > shown:
                    shown = len(partial)
                    print(f"  fields so far: {', '.join(partial)}")
            final = stream.get_final_completion()
        print(f"streamed: {final.choices[0].message.parsed}")

        # 3. A reply cut by the token limit cannot be parsed: the error keeps the text.
        try:
            client.chat.parse(
                model=MODEL, messages=question, response_format=City, max_tokens=5
            )
        except LengthFinishReasonError as error:
            print(f"cut by max_tokens, kept the text: {error.content!r}")
        except StructuredOutputError as error:
            print(f"could not parse: {error}")


if __name__ == "__main__":
    main()

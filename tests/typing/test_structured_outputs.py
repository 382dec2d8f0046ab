"""Structured outputs as users write them, checked by mypy --strict and pyright.

Never run: pytest does not collect `tests/typing`. Negative cases end in
`# type: ignore[<code>]`; mypy's `warn_unused_ignores` fails the check if the error
they expect goes away, and pyright reports an unnecessary ignore the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel
from typing_extensions import TypedDict, assert_type

from mistral_sdk import (
    AsyncMistral,
    LengthFinishReasonError,
    Mistral,
    MistralError,
    OutputValidationError,
    StructuredOutputError,
)
from mistral_sdk.helpers import AsyncParseStream
from mistral_sdk.helpers.structured import (
    JSONValue,
    ParsedChatCompletion,
    ParseStreamEvent,
)
from mistral_sdk.types import ChatCompletionResponse


class City(BaseModel):
    name: str
    population: int


class Point(TypedDict):
    x: int
    y: int


@dataclass
class Box:
    width: float


def parse_a_model(client: Mistral) -> None:
    completion = client.chat.parse(
        model="mistral-small-latest",
        messages=[{"role": "user", "content": "Paris?"}],
        response_format=City,
        temperature=0,
        max_tokens=200,
        timeout=10.0,
    )
    assert_type(completion, ParsedChatCompletion[City])
    assert_type(completion.choices[0].message.parsed, City | None)
    city = completion.choices[0].message.parsed
    if city is not None:
        assert_type(city.population, int)
    assert_type(completion.choices[0].message.refusal, str | None)
    # A parsed completion is still a completion.
    plain: ChatCompletionResponse = completion
    del plain


def parse_typed_dicts_and_dataclasses(client: Mistral) -> None:
    point = client.chat.parse(model="m", messages=[], response_format=Point)
    assert_type(point.choices[0].message.parsed, Point | None)
    box = client.chat.parse(model="m", messages=[], response_format=Box)
    assert_type(box.choices[0].message.parsed, Box | None)


def parse_an_agent_reply(client: Mistral) -> None:
    completion = client.agents.parse(agent_id="ag_1", messages=[], response_format=City)
    assert_type(completion.choices[0].message.parsed, City | None)


def parse_stream(client: Mistral) -> None:
    with client.chat.parse_stream(
        model="m", messages=[], response_format=City
    ) as stream:
        for event in stream:
            assert_type(event, ParseStreamEvent)
            assert_type(event.delta, str)
            assert_type(event.snapshot, str)
            if isinstance(event.parsed, dict):
                fields: dict[str, JSONValue] = event.parsed
                del fields
        for text in stream.text_stream:
            assert_type(text, str)
        final = stream.get_final_completion()
    assert_type(final.choices[0].message.parsed, City | None)


async def parse_on_the_async_client(client: AsyncMistral) -> None:
    completion = await client.chat.parse(model="m", messages=[], response_format=City)
    assert_type(completion.choices[0].message.parsed, City | None)
    async with client.chat.parse_stream(
        model="m", messages=[], response_format=City
    ) as stream:
        async for event in stream:
            assert_type(event, ParseStreamEvent)
        final = await stream.get_final_completion()
    assert_type(final.choices[0].message.parsed, City | None)
    # Awaited instead of entered: the open stream, as `await client.chat.stream(...)`.
    opened = await client.chat.parse_stream(
        model="m", messages=[], response_format=City
    )
    assert_type(opened, AsyncParseStream[City])
    assert_type(
        (await opened.get_final_completion()).choices[0].message.parsed, City | None
    )
    await opened.close()
    agent_stream = await client.agents.parse_stream(
        agent_id="a", messages=[], response_format=City
    )
    assert_type(agent_stream, AsyncParseStream[City])
    async with client.agents.parse_stream(
        agent_id="a", messages=[], response_format=Point
    ) as entered:
        assert_type(entered, AsyncParseStream[Point])


def errors_carry_the_raw_output(client: Mistral) -> None:
    try:
        client.chat.parse(model="m", messages=[], response_format=City)
    except LengthFinishReasonError as error:
        assert_type(error.content, str)
        assert_type(error.completion, ChatCompletionResponse)
    except OutputValidationError as error:
        assert_type(error.invalid_json, bool)
    except StructuredOutputError as error:
        base: MistralError = error
        del base


def wrong_uses(client: Mistral) -> None:
    client.chat.parse(model="m", messages=[])  # type: ignore[call-arg]
    client.chat.parse(model="m", messages=[], response_format={"type": "json_object"})  # type: ignore[arg-type]
    completion = client.chat.parse(model="m", messages=[], response_format=City)
    name = completion.choices[0].message.parsed.name  # type: ignore[union-attr]  # pyright: ignore[reportOptionalMemberAccess]
    del name

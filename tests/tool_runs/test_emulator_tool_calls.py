"""The emulator calls offered tools, deterministically, with arguments that fit their schema."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from enum import Enum
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field

from mistral_sdk import Mistral, function_tool
from mistral_sdk.testing import Emulator
from mistral_sdk.testing._tool_calls import tool_arguments

MODEL = "mistral-small-latest"


class Color(Enum):
    RED = "red"
    BLUE = "blue"


class Item(BaseModel):
    sku: Annotated[str, Field(min_length=3, max_length=5)]
    quantity: Annotated[int, Field(gt=0, le=9)]


@dataclasses.dataclass
class Address:
    street: str
    zip_code: str | None = None


def order(
    items: list[Item],
    ship_to: Address,
    color: Color,
    when: date,
    speed: Literal["slow", "fast"] = "slow",
    gift: bool = False,
    ratio: Annotated[float, Field(ge=0.5)] = 1.0,
    tags: Annotated[list[str], Field(min_length=2)] | None = None,
) -> str:
    return "ok"


def weather(city: str, days: int = 1) -> str:
    return city


def time_in(city: str) -> str:
    return city


def ask(client: Mistral, text: str, *tools: Any, **options: Any) -> Any:
    definitions = [function_tool(t) for t in tools]
    return client.chat.complete(
        model=MODEL,
        messages=[{"role": "user", "content": text}],
        tools=definitions,
        **options,
    ).choices[0]


@pytest.mark.parametrize("func", [order, weather, time_in])
def test_tool_arguments_are_valid_for_pydantic_schemas(func: Any) -> None:
    tool = function_tool(func)

    arguments = tool_arguments(tool.function.parameters, "hello world")

    tool.bind(json.dumps(arguments))  # raises if anything does not fit


def test_tool_arguments_use_the_text_and_bounds() -> None:
    schema = function_tool(order).function.parameters
    arguments = tool_arguments(schema, "hello world")

    assert arguments["items"] == [{"sku": "hello", "quantity": 1}]
    assert tool_arguments(schema, "a")["items"][0]["sku"] == "axx"
    assert arguments["color"] == "red"
    assert arguments["speed"] == "slow"
    assert arguments["when"] == "2025-01-01"


def test_emulator_calls_a_tool_on_the_first_user_turn() -> None:
    with Emulator().client() as client:
        choice = ask(client, "Lyon", weather)

    (call,) = choice.message.tool_calls
    assert choice.finish_reason == "tool_calls"
    assert call.function.name == "weather"
    assert json.loads(call.function.arguments) == {"city": "Lyon", "days": 0}


def test_emulator_calls_every_tool_the_text_names_in_parallel() -> None:
    with Emulator().client() as client:
        choice = ask(client, "time in Oslo and the weather", weather, time_in)

    assert [c.function.name for c in choice.message.tool_calls] == [
        "weather",
        "time_in",
    ]
    assert [c.index for c in choice.message.tool_calls] == [0, 1]


def test_emulator_answers_in_text_after_the_results_and_on_later_turns() -> None:
    messages: Any = [
        {"role": "user", "content": "Lyon"},
        {"role": "assistant", "content": "It is sunny."},
        {"role": "user", "content": "And Oslo?"},
    ]
    with Emulator().client() as client:
        later = client.chat.complete(
            model=MODEL, messages=messages, tools=[function_tool(weather)]
        )

    assert later.choices[0].message.tool_calls is None
    assert later.choices[0].message.content == "And Oslo?"


@pytest.mark.parametrize(
    ("when", "calls"), [("every_turn", True), ("never", False), ("first_turn", False)]
)
def test_emulator_auto_tool_calls_is_scriptable(when: Any, calls: bool) -> None:
    emulator = Emulator()
    emulator.script.auto_tool_calls(when)
    messages: Any = [
        {"role": "user", "content": "Lyon"},
        {"role": "assistant", "content": "Sunny."},
        {"role": "user", "content": "Oslo"},
    ]
    with emulator.client() as client:
        reply = client.chat.complete(
            model=MODEL, messages=messages, tools=[function_tool(weather)]
        )

    assert (reply.choices[0].message.tool_calls is not None) is calls


def test_emulator_tool_choice_none_and_named() -> None:
    with Emulator().client() as client:
        none = ask(client, "weather", weather, time_in, tool_choice="none")
        named = ask(
            client,
            "weather",
            weather,
            time_in,
            tool_choice={"type": "function", "function": {"name": "time_in"}},
        )

    assert none.message.tool_calls is None
    assert [c.function.name for c in named.message.tool_calls] == ["time_in"]


def test_emulator_streams_the_tool_call_then_the_answer() -> None:
    emulator = Emulator()
    with emulator.client() as client:
        stream = client.chat.stream(
            model=MODEL,
            messages=[{"role": "user", "content": "Lyon"}],
            tools=[function_tool(weather)],
        )
        with stream:
            chunks = list(stream)

    deltas = [c.choices[0].delta for c in chunks]
    calls = [call for d in deltas for call in d.tool_calls or []]
    assert [c.function.name for c in calls] == ["weather"]
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


def test_emulator_conversation_stream_has_the_function_call() -> None:
    emulator = Emulator()
    with emulator.client() as client:
        stream = client.beta.conversations.start_stream(
            model=MODEL,
            inputs="Lyon",
            tools=[{"type": "function", "function": function_tool(weather).function}],
        )
        with stream:
            kinds = [event.type for event in stream]

    assert "function.call.delta" in kinds
    assert "message.output.delta" not in kinds

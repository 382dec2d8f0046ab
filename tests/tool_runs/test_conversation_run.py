"""`client.beta.conversations.run`: function calls run locally, results sent back as entries."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mistral_sdk import MaxStepsExceededError
from mistral_sdk.helpers.tools import PendingToolCall, ToolDecision
from mistral_sdk.testing import Emulator
from mistral_sdk.types import FunctionCallEntry, MessageOutputEntry

from .conftest import Runner


def get_weather(city: str, days: int = 1) -> dict[str, object]:
    """Forecast for a city.

    Args:
        city: The city.
        days: How many days ahead.
    """
    return {"city": city, "days": days, "sky": "clear"}


def bodies(emulator: Emulator, *operations: str) -> list[dict[str, Any]]:
    return [
        json.loads(x.request.body) for x in emulator.log if x.operation_id in operations
    ]


START = "agents_api_v1_conversations_start"
APPEND = "agents_api_v1_conversations_append"


def test_conversation_run_sends_results_as_entries_until_the_answer(
    runner: Runner, emulator: Emulator
) -> None:
    run = runner.converse(inputs="Weather in Oslo?", tools=[get_weather])

    (start,) = bodies(emulator, START)
    (append,) = bodies(emulator, APPEND)
    assert start["tools"][0]["function"]["name"] == "get_weather"
    assert start["tools"][0]["function"]["parameters"]["properties"]["days"] == {
        "default": 1,
        "type": "integer",
        "description": "How many days ahead.",
    }
    call = run.steps[0].response.outputs[0]
    assert isinstance(call, FunctionCallEntry)
    assert append["inputs"] == [
        {
            "object": "entry",
            "type": "function.result",
            "tool_call_id": call.tool_call_id,
            "result": '{"city":"Weather in Oslo?","days":0,"sky":"clear"}',
        }
    ]
    answer = run.final.outputs[-1]
    assert isinstance(answer, MessageOutputEntry)
    assert answer.content == '{"city":"Weather in Oslo?","days":0,"sky":"clear"}'
    assert run.conversation_id == run.final.conversation_id


def test_conversation_run_entries_hold_the_whole_exchange(runner: Runner) -> None:
    run = runner.converse(inputs="Weather in Oslo?", tools=[get_weather])

    kinds = [e["type"] if isinstance(e, dict) else e.type for e in run.entries]
    assert kinds == [
        "message.input",
        "function.call",
        "function.result",
        "message.output",
    ]


def test_conversation_run_a_raising_function_and_bad_arguments(
    runner: Runner, emulator: Emulator
) -> None:
    def broken(city: str) -> str:
        raise RuntimeError("sensor offline")

    emulator.script.tool_call("broken", {"town": "Oslo"})
    emulator.script.tool_call("broken", {"city": "Oslo"})

    run = runner.converse(inputs="Oslo", tools=[broken])

    bad, raised = (step.results[0].content for step in run.steps[:2])
    assert bad.startswith("Error: invalid arguments: ")
    assert "city: Missing required argument" in bad
    assert "town: Unexpected keyword argument" in bad
    assert raised == "Error: RuntimeError: sensor offline"
    assert len(run.steps) == 3


def test_conversation_run_stops_at_max_steps(
    runner: Runner, emulator: Emulator
) -> None:
    emulator.script.tool_call("get_weather", {"city": "Oslo"}, times=None)

    with pytest.raises(MaxStepsExceededError) as caught:
        runner.converse(inputs="Oslo", tools=[get_weather], max_steps=2)

    run: Any = caught.value.run
    assert len(run.steps) == 2
    assert len(bodies(emulator, START, APPEND)) == 2
    assert run.entries[-1]["type"] == "function.result"


def test_conversation_run_hook_refuses(runner: Runner) -> None:
    def on_tool_call(call: PendingToolCall) -> ToolDecision:
        return call.refuse("Not now.")

    run = runner.converse(inputs="Oslo", tools=[get_weather], on_tool_call=on_tool_call)

    assert run.steps[0].results[0].content == "Not now."
    assert run.steps[0].results[0].value is None


def test_conversation_run_continues_a_conversation(
    runner: Runner, emulator: Emulator
) -> None:
    first = runner.converse(inputs="Hello", tools=[get_weather])
    emulator.script.tool_call("get_weather", {"city": "Rome"})

    run = runner.converse(
        inputs="And Rome?",
        tools=[get_weather],
        conversation_id=first.conversation_id,
    )

    assert run.conversation_id == first.conversation_id
    assert run.steps[0].results[0].value == {"city": "Rome", "days": 1, "sky": "clear"}
    assert bodies(emulator, APPEND)[-2]["inputs"] == "And Rome?"


def test_conversation_run_refuses_start_fields_when_continuing(runner: Runner) -> None:
    with pytest.raises(ValueError, match="instructions: set when a conversation"):
        runner.converse(
            inputs="x",
            tools=[get_weather],
            conversation_id="conv_1",
            instructions="Be brief.",
        )


def test_conversation_run_with_an_agent_sends_no_tools(
    runner: Runner, emulator: Emulator
) -> None:
    with emulator.client() as setup:
        agent = setup.beta.agents.create(
            model="mistral-small-latest",
            name="forecaster",
            tools=[
                {
                    "type": "function",
                    "function": {
                        "name": "get_weather",
                        "parameters": {
                            "type": "object",
                            "properties": {"city": {"type": "string"}},
                        },
                    },
                }
            ],
        )

    run = runner.converse(inputs="Oslo", tools=[get_weather], agent_id=agent.id)

    (start,) = bodies(emulator, START)
    assert "tools" not in start
    assert run.steps[0].results[0].value == {"city": "Oslo", "days": 1, "sky": "clear"}


def test_conversation_run_streams_the_answer(
    runner: Runner, emulator: Emulator
) -> None:
    def shout(city: str) -> str:
        return f"snow in {city}"

    texts = runner.converse_texts(inputs="Oslo", tools=[shout], stream=True)

    assert texts == ["snow", " in", " Oslo"]
    operations = [x.operation_id for x in emulator.log]
    assert operations == [
        "agents_api_v1_conversations_start_stream",
        "agents_api_v1_conversations_append_stream",
    ]

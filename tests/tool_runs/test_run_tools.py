"""`client.chat.run_tools`: the loop, its messages, and every way a call can go wrong.

Each test runs on both clients against the emulator (scripted where the model must
misbehave).
"""

from __future__ import annotations

import json
from typing import Any, Literal

import pytest

from mistral_sdk import MaxStepsExceededError, function_tool
from mistral_sdk.helpers.tools import PendingToolCall, ToolDecision
from mistral_sdk.testing import Emulator, Reply, ToolCall

from .conftest import Runner

USER = [{"role": "user", "content": "Weather in Lyon?"}]


def get_weather(city: str, unit: Literal["c", "f"] = "c") -> dict[str, object]:
    """Current weather in a city."""
    return {"city": city, "degrees": 21, "unit": unit}


def role(message: Any) -> str:
    return str(message["role"] if isinstance(message, dict) else message.role)


def chat_bodies(emulator: Emulator) -> list[dict[str, Any]]:
    return [
        json.loads(x.request.body)
        for x in emulator.log
        if x.operation_id == "chat_completion_v1_chat_completions_post"
    ]


def test_run_tools_calls_the_function_then_returns_the_answer(runner: Runner) -> None:
    run = runner.chat(messages=USER, tools=[get_weather])

    first, last = run.steps
    assert [r.value for r in first.results] == [
        {"city": "Weather in Lyon?", "degrees": 21, "unit": "c"}
    ]
    assert last.results == []
    assert run.final is last.response
    # The emulator's echo model answers with the tool result it was given.
    assert run.final.choices[0].message.content == first.results[0].content


def test_run_tools_messages_are_the_whole_exchange(runner: Runner) -> None:
    run = runner.chat(messages=USER, tools=[get_weather])

    user, assistant, tool, answer = run.messages
    assert user == USER[0]
    call = assistant.tool_calls[0]
    assert tool == {
        "role": "tool",
        "tool_call_id": call.id,
        "name": "get_weather",
        "content": '{"city":"Weather in Lyon?","degrees":21,"unit":"c"}',
    }
    assert answer is run.final.choices[0].message


def test_run_tools_sends_the_tools_and_the_results(
    runner: Runner, emulator: Emulator
) -> None:
    run = runner.chat(messages=USER, tools=[get_weather], temperature=0.5)

    first, second = chat_bodies(emulator)
    assert [t["function"]["name"] for t in first["tools"]] == ["get_weather"]
    assert first["tools"][0]["function"]["description"] == "Current weather in a city."
    assert first["temperature"] == second["temperature"] == 0.5
    assert [m["role"] for m in second["messages"]] == ["user", "assistant", "tool"]
    assert second["messages"][2]["tool_call_id"] == run.steps[0].results[0].id
    assert USER == [{"role": "user", "content": "Weather in Lyon?"}]  # not changed


def test_run_tools_forcing_tool_choice_applies_to_the_first_request(
    runner: Runner, emulator: Emulator
) -> None:
    runner.chat(messages=USER, tools=[get_weather], tool_choice="any")

    first, second = chat_bodies(emulator)
    assert (first["tool_choice"], second["tool_choice"]) == ("any", "auto")


def test_run_tools_arguments_not_json_reach_the_model_as_an_error(
    runner: Runner, emulator: Emulator
) -> None:
    emulator.script.tool_call("get_weather", '{"city": "Ly')

    run = runner.chat(messages=USER, tools=[get_weather])

    result = run.steps[0].results[0]
    assert result.arguments is None
    assert result.content.startswith("Error: invalid arguments: not JSON")
    assert run.messages[2]["content"] == result.content


def test_run_tools_arguments_failing_validation_give_the_message(
    runner: Runner, emulator: Emulator
) -> None:
    emulator.script.tool_call("get_weather", {"city": 3, "unit": "kelvin"})

    run = runner.chat(messages=USER, tools=[get_weather])

    text = run.steps[0].results[0].content
    assert text.startswith("Error: invalid arguments: ")
    assert "city: Input should be a valid string" in text
    assert "unit: Input should be 'c' or 'f'" in text


def test_run_tools_a_function_that_raises_gives_its_error_text(
    runner: Runner, emulator: Emulator
) -> None:
    def lookup(city: str) -> str:
        raise LookupError(f"no station in {city}")

    run = runner.chat(messages=USER, tools=[lookup])

    result = run.steps[0].results[0]
    assert result.content == "Error: LookupError: no station in Weather in Lyon?"
    assert result.is_error
    assert len(run.steps) == 2  # the model still answered


def test_run_tools_a_return_value_that_is_not_json_gives_an_error_text(
    runner: Runner,
) -> None:
    def lookup(city: str) -> list[object]:
        loop: list[object] = [city]
        loop.append(loop)
        return loop

    run = runner.chat(messages=USER, tools=[lookup])

    result = run.steps[0].results[0]
    assert result.is_error
    assert result.content.startswith("Error: ")
    assert "Circular reference" in result.content
    assert len(run.steps) == 2  # the model still answered


def test_run_tools_an_unknown_tool_is_reported_to_the_model(
    runner: Runner, emulator: Emulator
) -> None:
    emulator.script.tool_call("get_time", {})

    run = runner.chat(messages=USER, tools=[get_weather])

    assert run.steps[0].results[0].content == (
        "Error: no tool named 'get_time' (tools: get_weather)"
    )


def test_run_tools_stops_at_max_steps_with_the_run_so_far(
    runner: Runner, emulator: Emulator
) -> None:
    emulator.script.tool_call("get_weather", {"city": "Paris"}, times=None)

    with pytest.raises(MaxStepsExceededError) as caught:
        runner.chat(messages=USER, tools=[get_weather], max_steps=3)

    run: Any = caught.value.run
    assert caught.value.max_steps == 3
    assert len(run.steps) == 3
    assert len(chat_bodies(emulator)) == 3
    # The last calls ran: the messages end with their results, ready to go on.
    assert [role(m) for m in run.messages[-2:]] == ["assistant", "tool"]


def test_run_tools_hook_approves_changes_and_refuses(
    runner: Runner, emulator: Emulator
) -> None:
    emulator.script.add(
        Reply(
            tool_calls=[
                ToolCall("get_weather", {"city": "Lyon"}, "a"),
                ToolCall("get_weather", {"city": "Oslo"}, "b"),
                ToolCall("get_weather", {"city": "Rome"}, "c"),
            ]
        )
    )
    seen: list[PendingToolCall] = []

    def on_tool_call(call: PendingToolCall) -> ToolDecision | None:
        seen.append(call)
        if call.arguments["city"] == "Oslo":
            return call.with_arguments(unit="f")
        if call.arguments["city"] == "Rome":
            return call.refuse("Rome is off limits.")
        return None

    run = runner.chat(messages=USER, tools=[get_weather], on_tool_call=on_tool_call)

    lyon, oslo, rome = run.steps[0].results
    assert [c.id for c in seen] == ["a", "b", "c"]
    assert lyon.value == {"city": "Lyon", "degrees": 21, "unit": "c"}
    assert oslo.value == {"city": "Oslo", "degrees": 21, "unit": "f"}
    assert (rome.content, rome.arguments, rome.value) == (
        "Rome is off limits.",
        None,
        None,
    )
    assert [m["tool_call_id"] for m in run.messages[2:5]] == ["a", "b", "c"]


def test_run_tools_hook_changes_are_validated(
    runner: Runner, emulator: Emulator
) -> None:
    def on_tool_call(call: PendingToolCall) -> ToolDecision:
        return call.with_arguments(unit="kelvin")

    run = runner.chat(messages=USER, tools=[get_weather], on_tool_call=on_tool_call)

    assert "unit: Input should be 'c' or 'f'" in run.steps[0].results[0].content


def test_run_tools_takes_definition_and_function_pairs(
    runner: Runner, emulator: Emulator
) -> None:
    definition: Any = {
        "type": "function",
        "function": {
            "name": "weather_now",
            "description": "Now.",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
            },
        },
    }

    run = runner.chat(messages=USER, tools=[(definition, get_weather)])

    assert chat_bodies(emulator)[0]["tools"] == [definition]
    assert run.steps[0].results[0].value["city"] == "Weather in Lyon?"


def test_run_tools_takes_function_tools(runner: Runner) -> None:
    tool = function_tool(get_weather)

    run = runner.chat(messages=USER, tools=[tool])

    assert run.steps[0].results[0].name == "get_weather"


def test_run_tools_iterating_gives_each_step_as_it_happens(
    runner: Runner, emulator: Emulator
) -> None:
    seen: list[int] = []

    for step in runner.chat_steps(messages=USER, tools=[get_weather]):
        seen.append(len(chat_bodies(emulator)))
        assert step.response.choices

    assert seen == [1, 2]


def test_run_tools_rejects_bad_setups(runner: Runner) -> None:
    def weather(city: str) -> str:
        return city

    with pytest.raises(ValueError, match="two tools are named 'weather'"):
        runner.chat(messages=USER, tools=[weather, weather])
    with pytest.raises(ValueError, match="max_steps must be at least 1"):
        runner.chat(messages=USER, tools=[weather], max_steps=0)


def test_run_tools_streams_the_final_answer(runner: Runner, emulator: Emulator) -> None:
    def shout(city: str) -> str:
        return f"sunny in {city} today"

    texts = runner.chat_texts(messages=USER, tools=[shout], stream=True)

    assert texts == ["sunny", " in", " Weather", " in", " Lyon?", " today"]
    streamed = [body["stream"] for body in chat_bodies(emulator) if "stream" in body]
    assert streamed == [True, True]


def test_run_tools_text_stream_without_streaming_gives_whole_texts(
    runner: Runner,
) -> None:
    texts = runner.chat_texts(messages=USER, tools=[get_weather])

    assert texts == ['{"city":"Weather in Lyon?","degrees":21,"unit":"c"}']

"""Tool helpers as users write them, checked by mypy --strict and pyright.

Never run: pytest does not collect `tests/typing`. Negative cases end in
`# type: ignore[<code>]`; an ignore that is no longer needed fails the check.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import assert_type

from mistral_sdk import (
    AsyncMistral,
    MaxStepsExceededError,
    Mistral,
    function_tool,
)
from mistral_sdk.helpers.tools import (
    PendingToolCall,
    ToolDecision,
    ToolFunction,
    ToolStep,
)
from mistral_sdk.types import ChatCompletionResponse, ConversationResponse, Tool


@function_tool
def get_weather(city: str, unit: Literal["c", "f"] = "c") -> dict[str, object]:
    """Current weather in a city."""
    return {"city": city, "unit": unit}


@function_tool(name="local_time", description="The time in a city.")
async def time_in(city: str) -> str:
    return city


def plain(city: str) -> int:
    return len(city)


def decorated_functions_keep_their_type() -> None:
    assert_type(get_weather("Lyon"), dict[str, object])
    assert_type(get_weather("Lyon", unit="f"), dict[str, object])
    get_weather(3)  # type: ignore[arg-type]
    get_weather("Lyon", unit="kelvin")  # type: ignore[arg-type]
    get_weather()  # type: ignore[call-arg]
    tool: Tool = function_tool(plain)  # a Tool, for every `tools=` argument
    assert_type(function_tool(plain)("x"), int)
    typed: ToolFunction[[str], int] = function_tool(plain)
    wrong: ToolFunction[[int], int] = function_tool(plain)  # type: ignore[arg-type]
    assert typed.function.name == wrong.function.name
    assert tool.function.name


async def coroutine_tools_stay_coroutines() -> None:
    assert_type(await time_in("Oslo"), str)


def on_tool_call(call: PendingToolCall) -> ToolDecision | None:
    if call.name == "delete_everything":
        return call.refuse("Not allowed.")
    if call.arguments.get("unit") == "kelvin":
        return call.with_arguments(unit="c")
    return None


def sync_runs(client: Mistral) -> None:
    run = client.chat.run_tools(
        model="mistral-small-latest",
        messages=[{"role": "user", "content": "Weather in Lyon?"}],
        tools=[get_weather, plain],
        max_steps=4,
        on_tool_call=on_tool_call,
        temperature=0.2,
    )
    assert_type(run.final, ChatCompletionResponse)
    for step in run:
        assert_type(step, ToolStep[ChatCompletionResponse])
        for result in step.results:
            assert_type(result.content, str)
    for text in run.text_stream:
        assert_type(text, str)
    client.chat.complete(model="m", messages=run.messages)
    client.chat.run_tools(model="m", messages=[], tools=[get_weather], max_steps="2")  # type: ignore[arg-type]
    talk = client.beta.conversations.run(
        inputs="Weather in Lyon?", model="mistral-small-latest", tools=[get_weather]
    )
    assert_type(talk.final, ConversationResponse)
    assert_type(talk.conversation_id, str | None)
    for piece in talk.text_stream:
        assert_type(piece, str)
    try:
        run.until_done()
    except MaxStepsExceededError as error:
        assert_type(error.max_steps, int)


async def async_runs(client: AsyncMistral) -> None:
    run = await client.chat.run_tools(
        model="mistral-small-latest",
        messages=[{"role": "user", "content": "Weather?"}],
        tools=[get_weather, time_in],
    )
    assert_type(run.final, ChatCompletionResponse)
    async for step in client.chat.run_tools(model="m", messages=[], tools=[plain]):
        assert_type(step, ToolStep[ChatCompletionResponse])
    final = await client.chat.run_tools(
        model="m", messages=[], tools=[plain]
    ).until_done()
    assert_type(final, ChatCompletionResponse)
    talk = await client.beta.conversations.run(inputs="Hi", tools=[time_in])
    assert_type(talk.final, ConversationResponse)

"""`client.chat.run_tools(...)`: chat, running the functions called, until the answer.

Each step sends the exchange so far, then runs the calls the model asked for
(concurrently on the async client: coroutine functions awaited, the others in
worker threads) and appends the assistant message and one tool message per call.
The run ends with a response without tool calls, or raises
`MaxStepsExceededError` after `max_steps` responses that all called tools.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mistral_sdk._accumulate import text_of
from mistral_sdk._tool_errors import MaxStepsExceededError
from mistral_sdk.helpers._async._calls import run_calls
from mistral_sdk.helpers._async._tool_run import AsyncToolRun
from mistral_sdk.helpers._run_state import RunState
from mistral_sdk.helpers._tool_box import OnToolCall, ToolBox, ToolInput
from mistral_sdk.helpers.tools import ToolResult, ToolStep
from mistral_sdk.types.common import ToolChoice

if TYPE_CHECKING:
    from mistral_sdk.resources.chat import AsyncChat
    from mistral_sdk.types.common import MessageParam, ToolMessageParam
    from mistral_sdk.types.common_completions import ChatCompletionResponse

__all__ = ["AsyncChatToolRun", "run_tools"]

_FORCING = ("any", "required")


def run_tools(
    chat: AsyncChat,
    *,
    model: str,
    messages: Sequence[MessageParam],
    tools: Iterable[ToolInput],
    max_steps: int = 10,
    on_tool_call: OnToolCall | None = None,
    stream: bool = False,
    **request: Any,
) -> AsyncChatToolRun:
    """Return a tool run of `client.chat`; nothing is sent until it is iterated or read.

    Args:
        chat: The `client.chat` resource that sends the requests.
        model: The model to chat with.
        messages: The conversation so far; it is copied, not changed.
        tools: Functions (or `function_tool`s of them), or `(ToolParam, function)`
            pairs whose function answers the definition.
        max_steps: How many responses may call tools before the run stops with
            `MaxStepsExceededError`.
        on_tool_call: Sees each call before it runs; returns `call.approve()`
            (or None), `call.with_arguments(...)` or `call.refuse(reason)`.
        stream: Stream each response (`client.chat.stream`), so that
            `run.text_stream` gives the answer as it is generated.
        **request: Any other argument of `client.chat.complete` (`tool_choice`,
            `temperature`, `timeout`, ...). A forcing `tool_choice` ("any",
            "required" or a named function) applies to the first request only,
            so that the model can answer once it has the results.
    """
    return AsyncChatToolRun(
        chat,
        model=model,
        messages=messages,
        box=ToolBox.for_async(tools),
        max_steps=max_steps,
        on_tool_call=on_tool_call,
        stream=stream,
        request=request,
    )


class AsyncChatToolRun(AsyncToolRun["ChatCompletionResponse"]):
    """A chat that runs the model's tool calls until the model answers.

    Iterating it sends one request per step and gives each step when it is done;
    `until_done()` runs it to the end (on the async client, so does `await run`).
    Then `final` is the last response and `messages` the whole exchange, ready to
    continue.
    """

    def __init__(
        self,
        chat: AsyncChat,
        *,
        model: str,
        messages: Sequence[MessageParam],
        box: ToolBox,
        max_steps: int,
        on_tool_call: OnToolCall | None,
        stream: bool,
        request: dict[str, Any],
    ) -> None:
        if max_steps < 1:
            raise ValueError(f"max_steps must be at least 1, not {max_steps}")
        self._chat = chat
        self._model = model
        self._messages: list[MessageParam] = list(messages)
        self._box = box
        self._max_steps = max_steps
        self._on_tool_call = on_tool_call
        self._request = request
        self._stream = stream
        self._state: RunState[ChatCompletionResponse] = RunState()

    @property
    def messages(self) -> list[MessageParam]:
        """The given messages, then each assistant message and the tool results."""
        self._settled()
        return self._messages

    async def _events(
        self,
    ) -> AsyncIterator[ToolStep[ChatCompletionResponse] | str]:
        self._state.started = True
        while self._state.final is None:
            if len(self._state.steps) >= self._max_steps:
                raise MaxStepsExceededError(self._max_steps, self)
            request = dict(self._request)
            if self._state.steps and _forces_a_call(request.get("tool_choice")):
                request["tool_choice"] = "auto"
            request |= {"model": self._model, "tools": self._box.definitions}
            request["messages"] = list(self._messages)
            if self._stream:
                stream = await self._chat.stream(**request)
                async with stream:
                    async for text in stream.text_stream:
                        yield text
                    response = await stream.get_final_completion()
            else:
                response = await self._chat.complete(**request)
                if text := _text_of(response):
                    yield text
            yield await self._step(response)

    async def _step(
        self, response: ChatCompletionResponse
    ) -> ToolStep[ChatCompletionResponse]:
        message = response.choices[0].message
        self._messages.append(message)
        calls = message.tool_calls or []
        prepared = [
            self._box.prepare(
                call.id, call.function.name, call.function.arguments, self._on_tool_call
            )
            for call in calls
        ]
        results = await run_calls(prepared)
        self._messages.extend(_tool_message(result) for result in results)
        step = ToolStep(response, results)
        self._state.steps.append(step)
        if not calls:
            self._state.final = response
        return step


def _tool_message(result: ToolResult) -> ToolMessageParam:
    return {
        "role": "tool",
        "tool_call_id": result.id,
        "name": result.name,
        "content": result.content,
    }


def _text_of(response: ChatCompletionResponse) -> str:
    return text_of(response.choices[0].message.content)


def _forces_a_call(choice: object) -> bool:
    # "any"/"required", or a named function (a `ToolChoice` or its dict form).
    return choice in _FORCING or isinstance(choice, Mapping | ToolChoice)

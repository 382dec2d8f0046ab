"""`client.beta.conversations.run(...)`: a conversation whose function calls run here.

The first request starts the conversation (or appends to `conversation_id`);
whenever the model's outputs hold `function.call` entries, the functions run
here and their results go back as `function.result` entries of the next append.
The run ends with a response without function calls, or raises
`MaxStepsExceededError` after `max_steps` responses that all called functions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any, Final

from mistral_sdk._accumulate import text_of
from mistral_sdk._tool_errors import MaxStepsExceededError
from mistral_sdk._types import NotGiven
from mistral_sdk.helpers._async._calls import run_calls
from mistral_sdk.helpers._async._tool_run import AsyncToolRun
from mistral_sdk.helpers._run_state import RunState
from mistral_sdk.helpers._tool_box import OnToolCall, ToolBox, ToolInput
from mistral_sdk.helpers.tools import ToolResult, ToolStep
from mistral_sdk.types.conversations import FunctionCallEntry, MessageOutputEntry

if TYPE_CHECKING:
    from mistral_sdk._async._streaming import AsyncConversationStream
    from mistral_sdk.resources.beta.conversations import AsyncBetaConversations
    from mistral_sdk.types.conversations import (
        ConversationInputsParam,
        ConversationResponse,
        EntryParam,
        FunctionResultEntryParam,
    )

__all__ = ["AsyncConversationRun", "run"]

# What an append takes besides `inputs`; the other start fields belong to the first
# request only (`completion_args` also applies to each later turn).
_APPEND_FIELDS: Final = ("store", "handoff_execution", "completion_args")
_OPTIONS: Final = (
    "timeout",
    "max_retries",
    "extra_headers",
    "extra_query",
    "extra_body",
)
_LATER: Final = frozenset((*_APPEND_FIELDS, *_OPTIONS))


def run(
    conversations: AsyncBetaConversations,
    *,
    inputs: ConversationInputsParam,
    tools: Iterable[ToolInput],
    conversation_id: str | None = None,
    max_steps: int = 10,
    on_tool_call: OnToolCall | None = None,
    stream: bool = False,
    **request: Any,
) -> AsyncConversationRun:
    """Return a conversation run; nothing is sent until it is iterated or read.

    Args:
        conversations: The `client.beta.conversations` resource.
        inputs: The first inputs: a user message or entries.
        tools: Functions (or `function_tool`s of them), or `(ToolParam, function)`
            pairs. Sent as the conversation's tools, unless it talks to an agent
            (`agent_id=`), whose own function tools these functions answer.
        conversation_id: Append to this conversation instead of starting one.
        max_steps: How many responses may call functions before the run stops
            with `MaxStepsExceededError`.
        on_tool_call: Sees each call before it runs; returns `call.approve()`
            (or None), `call.with_arguments(...)` or `call.refuse(reason)`.
        stream: Stream each response (`start_stream` / `append_stream`), so
            that `run.text_stream` gives the answer as it is generated.
        **request: The other arguments of `client.beta.conversations.start`
            (`model`, `agent_id`, `instructions`, `completion_args`, ...) or of
            `append` when `conversation_id` is given, and per-call options.
    """
    return AsyncConversationRun(
        conversations,
        inputs=inputs,
        box=ToolBox.for_async(tools),
        conversation_id=conversation_id,
        max_steps=max_steps,
        on_tool_call=on_tool_call,
        stream=stream,
        request=request,
    )


class AsyncConversationRun(AsyncToolRun["ConversationResponse"]):
    """A conversation that runs the model's function calls until the model answers.

    Iterating it sends one request per step and gives each step when it is done;
    `until_done()` runs it to the end (on the async client, so does `await run`).
    Then `final` is the last response and `entries` every entry sent and received.
    """

    def __init__(
        self,
        conversations: AsyncBetaConversations,
        *,
        inputs: ConversationInputsParam,
        box: ToolBox,
        conversation_id: str | None,
        max_steps: int,
        on_tool_call: OnToolCall | None,
        stream: bool,
        request: dict[str, Any],
    ) -> None:
        if max_steps < 1:
            raise ValueError(f"max_steps must be at least 1, not {max_steps}")
        request = {k: v for k, v in request.items() if not isinstance(v, NotGiven)}
        fixed = sorted(
            k for k, v in request.items() if k not in _LATER and v is not None
        )
        if conversation_id is not None and fixed:
            raise ValueError(
                f"{', '.join(fixed)}: set when a conversation starts, not when"
                " it goes on (conversation_id)"
            )
        self._conversations = conversations
        self._inputs = inputs
        self._box = box
        self._conversation_id = conversation_id
        self._max_steps = max_steps
        self._on_tool_call = on_tool_call
        self._request = request
        self._stream = stream
        self._results: list[FunctionResultEntryParam] = []
        self._entries: list[EntryParam] = _as_entries(inputs)
        self._state: RunState[ConversationResponse] = RunState()

    @property
    def conversation_id(self) -> str | None:
        """The conversation's id (None before the first response)."""
        return self._conversation_id

    @property
    def entries(self) -> list[EntryParam]:
        """The inputs, each response's outputs and the function results, in order."""
        self._settled()
        return self._entries

    async def _events(self) -> AsyncIterator[ToolStep[ConversationResponse] | str]:
        self._state.started = True
        while self._state.final is None:
            if len(self._state.steps) >= self._max_steps:
                raise MaxStepsExceededError(self._max_steps, self)
            if self._stream:
                stream = await self._send_streaming()
                async with stream:
                    async for text in stream.text_stream:
                        yield text
                    response = await stream.get_final_response()
            else:
                response = await self._send()
                if text := _text_of(response):
                    yield text
            step = await self._step(response)
            self._results = [_result_entry(result) for result in step.results]
            self._entries.extend(self._results)
            yield step

    async def _step(
        self, response: ConversationResponse
    ) -> ToolStep[ConversationResponse]:
        self._conversation_id = response.conversation_id
        self._entries.extend(response.outputs)
        calls = [e for e in response.outputs if isinstance(e, FunctionCallEntry)]
        prepared = [
            self._box.prepare(c.tool_call_id, c.name, c.arguments, self._on_tool_call)
            for c in calls
        ]
        step = ToolStep(response, await run_calls(prepared))
        self._state.steps.append(step)
        if not calls:
            self._state.final = response
        return step

    async def _send(self) -> ConversationResponse:
        if self._conversation_id is None:
            return await self._conversations.start(**self._start())
        return await self._conversations.append(self._conversation_id, **self._append())

    async def _send_streaming(self) -> AsyncConversationStream:
        if self._conversation_id is None:
            return await self._conversations.start_stream(**self._start())
        return await self._conversations.append_stream(
            self._conversation_id, **self._append()
        )

    def _start(self) -> dict[str, Any]:
        start = {**self._request, "inputs": self._inputs}
        if not start.get("agent_id"):
            start["tools"] = self._box.agent_definitions
        return start

    def _append(self) -> dict[str, Any]:
        later = {k: v for k, v in self._request.items() if k in _LATER}
        # The first request of a run that continues a conversation sends the inputs.
        later["inputs"] = self._results if self._state.steps else self._inputs
        return later


def _result_entry(result: ToolResult) -> FunctionResultEntryParam:
    return {
        "type": "function.result",
        "tool_call_id": result.id,
        "result": result.content,
    }


def _text_of(response: ConversationResponse) -> str:
    return "".join(
        text_of(entry.content)
        for entry in response.outputs
        if isinstance(entry, MessageOutputEntry)
    )


def _as_entries(inputs: ConversationInputsParam) -> list[EntryParam]:
    if isinstance(inputs, str):
        return [{"type": "message.input", "role": "user", "content": inputs}]
    return list(inputs)

"""Stream accumulators: fold the events of a stream into its response (sans-IO).

`CompletionAccumulator` takes the `CompletionChunk`s of a chat, FIM or agents
completion stream and builds the `ChatCompletionResponse` the same request would
have answered without streaming: content concatenated per choice, tool-call
deltas merged by their `index` into complete calls (the whole arguments string),
the finish reason of each choice and the usage block of the last chunk that
carried them.

`ConversationAccumulator` takes the typed events of a conversation stream and
builds the `ConversationResponse`: one output entry per streamed entry (message
text concatenated, function-call arguments joined, tool executions and agent
handoffs assembled from their started/done events), the usage of the
`conversation.response.done` event and the conversation id of the
`conversation.response.started` event. Events this SDK does not know are kept
in `unknown_events` and change nothing else.

Both only move data: the stream objects feed them and ask for `final()`. The
generated types (and pydantic with them) are imported on the first `add`, so
importing this module costs nothing.

Fields a stream never sent (a usage block, a finish reason, the conversation id)
stay `None` in the result, as they would in a lenient parse of a non-streamed
response that lacked them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from .types.common import ThinkChunk, ToolCall
    from .types.common_completions import (
        ChatCompletionResponse,
        CompletionChunk,
        DeltaMessage,
        UsageInfo,
    )
    from .types.conversation_events import ConversationEvent, UnknownEvent
    from .types.conversations import (
        ConversationResponse,
        ConversationUsageInfo,
        OutputContentChunks,
        OutputEntry,
    )

__all__ = ["CompletionAccumulator", "ConversationAccumulator", "text_of"]


# ---------------------------------------------------------------- content pieces
def _pieces(content: object) -> Sequence[object]:
    """The chunks of a content delta: a list (chat) or one chunk (conversations)."""
    if isinstance(content, list):
        return cast("list[object]", content)
    return [content]


def text_of(content: object) -> str:
    """Return the plain text of a content or content delta.

    A string, one chunk or a list of chunks; thinking and other chunks add none.
    """
    from .types.common import TextChunk

    if isinstance(content, str):
        return content
    if content is None:
        return ""
    return "".join(p.text for p in _pieces(content) if isinstance(p, TextChunk))


class _Content:
    """Content of one streamed message: a string while every delta is one, else chunks.

    Adjacent text chunks are joined, and so are adjacent thinking chunks (reasoning
    models stream their thoughts as one thinking chunk per delta).
    """

    def __init__(self) -> None:
        self.seen = False
        self.text: list[str] = []
        self.chunks: list[object] | None = None

    def add(self, delta: object) -> None:
        if delta is None:
            return
        self.seen = True
        if isinstance(delta, str) and self.chunks is None:
            self.text.append(delta)
            return
        if self.chunks is None:
            self.chunks = []
            self._append_text(self.chunks, "".join(self.text))
            self.text = []
        if isinstance(delta, str):
            self._append_text(self.chunks, delta)
            return
        from .types.common import TextChunk, ThinkChunk

        for piece in _pieces(delta):
            if isinstance(piece, TextChunk):
                self._append_text(self.chunks, piece.text)
            elif isinstance(piece, ThinkChunk):
                self._append_thinking(self.chunks, piece)
            else:
                self.chunks.append(piece)

    @staticmethod
    def _append_text(chunks: list[object], text: str) -> None:
        from .types.common import TextChunk

        if not text:
            return
        last = chunks[-1] if chunks else None
        if isinstance(last, TextChunk):
            chunks[-1] = TextChunk(text=last.text + text)
        else:
            chunks.append(TextChunk(text=text))

    @staticmethod
    def _append_thinking(chunks: list[object], piece: ThinkChunk) -> None:
        from .types.common import TextChunk, ThinkChunk

        last = chunks[-1] if chunks else None
        if not isinstance(last, ThinkChunk):
            chunks.append(piece)
            return
        parts = list(last.thinking)
        for part in piece.thinking:
            before = parts[-1] if parts else None
            if isinstance(before, TextChunk) and isinstance(part, TextChunk):
                parts[-1] = TextChunk(text=before.text + part.text)
            else:
                parts.append(part)
        chunks[-1] = ThinkChunk(thinking=parts, closed=piece.closed)

    def value(self) -> str | list[Any] | None:
        """The content so far: None when no delta carried any."""
        if not self.seen:
            return None
        if self.chunks is None:
            return "".join(self.text)
        return list(self.chunks)


# ---------------------------------------------------------------- completions
class _Call:
    """A tool call being assembled from its deltas."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.id = ""
        self.type = ""
        self.name = ""
        self.arguments: list[str] = []


class _Choice:
    """One choice being assembled from its deltas."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.content = _Content()
        self.calls: list[_Call] = []
        # The call a delta with a given index continues: the latest opened with it.
        self.open_calls: dict[int, _Call] = {}
        self.finish_reason: str | None = None

    def add_calls(self, deltas: Sequence[ToolCall]) -> None:
        for delta in deltas:
            call = self.open_calls.get(delta.index)
            # A delta with a real id other than the open call's starts a new call
            # even at the same index: some servers send whole calls, all at index 0.
            if call is None or (
                _real_id(delta.id) and _real_id(call.id) and call.id != delta.id
            ):
                call = _Call(delta.index)
                self.calls.append(call)
                self.open_calls[delta.index] = call
            if _real_id(delta.id) and not _real_id(call.id):
                call.id = delta.id
            if delta.type and not call.type:
                call.type = delta.type
            function = delta.function
            if function.name and not call.name:
                call.name = function.name
            arguments = function.arguments
            if isinstance(arguments, str):
                call.arguments.append(arguments)
            else:
                call.arguments.append(json.dumps(arguments, ensure_ascii=False))


def _real_id(call_id: str | None) -> bool:
    # "null" is the spec's default id for a call delta that carries none.
    return bool(call_id) and call_id != "null"


class CompletionAccumulator:
    """Folds the chunks of a chat, FIM or agents stream into a `ChatCompletionResponse`.

    Example:
        ```python
        accumulator = CompletionAccumulator()
        for chunk in stream:
            print(accumulator.add(chunk), end="")
        completion = accumulator.final()
        ```
    """

    def __init__(self) -> None:
        self._choices: dict[int, _Choice] = {}
        self._id: str | None = None
        self._model: str | None = None
        self._created: int | None = None
        self._usage: UsageInfo | None = None
        self._chunks = 0

    @property
    def chunks(self) -> int:
        """How many chunks were added so far."""
        return self._chunks

    def add(self, chunk: CompletionChunk) -> str:
        """Merge one chunk; return the text it adds to choice 0 ("" if none)."""
        self._chunks += 1
        self._id = chunk.id or self._id
        self._model = chunk.model or self._model
        if chunk.created is not None:
            self._created = chunk.created
        if chunk.usage is not None:
            self._usage = chunk.usage
        text = ""
        for streamed in chunk.choices:
            choice = self._choices.get(streamed.index)
            if choice is None:
                choice = self._choices[streamed.index] = _Choice(streamed.index)
            delta: DeltaMessage = streamed.delta
            choice.content.add(delta.content)
            if delta.tool_calls:
                choice.add_calls(delta.tool_calls)
            if streamed.finish_reason is not None:
                choice.finish_reason = streamed.finish_reason
            if streamed.index == 0:
                text += text_of(delta.content)
        return text

    def final(self) -> ChatCompletionResponse:
        """Return the response the chunks added so far amount to."""
        from .types.common import AssistantMessage, FunctionCall, ToolCall
        from .types.common_completions import (
            ChatCompletionChoice,
            ChatCompletionResponse,
        )

        choices: list[ChatCompletionChoice] = []
        for choice in sorted(self._choices.values(), key=lambda c: c.index):
            message: dict[str, Any] = {"content": choice.content.value()}
            if choice.calls:
                message["tool_calls"] = [
                    ToolCall(
                        id=call.id or "null",
                        type=call.type or "function",
                        index=call.index,
                        function=FunctionCall(
                            name=call.name, arguments="".join(call.arguments)
                        ),
                    )
                    for call in choice.calls
                ]
            # model_construct: everything inside is validated already, and a
            # stream cut short may lack the finish reason (it stays None).
            fields: dict[str, Any] = {
                "index": choice.index,
                "message": AssistantMessage(**message),
                "finish_reason": choice.finish_reason,
            }
            choices.append(ChatCompletionChoice.model_construct(**fields))
        response: dict[str, Any] = {
            "id": self._id,
            "object": "chat.completion",
            "model": self._model,
            "usage": self._usage,
            "created": self._created,
            "choices": choices,
        }
        return ChatCompletionResponse.model_construct(**response)


# ---------------------------------------------------------------- conversations
class _Entry:
    """One output entry being assembled from its events."""

    def __init__(self, kind: str, output_index: int) -> None:
        self.kind = kind
        self.output_index = output_index
        self.fields: dict[str, Any] = {}
        self.content = _Content()
        self.arguments: list[str] = []


# event type -> (entry type, the event fields copied onto the entry)
_ENTRY_OF_EVENT: dict[str, tuple[str, tuple[str, ...]]] = {
    "message.output.delta": ("message.output", ("id", "model", "agent_id", "role")),
    "function.call.delta": (
        "function.call",
        ("id", "model", "agent_id", "name", "tool_call_id", "confirmation_status"),
    ),
    "tool.execution.started": ("tool.execution", ("id", "model", "agent_id", "name")),
    "tool.execution.delta": ("tool.execution", ("id", "name")),
    "tool.execution.done": ("tool.execution", ("id", "name", "info")),
    "agent.handoff.started": (
        "agent.handoff",
        ("id", "previous_agent_id", "previous_agent_name"),
    ),
    "agent.handoff.done": ("agent.handoff", ("id", "next_agent_id", "next_agent_name")),
}


class ConversationAccumulator:
    """Folds the events of a conversation stream into a `ConversationResponse`.

    Example:
        ```python
        accumulator = ConversationAccumulator()
        for event in stream:
            print(accumulator.add(event), end="")
        response = accumulator.final()
        ```
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], _Entry] = {}
        self._conversation_id: str | None = None
        self._usage: ConversationUsageInfo | None = None
        self.unknown_events: list[UnknownEvent] = []
        """Events of a type this SDK does not know, in the order they came."""

    def add(self, event: ConversationEvent) -> str:
        """Merge one event; return the message text it adds ("" if none)."""
        from .types.conversation_events import (
            ResponseDoneEvent,
            ResponseStartedEvent,
            UnknownEvent,
        )

        if isinstance(event, ResponseStartedEvent):
            self._conversation_id = event.conversation_id
            return ""
        if isinstance(event, ResponseDoneEvent):
            self._usage = event.usage
            return ""
        if isinstance(event, UnknownEvent):
            self.unknown_events.append(event)
            return ""
        known = _ENTRY_OF_EVENT.get(event.type)
        if known is None:
            # conversation.response.error: the stream raises it; nothing to fold.
            return ""
        kind, copied = known
        entry = self._entry(kind, event)
        for name in copied:
            value = getattr(event, name, None)
            if value is not None:
                entry.fields[name] = value
        if kind == "message.output":
            content = getattr(event, "content", None)
            entry.content.add(content)
            return text_of(content)
        arguments = getattr(event, "arguments", None)
        if isinstance(arguments, str):
            entry.arguments.append(arguments)
        return ""

    def _entry(self, kind: str, event: Any) -> _Entry:
        key = (kind, str(event.id))
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(kind, event.output_index)
            if event.created_at is not None:
                entry.fields["created_at"] = event.created_at
        return entry

    def final(self) -> ConversationResponse:
        """Return the response the events added so far amount to."""
        from .types.conversations import (
            AgentHandoffEntry,
            ConversationResponse,
            FunctionCallEntry,
            MessageOutputEntry,
            ToolExecutionEntry,
        )

        outputs: list[OutputEntry] = []
        # sorted() is stable: entries of one output index keep their arrival order.
        for entry in sorted(self._entries.values(), key=lambda e: e.output_index):
            fields = entry.fields
            if entry.kind == "message.output":
                content: str | list[OutputContentChunks] | None = entry.content.value()
                outputs.append(MessageOutputEntry(**fields, content=content or ""))
            elif entry.kind == "function.call":
                arguments = "".join(entry.arguments)
                outputs.append(FunctionCallEntry(**fields, arguments=arguments))
            elif entry.kind == "tool.execution":
                arguments = "".join(entry.arguments)
                outputs.append(ToolExecutionEntry(**fields, arguments=arguments))
            else:
                # model_construct: a handoff cut before its done event lacks the
                # next agent.
                outputs.append(
                    AgentHandoffEntry.model_construct(
                        object="entry", type="agent.handoff", **fields
                    )
                )
        response: dict[str, Any] = {
            "object": "conversation.response",
            "conversation_id": self._conversation_id,
            "outputs": outputs,
            "usage": self._usage,
        }
        return ConversationResponse.model_construct(**response)

"""User-style code against `mistral_sdk.types`, checked by mypy --strict and pyright.

Never run: pytest does not collect `tests/typing`. Each function is a scenario a user
writes; negative cases end in `# type: ignore[<code>]`, and mypy's `warn_unused_ignores`
fails the check if the error they expect goes away.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from typing_extensions import assert_type

from mistral_sdk.types import (
    AgentToolParam,
    AssistantMessage,
    ChatCompletionResponse,
    CompletionChunk,
    ContentChunk,
    ContentChunkParam,
    ConversationEvent,
    ConversationInputsParam,
    ConversationResponse,
    EntryParam,
    FinishReason,
    ImageURLChunk,
    JsonSchema,
    MessageOutputEntry,
    MessageParam,
    OutputContentChunks,
    ResponseFormat,
    ResponseFormatParam,
    TextChunk,
    TextChunkParam,
    ToolParam,
    UnknownContentChunk,
    UnknownEvent,
    UserMessage,
    UserMessageParam,
)


def complete(
    *,
    messages: Sequence[MessageParam],
    tools: Sequence[ToolParam] = (),
    response_format: ResponseFormat | ResponseFormatParam | None = None,
) -> None:
    """Stands in for a generated method's signature."""


def start_conversation(*, inputs: ConversationInputsParam) -> None:
    """Stands in for `client.beta.conversations.start`."""


def messages_as_dict_literals() -> None:
    messages: list[MessageParam] = [
        {"role": "system", "content": "Be brief."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is in this image?"},
                {
                    "type": "image_url",
                    "image_url": {"url": "https://example.test/a.png"},
                },
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "t1", "function": {"name": "add", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "content": "42", "tool_call_id": "t1"},
    ]
    complete(messages=messages)


def messages_passed_inline_mixing_dicts_and_models() -> None:
    complete(
        messages=[
            UserMessage(content="Hi"),
            {
                "role": "user",
                "content": [TextChunk(text="a"), {"type": "text", "text": "b"}],
            },
            AssistantMessage(content="Hello", prefix=True),
        ],
        tools=[
            {
                "type": "function",
                "function": {"name": "add", "parameters": {"type": "object"}},
            }
        ],
        response_format={"type": "json_object"},
    )


def content_chunks_and_agent_tools_as_dicts() -> None:
    chunk: ContentChunkParam = {"type": "document_url", "document_url": "https://x"}
    text: TextChunkParam = {"type": "text", "text": "hi"}
    user: UserMessageParam = {"role": "user", "content": [chunk, text]}
    tools: list[AgentToolParam] = [
        {"type": "web_search"},
        {"type": "document_library", "library_ids": ["lib_1"]},
        {"type": "function", "function": {"name": "f", "parameters": {}}},
    ]
    entries: list[EntryParam] = [
        {"type": "message.input", "role": "user", "content": "Hello"},
        {"type": "function.result", "tool_call_id": "t1", "result": "42"},
    ]
    start_conversation(inputs=entries)
    start_conversation(inputs="Just a string")
    complete(messages=[user])
    assert tools


def models_constructed_by_users() -> None:
    schema = JsonSchema(name="answer", schema_={"type": "object"}, strict=True)
    response_format = ResponseFormat(type="json_schema", json_schema=schema)
    chunk = ImageURLChunk(image_url="https://example.test/a.png")
    message = UserMessage(content=[chunk, TextChunk(text="describe")])
    complete(messages=[message], response_format=response_format)
    assert_type(schema.schema_, dict[str, Any])
    assert_type(message.role, Literal["user"])


def attributes_of_parsed_responses(response: ChatCompletionResponse) -> None:
    choice = response.choices[0]
    assert_type(choice.finish_reason, FinishReason)
    assert_type(choice.message.content, str | list[ContentChunk] | None)
    assert_type(response.usage.total_tokens, int)
    if choice.finish_reason == "tool_calls" and choice.message.tool_calls:
        assert_type(
            choice.message.tool_calls[0].function.arguments, dict[str, Any] | str
        )
    content = choice.message.content
    if isinstance(content, list):
        for part in content:
            if isinstance(part, TextChunk):
                assert_type(part.text, str)
            elif isinstance(part, UnknownContentChunk):
                assert_type(part.type, str | None)
                assert_type(part.raw, dict[str, Any])


def attributes_of_stream_chunks_and_events(
    chunk: CompletionChunk, event: ConversationEvent, reply: ConversationResponse
) -> None:
    assert_type(chunk.choices[0].finish_reason, FinishReason | None)
    assert_type(chunk.choices[0].delta.content, str | list[ContentChunk] | None)
    if isinstance(event, UnknownEvent):
        assert_type(event.raw, dict[str, Any])
    entry = reply.outputs[0]
    if isinstance(entry, MessageOutputEntry):
        assert_type(entry.content, str | list[OutputContentChunks])


def negative_cases() -> None:
    missing_content: MessageParam = {"role": "user"}  # type: ignore[assignment]
    wrong_chunk: TextChunkParam = {"type": "image_url", "text": "x"}  # type: ignore[typeddict-item]
    TextChunk(text=1)  # type: ignore[arg-type]
    UserMessage(role="assistant", content="x")  # type: ignore[arg-type]
    complete(messages=[{"role": "user", "content": 3}])  # type: ignore[list-item]
    assert missing_content
    assert wrong_chunk


def negative_attribute(response: ChatCompletionResponse) -> None:
    response.choices[0].message.not_a_field  # type: ignore[attr-defined]  # noqa: B018

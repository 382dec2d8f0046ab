"""Stream accumulators: chunks and conversation events folded into whole responses."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from mistral_sdk._accumulate import CompletionAccumulator, ConversationAccumulator
from mistral_sdk.types import (
    AgentHandoffEntry,
    ChatCompletionResponse,
    CompletionChunk,
    ConversationEvent,
    FunctionCallEntry,
    MessageOutputEntry,
    TextChunk,
    ThinkChunk,
    ToolExecutionEntry,
    UnknownContentChunk,
)

USAGE = {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}


def make_chunk(*choices: dict[str, Any], **top: Any) -> CompletionChunk:
    payload = {
        "id": "cmpl-1",
        "model": "mistral-small-latest",
        "choices": list(choices),
    }
    return CompletionChunk.model_validate({**payload, **top})


def delta(
    index: int = 0, finish_reason: str | None = None, **fields: Any
) -> dict[str, Any]:
    return {"index": index, "delta": fields, "finish_reason": finish_reason}


def call_delta(index: int, arguments: str, **fields: Any) -> dict[str, Any]:
    # Continuation deltas carry an empty name (the spec requires the key).
    function = {"name": "", "arguments": arguments, **fields.pop("function", {})}
    return {"index": index, "function": function, **fields}


def fold(*chunks: CompletionChunk) -> tuple[ChatCompletionResponse, list[str]]:
    accumulator = CompletionAccumulator()
    texts = [accumulator.add(chunk) for chunk in chunks]
    return accumulator.final(), texts


# ---------------------------------------------------------------- completions
def test_completion_accumulator_concatenates_content_and_returns_text_deltas() -> None:
    chunks = [
        make_chunk(delta(role="assistant", content="")),
        make_chunk(delta(content="Hel")),
        make_chunk(delta(content="lo!")),
        make_chunk(delta(content="", finish_reason="stop"), usage=USAGE),
    ]

    final, texts = fold(*chunks)

    assert texts == ["", "Hel", "lo!", ""]
    assert final.choices[0].message.content == "Hello!"
    assert final.choices[0].message.role == "assistant"
    assert final.choices[0].finish_reason == "stop"
    assert final.usage.total_tokens == 12
    assert (final.id, final.model, final.object) == (
        "cmpl-1",
        "mistral-small-latest",
        "chat.completion",
    )


def test_completion_accumulator_keeps_choices_apart_and_sorted() -> None:
    chunks = [
        make_chunk(delta(1, content="B1"), delta(0, content="A1")),
        make_chunk(delta(0, content="A2"), delta(1, content="B2")),
        make_chunk(delta(1, finish_reason="length"), delta(0, finish_reason="stop")),
    ]

    final, texts = fold(*chunks)

    assert [c.index for c in final.choices] == [0, 1]
    assert [c.message.content for c in final.choices] == ["A1A2", "B1B2"]
    assert [c.finish_reason for c in final.choices] == ["stop", "length"]
    assert texts == ["A1", "A2", ""]  # choice 0 only


def test_completion_accumulator_merges_tool_call_deltas_by_index() -> None:
    first = {"id": "call_a", "type": "function", "function": {"name": "get_weather"}}
    second = {"id": "call_b", "function": {"name": "get_time"}}
    chunks = [
        make_chunk(delta(tool_calls=[call_delta(0, '{"ci', **first)])),
        make_chunk(
            delta(
                tool_calls=[call_delta(0, 'ty": "Pa'), call_delta(1, '{"tz"', **second)]
            )
        ),
        make_chunk(
            delta(tool_calls=[call_delta(1, ': "UTC"}'), call_delta(0, 'ris"}')])
        ),
        make_chunk(delta(finish_reason="tool_calls"), usage=USAGE),
    ]

    final, _ = fold(*chunks)

    calls = final.choices[0].message.tool_calls
    assert calls is not None
    assert [(c.id, c.index, c.function.name) for c in calls] == [
        ("call_a", 0, "get_weather"),
        ("call_b", 1, "get_time"),
    ]
    assert json.loads(str(calls[0].function.arguments)) == {"city": "Paris"}
    assert calls[1].function.arguments == '{"tz": "UTC"}'
    assert final.choices[0].finish_reason == "tool_calls"
    assert final.choices[0].message.content is None


def test_completion_accumulator_whole_calls_at_one_index_stay_separate() -> None:
    calls = [
        {"id": "call_a", "function": {"name": "f", "arguments": "{}"}},
        {"id": "call_b", "function": {"name": "g", "arguments": '{"x": 1}'}},
    ]

    final, _ = fold(make_chunk(delta(tool_calls=calls, finish_reason="tool_calls")))

    merged = final.choices[0].message.tool_calls
    assert merged is not None
    assert [(c.id, c.function.name, c.function.arguments) for c in merged] == [
        ("call_a", "f", "{}"),
        ("call_b", "g", '{"x": 1}'),
    ]


def test_completion_accumulator_dict_arguments_become_a_json_string() -> None:
    call = {"id": "call_a", "function": {"name": "f", "arguments": {"city": "Paris"}}}

    final, _ = fold(make_chunk(delta(tool_calls=[call])))

    merged = final.choices[0].message.tool_calls
    assert merged is not None
    assert merged[0].function.arguments == '{"city": "Paris"}'


def test_completion_accumulator_usage_and_finish_reason_from_last_chunk_carrying_them() -> (
    None
):
    later = {"prompt_tokens": 5, "completion_tokens": 9, "total_tokens": 14}
    chunks = [
        make_chunk(delta(content="a"), usage=USAGE),
        make_chunk(delta(content="b", finish_reason="length")),
        make_chunk(delta(finish_reason="stop"), usage=later),
    ]

    final, _ = fold(*chunks)

    assert final.usage.completion_tokens == 9
    assert final.choices[0].finish_reason == "stop"


def test_completion_accumulator_cut_stream_leaves_missing_fields_none() -> None:
    final, _ = fold(make_chunk(delta(content="partial")))

    dumped = final.model_dump()
    assert final.choices[0].message.content == "partial"
    assert dumped["choices"][0]["finish_reason"] is None
    assert dumped["usage"] is None


def test_completion_accumulator_no_chunks_gives_no_choices() -> None:
    accumulator = CompletionAccumulator()

    final = accumulator.final()

    assert final.choices == []
    assert accumulator.chunks == 0


def test_completion_accumulator_fim_and_agents_chunks_fold_the_same() -> None:
    # FIM and agents streams send the same CompletionChunk shape, without `object`.
    chunks = [
        CompletionChunk.model_validate(
            {
                "id": "fim-1",
                "model": "codestral-latest",
                "choices": [delta(content="return a")],
            }
        ),
        CompletionChunk.model_validate(
            {
                "id": "fim-1",
                "model": "codestral-latest",
                "created": 1700000000,
                "usage": USAGE,
                "choices": [delta(content=" + b", finish_reason="stop")],
            }
        ),
    ]

    final, texts = fold(*chunks)

    assert final.choices[0].message.content == "return a + b"
    assert (final.id, final.model, final.created) == (
        "fim-1",
        "codestral-latest",
        1700000000,
    )
    assert texts == ["return a", " + b"]


def test_completion_accumulator_chunk_content_joins_text_and_thinking() -> None:
    def thinking(text: str) -> dict[str, Any]:
        return {"type": "thinking", "thinking": [{"type": "text", "text": text}]}

    chunks = [
        make_chunk(delta(content=[thinking("Let me ")])),
        make_chunk(delta(content=[thinking("think.")])),
        make_chunk(delta(content="The answer")),
        make_chunk(delta(content=[{"type": "text", "text": " is 4."}])),
        make_chunk(
            delta(content=[{"type": "future_chunk", "x": 1}], finish_reason="stop")
        ),
    ]

    final, texts = fold(*chunks)

    content = final.choices[0].message.content
    assert isinstance(content, list)
    assert isinstance(content[0], ThinkChunk)
    assert content[0].thinking == [TextChunk(text="Let me think.")]
    assert content[1] == TextChunk(text="The answer is 4.")
    assert isinstance(content[2], UnknownContentChunk)
    assert texts == ["", "", "The answer", " is 4.", ""]


def test_completion_accumulator_final_serialises_like_a_response() -> None:
    final, _ = fold(
        make_chunk(delta(role="assistant", content="Hi")),
        make_chunk(delta(finish_reason="stop"), usage=USAGE, created=1),
    )

    reparsed = ChatCompletionResponse.model_validate_json(final.model_dump_json())

    assert reparsed == final


# ---------------------------------------------------------------- conversations
EVENTS: TypeAdapter[ConversationEvent] = TypeAdapter(ConversationEvent)


def event(kind: str, **fields: Any) -> ConversationEvent:
    return EVENTS.validate_python(
        {"type": kind, "created_at": "2026-01-01T00:00:00Z", **fields}
    )


def conversation_events() -> list[ConversationEvent]:
    base = {"model": "mistral-medium-latest", "agent_id": None}
    return [
        event("conversation.response.started", conversation_id="conv_1"),
        event("agent.handoff.started", output_index=0, id="h1", previous_agent_id="ag_a", previous_agent_name="A"),
        event("agent.handoff.done", output_index=0, id="h1", next_agent_id="ag_b", next_agent_name="B"),
        event("tool.execution.started", output_index=1, id="t1", name="web_search", arguments='{"q": '),
        event("tool.execution.delta", output_index=1, id="t1", name="web_search", arguments='"x"}'),
        event("tool.execution.done", output_index=1, id="t1", name="web_search", info={"hits": 3}),
        event("function.call.delta", output_index=2, id="f1", name="get_weather", tool_call_id="call_1", arguments='{"city"', **base),
        event("function.call.delta", output_index=2, id="f1", name="get_weather", tool_call_id="call_1", arguments=': "Paris"}', **base),
        event("message.output.delta", output_index=3, id="m1", content="Sunny ", **base),
        event("some.future.event", output_index=3, id="m1", payload=[1]),
        event("message.output.delta", output_index=3, id="m1", content="today.", **base),
        event("conversation.response.done", usage={"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}),
    ]  # fmt: skip


def test_conversation_accumulator_builds_the_entries_usage_and_id() -> None:
    accumulator = ConversationAccumulator()

    texts = [accumulator.add(e) for e in conversation_events()]
    final = accumulator.final()

    assert "".join(texts) == "Sunny today."
    assert final.conversation_id == "conv_1"
    assert final.usage.total_tokens == 7
    handoff, tool, call, message = final.outputs
    assert isinstance(handoff, AgentHandoffEntry)
    assert (handoff.previous_agent_id, handoff.next_agent_id, handoff.id) == (
        "ag_a",
        "ag_b",
        "h1",
    )
    assert isinstance(tool, ToolExecutionEntry)
    assert (tool.name, tool.arguments) == ("web_search", '{"q": "x"}')
    assert tool.info == {"hits": 3}
    assert isinstance(call, FunctionCallEntry)
    assert (call.tool_call_id, call.name, call.arguments) == (
        "call_1",
        "get_weather",
        '{"city": "Paris"}',
    )
    assert isinstance(message, MessageOutputEntry)
    assert (message.id, message.content, message.model) == (
        "m1",
        "Sunny today.",
        "mistral-medium-latest",
    )


def test_conversation_accumulator_keeps_unknown_events_aside() -> None:
    accumulator = ConversationAccumulator()

    for e in conversation_events():
        accumulator.add(e)

    assert [e.type for e in accumulator.unknown_events] == ["some.future.event"]
    assert len(accumulator.final().outputs) == 4


def test_conversation_accumulator_orders_entries_by_output_index() -> None:
    accumulator = ConversationAccumulator()
    accumulator.add(
        event("message.output.delta", output_index=1, id="m2", content="second")
    )
    accumulator.add(
        event("message.output.delta", output_index=0, id="m1", content="first")
    )

    outputs = accumulator.final().outputs

    assert [o.content for o in outputs if isinstance(o, MessageOutputEntry)] == [
        "first",
        "second",
    ]


def test_conversation_accumulator_chunk_content_and_text_delta() -> None:
    accumulator = ConversationAccumulator()

    text = accumulator.add(
        event("message.output.delta", id="m1", content={"type": "text", "text": "Hi"})
    )
    accumulator.add(event("message.output.delta", id="m1", content=" there"))
    (message,) = accumulator.final().outputs

    assert text == "Hi"
    assert isinstance(message, MessageOutputEntry)
    assert message.content == [TextChunk(text="Hi there")]


def test_conversation_accumulator_error_event_adds_nothing() -> None:
    accumulator = ConversationAccumulator()

    text = accumulator.add(
        event("conversation.response.error", message="boom", code=500)
    )
    final = accumulator.final()

    assert text == ""
    assert final.outputs == []
    assert final.model_dump()["conversation_id"] is None
    assert accumulator.unknown_events == []


def test_conversation_accumulator_final_round_trips_through_the_response_type() -> None:
    from mistral_sdk.types import ConversationResponse

    accumulator = ConversationAccumulator()
    for e in conversation_events():
        accumulator.add(e)
    final = accumulator.final()

    reparsed = ConversationResponse.model_validate_json(final.model_dump_json())

    assert reparsed.outputs == final.outputs
    assert reparsed.conversation_id == "conv_1"

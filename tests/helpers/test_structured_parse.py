"""Parsing structured replies (sans-IO): whole completions and streamed chunks."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from pydantic import BaseModel
from typing_extensions import TypedDict

from mistral_sdk import (
    ContentFilterFinishReasonError,
    LengthFinishReasonError,
    MistralError,
    OutputValidationError,
    StructuredOutputError,
)
from mistral_sdk.helpers.structured import (
    CompletionParser,
    ParsedChatCompletion,
    parse_completion,
)
from mistral_sdk.types import ChatCompletionResponse, CompletionChunk


class City(BaseModel):
    name: str
    population: int


class CityDict(TypedDict):
    name: str
    population: int


@dataclasses.dataclass
class CityData:
    name: str
    population: int


PARIS = '{"name": "Paris", "population": 2100000}'


def completion(
    *messages: dict[str, Any], finish_reason: str = "stop"
) -> ChatCompletionResponse:
    return ChatCompletionResponse.model_validate(
        {
            "id": "cmpl-1",
            "object": "chat.completion",
            "model": "mistral-small-latest",
            "created": 1,
            "usage": {"prompt_tokens": 3, "completion_tokens": 9, "total_tokens": 12},
            "choices": [
                {
                    "index": i,
                    "finish_reason": finish_reason,
                    "message": {"role": "assistant", **m},
                }
                for i, m in enumerate(messages)
            ],
        }
    )


def test_parse_completion_gives_a_model_instance_per_choice() -> None:
    raw = completion(
        {"content": PARIS}, {"content": '{"name": "Lyon", "population": 1}'}
    )

    parsed = parse_completion(raw, City)

    assert isinstance(parsed, ParsedChatCompletion)
    assert isinstance(parsed, ChatCompletionResponse)
    assert [c.message.parsed for c in parsed.choices] == [
        City(name="Paris", population=2100000),
        City(name="Lyon", population=1),
    ]
    assert parsed.choices[0].message.content == PARIS
    assert parsed.usage == raw.usage


@pytest.mark.parametrize(
    ("tp", "expected"),
    [
        (CityDict, {"name": "Paris", "population": 2100000}),
        (CityData, CityData("Paris", 2100000)),
    ],
)
def test_parse_completion_fills_typed_dicts_and_dataclasses(
    tp: type[Any], expected: object
) -> None:
    parsed = parse_completion(completion({"content": PARIS}), tp)

    assert parsed.choices[0].message.parsed == expected


def test_parse_completion_reads_the_text_chunks_of_a_chunked_reply() -> None:
    content = [
        {
            "type": "thinking",
            "thinking": [{"type": "text", "text": "Capital of France."}],
        },
        {"type": "text", "text": '{"name": "Paris",'},
        {"type": "text", "text": ' "population": 2100000}'},
    ]

    parsed = parse_completion(completion({"content": content}), City)

    assert parsed.choices[0].message.parsed == City(name="Paris", population=2100000)


def test_parse_completion_dump_keeps_the_api_fields_and_adds_parsed() -> None:
    parsed = parse_completion(completion({"content": PARIS}), City)

    dumped = json.loads(parsed.model_dump_json(exclude_unset=True))

    assert dumped["choices"][0]["message"] == {
        "role": "assistant",
        "content": PARIS,
        "parsed": {"name": "Paris", "population": 2100000},
    }
    again = ParsedChatCompletion[City].model_validate_json(parsed.model_dump_json())
    assert again.choices[0].message.parsed == City(name="Paris", population=2100000)


def test_parse_completion_refusal_gives_none_and_the_reason() -> None:
    raw = completion({"content": "", "refusal": "I cannot help with that."})

    parsed = parse_completion(raw, City)

    message = parsed.choices[0].message
    assert message.parsed is None
    assert message.refusal == "I cannot help with that."


def test_parse_completion_tool_calls_instead_of_content_give_none() -> None:
    call = {"id": "call_1", "function": {"name": "lookup", "arguments": "{}"}}
    raw = completion({"content": "", "tool_calls": [call]}, finish_reason="tool_calls")

    parsed = parse_completion(raw, City)

    assert parsed.choices[0].message.parsed is None
    assert parsed.choices[0].message.refusal is None


@pytest.mark.parametrize("reason", ["length", "model_length"])
def test_parse_completion_cut_output_raises_length_error(reason: str) -> None:
    raw = completion({"content": '{"name": "Par'}, finish_reason=reason)

    with pytest.raises(LengthFinishReasonError) as caught:
        parse_completion(raw, City)

    assert caught.value.content == '{"name": "Par'
    assert caught.value.completion is raw
    assert "completion tokens" in str(caught.value)
    assert isinstance(caught.value, StructuredOutputError)
    assert isinstance(caught.value, MistralError)


def test_parse_completion_filtered_output_raises_content_filter_error() -> None:
    raw = completion({"content": ""}, finish_reason="content_filter")

    with pytest.raises(ContentFilterFinishReasonError) as caught:
        parse_completion(raw, City)

    assert caught.value.completion is raw


def test_parse_completion_invalid_json_raises_with_the_raw_content() -> None:
    raw = completion({"content": "Paris, 2.1 million people"})

    with pytest.raises(OutputValidationError) as caught:
        parse_completion(raw, City)

    error = caught.value
    assert error.invalid_json is True
    assert error.content == "Paris, 2.1 million people"
    assert "not valid JSON for City" in str(error)
    assert type(error.__cause__).__name__ == "ValidationError"


def test_parse_completion_schema_mismatch_raises_with_what_did_not_fit() -> None:
    raw = completion({"content": '{"name": "Paris", "population": "many"}'})

    with pytest.raises(OutputValidationError) as caught:
        parse_completion(raw, City)

    error = caught.value
    assert error.invalid_json is False
    assert [e["loc"] for e in error.errors] == [("population",)]
    assert "does not fit City: population:" in str(error)
    assert error.content == '{"name": "Paris", "population": "many"}'


# ---------------------------------------------------------------- streams
def chunk(
    content: str, finish_reason: str | None = None, **top: Any
) -> CompletionChunk:
    return CompletionChunk.model_validate(
        {
            "id": "cmpl-1",
            "model": "mistral-small-latest",
            "choices": [
                {
                    "index": 0,
                    "delta": {"content": content},
                    "finish_reason": finish_reason,
                }
            ],
            **top,
        }
    )


def test_completion_parser_events_carry_delta_snapshot_and_partial_value() -> None:
    parser = CompletionParser(City)

    events = [
        parser.feed(chunk(piece))
        for piece in ['{"na', 'me": "Par', 'is", "population": 21', "00000}"]
    ]

    assert [e.delta for e in events] == [
        '{"na',
        'me": "Par',
        'is", "population": 21',
        "00000}",
    ]
    assert events[-1].snapshot == PARIS
    assert [e.parsed for e in events] == [
        {},
        {"name": "Par"},
        {"name": "Paris", "population": 21},
        {"name": "Paris", "population": 2100000},
    ]


def test_completion_parser_keeps_the_last_value_when_text_is_not_json_yet() -> None:
    parser = CompletionParser(City)

    first = parser.feed(chunk(""))
    second = parser.feed(chunk("Sure! "))

    assert first.parsed is None
    assert second.parsed is None
    assert second.snapshot == "Sure! "


def test_completion_parser_final_parses_the_whole_reply() -> None:
    parser = CompletionParser(City)
    for piece in ['{"name": "Paris",', ' "population": 2100000}']:
        parser.feed(chunk(piece))
    parser.feed(
        chunk(
            "",
            "stop",
            usage={"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
        )
    )

    final = parser.final()

    assert final.choices[0].message.parsed == City(name="Paris", population=2100000)
    assert final.choices[0].finish_reason == "stop"
    assert final.usage.total_tokens == 3


def test_completion_parser_final_of_a_cut_stream_raises_length_error() -> None:
    parser = CompletionParser(City)
    parser.feed(chunk('{"name": "Par', "length"))

    with pytest.raises(LengthFinishReasonError) as caught:
        parser.final()

    assert caught.value.content == '{"name": "Par'

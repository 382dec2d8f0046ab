"""The sans-IO parts of batch runs: shards, lines, results, state, polling."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mistral_sdk import ResponseDecodeError
from mistral_sdk.helpers.batch_jsonl import (
    BatchLimits,
    InputLines,
    LineSplitter,
    ShardReader,
    encode_request,
)
from mistral_sdk.helpers.batch_results import not_run, parse_result_line
from mistral_sdk.helpers.batch_state import (
    RunState,
    ShardState,
    load_state,
    next_poll_delay,
    save_state,
)
from mistral_sdk.types import ChatCompletionResponse, UserMessage


def endless(taken: list[int]) -> Iterator[dict[str, Any]]:
    i = 0
    while True:
        taken.append(i)
        yield {"messages": [{"role": "user", "content": f"q{i}"}]}
        i += 1


def test_a_shard_reads_its_input_lazily() -> None:
    taken: list[int] = []
    reader = ShardReader(InputLines.from_requests(endless(taken)), BatchLimits())

    chunk = reader.read(200)

    assert len(chunk) == 200
    assert len(taken) <= 5


def test_shards_split_by_count_and_keep_the_next_line() -> None:
    lines = InputLines.from_requests(endless([]))
    limits = BatchLimits(max_requests=3)

    first, second = ShardReader(lines, limits), ShardReader(lines, limits)
    a, b = first.read(), second.read()

    assert [json.loads(x)["custom_id"] for x in a.splitlines()] == [
        "request-0",
        "request-1",
        "request-2",
    ]
    assert json.loads(b.splitlines()[0])["custom_id"] == "request-3"
    assert (first.first, second.first, second.count) == (0, 3, 3)


def test_shards_split_by_bytes() -> None:
    lines = InputLines.from_requests(endless([]))
    size = len(
        encode_request(0, {"messages": [{"role": "user", "content": "q0"}]}).data
    )

    reader = ShardReader(lines, BatchLimits(max_bytes=size * 2 + 5))
    body = reader.read()

    assert reader.count == 2
    assert len(body) == reader.size <= size * 2 + 5


def test_a_line_larger_than_the_limit_still_makes_a_shard() -> None:
    lines = InputLines.from_requests([{"input": "x" * 100}])

    reader = ShardReader(lines, BatchLimits(max_bytes=10))

    assert reader.read().startswith(b'{"custom_id":"request-0"')
    assert reader.count == 1


def test_requests_may_be_models_and_keep_their_custom_id() -> None:
    line = encode_request(
        7, {"custom_id": "mine", "messages": [UserMessage(content="Hi")]}
    )

    assert line.custom_id == "mine"
    assert json.loads(line.data) == {
        "custom_id": "mine",
        "body": {"messages": [{"role": "user", "content": "Hi"}]},
    }


def test_skipping_resumes_at_the_same_positions() -> None:
    lines = InputLines.from_requests(endless([]), skip=5)

    line = lines.take()

    assert line is not None
    assert (line.index, line.custom_id) == (5, "request-5")


def test_invalid_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        BatchLimits(max_requests=0)


def test_the_line_splitter_joins_lines_cut_across_chunks() -> None:
    splitter = LineSplitter()

    lines = (
        splitter.feed(b'{"a"') + splitter.feed(b':1}\n\n{"b":2}\n{"c"') + splitter.end()
    )

    assert lines == [b'{"a":1}', b'{"b":2}', b'{"c"']


def test_a_result_line_becomes_a_typed_response() -> None:
    body = {
        "id": "x",
        "object": "chat.completion",
        "model": "m",
        "created": 1,
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "ok"},
            }
        ],
    }
    line = json.dumps(
        {
            "custom_id": "a",
            "response": {"status_code": 200, "body": body},
            "error": None,
        }
    ).encode()

    result = parse_result_line(line, "/v1/chat/completions", shard=2)

    assert isinstance(result.response, ChatCompletionResponse)
    assert (result.ok, result.shard) == (True, 2)


def test_an_error_line_keeps_its_status_and_message() -> None:
    line = json.dumps(
        {
            "custom_id": "b",
            "response": {"status_code": 429, "body": {"message": "slow down"}},
            "error": {"message": "slow down", "code": 429},
        }
    ).encode()

    result = parse_result_line(line, "/v1/chat/completions")

    assert result.error is not None
    assert (result.error.status, result.error.message) == (429, "slow down")
    assert not_run("c", "FAILED").error is not None


def test_an_unknown_endpoint_keeps_the_json() -> None:
    line = b'{"custom_id": "d", "response": {"status_code": 200, "body": {"k": 1}}}'

    assert parse_result_line(line, "/v1/new").response == {"k": 1}


def test_a_response_that_is_no_object_is_read_as_none() -> None:
    line = b'{"custom_id": "x", "response": "oops", "error": {"message": "m"}}'

    result = parse_result_line(line, "/v1/chat/completions")

    assert (result.custom_id, result.response, result.ok) == ("x", None, False)
    assert result.error is not None
    assert result.error.message == "m"


@pytest.mark.parametrize("line", [b"[1, 2]", b'{"id": "x"}', b'{"custom_id": "x", '])
def test_a_line_without_custom_id_is_a_typed_decode_error(line: bytes) -> None:
    with pytest.raises(ResponseDecodeError, match="not a batch file line") as caught:
        parse_result_line(line, "/v1/embeddings")

    assert caught.value.body == line.decode()


def test_the_state_file_round_trips_and_is_replaced_whole(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    state = RunState(endpoint="/v1/embeddings", model="mistral-embed", max_requests=5)
    state.shards.append(ShardState(index=0, first=0, count=5, file_id="f", job_id="j"))

    save_state(path, state)
    save_state(path, state)

    assert load_state(path) == state
    assert os.listdir(tmp_path) == ["state.json"]
    tags = state.job_metadata(state.shards[0])
    assert tags == {"mistral_sdk_run": state.run_id, "mistral_sdk_shard": "0"}


def test_a_file_that_is_no_state_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"version": 99}')

    with pytest.raises(ValueError, match="not a mistral-sdk batch run state"):
        load_state(path)


@pytest.mark.parametrize(
    "text",
    [
        '{"version": 1}',
        '{"version": 1, "endpoint": "e", "model": null, "shards": [1]}',
        '{"version": 1, "endpoint": "e", "model": null,'
        ' "shards": [{"index": 0, "first": 0, "from_the_future": 1}]}',
    ],
)
def test_a_damaged_state_file_is_a_value_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "damaged.json"
    path.write_text(text)

    with pytest.raises(ValueError, match="not a usable batch run state"):
        load_state(path)


def test_polling_backs_off_within_its_bounds() -> None:
    delays: list[float] = []
    delay = None
    for _ in range(12):
        delay = next_poll_delay(
            delay, poll_interval=2, max_interval=30, remaining=100, rate=None
        )
        delays.append(delay)

    assert delays[0] == 2
    assert delays == sorted(delays)
    assert delays[-1] == 30


def test_polling_comes_back_when_the_counters_say_the_end_is_near() -> None:
    soon = next_poll_delay(20, poll_interval=1, max_interval=60, remaining=10, rate=5)
    never_below = next_poll_delay(
        20, poll_interval=4, max_interval=60, remaining=1, rate=100
    )

    assert soon == 2
    assert never_below == 4

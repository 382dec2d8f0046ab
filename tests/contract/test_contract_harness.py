"""The harness itself, with plain httpx2 requests: it must see what it claims to see.

If these pass, a clean SDK exchange means something: the transport catches request
violations in both of Prism's channels, undeclared and malformed query parameters,
and routes `#stream` operations where Prism serves them.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx2
import pytest

from . import _spec
from ._recorder import PRISM_CANNOT_STREAM, Recorder

if TYPE_CHECKING:
    from mistral_sdk import Mistral

pytestmark = pytest.mark.contract

CHAT = {"chat_completion_v1_chat_completions_post"}
MESSAGES = [{"role": "user", "content": "Hello"}]


def test_harness_valid_request_has_no_problems(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    raw_client.post(
        "/v1/chat/completions",
        json={"model": "mistral-small-latest", "messages": MESSAGES},
    )

    [exchange] = recorder.exchanges
    assert exchange.problems(CHAT) == []


def test_harness_reports_violations_from_the_header(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    raw_client.post("/v1/chat/completions", json={"model": 1})

    [exchange] = recorder.exchanges
    problems = exchange.problems(CHAT)
    assert exchange.status == 422
    assert any("required property 'messages'" in p for p in problems)
    assert any(
        "body.model: Request body property model must be string" in p for p in problems
    )


def test_harness_reports_violations_from_prism_error_bodies(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    # The batch operation declares no 422: Prism lists the violations in its own body.
    raw_client.post("/v1/batch/jobs", json={"model": "mistral-small-latest"})

    [exchange] = recorder.exchanges
    problems = exchange.problems({"jobs_api_routes_batch_create_batch_job"})
    assert any("required property 'endpoint'" in p for p in problems)
    assert any("Prism answered 422" in p for p in problems)


def test_harness_reports_undeclared_query_parameters(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    raw_client.get("/v1/files", params={"page": 0, "limit": 10})

    [exchange] = recorder.exchanges
    assert exchange.problems({"files_api_routes_list_files"}) == [
        "GET /v1/files?page=0&limit=10: query parameter 'limit' is not declared by "
        "the operation"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("team=a", "is not JSON"),
        ('["a"]', "is not valid under any of the given schemas"),
    ],
)
def test_harness_checks_json_content_query_parameters(
    raw_client: httpx2.Client, recorder: Recorder, value: str, message: str
) -> None:
    raw_client.get("/v1/conversations", params={"metadata": value})

    [exchange] = recorder.exchanges
    [problem] = exchange.problems({"agents_api_v1_conversations_list"})
    assert message in problem


def test_harness_accepts_a_json_object_as_metadata(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    raw_client.get("/v1/conversations", params={"metadata": json.dumps({"team": "a"})})

    [exchange] = recorder.exchanges
    assert exchange.problems({"agents_api_v1_conversations_list"}) == []


def test_harness_reports_a_wrong_operation(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    raw_client.get("/v1/models")

    [exchange] = recorder.exchanges
    [problem] = exchange.problems(CHAT)
    assert "reached list_models_v1_models_get" in problem


def test_harness_routes_stream_requests_to_the_stream_operation(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    raw_client.post(
        "/v1/conversations",
        json={"inputs": "Hello", "model": "mistral-medium-latest", "stream": True},
        headers={"Accept": "text/event-stream"},
    )

    [exchange] = recorder.exchanges
    assert exchange.request.url.path == _spec.STREAM_PREFIX + "/v1/conversations"
    assert exchange.operation is not None
    assert exchange.operation.operation_id == "agents_api_v1_conversations_start_stream"
    assert exchange.problem()["type"] == PRISM_CANNOT_STREAM
    assert (
        exchange.problems({"agents_api_v1_conversations_start_stream"}, sse=True) == []
    )


def test_harness_routes_multipart_stream_requests(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    raw_client.post(
        "/v1/audio/transcriptions",
        data={"model": "voxtral-mini-latest", "stream": "true"},
        files={"file": ("hello.mp3", b"ID3\x03\x00", "audio/mpeg")},
        headers={"Accept": "text/event-stream"},
    )

    [exchange] = recorder.exchanges
    assert exchange.operation is not None
    assert exchange.operation.operation_id == "audio_api_v1_transcriptions_post_stream"
    assert (
        exchange.problems({"audio_api_v1_transcriptions_post_stream"}, sse=True) == []
    )


def test_harness_leaves_non_stream_requests_on_their_route(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    raw_client.post(
        "/v1/conversations",
        json={"inputs": "Hello", "model": "mistral-medium-latest", "stream": False},
    )

    [exchange] = recorder.exchanges
    assert exchange.request.url.path == "/v1/conversations"
    assert exchange.problems({"agents_api_v1_conversations_start"}) == []


def test_harness_flags_a_stream_twin_receiving_stream_false(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    # Sanity check of the derived spec: each twin only accepts its own `stream` value.
    raw_client.post(
        _spec.STREAM_PREFIX + "/v1/conversations",
        json={"inputs": "Hello", "model": "mistral-medium-latest", "stream": False},
        headers={"Accept": "text/event-stream"},
    )

    [exchange] = recorder.exchanges
    assert any(
        "stream" in p
        for p in exchange.problems({"agents_api_v1_conversations_start_stream"})
    )


def test_harness_accepts_prism_refusing_a_stream_the_spec_does_not_declare(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    # The spec gives agents completions a JSON answer only; the API also streams it.
    raw_client.post(
        "/v1/agents/completions",
        json={"agent_id": "ag_1", "messages": MESSAGES, "stream": True},
        headers={"Accept": "text/event-stream"},
    )

    [exchange] = recorder.exchanges
    assert exchange.status == 406
    agents = {"agents_completion_v1_agents_completions_post"}
    assert exchange.problems(agents, sse=True) == []
    assert exchange.problems(agents) != []


# The same checks, reached through the SDK: the per-call escape hatches let a test
# send what a broken generator would.


def _problems(recorder: Recorder, operation_id: str) -> list[str]:
    return [p for e in recorder.exchanges for p in e.problems({operation_id})]


def test_harness_catches_an_sdk_request_with_a_bad_body(
    client: Mistral, recorder: Recorder
) -> None:
    from mistral_sdk import UnprocessableEntityError

    with pytest.raises(UnprocessableEntityError):
        client.chat.complete(
            model="mistral-small-latest",
            messages=[{"role": "user", "content": "Hello"}],
            extra_body={"temperature": "warm"},
        )

    problems = _problems(recorder, "chat_completion_v1_chat_completions_post")
    assert any("body.temperature" in p for p in problems)


def test_harness_catches_an_sdk_request_with_an_undeclared_query_parameter(
    client: Mistral, recorder: Recorder
) -> None:
    list(client.files.list(page_size=5, extra_query={"limit": 5}))

    problems = _problems(recorder, "files_api_routes_list_files")
    assert any("'limit' is not declared" in p for p in problems)


def test_harness_catches_an_sdk_request_with_non_json_metadata(
    client: Mistral, recorder: Recorder
) -> None:
    list(client.beta.conversations.list(page_size=5, extra_query={"metadata": "a=b"}))

    problems = _problems(recorder, "agents_api_v1_conversations_list")
    # The SDK JSON-encodes even this string; an object it is not.
    assert any("query parameter 'metadata'" in p for p in problems)


def test_harness_catches_an_sdk_request_reaching_the_wrong_operation(
    client: Mistral, recorder: Recorder
) -> None:
    from mistral_sdk import APIError

    # `stream: true` makes it the streaming operation, as on the real server.
    with pytest.raises(APIError):
        client.beta.conversations.start(
            inputs="Hello", model="mistral-medium-latest", extra_body={"stream": True}
        )

    problems = _problems(recorder, "agents_api_v1_conversations_start")
    assert any(
        "reached agents_api_v1_conversations_start_stream" in p for p in problems
    )


def test_harness_validates_one_item_query_arrays(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    # The derived spec lets Prism read `source=upload` as a one-item array.
    raw_client.get("/v1/files", params={"source": "upload"})
    raw_client.get("/v1/files", params={"source": "uploaded"})

    good, bad = recorder.exchanges
    assert good.problems({"files_api_routes_list_files"}) == []
    assert any(
        "query.source" in p for p in bad.problems({"files_api_routes_list_files"})
    )


def test_harness_checks_every_part_of_multipart_arrays(
    raw_client: httpx2.Client, recorder: Recorder
) -> None:
    # Prism reads only the last part of a name ("segment"); the transport reads all.
    raw_client.post(
        "/v1/audio/transcriptions",
        data={
            "model": "voxtral-mini-latest",
            "timestamp_granularities": ["sentence", "segment"],
        },
        files={"file": ("hello.mp3", b"ID3\x03\x00", "audio/mpeg")},
    )

    [exchange] = recorder.exchanges
    [problem] = exchange.problems({"audio_api_v1_transcriptions_post"})
    assert "multipart field 'timestamp_granularities': 'sentence'" in problem

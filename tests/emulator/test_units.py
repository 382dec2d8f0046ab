"""The emulator's pieces on their own: validator, text, clock, control, sampling."""

from __future__ import annotations

import json
import zlib
from typing import Any

import pytest

from mistral_sdk import Mistral
from mistral_sdk.testing import Emulator, SystemClock, VirtualClock
from mistral_sdk.testing._clock import parse_iso
from mistral_sdk.testing._generation import sample
from mistral_sdk.testing._schema import Validator
from mistral_sdk.testing._spec import load_spec
from mistral_sdk.testing._text import page_texts

KEY = {"authorization": "Bearer test-api-key"}


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator(load_spec())


def kinds(validator: Validator, schema: dict[str, Any], value: object) -> list[str]:
    return [e["type"] for e in validator.errors(schema, value, ("body",))]


@pytest.mark.parametrize(
    ("schema", "value", "expected"),
    [
        ({"type": "string", "minLength": 2}, "a", ["string_too_short"]),
        ({"type": "string", "maxLength": 1}, "ab", ["string_too_long"]),
        ({"type": "string", "pattern": "^a"}, "b", ["string_pattern_mismatch"]),
        (
            {"type": "string", "format": "date-time"},
            "yesterday",
            ["datetime_from_date_parsing"],
        ),
        ({"type": "string", "format": "uri"}, "not a url", ["url_parsing"]),
        ({"type": "array", "minItems": 1}, [], ["too_short"]),
        ({"type": "array", "maxItems": 1}, [1, 2], ["too_long"]),
        ({"type": "integer", "exclusiveMinimum": 0}, 0, ["greater_than"]),
        ({"type": "integer"}, True, ["int_type"]),
        ({"type": "boolean"}, 1, ["bool_type"]),
        ({"type": "null"}, 1, ["none_required"]),
        ({"const": "text"}, "image", ["literal_error"]),
        (
            {"type": "object", "additionalProperties": {"type": "integer"}},
            {"a": "x"},
            ["int_type"],
        ),
        (
            {"$ref": "#/components/schemas/ContentChunk"},
            {"text": "x"},
            ["union_tag_not_found"],
        ),
        ({"$ref": "#/components/schemas/ContentChunk"}, "x", ["model_attributes_type"]),
    ],
)
def test_validator_error_kinds(
    validator: Validator, schema: dict[str, Any], value: object, expected: list[str]
) -> None:
    assert kinds(validator, schema, value) == expected


def test_validator_messages_are_pydantics(validator: Validator) -> None:
    too_short = validator.errors({"type": "string", "minLength": 1}, "", ("body", "x"))
    tag = validator.errors(
        {"$ref": "#/components/schemas/ContentChunk"}, {"type": "video"}, ("body",)
    )

    assert too_short[0]["msg"] == "String should have at least 1 character"
    assert tag[0]["msg"].startswith(
        "Input tag 'video' found using 'type' does not match"
    )


def test_text_pdf_arrays_escapes_and_compression() -> None:
    content = zlib.compress(b"BT [(Hel) -20 (lo)] TJ (a\\(b\\)c) Tj /F1 12 Tf ET")
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Page >>\nstream\n" + content + b"\nendstream\n"

    assert page_texts(pdf) == ["Hello\na(b)c"]


def test_text_image_and_empty() -> None:
    assert page_texts(b"\x89PNG....") == [""]
    assert page_texts(b"") == [""]


def test_clock_virtual_and_system() -> None:
    clock = VirtualClock(start=100.0)
    clock.sleep(-1)
    clock.advance(5)

    assert clock.now() == 105.0
    with pytest.raises(ValueError, match="back"):
        clock.advance(-1)
    SystemClock().sleep(0)
    assert SystemClock().now() > 1_700_000_000
    assert parse_iso("2025-01-01T00:00:00") == parse_iso("2025-01-01T00:00:00Z")


def test_sample_follows_the_schema() -> None:
    schema = {
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2},
            "kind": {"enum": ["a", "b"]},
            "maybe": {"anyOf": [{"type": "null"}, {"type": "integer"}]},
            "flag": {"type": ["null", "boolean"]},
            "fixed": {"const": 3},
            "given": {"type": "string", "default": "d"},
        },
    }

    assert sample(schema, "t") == {
        "tags": ["t", "t"],
        "kind": "a",
        "maybe": 0,
        "flag": False,
        "fixed": 3,
        "given": "d",
    }


def post(emulator: Emulator, path: str, body: object) -> int:
    response = emulator.handle(
        "POST", path, headers=KEY, body=json.dumps(body).encode()
    )
    return response.status


def test_control_routes(emulator: Emulator, client: Mistral) -> None:
    job = client.batch.jobs.create(
        requests=[{"body": {"input": "x"}}],
        endpoint="/v1/embeddings",
        model="mistral-embed",
    )

    statuses = [
        post(emulator, "/_emulator/settle", {}),
        post(emulator, "/_emulator/clock/advance", {"seconds": 10}),
        post(emulator, "/_emulator/script/error", {"status": 500}),
        post(emulator, "/_emulator/script/clear", {}),
        post(emulator, "/_emulator/script/reply", {"bad": 1}),
        post(emulator, "/_emulator/reset", {}),
    ]

    assert statuses == [200, 200, 200, 200, 400, 200]
    assert emulator.clock.now() == VirtualClock().now() + 10
    assert emulator.handle("GET", "/_emulator/health").json() == {"status": "ok"}
    assert emulator.handle("GET", "/_emulator/settle").status == 404
    assert emulator.handle("POST", "/_emulator/reset").status == 401
    bad_json = emulator.handle("POST", "/_emulator/reset", headers=KEY, body=b"[")
    assert bad_json.status == 400
    assert job.status == "QUEUED"


def test_batch_runs_transcriptions_as_forms(
    emulator: Emulator, client: Mistral
) -> None:
    spoken = client.files.upload(file=("a.txt", b"Batch audio."), purpose="batch")
    url = client.files.get_signed_url(spoken.id).url
    job = client.batch.jobs.create(
        requests=[{"custom_id": "t", "body": {"file_url": url}}],
        endpoint="/v1/audio/transcriptions",
        model="voxtral-mini-latest",
    )

    emulator.settle()
    done = client.batch.jobs.get(job.id, inline=True)

    assert done.outputs is not None
    assert done.outputs[0]["response"]["body"]["text"] == "Batch audio."


def test_conversation_stream_of_a_handoff_then_a_tool_call(
    emulator: Emulator, client: Mistral
) -> None:
    from mistral_sdk.testing import Reply, ToolCall

    expert = client.beta.agents.create(model="mistral-small-latest", name="Expert")
    lead = client.beta.agents.create(model="mistral-small-latest", name="Lead")
    emulator.script.add(
        Reply(handoff=expert.id, tool_calls=[ToolCall("lookup", {"q": 1})])
    )

    with client.beta.conversations.start_stream(agent_id=lead.id, inputs="?") as stream:
        kinds = [e.type for e in stream]

    assert kinds == [
        "conversation.response.started",
        "agent.handoff.started",
        "agent.handoff.done",
        "function.call.delta",
        "conversation.response.done",
    ]

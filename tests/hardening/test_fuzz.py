"""Property-based fuzzing of the two places untrusted bytes enter: streams and unions.

Whatever the server sends, the SDK answers with values or with its own typed
errors (`MistralError` subclasses): never a `KeyError`, a `UnicodeDecodeError`,
a pydantic `ValidationError` or an httpx2 exception.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Annotated, Any, get_args, get_origin

import anyio
import httpx2
import pytest
from factories import Chunks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mistral_sdk.types as types
from hardening import payloads
from hardening.faultserver import FaultServer
from hardening.support import CHAT, MESSAGES, Sdk, sse_reply
from mistral_sdk import AsyncStream, MistralError, Stream
from mistral_sdk._model_base import OpenUnion, UnknownModel
from mistral_sdk._response import parse_response
from mistral_sdk.types import CompletionChunk, ConversationEvent

REQUEST = httpx2.Request("POST", "https://api.mistral.ai/v1/chat/completions")


def event_response(chunks: list[bytes]) -> httpx2.Response:
    return httpx2.Response(
        200,
        headers={"content-type": "text/event-stream"},
        stream=Chunks(chunks),
        request=REQUEST,
    )


def drain(chunks: list[bytes], cast_to: Any, strict: bool) -> list[Any]:
    """Read a stream to its end; return its values, or raise what it raised."""
    with Stream[Any](event_response(chunks), cast_to=cast_to, strict=strict) as stream:
        return list(stream)


def adrain(chunks: list[bytes], cast_to: Any, strict: bool) -> list[Any]:
    async def run() -> list[Any]:
        stream = AsyncStream[Any](
            event_response(chunks), cast_to=cast_to, strict=strict
        )
        async with stream:
            return [value async for value in stream]

    return anyio.run(run)


def outcome(read: Callable[[], list[Any]]) -> tuple[str, Any]:
    """The values read, or the SDK error raised; anything else fails the test."""
    try:
        values = read()
    except MistralError as exc:
        return ("error", (type(exc), str(exc)))
    return (
        "values",
        [
            v.model_dump(mode="json", warnings=False) if hasattr(v, "model_dump") else v
            for v in values
        ],
    )


@st.composite
def chunkings(draw: st.DrawFn, body: bytes) -> list[bytes]:
    """`body` cut at arbitrary positions."""
    cuts = draw(st.lists(st.integers(0, len(body)), max_size=12, unique=True))
    edges = [0, *sorted(cuts), len(body)]
    return [body[a:b] for a, b in itertools.pairwise(edges)]


LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])
EVENT_PAYLOADS = st.one_of(
    st.builds(
        payloads.chunk, st.text(max_size=8), st.sampled_from([None, "stop", "new"])
    ),
    st.just({"object": "error", "message": "overloaded", "code": "503"}),
    st.just({"id": "c", "choices": [{"index": "x"}]}),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


@st.composite
def event_streams(draw: st.DrawFn) -> bytes:
    """Mostly well-formed event streams: events, comments, odd fields, `[DONE]`."""
    end = draw(LINE_ENDS)
    parts: list[str] = []
    for payload in draw(st.lists(EVENT_PAYLOADS, max_size=5)):
        if draw(st.booleans()):
            parts.append(f": ping{end}{end}")
        if draw(st.booleans()):
            parts.append(
                f"event: {draw(st.sampled_from(['completion', 'error', 'x']))}{end}"
            )
        text = json.dumps(payload, ensure_ascii=draw(st.booleans()))
        parts.append(f"data: {text}{end}{end}")
    if draw(st.booleans()):
        parts.append(f"data: [DONE]{end}{end}")
    if draw(st.booleans()):
        parts.append(draw(st.text(max_size=20)))  # a tail cut anywhere
    body = "".join(parts).encode()
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + body


@given(data=st.data(), body=event_streams(), strict=st.booleans())
def test_fuzz_stream_any_chunking_same_outcome_typed_errors_only(
    data: st.DataObject, body: bytes, strict: bool
) -> None:
    chunks = data.draw(chunkings(body))

    whole = outcome(lambda: drain([body], CompletionChunk, strict))
    split = outcome(lambda: drain(chunks, CompletionChunk, strict))

    assert split == whole


@settings(max_examples=40)
@given(data=st.data(), body=event_streams())
def test_fuzz_async_stream_matches_sync(data: st.DataObject, body: bytes) -> None:
    chunks = data.draw(chunkings(body))

    assert outcome(lambda: adrain(chunks, CompletionChunk, False)) == outcome(
        lambda: drain([body], CompletionChunk, False)
    )


@given(
    chunks=st.lists(st.binary(max_size=64), max_size=8),
    cast_to=st.sampled_from([CompletionChunk, ConversationEvent]),
    strict=st.booleans(),
)
def test_fuzz_stream_arbitrary_bytes_typed_errors_only(
    chunks: list[bytes], cast_to: Any, strict: bool
) -> None:
    outcome(lambda: drain(chunks, cast_to, strict))


@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(
                ["data: {", "data: [DONE]", ":", "", "event: error", "data:", "id: \0"]
            ),
            st.text(max_size=15),
        ),
        max_size=10,
    ),
    end=LINE_ENDS,
)
def test_fuzz_stream_arbitrary_lines_typed_errors_only(
    lines: list[str], end: str
) -> None:
    outcome(lambda: drain([end.join(lines).encode()], CompletionChunk, False))


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_stream_chunkings_over_the_socket(
    data: st.DataObject, sdk: Sdk, fault: FaultServer
) -> None:
    text = "".join(
        data.draw(
            st.lists(
                st.sampled_from(["é", "🌍", "a", "\r\n", "ß"]), min_size=1, max_size=6
            )
        )
    )
    body = (
        "data: " + json.dumps(payloads.chunk(text), ensure_ascii=False) + "\r\n\r\n"
    ).encode()
    body += b"data: [DONE]\r\n\r\n"
    fault.script("POST", CHAT, sse_reply(*data.draw(chunkings(body))))

    with sdk.client.chat.stream(model="m", messages=MESSAGES) as stream:
        got = [c.choices[0].delta.content for c in stream]

    assert got == [text]


# ------------------------------------------------------------------ unions
def open_unions() -> dict[str, tuple[Any, OpenUnion]]:
    found: dict[str, tuple[Any, OpenUnion]] = {}
    for name in types.__all__:
        value = getattr(types, name)
        if get_origin(value) is Annotated:
            for marker in get_args(value)[1:]:
                if isinstance(marker, OpenUnion):
                    found[name] = (value, marker)
    return found


UNIONS = open_unions()
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def test_fuzz_unions_are_all_found() -> None:
    assert len(UNIONS) >= 20
    assert {
        "ContentChunk",
        "Entry",
        "ConversationEvent",
        "AgentTool",
        "Message",
    } <= set(UNIONS)


@st.composite
def union_payloads(draw: st.DrawFn, name: str) -> dict[str, Any]:
    union, marker = UNIONS[name]
    known, _ = marker.members(get_args(union)[0])
    fields = sorted({f for model in known.values() for f in model.model_fields})
    keys = (
        st.sampled_from(fields) | st.text(max_size=8) if fields else st.text(max_size=8)
    )
    payload = draw(st.dictionaries(keys, JSON_VALUES, max_size=6))
    tag = draw(
        st.sampled_from(sorted(known))
        | st.text(max_size=12)
        | JSON_VALUES
        | st.just(None)
    )
    if draw(st.booleans()):
        payload[marker.prop] = tag
    return payload


@pytest.mark.parametrize("name", sorted(UNIONS))
@settings(max_examples=60)
@given(data=st.data(), strict=st.booleans())
def test_fuzz_union_payloads_parse_or_raise_typed_errors(
    name: str, data: st.DataObject, strict: bool
) -> None:
    union, marker = UNIONS[name]
    known, _ = marker.members(get_args(union)[0])
    payload = data.draw(union_payloads(name))
    text = json.dumps(payload)

    tag = payload.get(marker.prop)
    unknown_tag = tag is None or (isinstance(tag, str) and tag not in known)
    try:
        value = parse_response(union, text, strict=strict)
    except MistralError:
        # A new tag is never an error, even in strict mode.
        assert not unknown_tag
        return

    if not isinstance(tag, str) or tag not in known:
        assert isinstance(value, UnknownModel)
        assert json.dumps(value.raw) == text  # kept as received, keys in order
        # As `dump_request` sends it back. (A tag that is not a string departs
        # from the spec: a plain model_dump() would warn about it, rightly.)
        dumped = value.model_dump(
            mode="json", by_alias=True, exclude_unset=True, warnings=False
        )
        assert json.dumps(dumped) == text

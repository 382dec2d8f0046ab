"""The SSE decoder (`mistral_sdk._sse.EventDecoder`), byte for byte.

The rules are those of the SSE specification (WHATWG HTML, "server-sent
events", section "Interpreting an event stream"); where httpx2's decoder
departs from them (it keeps a byte-order mark, dispatches events without data
and dispatches an event cut after a lone CR), the tests say so. A differential
property test checks that both decoders agree, ids included, on every stream
where the specification leaves no room.
"""

from __future__ import annotations

import httpx2
import pytest
from factories import Chunks
from hypothesis import given
from hypothesis import strategies as st

from mistral_sdk._sse import EventDecoder, EventTooLarge


def run(
    chunks: list[bytes], limit: int | None = None
) -> tuple[list[tuple[str, str]], bool]:
    decoder = EventDecoder() if limit is None else EventDecoder(limit)
    events = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    last, inside = decoder.end()
    events += last
    return [(e.name, e.data.decode()) for e in events], inside


def decode(chunks: list[bytes]) -> list[tuple[str, str]]:
    return run(chunks)[0]


def test_sse_data_events() -> None:
    assert decode([b"data: a\n\ndata: b\n\n"]) == [("message", "a"), ("message", "b")]


def test_sse_data_stays_bytes() -> None:
    decoder = EventDecoder()

    (event,) = decoder.feed(b'data: {"x": "\xc3\xa9"}\n\n')

    assert event.data == b'{"x": "\xc3\xa9"}'


def test_sse_comments_are_ignored() -> None:
    assert decode([b": keep-alive\n\n:another\ndata: x\n\n"]) == [("message", "x")]


def test_sse_event_field_names_the_event() -> None:
    assert decode([b"event: delta\ndata: 1\n\n"]) == [("delta", "1")]
    assert decode([b"event:\ndata: 1\n\n"]) == [("message", "1")]


def test_sse_multi_line_data_is_joined_with_newlines() -> None:
    assert decode([b"data: a\ndata:b\ndata:  c\n\n"]) == [("message", "a\nb\n c")]


def test_sse_crlf_and_cr_line_endings() -> None:
    expected = [("message", "a"), ("message", "b")]

    assert decode([b"data: a\r\n\r\ndata: b\r\n\r\n"]) == expected
    assert decode([b"data: a\r\rdata: b\r\r"]) == expected
    assert decode([b"data: a\r\n\rdata: b\n\r\n"]) == expected


def test_sse_crlf_split_between_chunks_is_one_line_break() -> None:
    assert run([b"data: a\r", b"\n\r", b"\n"]) == ([("message", "a")], False)
    assert run([b"data: a\r", b"\n"]) == ([], True)


def test_sse_utf8_sequence_split_between_chunks() -> None:
    raw = "data: caf\u00e9 \U0001f600\n\n".encode()
    cut = raw.index(b"\xf0") + 2

    assert decode([raw[:cut], raw[cut:]]) == [("message", "caf\u00e9 \U0001f600")]


def test_sse_one_byte_at_a_time() -> None:
    raw = b'event: e\nid: 7\nretry: 5\ndata: {"x": 1}\n\n'

    assert decode([raw[i : i + 1] for i in range(len(raw))]) == [("e", '{"x": 1}')]


def test_sse_field_without_colon_and_unknown_fields() -> None:
    assert decode([b"data\nfoo: bar\ndata: x\n\n"]) == [("message", "\nx")]


def test_sse_runs_of_blank_lines_dispatch_nothing_more() -> None:
    assert decode([b"\n\n\ndata: a\n\n\n\n\ndata: b\n\n\n"]) == [
        ("message", "a"),
        ("message", "b"),
    ]


def test_sse_byte_order_mark_is_ignored_even_when_split() -> None:
    raw = b"\xef\xbb\xbfdata: a\n\n"

    assert decode([raw]) == [("message", "a")]
    assert decode([raw[:1], raw[1:2], raw[2:]]) == [("message", "a")]
    # Only at the very start: later, the same bytes are data.
    assert decode([b"data: a\n\n\xef\xbb\xbfdata: b\n\n"]) == [("message", "a")]


def test_sse_event_without_data_is_not_dispatched() -> None:
    # httpx2 dispatches it with empty data; the specification does not.
    assert decode([b"event: ping\n\nid: 4\n\n"]) == []
    assert decode([b"data:\n\n"]) == [("message", "")]


def ids(chunks: list[bytes]) -> list[tuple[str, str]]:
    decoder = EventDecoder()
    events = [event for chunk in chunks for event in decoder.feed(chunk)]
    events += decoder.end()[0]
    return [(e.data.decode(), e.id) for e in events]


def test_sse_id_is_empty_until_the_stream_sends_one() -> None:
    assert ids([b"data: a\n\nevent: e\ndata: b\n\n"]) == [("a", ""), ("b", "")]


def test_sse_id_persists_across_events_until_the_next_id() -> None:
    body = b"id: 1\ndata: a\n\ndata: b\n\ndata: c\nid: 2\n\ndata: d\n\n"

    assert ids([body]) == [("a", "1"), ("b", "1"), ("c", "2"), ("d", "2")]


def test_sse_id_field_forms() -> None:
    # One leading space is dropped like in any field; a field with no colon has
    # an empty value; the last `id` of a block wins; the value is not trimmed.
    assert ids([b"id:7\ndata: a\n\n"]) == [("a", "7")]
    assert ids([b"id:  7 \ndata: a\n\n"]) == [("a", " 7 ")]
    assert ids([b"id: 1\nid: 2\ndata: a\n\n"]) == [("a", "2")]
    assert ids([b"id: 1\ndata: a\n\nid\ndata: b\n\n"]) == [("a", "1"), ("b", "")]
    assert ids([b"id: \xc3\xa9\xff\ndata: a\n\n"]) == [("a", "\u00e9\ufffd")]
    assert ids([b"ids: 1\nid : 2\ndata: a\n\n"]) == [("a", "")]


def test_sse_empty_id_resets_the_buffer() -> None:
    assert ids([b"id: 5\ndata: a\n\nid:\ndata: b\n\n"]) == [("a", "5"), ("b", "")]


def test_sse_id_with_nul_is_ignored() -> None:
    body = b"id: 5\ndata: a\n\nid: 6\x007\ndata: b\n\nid: 8\n\x00: x\ndata: c\n\n"

    assert ids([body]) == [("a", "5"), ("b", "5"), ("c", "8")]


def test_sse_id_of_an_event_without_data_still_counts() -> None:
    # Not dispatched, but it sets the buffer, which dispatch does not reset.
    assert ids([b"data: a\n\nid: 3\n\ndata: b\n\n"]) == [("a", ""), ("b", "3")]
    assert ids([b"id: 3\nevent: e\n\n: c\n\ndata: b\n\n"]) == [("b", "3")]


def test_sse_id_of_an_unended_event_is_not_handed_out() -> None:
    assert ids([b"id: 1\ndata: a\n\nid: 2\ndata: b\n"]) == [("a", "1")]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_sse_id_survives_every_chunk_split(newline: bytes) -> None:
    body = (
        b"id: 10\ndata: a\n\ndata: b\n\nid: 11\n\nevent: e\ndata: c\n\nid\ndata: d\n\n"
    )
    raw = body.replace(b"\n", newline)
    expected = [("a", "10"), ("b", "10"), ("c", "11"), ("d", "")]

    assert ids([raw]) == expected
    assert ids([raw[i : i + 1] for i in range(len(raw))]) == expected
    for cut in range(len(raw) + 1):
        assert ids([raw[:cut], raw[cut:]]) == expected, cut


@pytest.mark.parametrize(
    ("body", "inside"),
    [
        (b"", False),
        (b"data: a\n\n", False),
        (b"data: a\r\n\r\n", False),
        (b"data: a\r\r", False),
        (b"data: a\n\n: ping\n", False),
        (b"data: a\n\n:", False),
        (b"data: a\n\ndata: {", True),
        (b"data: a\n", True),
        (b"data: a\r\n", True),
        (b"event: x\n", True),
        (b"data: a\n: comment\n", True),
        # The line is complete but no blank line ends the event; httpx2 would
        # dispatch it, the specification discards it.
        (b"data: a\r", True),
        (b"\xef", True),
    ],
)
def test_sse_end_tells_whether_the_body_stopped_inside_an_event(
    body: bytes, inside: bool
) -> None:
    assert run([body])[1] is inside
    assert run([body[i : i + 1] for i in range(len(body))])[1] is inside


def test_sse_an_event_longer_than_the_limit_raises() -> None:
    decoder = EventDecoder(max_event_bytes=16)

    assert decoder.feed(b"data: 0123456789\n\n") == [("message", b"0123456789", "")]
    decoder.feed(b"data: 0123456789")
    with pytest.raises(EventTooLarge, match="longer than 16 bytes"):
        decoder.feed(b"0123456789")


# ---- any chunking yields the same events and ids, the same as httpx2's decoder
# where the specification leaves no room (every event ended, none without data)
_text = st.text(
    alphabet=st.characters(
        categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="\r\n"
    ),
    max_size=12,
)
_id = st.one_of(st.none(), _text, st.sampled_from(["", "7\x008"]))
_event = st.tuples(
    st.one_of(st.none(), _text.filter(lambda s: not s.startswith((" ", ":")))),
    st.lists(_text, min_size=1, max_size=3),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
    _id,
)
Spec = tuple[str | None, list[str], str, bool, str | None]


def _serialise(events: list[Spec]) -> bytes:
    out = []
    for name, lines, newline, comment, id_ in events:
        if comment:
            out.append(": comment" + newline)
        if name is not None:
            out.append(f"event: {name}{newline}")
        if id_ is not None:
            out.append(f"id: {id_}{newline}")
        out.extend(f"data: {line}{newline}" for line in lines)
        out.append(newline)
    return "".join(out).encode()


def _expected_ids(events: list[Spec]) -> list[str]:
    found, last = [], ""
    for *_, id_ in events:
        if id_ is not None and "\0" not in id_:
            last = id_
        found.append(last)
    return found


def _split(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(raw)) for c in cuts})
    pieces, start = [], 0
    for point in points:
        pieces.append(raw[start:point])
        start = point
    pieces.append(raw[start:])
    return pieces


def _httpx2(chunks: list[bytes]) -> list[tuple[str, str, str]]:
    response = httpx2.Response(
        200,
        headers={"content-type": "text/event-stream"},
        stream=Chunks(chunks),
        request=httpx2.Request("GET", "https://api.mistral.ai/v1/events"),
    )
    return [(e.event, e.data, e.id) for e in httpx2.EventSource(response)]


@given(
    events=st.lists(_event, max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=30),
)
def test_sse_any_chunking_yields_the_same_events(
    events: list[Spec], cuts: list[int]
) -> None:
    raw = _serialise(events)

    whole, inside = run([raw])
    chunked = decode(_split(raw, cuts))
    chunked_ids = [id_ for _, id_ in ids(_split(raw, cuts))]

    assert chunked == whole
    assert not inside
    assert whole == [
        (name or "message", "\n".join(lines)) for name, lines, *_ in events
    ]
    assert chunked_ids == _expected_ids(events)
    assert _httpx2(_split(raw, cuts)) == [
        (name, data, id_) for (name, data), id_ in zip(whole, chunked_ids, strict=True)
    ]

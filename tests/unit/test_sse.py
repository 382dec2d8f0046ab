"""What httpx2's SSE decoder (`httpx2.EventSource`) does, byte for byte.

The SDK relies on it instead of a decoder of its own; these tests pin down the
rules of the SSE specification (WHATWG HTML, "server-sent events", section
"Interpreting an event stream") it follows, and the three it does not:

- a leading UTF-8 byte-order mark is not stripped, and a `charset=` parameter is
  followed although event streams are always UTF-8: `Stream` sets the response
  encoding to `utf-8-sig`, which fixes both (tested in test_streaming.py);
- an event with no `data:` field (`event: ping`, a lone `id:`) is dispatched with
  empty data instead of being dropped: `Stream` skips events with empty data;
- at the end of the body, a last line ended by a lone CR dispatches the pending
  event, where the specification discards an unterminated event; the data lines
  of such an event are complete, so nothing partial can come out of it.
"""

from __future__ import annotations

import anyio
import httpx2
from factories import Chunks
from hypothesis import given
from hypothesis import strategies as st


def response(
    chunks: list[bytes], content_type: str = "text/event-stream"
) -> httpx2.Response:
    return httpx2.Response(
        200,
        headers={"content-type": content_type},
        stream=Chunks(chunks),
        request=httpx2.Request("GET", "https://api.mistral.ai/v1/events"),
    )


def decode(
    chunks: list[bytes], *, utf8_sig: bool = False
) -> list[tuple[str, str, str]]:
    resp = response(chunks)
    if utf8_sig:
        resp.encoding = "utf-8-sig"
    return [(e.event, e.data, e.id) for e in httpx2.EventSource(resp)]


def adecode(chunks: list[bytes]) -> list[tuple[str, str, str]]:
    async def run() -> list[tuple[str, str, str]]:
        return [
            (e.event, e.data, e.id) async for e in httpx2.EventSource(response(chunks))
        ]

    return anyio.run(run)


def test_sse_data_events() -> None:
    assert decode([b"data: a\n\ndata: b\n\n"]) == [
        ("message", "a", ""),
        ("message", "b", ""),
    ]


def test_sse_comments_are_ignored() -> None:
    assert decode([b": keep-alive\n\n:another\ndata: x\n\n"]) == [("message", "x", "")]


def test_sse_event_field_names_the_event() -> None:
    assert decode([b"event: delta\ndata: 1\n\n"]) == [("delta", "1", "")]


def test_sse_multi_line_data_is_joined_with_newlines() -> None:
    assert decode([b"data: a\ndata:b\ndata:  c\n\n"]) == [("message", "a\nb\n c", "")]


def test_sse_crlf_and_cr_line_endings() -> None:
    expected = [("message", "a", ""), ("message", "b", "")]

    assert decode([b"data: a\r\n\r\ndata: b\r\n\r\n"]) == expected
    assert decode([b"data: a\r\rdata: b\r\r"]) == expected


def test_sse_crlf_split_between_chunks() -> None:
    assert decode([b"data: a\r", b"\n\r", b"\n"]) == [("message", "a", "")]


def test_sse_utf8_sequence_split_between_chunks() -> None:
    raw = "data: caf\u00e9 \U0001f600\n\n".encode()
    cut = raw.index(b"\xf0") + 2

    assert decode([raw[:cut], raw[cut:]]) == [("message", "caf\u00e9 \U0001f600", "")]


def test_sse_one_byte_at_a_time() -> None:
    raw = b'event: e\nid: 7\ndata: {"x": 1}\n\n'

    assert decode([raw[i : i + 1] for i in range(len(raw))]) == [("e", '{"x": 1}', "7")]


def test_sse_field_without_colon_and_unknown_fields() -> None:
    assert decode([b"data\nfoo: bar\ndata: x\n\n"]) == [("message", "\nx", "")]


def test_sse_unterminated_last_event_is_discarded() -> None:
    assert decode([b"data: a\n\ndata: partial"]) == [("message", "a", "")]
    assert decode([b"data: a\n\ndata: b\n"]) == [("message", "a", "")]


def test_sse_async_iteration_matches_sync() -> None:
    raw = [b"event: x\ndata: 1\n", b"\ndata: 2\r\n\r\n"]

    assert adecode(raw) == decode(raw)


# ---- the three departures from the specification, handled by `Stream`
def test_sse_departure_bom_is_kept_unless_decoded_as_utf8_sig() -> None:
    raw = [b"\xef\xbb\xbfdata: a\n\n"]

    assert decode(raw) == []
    assert decode(raw, utf8_sig=True) == [("message", "a", "")]


def test_sse_departure_event_without_data_is_dispatched_empty() -> None:
    assert decode([b"event: ping\n\n"]) == [("ping", "", "")]


def test_sse_departure_cr_at_end_of_body_dispatches_pending_event() -> None:
    assert decode([b"data: a\r"]) == [("message", "a", "")]


# ---- any chunking of a byte stream yields the same events
_text = st.text(
    alphabet=st.characters(
        categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="\r\n"
    ),
    max_size=12,
)
_event = st.tuples(
    st.one_of(st.none(), _text.filter(lambda s: not s.startswith((" ", ":")))),
    st.lists(_text, min_size=1, max_size=3),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)


def _serialise(events: list[tuple[str | None, list[str], str, bool]]) -> bytes:
    out = []
    for name, lines, newline, comment in events:
        if comment:
            out.append(": comment" + newline)
        if name is not None:
            out.append(f"event: {name}{newline}")
        out.extend(f"data: {line}{newline}" for line in lines)
        out.append(newline)
    return "".join(out).encode()


def _split(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(raw)) for c in cuts})
    pieces, start = [], 0
    for point in points:
        pieces.append(raw[start:point])
        start = point
    pieces.append(raw[start:])
    return pieces


@given(
    events=st.lists(_event, max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=30),
)
def test_sse_any_chunking_yields_the_same_events(
    events: list[tuple[str | None, list[str], str, bool]], cuts: list[int]
) -> None:
    raw = _serialise(events)

    whole = decode([raw])
    chunked = decode(_split(raw, cuts))

    assert chunked == whole
    assert whole == [
        (name or "message", "\n".join(lines), "") for name, lines, _, _ in events
    ]

"""Chat and conversation streams over a real socket: odd framing, errors, cuts.

Every scenario runs on both clients. A stream either yields every event the
server sent and ends, or raises a typed error: never a parse error for an API
error, never a hang, never a silent truncation.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from hardening import payloads
from hardening.faultserver import (
    Close,
    FaultServer,
    Framing,
    Hold,
    Pause,
    Reply,
    Reset,
    split,
)
from hardening.support import (
    CHAT,
    CONVERSATIONS,
    MESSAGES,
    Sdk,
    sse_events,
    sse_reply,
)
from mistral_sdk import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    ResponseDecodeError,
)
from mistral_sdk.types import (
    CompletionChunk,
    MessageOutputEvent,
    ResponseDoneEvent,
    ResponseStartedEvent,
)

REQUEST_ID = ("mistral-correlation-id", "req-stream-1")


def chat_texts(sdk: Sdk) -> list[Any]:
    """Read a chat stream to its end; return the content of every chunk."""
    with sdk.client.chat.stream(model="m", messages=MESSAGES) as stream:
        chunks: list[CompletionChunk] = list(stream)
    assert all(isinstance(c, CompletionChunk) for c in chunks)
    return [c.choices[0].delta.content for c in chunks]


def partial_chat(sdk: Sdk) -> tuple[list[Any], BaseException | None]:
    """Read a chat stream until it ends or raises; return what came and the error."""
    got: list[Any] = []
    try:
        with sdk.client.chat.stream(model="m", messages=MESSAGES) as stream:
            for item in stream:
                got.append(item.choices[0].delta.content)
    except Exception as exc:
        return got, exc
    return got, None


def partial_conversation(sdk: Sdk) -> tuple[list[Any], BaseException | None]:
    got: list[Any] = []
    try:
        with sdk.client.beta.conversations.start_stream(inputs="Hi") as stream:
            got.extend(stream)
    except Exception as exc:
        return got, exc
    return got, None


WORDS = ["Hé", "llo ", "wörld ", "🌍", None]
BODY = sse_events(
    *(payloads.chunk(w) for w in WORDS[:-1]), payloads.chunk(None, "stop")
)


# ------------------------------------------------------------------ framing
def test_stream_ping_comments_and_event_lines(sdk: Sdk, fault: FaultServer) -> None:
    body = (
        b": ping\n\n"
        + b"event: completion\n"
        + sse_events(payloads.chunk("a"), done=False)
        + b": ping - 2026-01-01 00:00:00\n\n"
        + b"event: ping\n\n"
        + b"id: 7\nevent: completion\nretry: 100\n"
        + sse_events(payloads.chunk("b"))
    )
    fault.script("POST", CHAT, sse_reply(body))

    assert chat_texts(sdk) == ["a", "b"]


def test_stream_crlf_line_endings(sdk: Sdk, fault: FaultServer) -> None:
    fault.script("POST", CHAT, sse_reply(BODY.replace(b"\n", b"\r\n")))

    assert chat_texts(sdk) == WORDS


def test_stream_bare_cr_line_endings(sdk: Sdk, fault: FaultServer) -> None:
    fault.script("POST", CHAT, sse_reply(BODY.replace(b"\n", b"\r")))

    assert chat_texts(sdk) == WORDS


def test_stream_multi_line_data(sdk: Sdk, fault: FaultServer) -> None:
    pretty = json.dumps(payloads.chunk("multi"), indent=2)
    body = "".join(f"data: {line}\n" for line in pretty.splitlines()) + "\n"
    fault.script("POST", CHAT, sse_reply(body.encode(), b"data: [DONE]\n\n"))

    assert chat_texts(sdk) == ["multi"]


def odd_splits(body: bytes) -> list[int]:
    """Offsets inside every multi-byte character, CRLF, field name and `[DONE]`."""
    offsets = {1, 3, 5, len(body) - 3}
    for i, byte in enumerate(body):
        if byte >= 0xC0:  # the lead byte of a multi-byte UTF-8 sequence
            offsets.update({i + 1, i + 2})
        if body[i : i + 2] == b"\r\n":
            offsets.add(i + 1)
    offsets.add(body.index(b"data:") + 2)
    offsets.add(body.index(b"[DONE]") + 3)
    return sorted(o for o in offsets if 0 < o < len(body))


def test_stream_odd_byte_splits(sdk: Sdk, fault: FaultServer) -> None:
    body = BODY.replace(b"\n", b"\r\n")
    parts = split(body, *odd_splits(body))
    assert len(parts) > 20
    fault.script("POST", CHAT, sse_reply(*parts))

    assert chat_texts(sdk) == WORDS


def test_stream_one_byte_per_chunk(sdk: Sdk, fault: FaultServer) -> None:
    body = sse_events(payloads.chunk("é🌍"), crlf=True)
    fault.script("POST", CHAT, sse_reply(*split(body, *range(1, len(body)))))

    assert chat_texts(sdk) == ["é🌍"]


def test_stream_without_final_done_ends_after_the_last_event(
    sdk: Sdk, fault: FaultServer
) -> None:
    fault.script("POST", CHAT, sse_reply(sse_events(payloads.chunk("a"), done=False)))

    assert chat_texts(sdk) == ["a"]


def test_stream_byte_order_mark_and_charset(sdk: Sdk, fault: FaultServer) -> None:
    headers = (("content-type", "text/event-stream; charset=latin-1"),)
    body = b"\xef\xbb\xbf" + sse_events(payloads.chunk("é"))
    fault.script("POST", CHAT, Reply(200, headers, (body,), framing="chunked"))

    assert chat_texts(sdk) == ["é"]


# ------------------------------------------------------------------ errors inside
@pytest.mark.parametrize(
    ("payload", "cls", "message"),
    [
        (
            {"object": "error", "message": "Service overloaded", "type": "x"},
            APIError,
            "Service overloaded",
        ),
        (
            {"error": {"message": "Upstream failed", "code": 503}},
            InternalServerError,
            "Upstream failed",
        ),
        (
            {"object": "error", "message": "Slow down", "code": "429"},
            RateLimitError,
            "Slow down",
        ),
    ],
)
def test_stream_error_object_mid_stream(
    sdk: Sdk, fault: FaultServer, payload: object, cls: type[APIError], message: str
) -> None:
    body = sse_events(payloads.chunk("a"), payload, payloads.chunk("never"))
    fault.script("POST", CHAT, sse_reply(body, headers=(REQUEST_ID,)))

    got, error = partial_chat(sdk)

    assert got == ["a"]
    assert isinstance(error, cls)
    assert type(error) is cls
    assert not isinstance(error, ResponseDecodeError)
    assert error.message == message
    assert error.body == payload
    assert error.request_id == "req-stream-1"


def test_stream_error_event_with_plain_text(sdk: Sdk, fault: FaultServer) -> None:
    body = sse_events(payloads.chunk("a"), done=False) + b"event: error\ndata: boom\n\n"
    fault.script("POST", CHAT, sse_reply(body))

    got, error = partial_chat(sdk)

    assert got == ["a"]
    assert isinstance(error, APIError)
    assert error.message == "boom"


def test_stream_conversation_events(sdk: Sdk, fault: FaultServer) -> None:
    events = [
        payloads.started(),
        payloads.delta("Hé"),
        payloads.delta("llo"),
        payloads.done(),
    ]
    body = "".join(
        f"event: {e['type']}\ndata: {json.dumps(e, ensure_ascii=False)}\n\n"
        for e in events
    ).encode()
    fault.script("POST", CONVERSATIONS, sse_reply(*split(body, 40, 41, 120)))

    got, error = partial_conversation(sdk)

    assert error is None
    assert [type(e) for e in got] == [
        ResponseStartedEvent,
        MessageOutputEvent,
        MessageOutputEvent,
        ResponseDoneEvent,
    ]
    assert "".join(e.content for e in got[1:3]) == "Héllo"
    assert json.loads(fault.requests[-1].body)["stream"] is True


@pytest.mark.parametrize(
    ("code", "cls"), [(3000, APIError), (503, InternalServerError)]
)
def test_stream_conversation_response_error_is_raised(
    sdk: Sdk, fault: FaultServer, code: int, cls: type[APIError]
) -> None:
    error_event = {
        "type": "conversation.response.error",
        "created_at": "2026-01-02T03:04:05Z",
        "message": "The model crashed",
        "code": code,
    }
    body = "".join(
        f"event: {e['type']}\ndata: {json.dumps(e)}\n\n"
        for e in (payloads.started(), payloads.delta("a"), error_event)
    ).encode()
    fault.script("POST", CONVERSATIONS, sse_reply(body, headers=(REQUEST_ID,)))

    got, error = partial_conversation(sdk)

    assert [type(e) for e in got] == [ResponseStartedEvent, MessageOutputEvent]
    assert isinstance(error, cls)
    assert type(error) is cls
    assert error.message == "The model crashed"
    assert error.code == str(code)
    assert error.request_id == "req-stream-1"


# ------------------------------------------------------------------ cut streams
CUTS: dict[str, tuple[bytes, Close | Reset]] = {
    "fin-between-events": (sse_events(payloads.chunk("a"), done=False), Close()),
    "fin-inside-an-event": (
        sse_events(payloads.chunk("a"), done=False) + b'data: {"id": "cm',
        Close(),
    ),
    "rst-between-events": (sse_events(payloads.chunk("a"), done=False), Reset()),
    "rst-inside-an-event": (
        sse_events(payloads.chunk("a"), done=False) + b"data: {",
        Reset(),
    ),
}


@pytest.mark.parametrize("cut", sorted(CUTS))
@pytest.mark.parametrize("framing", ["chunked", "length"])
def test_stream_connection_cut_mid_stream(
    sdk: Sdk, fault: FaultServer, cut: str, framing: Framing
) -> None:
    parts = (*CUTS[cut], sse_events(payloads.chunk("lost")))
    fault.script("POST", CHAT, sse_reply(*parts, framing=framing))

    got, error = partial_chat(sdk)

    assert got == ["a"]
    assert type(error) is APIConnectionError
    assert len(fault.requests) == 1  # a stream that has begun is never retried


def test_stream_close_delimited_body_cut_inside_an_event(
    sdk: Sdk, fault: FaultServer
) -> None:
    # Without Content-Length or chunked framing (an HTTP/1.0 proxy), the body
    # ends where the connection closes, so HTTP sees no cut: the half-sent
    # event shows it.
    body = sse_events(payloads.chunk("a"), done=False) + b'data: {"id": "cm'
    fault.script("POST", CHAT, sse_reply(body, Close(), b"\n\n", framing="close"))

    got, error = partial_chat(sdk)

    assert got == ["a"]
    assert type(error) is APIConnectionError
    assert "middle of an event" in str(error)


def test_stream_close_delimited_body_cut_between_events(
    sdk: Sdk, fault: FaultServer
) -> None:
    # The one cut nothing can reveal: at an event boundary of a close-delimited
    # body. It reads as a stream without `[DONE]` (conversation streams never
    # send one), which is accepted.
    body = sse_events(payloads.chunk("a"), done=False)
    fault.script(
        "POST", CHAT, sse_reply(body, Close(), b"data: lost\n\n", framing="close")
    )

    assert partial_chat(sdk) == (["a"], None)


def test_stream_close_delimited_body_complete(sdk: Sdk, fault: FaultServer) -> None:
    fault.script("POST", CHAT, sse_reply(BODY, framing="close"))

    assert chat_texts(sdk) == WORDS


def test_stream_stalled_mid_stream_times_out(make_sdk: Any, fault: FaultServer) -> None:
    sdk = make_sdk(timeout=0.2)
    body = sse_events(payloads.chunk("a"), done=False)
    fault.script("POST", CHAT, sse_reply(body, Hold(10), b"never"))

    started = time.monotonic()
    got, error = partial_chat(sdk)
    elapsed = time.monotonic() - started

    assert got == ["a"]
    assert type(error) is APITimeoutError
    assert elapsed < 5  # no hang: the read timeout ends it
    assert fault.settle(at_most=0) == 0


def test_stream_slow_but_steady_is_not_a_timeout(
    make_sdk: Any, fault: FaultServer
) -> None:
    sdk = make_sdk(timeout=0.5)
    events = [sse_events(payloads.chunk(str(i)), done=False) for i in range(3)]
    fault.script(
        "POST",
        CHAT,
        sse_reply(
            events[0], Pause(0.1), events[1], Pause(0.1), events[2], b"data: [DONE]\n\n"
        ),
    )

    assert chat_texts(sdk) == ["0", "1", "2"]

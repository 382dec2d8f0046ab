from __future__ import annotations

import gc
import gzip
import json
import logging
from collections.abc import Callable

import anyio
import httpx2
import pytest
from conftest import Handle, MockApi, make_async
from factories import Chunks, FakeClock, chunk, event_response, sse

from mistral_sdk import (
    APIConnectionError,
    APIError,
    AsyncStream,
    InternalServerError,
    ResponseDecodeError,
    ResponseValidationError,
    Stream,
)
from mistral_sdk._sse import MAX_EVENT_BYTES, Event
from mistral_sdk._streaming import DONE, SKIP, EventReader, decode_event
from mistral_sdk.types.common import MessageParam
from mistral_sdk.types.common_completions import CompletionChunk

URL = "/v1/chat/completions"
MESSAGES: list[MessageParam] = [{"role": "user", "content": "Hi"}]
OK = httpx2.Response(
    200,
    headers={"mistral-correlation-id": "req-9"},
    request=httpx2.Request("POST", "https://api.mistral.ai" + URL),
)


def event(data: str, name: str = "message") -> Event:
    return Event(name, data.encode())


def test_decode_event_done_and_empty() -> None:
    assert (
        decode_event(event("[DONE]"), CompletionChunk, strict=False, response=OK)
        is DONE
    )
    assert (
        decode_event(event(" [DONE] "), CompletionChunk, strict=False, response=OK)
        is DONE
    )
    assert decode_event(event(""), CompletionChunk, strict=False, response=OK) is SKIP


def test_decode_event_parses_the_event_type() -> None:
    value = decode_event(
        event(json.dumps(chunk("hi"))), CompletionChunk, strict=False, response=OK
    )

    assert isinstance(value, CompletionChunk)
    assert value.choices[0].delta.content == "hi"


def test_decode_event_text_mentioning_error_is_not_an_error() -> None:
    value = decode_event(
        event(json.dumps(chunk("an error occurred"))),
        CompletionChunk,
        strict=False,
        response=OK,
    )

    assert isinstance(value, CompletionChunk)


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "error", "message": "overloaded", "type": "server_error"},
        {"error": {"message": "overloaded"}},
        {"type": "conversation.response.error", "message": "overloaded", "code": 3000},
    ],
)
def test_decode_event_error_payloads_raise(payload: object) -> None:
    with pytest.raises(APIError, match="overloaded") as caught:
        decode_event(
            event(json.dumps(payload)), CompletionChunk, strict=False, response=OK
        )

    assert caught.value.request_id == "req-9"
    assert caught.value.response is OK


def test_decode_event_error_event_name_raises_even_for_plain_text() -> None:
    with pytest.raises(APIError, match="upstream died"):
        decode_event(
            event("upstream died", name="error"),
            CompletionChunk,
            strict=False,
            response=OK,
        )


def test_decode_event_invalid_json_raises_decode_error() -> None:
    with pytest.raises(ResponseDecodeError) as caught:
        decode_event(event("{not json"), CompletionChunk, strict=False, response=OK)

    assert caught.value.body == "{not json"


def test_decode_event_departure_strict_raises() -> None:
    with pytest.raises(ResponseValidationError) as caught:
        decode_event(
            event('{"id": "x", "choices": [{"index": 0}]}'),
            CompletionChunk,
            strict=True,
            response=OK,
        )

    assert caught.value.body == '{"id": "x", "choices": [{"index": 0}]}'
    assert caught.value.request_id == "req-9"


def test_decode_event_departure_lenient_reads_and_warns_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = json.dumps(
        {
            "id": "x",
            "model": "m",
            "choices": [{"index": 0, "delta": {"content": 5}, "finish_reason": None}],
            "zz": 1,
        }
    )

    with caplog.at_level(logging.WARNING, logger="mistral_sdk"):
        first = decode_event(event(data), CompletionChunk, strict=False, response=OK)
        decode_event(event(data), CompletionChunk, strict=False, response=OK)

    assert first.id == "x"
    assert first.choices[0].delta.content == 5
    warnings = [
        r for r in caplog.records if "departs from the API spec" in r.getMessage()
    ]
    assert len(warnings) == 1
    assert "at 'choices.*.delta.content'" in warnings[0].getMessage()


def test_event_reader_reads_ordinary_events_in_one_step() -> None:
    reader = EventReader(CompletionChunk, strict=True, response=OK)

    value = reader.read(event(json.dumps(chunk("hi"))))

    assert isinstance(value, CompletionChunk)
    assert value.choices[0].delta.content == "hi"
    assert reader.read(event("[DONE]")) is DONE
    assert reader.read(event("")) is SKIP


def test_event_reader_hands_unusual_events_to_decode_event() -> None:
    reader = EventReader(CompletionChunk, strict=True, response=OK)
    payload = {"object": "error", "message": "overloaded", "type": "server_error"}

    with pytest.raises(APIError, match="overloaded"):
        reader.read(event(json.dumps(payload)))
    with pytest.raises(ResponseValidationError):
        reader.read(event('{"id": "x", "choices": [{"index": 0}]}'))
    with pytest.raises(APIError, match="down"):
        reader.read(event('{"message": "down"}', name="error"))


def test_event_reader_replaces_bytes_that_are_not_utf8() -> None:
    reader = EventReader(CompletionChunk, strict=False, response=OK)
    data = (
        json.dumps(chunk("caf\u00e9"), ensure_ascii=False)
        .encode()
        .replace(b"\xc3\xa9", b"\xff")
    )

    value = reader.read(Event("message", data))

    assert value.choices[0].delta.content == "caf\ufffd"


# ------------------------------------------------------------------ Stream, directly
def make_stream(body: bytes | Chunks, **headers: str) -> Stream[CompletionChunk]:
    response = event_response(body, **headers)
    response.request = httpx2.Request("POST", "https://api.mistral.ai" + URL)
    return Stream(response, cast_to=CompletionChunk, strict=False)


def test_stream_stops_at_done() -> None:
    stream = make_stream(sse(chunk("a"), chunk("b")) + b'data: {"never": 1}\n\n')

    contents = [c.choices[0].delta.content for c in stream]

    assert contents == ["a", "b"]
    assert stream.response.is_closed


def test_stream_ends_cleanly_without_done() -> None:
    stream = make_stream(sse(chunk("a"), done=False))

    assert [c.choices[0].delta.content for c in stream] == ["a"]
    assert stream.response.is_closed


def test_stream_skips_events_without_data() -> None:
    body = b"event: ping\n\n: keep-alive\n\n" + sse(chunk("a"))

    assert len(list(make_stream(body))) == 1


def test_stream_strips_bom_and_ignores_charset() -> None:
    body = b"\xef\xbb\xbf" + sse(chunk("caf\u00e9"))
    stream = make_stream(
        body, **{"content-type": "text/event-stream; charset=iso-8859-1"}
    )

    assert [c.choices[0].delta.content for c in stream] == ["caf\u00e9"]


def test_stream_broken_connection_raises_connection_error() -> None:
    body = Chunks([sse(chunk("a"), done=False), b'data: {"id": '], fail=True)
    stream = make_stream(body)
    seen: list[object] = []

    with pytest.raises(APIConnectionError, match="connection reset"):
        seen.extend(stream)

    assert len(seen) == 1
    assert body.closed


def test_stream_error_mid_stream_raises_after_earlier_events() -> None:
    error = {"object": "error", "message": "Internal error", "code": "500"}
    stream = make_stream(
        sse(chunk("a"), error, chunk("b")), **{"mistral-correlation-id": "r1"}
    )
    seen: list[object] = []

    with pytest.raises(InternalServerError, match="Internal error") as caught:
        seen.extend(stream)

    assert len(seen) == 1
    assert caught.value.request_id == "r1"
    assert stream.response.is_closed


def test_stream_close_releases_and_stops() -> None:
    body = Chunks([sse(chunk("a"), chunk("b"))])
    stream = make_stream(body)

    first = next(stream)
    stream.close()

    assert first.choices[0].delta.content == "a"
    assert list(stream) == []
    assert body.closed


def test_stream_break_inside_with_releases() -> None:
    body = Chunks([sse(chunk("a"), chunk("b"))])

    with make_stream(body) as stream:
        for _ in stream:
            break

    assert body.closed


def test_stream_garbage_collected_releases() -> None:
    body = Chunks([sse(chunk("a"), chunk("b"))])
    stream = make_stream(body)
    next(stream)

    del stream
    gc.collect()

    assert body.closed


def test_stream_unstarted_and_garbage_collected_releases(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    body = Chunks([sse(chunk("a"))])
    api.add("POST", URL, event_response(body))
    handle = both_clients()

    handle.client.chat.stream(model="m", messages=[])
    handle.collect_garbage()

    assert body.closed


def test_raw_stream_dropped_unread_releases(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    # Defect 1: a raw stream dropped unread held its connection forever.
    body = Chunks([sse(chunk("a"))])
    api.add("POST", URL, event_response(body))
    handle = both_clients()

    handle.client.chat.with_raw_response.stream(model="m", messages=[])
    handle.collect_garbage()

    assert body.closed
    assert body.sent == 0


def test_raw_stream_parsed_then_dropped_half_read_releases(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    body = Chunks([sse(chunk("a")), sse(chunk("b"))])
    api.add("POST", URL, event_response(body))
    handle = both_clients()

    stream = handle.client.chat.with_raw_response.stream(model="m", messages=[]).parse()
    next(iter(stream))
    del stream
    handle.collect_garbage()

    assert body.closed


def test_stream_json_error_body_instead_of_events() -> None:
    response = httpx2.Response(
        200,
        json={"object": "error", "message": "stream not supported"},
        request=httpx2.Request("POST", "https://x" + URL),
    )

    with pytest.raises(APIError, match="stream not supported"):
        list(Stream(response, cast_to=CompletionChunk, strict=False))


def test_stream_other_content_is_a_decode_error() -> None:
    response = httpx2.Response(
        200, text="<html>", request=httpx2.Request("POST", "https://x" + URL)
    )

    with pytest.raises(ResponseDecodeError, match="event stream"):
        list(Stream(response, cast_to=CompletionChunk, strict=False))


# ------------------------------------------------------------------ through both clients
def test_stream_through_client(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "POST",
        URL,
        event_response(
            sse(chunk("Hel"), chunk("lo")), **{"mistral-correlation-id": "c1"}
        ),
    )
    handle = both_clients()

    with handle.client.chat.stream(model="m", messages=MESSAGES) as stream:
        text = "".join(c.choices[0].delta.content for c in stream)

    assert text == "Hello"
    assert stream.request_id == "c1"
    assert stream.response.is_closed
    assert json.loads(api.last.content)["stream"] is True
    assert api.last.headers["accept"] == "text/event-stream"


def test_stream_error_status_is_raised_before_streaming(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("POST", URL, httpx2.Response(401, json={"message": "Unauthorized"}))
    handle = both_clients()

    with pytest.raises(APIError, match="Unauthorized"):
        handle.client.chat.stream(model="m", messages=MESSAGES)


def test_stream_retried_before_the_body_starts(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "POST",
        URL,
        httpx2.Response(503, json={"message": "busy"}),
        event_response(sse(chunk("x"))),
    )
    handle = both_clients()

    with handle.client.chat.stream(model="m", messages=MESSAGES) as stream:
        assert [c.choices[0].delta.content for c in stream] == ["x"]

    assert len(api.requests) == 2


def test_stream_broken_mid_body_is_not_retried(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    body = Chunks([sse(chunk("a"), done=False)], fail=True)
    api.add("POST", URL, event_response(body))
    handle = both_clients()
    seen: list[object] = []

    with (
        pytest.raises(APIConnectionError),
        handle.client.chat.stream(model="m", messages=MESSAGES) as stream,
    ):
        seen.extend(stream)

    assert len(seen) == 1
    assert len(api.requests) == 1
    assert body.closed


def test_stream_error_event_through_client(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    error = {
        "type": "conversation.response.error",
        "message": "Tool timed out",
        "code": 3000,
    }
    api.add("POST", URL, event_response(sse(chunk("a"), error)))
    handle = both_clients()
    seen: list[object] = []

    with (
        pytest.raises(APIError, match="Tool timed out"),
        handle.client.chat.stream(model="m", messages=MESSAGES) as stream,
    ):
        seen.extend(stream)

    assert len(seen) == 1
    assert stream.response.is_closed


def make_async_stream(body: Chunks) -> AsyncStream[CompletionChunk]:
    response = event_response(body)
    response.request = httpx2.Request("POST", "https://api.mistral.ai" + URL)
    return AsyncStream(response, cast_to=CompletionChunk, strict=False)


def test_async_stream_break_inside_async_with_releases() -> None:
    body = Chunks([sse(chunk("a"), chunk("b"))])

    async def run() -> None:
        async with make_async_stream(body) as stream:
            async for _ in stream:
                break

    anyio.run(run)

    assert body.closed


def test_async_stream_close_then_iteration_yields_nothing() -> None:
    body = Chunks([sse(chunk("a"), chunk("b"))])

    async def run() -> list[CompletionChunk]:
        stream = make_async_stream(body)
        await stream.__anext__()
        await stream.close()
        return [item async for item in stream]

    assert anyio.run(run) == []
    assert body.closed


def test_async_stream_exhausted_releases() -> None:
    body = Chunks([sse(chunk("a"))])

    async def run() -> int:
        return len([item async for item in make_async_stream(body)])

    assert anyio.run(run) == 1
    assert body.closed


# ------------------------------------------------------------------ last_event_id
def with_id(id_: str, data: bytes) -> bytes:
    return f"id: {id_}\n".encode() + data


def test_stream_last_event_id_follows_the_events_handed_out() -> None:
    # Three events in one chunk: the id moves with each event handed out, not
    # with what the chunk holds; an event without an `id` keeps the last one.
    body = with_id("1", sse(chunk("a"), done=False)) + sse(chunk("b"), done=False)
    body += with_id("3", sse(chunk("c")))
    stream = make_stream(Chunks([body]))
    seen: list[tuple[object, str | None]] = [(None, stream.last_event_id)]

    for item in stream:
        seen.append((item.choices[0].delta.content, stream.last_event_id))

    assert seen == [(None, None), ("a", "1"), ("b", "1"), ("c", "3")]


def test_stream_last_event_id_is_none_without_ids_or_after_a_reset() -> None:
    plain = make_stream(sse(chunk("a")))
    reset = make_stream(
        with_id("4", sse(chunk("a"), done=False)) + b"id\n" + sse(chunk("b"))
    )

    list(plain)
    next(reset)
    first = reset.last_event_id
    list(reset)

    assert plain.last_event_id is None
    assert (first, reset.last_event_id) == ("4", None)


def test_stream_last_event_id_counts_only_events_handed_out() -> None:
    # An id on an event without data, or on `[DONE]`, comes with no event.
    body = sse(chunk("a"), done=False) + b"id: 8\n\n" + with_id("9", sse())
    stream = make_stream(body)

    assert len(list(stream)) == 1
    assert stream.last_event_id is None


def test_async_stream_last_event_id_follows_the_events_handed_out() -> None:
    body = Chunks(
        [with_id("x1", sse(chunk("a"), done=False)), with_id("x2", sse(chunk("b")))]
    )

    async def run() -> list[str | None]:
        ids: list[str | None] = []
        async with make_async_stream(body) as stream:
            ids.append(stream.last_event_id)
            async for _ in stream:
                ids.append(stream.last_event_id)
        return ids

    assert anyio.run(run) == [None, "x1", "x2"]


# ------------------------------------------------------------------ the end of a body
def test_stream_body_ending_inside_an_event_is_a_connection_error() -> None:
    # A body delimited by closing the connection ends cleanly wherever it is cut.
    stream = make_stream(sse(chunk("a"), done=False) + b'data: {"id": "c')
    seen: list[object] = []

    with pytest.raises(APIConnectionError, match="middle of an event"):
        seen.extend(stream)

    assert len(seen) == 1
    assert stream.response.is_closed


def test_stream_event_past_the_size_limit_is_a_decode_error() -> None:
    half = b"x" * (MAX_EVENT_BYTES // 2 + 1)
    stream = make_stream(Chunks([b"data: " + half, half]))

    with pytest.raises(ResponseDecodeError, match="longer than"):
        list(stream)

    assert stream.response.is_closed


def test_async_stream_body_ending_inside_an_event_is_a_connection_error() -> None:
    body = Chunks([sse(chunk("a"), done=False), b"data: {"])

    async def drain(
        stream: AsyncStream[CompletionChunk], seen: list[CompletionChunk]
    ) -> None:
        async for item in stream:
            seen.append(item)

    async def run() -> list[CompletionChunk]:
        seen: list[CompletionChunk] = []
        with pytest.raises(APIConnectionError, match="middle of an event"):
            await drain(make_async_stream(body), seen)
        return seen

    assert len(anyio.run(run)) == 1
    assert body.closed


def test_stream_decodes_content_encoding_before_events() -> None:
    body = gzip.compress(sse(chunk("zipped")))
    response = httpx2.Response(
        200,
        headers={"content-type": "text/event-stream", "content-encoding": "gzip"},
        stream=Chunks([body[:10], body[10:]]),
        request=httpx2.Request("POST", "https://api.mistral.ai" + URL),
    )

    stream = Stream[CompletionChunk](response, cast_to=CompletionChunk, strict=False)

    assert [c.choices[0].delta.content for c in stream] == ["zipped"]


# ------------------------------------------------------------------ dropped streams
def test_stream_dropped_without_close_releases_at_once() -> None:
    # No reference cycle: the last reference going away releases the connection,
    # without waiting for the garbage collector.
    body = Chunks([sse(chunk("a"), chunk("b"))])
    stream = make_stream(body)
    next(stream)
    gc.disable()
    try:
        del stream
        assert body.closed
    finally:
        gc.enable()


def test_async_stream_dropped_without_close_is_closed_by_the_loop() -> None:
    body = Chunks([sse(chunk("a"), chunk("b"))])

    async def run() -> None:
        stream = make_async_stream(body)
        await stream.__anext__()
        del stream
        await anyio.sleep(0)  # the loop's async-generator finalizer runs as a task

    gc.disable()
    try:
        anyio.run(run)
    finally:
        gc.enable()

    assert body.closed


# ------------------------------------------------------------------ after [DONE]
def test_stream_reads_the_rest_of_the_body_after_done(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    # Defect 2: stopping at [DONE] without reading the body's end closed the
    # connection instead of returning it to the pool.
    body = Chunks([sse(chunk("a")), b": trailing comment\n\n", b""])
    api.add("POST", URL, event_response(body))
    handle = both_clients()

    with handle.client.chat.stream(model="m", messages=MESSAGES) as stream:
        contents = [c.choices[0].delta.content for c in stream]

    assert contents == ["a"]
    assert body.sent == len(body.chunks)
    assert body.closed


def test_stream_drain_after_done_is_bounded(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    flood = [b": " + b"x" * 4096 + b"\n\n"] * 64
    body = Chunks([sse(chunk("a")), *flood])
    api.add("POST", URL, event_response(body))
    handle = both_clients()

    with handle.client.chat.stream(model="m", messages=MESSAGES) as stream:
        assert len(list(stream)) == 1

    assert body.sent < len(body.chunks)
    assert body.closed


# ------------------------------------------------------------------ async entry points
def test_async_stream_method_is_an_async_context_manager_without_await(
    api: MockApi, clock: FakeClock
) -> None:
    # Defect 8: `async with await client.chat.stream(...)` was needed.
    body = Chunks([sse(chunk("a"), chunk("b"))])
    api.add("POST", URL, event_response(body))
    chat = make_async(api, clock).chat

    async def run() -> list[object]:
        async with chat.stream(model="m", messages=MESSAGES) as stream:
            return [c.choices[0].delta.content async for c in stream]

    assert anyio.run(run) == ["a", "b"]
    assert body.closed


def test_async_stream_method_is_awaitable(api: MockApi, clock: FakeClock) -> None:
    body = Chunks([sse(chunk("a"))])
    api.add("POST", URL, event_response(body))
    chat = make_async(api, clock).chat

    async def run() -> list[object]:
        stream = await chat.stream(model="m", messages=MESSAGES)
        async with stream:
            return [c.choices[0].delta.content async for c in stream]

    assert anyio.run(run) == ["a"]
    assert body.closed


def test_async_stream_method_sends_nothing_until_used(
    api: MockApi, clock: FakeClock
) -> None:
    chat = make_async(api, clock).chat

    chat.stream(model="m", messages=MESSAGES)

    assert api.requests == []


def test_async_generated_stream_method_works_both_ways(
    api: MockApi, clock: FakeClock
) -> None:
    api.add(
        "POST",
        URL,
        event_response(sse({"id": "1", "model": "m", "choices": []})),
        event_response(sse({"id": "2", "model": "m", "choices": []})),
    )
    client = make_async(api, clock)

    async def run() -> list[str]:
        async with client.chat.stream(model="m", messages=[]) as first:
            ids = [c.id async for c in first]
        second = await client.chat.stream(model="m", messages=[])
        async with second:
            ids += [c.id async for c in second]
        return ids

    assert anyio.run(run) == ["1", "2"]


def test_stream_failure_after_done_is_not_an_error(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    body = Chunks([sse(chunk("a")), b": tail\n\n"], fail=True)
    api.add("POST", URL, event_response(body))
    handle = both_clients()

    with handle.client.chat.stream(model="m", messages=MESSAGES) as stream:
        contents = [c.choices[0].delta.content for c in stream]

    assert contents == ["a"]
    assert body.closed

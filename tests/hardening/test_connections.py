"""Abandoned streams and error responses leak no connection, sync or async.

Each scenario gets a server of its own, so that its count of open connections
is exact, and a client whose pool is small (`LIMITS`): a connection that is not
given back exhausts the pool within a few calls (a pool timeout), and one that is
kept open shows in the server's count. The streams are held open by the server
after their first events, so only the client can end them.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Generator, Iterator

import anyio
import httpx2
import pytest
from factories import API_KEY, ERROR_BODIES, HTML_502

from hardening import payloads
from hardening.faultserver import FaultServer, Hold, Reply
from hardening.support import (
    CHAT,
    MESSAGES,
    json_reply,
    sse_events,
    sse_reply,
    transport_of,
)
from mistral_sdk import APIError, AsyncMistral, Mistral

LIMITS = httpx2.Limits(max_connections=8, max_keepalive_connections=4)
TIMEOUT = httpx2.Timeout(5.0, pool=1.0)
STREAMS = 100  # per way of abandoning; three ways
ERRORS = 200
HALFWAY = sse_events(payloads.chunk("a"), payloads.chunk("b"), done=False)


@pytest.fixture
def own() -> Iterator[FaultServer]:
    with FaultServer() as server:
        yield server


def held_stream() -> Reply:
    return sse_reply(HALFWAY, Hold(20), sse_events(payloads.chunk("never")))


# A short pool timeout and no retries: a connection never given back fails the
# scenario within a second instead of waiting for one.
def sync_client(server: FaultServer) -> Mistral:
    return Mistral(
        api_key=API_KEY,
        base_url=server.base_url,
        http_client=httpx2.Client(limits=LIMITS),
        timeout=TIMEOUT,
        max_retries=0,
    )


def async_client(server: FaultServer) -> AsyncMistral:
    return AsyncMistral(
        api_key=API_KEY,
        base_url=server.base_url,
        http_client=httpx2.AsyncClient(limits=LIMITS),
        timeout=TIMEOUT,
        max_retries=0,
    )


@contextlib.contextmanager
def collector_off() -> Generator[None, None, None]:
    """Run without the cyclic garbage collector: release must not depend on it."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Cycle:
    """Holds a stream inside a reference cycle: only the collector frees it."""

    def __init__(self, stream: object) -> None:
        self.stream = stream
        self.me = self


# ------------------------------------------------------------------ streams
def abandon_sync(client: Mistral, how: str) -> None:
    stream = client.chat.stream(model="m", messages=MESSAGES)
    if how == "with":
        with stream:
            for _ in stream:
                break
    elif how == "close":
        for _ in stream:
            break
        stream.close()
    else:  # "drop": no close; the last reference goes away here
        for _ in stream:
            break


async def abandon_async(client: AsyncMistral, how: str) -> None:
    stream = await client.chat.stream(model="m", messages=MESSAGES)
    if how == "with":
        async with stream:
            async for _ in stream:
                break
    elif how == "close":
        async for _ in stream:
            break
        await stream.close()
    else:
        async for _ in stream:
            break


def check_released(server: FaultServer, streams: int) -> None:
    assert len(server.requests) == streams
    assert server.settle(at_most=LIMITS.max_keepalive_connections or 0) <= (
        LIMITS.max_keepalive_connections or 0
    )
    assert not server.problems


@pytest.mark.parametrize("how", ["with", "close", "drop"])
def test_connections_abandoned_sync_streams(own: FaultServer, how: str) -> None:
    own.always("POST", CHAT, held_stream())
    with sync_client(own) as client, collector_off():
        for _ in range(STREAMS):
            abandon_sync(client, how)
        check_released(own, STREAMS)
        # The pool still serves: nothing is checked out for good.
        own.always("POST", CHAT, json_reply(payloads.completion()))
        assert client.chat.complete(model="m", messages=MESSAGES).id == "cmpl-1"
    transport_of(client).http_client.close()
    assert own.settle(at_most=0) == 0


@pytest.mark.parametrize("how", ["with", "close", "drop"])
def test_connections_abandoned_async_streams(own: FaultServer, how: str) -> None:
    own.always("POST", CHAT, held_stream())

    async def main() -> None:
        client = async_client(own)
        http = transport_of(client).http_client
        async with http:
            with collector_off():
                for _ in range(STREAMS):
                    await abandon_async(client, how)
            # Dropped async generators are closed by the event loop's finalizer,
            # which runs as a task: give the loop a turn before counting.
            await anyio.sleep(0)
            check_released(own, STREAMS)
            own.always("POST", CHAT, json_reply(payloads.completion()))
            result = await client.chat.complete(model="m", messages=MESSAGES)
            assert result.id == "cmpl-1"

    anyio.run(main)
    assert own.settle(at_most=0) == 0


def test_connections_sync_streams_released_by_garbage_collection(
    own: FaultServer,
) -> None:
    own.always("POST", CHAT, held_stream())
    with sync_client(own) as client:
        for _ in range(STREAMS):
            stream = client.chat.stream(model="m", messages=MESSAGES)
            next(iter(stream))
            Cycle(stream)
            del stream
            if own.open_connections >= (LIMITS.max_connections or 0) - 1:
                gc.collect()
        gc.collect()
        check_released(own, STREAMS)
    transport_of(client).http_client.close()
    assert own.settle(at_most=0) == 0


def test_connections_async_streams_released_by_garbage_collection(
    own: FaultServer,
) -> None:
    own.always("POST", CHAT, held_stream())

    async def main() -> None:
        client = async_client(own)
        async with transport_of(client).http_client:
            for _ in range(STREAMS):
                stream = await client.chat.stream(model="m", messages=MESSAGES)
                await stream.__anext__()
                Cycle(stream)
                del stream
                if own.open_connections >= (LIMITS.max_connections or 0) - 1:
                    gc.collect()
                    await anyio.sleep(0.01)  # the loop closes the collected generators
            gc.collect()
            await anyio.sleep(0.01)
            check_released(own, STREAMS)

    anyio.run(main)
    assert own.settle(at_most=0) == 0


# ------------------------------------------------------------------ error responses
def error_replies() -> list[Reply]:
    replies = [
        json_reply(body, status)
        for status in (400, 401, 404, 422, 429, 500)
        for body, _ in ERROR_BODIES.values()
    ]
    replies.append(Reply(502, (("content-type", "text/html"),), (HTML_502.encode(),)))
    return replies


def serve_errors(server: FaultServer) -> None:
    replies = error_replies()
    count = {"n": 0}

    def reply(_: object) -> Reply:
        count["n"] += 1
        return replies[count["n"] % len(replies)]

    server.always("POST", CHAT, reply)


def test_connections_error_responses_sync(own: FaultServer) -> None:
    serve_errors(own)
    with sync_client(own) as client:
        for i in range(ERRORS):
            call = client.chat.complete if i % 2 else client.chat.stream
            with pytest.raises(APIError):
                call(model="m", messages=MESSAGES)
        assert len(own.requests) == ERRORS
        # Error bodies are read whole, so their connections go back to the pool
        # and serve the next calls: one is enough for calls made one at a time.
        assert own.accepted == 1
        assert own.settle(at_most=1) == 1
    transport_of(client).http_client.close()
    assert own.settle(at_most=0) == 0


def test_connections_error_responses_async(own: FaultServer) -> None:
    serve_errors(own)

    async def main() -> None:
        client = async_client(own)
        async with transport_of(client).http_client:
            for i in range(ERRORS):
                call = client.chat.complete if i % 2 else client.chat.stream
                with pytest.raises(APIError):
                    await call(model="m", messages=MESSAGES)
            assert len(own.requests) == ERRORS
            assert own.accepted == 1
            assert own.settle(at_most=1) == 1

    anyio.run(main)
    assert own.settle(at_most=0) == 0


def test_connections_sdk_owned_pool_closes_on_exit(own: FaultServer) -> None:
    own.always("POST", CHAT, json_reply(payloads.completion()))
    with Mistral(api_key=API_KEY, base_url=own.base_url) as client:
        for _ in range(20):
            client.chat.complete(model="m", messages=MESSAGES)
        assert own.accepted == 1
    assert own.settle(at_most=0) == 0
    assert json.loads(own.requests[0].body)["model"] == "m"


def test_connections_sdk_owned_async_pool_keeps_a_burst(own: FaultServer) -> None:
    # httpx2 keeps 20 idle connections by default; the SDK's own pool keeps all
    # it opened, so a second burst as wide as the first reconnects nothing.
    own.always("POST", CHAT, json_reply(payloads.completion()))
    width = 40

    async def main() -> tuple[int, int]:
        async with AsyncMistral(api_key=API_KEY, base_url=own.base_url) as client:

            async def burst() -> None:
                async with anyio.create_task_group() as group:
                    for _ in range(width):
                        group.start_soon(
                            lambda: client.chat.complete(model="m", messages=MESSAGES)
                        )

            await burst()
            first = own.accepted
            await burst()
            return first, own.accepted

    first, total = anyio.run(main)

    assert first > 20  # the burst did open more than httpx2 would keep
    assert total == first
    assert own.settle(at_most=0) == 0


# ------------------------------------------------------------------ raw and streaming responses
ONE = httpx2.Limits(max_connections=1, max_keepalive_connections=1)
DROPPED = 300


def one_connection_sync(server: FaultServer) -> Mistral:
    return Mistral(
        api_key=API_KEY,
        base_url=server.base_url,
        http_client=httpx2.Client(limits=ONE),
        timeout=TIMEOUT,
        max_retries=0,
    )


def one_connection_async(server: FaultServer) -> AsyncMistral:
    return AsyncMistral(
        api_key=API_KEY,
        base_url=server.base_url,
        http_client=httpx2.AsyncClient(limits=ONE),
        timeout=TIMEOUT,
        max_retries=0,
    )


def test_connections_raw_and_streaming_responses_dropped_unread_sync(
    own: FaultServer,
) -> None:
    # Defect 1: five raw streams dropped unread exhausted a one-connection pool.
    own.always("POST", CHAT, held_stream())
    with one_connection_sync(own) as client, collector_off():
        for _ in range(DROPPED):
            client.chat.with_raw_response.stream(model="m", messages=MESSAGES)
        for _ in range(DROPPED):
            with client.chat.with_streaming_response.stream(
                model="m", messages=MESSAGES
            ):
                pass
        assert len(own.requests) == 2 * DROPPED
        own.always("POST", CHAT, json_reply(payloads.completion()))
        assert client.chat.complete(model="m", messages=MESSAGES).id == "cmpl-1"
    transport_of(client).http_client.close()
    assert own.settle(at_most=0) == 0


def test_connections_raw_and_streaming_responses_dropped_unread_async(
    own: FaultServer,
) -> None:
    own.always("POST", CHAT, held_stream())

    async def main() -> None:
        client = one_connection_async(own)
        async with transport_of(client).http_client:
            with collector_off():
                for _ in range(DROPPED):
                    await client.chat.with_raw_response.stream(
                        model="m", messages=MESSAGES
                    )
                for _ in range(DROPPED):
                    async with client.chat.with_streaming_response.stream(
                        model="m", messages=MESSAGES
                    ):
                        pass
            assert len(own.requests) == 2 * DROPPED
            own.always("POST", CHAT, json_reply(payloads.completion()))
            result = await client.chat.complete(model="m", messages=MESSAGES)
            assert result.id == "cmpl-1"

    anyio.run(main)
    assert own.settle(at_most=0) == 0


# ------------------------------------------------------------------ one connection for many streams
SEQUENTIAL = 30
WHOLE_STREAM = sse_events(payloads.chunk("a"), payloads.chunk("b"))


def test_connections_sequential_streams_reuse_one_connection_sync(
    own: FaultServer,
) -> None:
    # Defect 2: each stream stopped at [DONE] and closed its connection.
    own.always("POST", CHAT, sse_reply(WHOLE_STREAM))
    with sync_client(own) as client:
        for _ in range(SEQUENTIAL):
            with client.chat.stream(model="m", messages=MESSAGES) as stream:
                assert len(list(stream)) == 2
        assert len(own.requests) == SEQUENTIAL
        assert own.accepted == 1
    transport_of(client).http_client.close()
    assert own.settle(at_most=0) == 0


def test_connections_sequential_streams_reuse_one_connection_async(
    own: FaultServer,
) -> None:
    own.always("POST", CHAT, sse_reply(WHOLE_STREAM))

    async def main() -> None:
        client = async_client(own)
        async with transport_of(client).http_client:
            for _ in range(SEQUENTIAL):
                async with client.chat.stream(model="m", messages=MESSAGES) as stream:
                    assert len([chunk async for chunk in stream]) == 2
            assert len(own.requests) == SEQUENTIAL
            assert own.accepted == 1

    anyio.run(main)
    assert own.settle(at_most=0) == 0


def held_after_done() -> Reply:
    return sse_reply(WHOLE_STREAM, Hold(20), b": never\n\n")


def test_connections_stream_held_open_after_done_ends_sync(own: FaultServer) -> None:
    # The drain after [DONE] is bounded: here by the read timeout, and a timeout
    # there is no error (the stream was complete).
    own.always("POST", CHAT, held_after_done())
    client = Mistral(
        api_key=API_KEY,
        base_url=own.base_url,
        http_client=httpx2.Client(limits=ONE),
        timeout=httpx2.Timeout(5.0, read=0.3),
        max_retries=0,
    )
    with client:
        with client.chat.stream(model="m", messages=MESSAGES) as stream:
            assert len(list(stream)) == 2
        own.always("POST", CHAT, json_reply(payloads.completion()))
        assert client.chat.complete(model="m", messages=MESSAGES).id == "cmpl-1"
    transport_of(client).http_client.close()
    assert own.settle(at_most=0) == 0


def test_connections_stream_held_open_after_done_ends_async(own: FaultServer) -> None:
    # Async, the drain gives up after DRAIN_SECONDS, well before the read timeout.
    own.always("POST", CHAT, held_after_done())

    async def main() -> None:
        client = one_connection_async(own)
        async with transport_of(client).http_client:
            async with client.chat.stream(model="m", messages=MESSAGES) as stream:
                assert len([chunk async for chunk in stream]) == 2
            own.always("POST", CHAT, json_reply(payloads.completion()))
            result = await client.chat.complete(model="m", messages=MESSAGES)
            assert result.id == "cmpl-1"

    anyio.run(main)
    assert own.settle(at_most=0) == 0

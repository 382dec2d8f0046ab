"""A small, fast HTTP/1.1 server for the benchmarks (loopback only, keep-alive).

It answers four routes with precomputed bytes from `benchmarks.bodies`, so the
server does almost no work per request and the client's cost is what is left
to measure:

    GET  /v1/models             44 model cards
    POST /v1/chat/completions   the ~1 KB completion, or with `"stream": true`
                                the 2,000-chunk event stream (one HTTP chunk
                                per event, as the API sends it); with
                                `max_tokens` too, a 20-chunk one (warm-up,
                                short streams); with `max_tokens` 500, 500
                                chunks written a millisecond apart (paced)
    POST /v1/embeddings         64 x 1,024 floats
    GET  /__stats               connections accepted, requests served and the
                                server's CPU time so far

Why not `http.server`: it parses headers through the `email` package and
writes through buffered file objects; on two cores it becomes the bottleneck
of the async scenario and stops being a fair floor. This one is an asyncio
`Protocol` that scans for the end of the head and slices the body by
`content-length` (clients here never send a chunked request body).

The process is bounded: it prints its port on stdout, exits when its stdin
reaches end of file (that is, when the runner that started it ends, however
it ends) and after `--max-seconds` whatever happens.

    python -m benchmarks.httpserver [--port 0] [--max-seconds 3600]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time

from benchmarks.bodies import build_responses, paced_stream_writes
from benchmarks.clients._request import PACED_CHUNKS

_NOT_FOUND = (
    b"HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n"
    b"content-length: 22\r\n\r\n"
    b'{"detail":"Not Found"}\n'
)
_BAD_REQUEST = (
    b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n"
    b"content-length: 25\r\nconnection: close\r\n\r\n"
    b'{"detail":"Bad Request"}\n'
)
_MAX_HEAD = 64 * 1024
# Between two writes of the token-paced stream: long enough for the client to
# read each event on its own, as it does from a model generating tokens.
_PACE_SECONDS = 0.001


class Stats:
    def __init__(self) -> None:
        self.connections = 0
        self.requests = 0

    def response(self) -> bytes:
        body = json.dumps(
            {
                "connections": self.connections,
                "requests": self.requests,
                "cpu": time.process_time(),
            }
        ).encode()
        return (
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            b"content-length: %d\r\n\r\n" % len(body)
        ) + body


class BenchProtocol(asyncio.Protocol):
    def __init__(
        self, responses: dict[str, bytes], paced: list[bytes], stats: Stats
    ) -> None:
        self._responses = responses
        self._paced = paced
        self._stats = stats
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None
        self._pacing: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._stats.connections += 1

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        # A request that arrives while a paced stream is being written waits for
        # its end (no client here pipelines, but the order must hold).
        while self._pacing is None and self._handle_one():
            pass

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if self._pacing is not None:
            self._pacing.cancel()

    async def _write_paced(self) -> None:
        transport = self._transport
        assert transport is not None
        for part in self._paced:
            if transport.is_closing():
                return
            transport.write(part)
            await asyncio.sleep(_PACE_SECONDS)
        self._pacing = None
        self.data_received(b"")

    def _handle_one(self) -> bool:
        buffer = self._buffer
        transport = self._transport
        assert transport is not None
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(buffer) > _MAX_HEAD:
                transport.write(_BAD_REQUEST)
                transport.close()
            return False
        head = bytes(buffer[:end]).lower()
        length = 0
        at = head.find(b"\r\ncontent-length:")
        if at >= 0:
            stop = head.find(b"\r\n", at + 2)
            length = int(head[at + 17 : stop if stop >= 0 else None])
        elif b"\r\ntransfer-encoding:" in head:
            transport.write(_BAD_REQUEST)
            transport.close()
            return False
        total = end + 4 + length
        if len(buffer) < total:
            return False
        body = bytes(buffer[end + 4 : total])
        del buffer[:total]
        self._stats.requests += 1
        answer = self._route(head, body)
        if answer is None:
            self._pacing = asyncio.ensure_future(self._write_paced())
            return False
        transport.write(answer)
        if b"\r\nconnection: close" in head:
            transport.close()
            return False
        return True

    def _route(self, head: bytes, body: bytes) -> bytes | None:
        """Return the answer's bytes, or None for the token-paced stream."""
        line_end = head.find(b"\r\n")
        method, _, rest = head[:line_end].partition(b" ")
        path = rest.partition(b" ")[0].partition(b"?")[0]
        if method == b"post" and path == b"/v1/chat/completions":
            request = json.loads(body)
            if request.get("stream") is not True:
                return self._responses["chat"]
            max_tokens = request.get("max_tokens")
            if max_tokens == PACED_CHUNKS:
                return None
            short = max_tokens is not None
            return self._responses["stream_short" if short else "stream"]
        if method == b"post" and path == b"/v1/embeddings":
            return self._responses["embeddings"]
        if method == b"get" and path == b"/v1/models":
            return self._responses["models"]
        if path == b"/__stats":
            return self._stats.response()
        return _NOT_FOUND


async def serve(port: int, max_seconds: float) -> None:
    loop = asyncio.get_running_loop()
    responses = build_responses()
    paced = paced_stream_writes()
    stats = Stats()
    server = await loop.create_server(
        lambda: BenchProtocol(responses, paced, stats),
        "127.0.0.1",
        port,
        backlog=256,
    )
    bound = server.sockets[0].getsockname()[1]
    print(bound, flush=True)

    done = asyncio.Event()

    def on_stdin() -> None:
        # EOF on stdin: the runner is gone (or closed the pipe on purpose).
        if not os.read(sys.stdin.fileno(), 4096):
            done.set()

    loop.add_reader(sys.stdin.fileno(), on_stdin)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, done.set)
    try:
        await asyncio.wait_for(done.wait(), timeout=max_seconds)
    except asyncio.TimeoutError:
        print("bench server: --max-seconds reached, exiting", file=sys.stderr)
    finally:
        loop.remove_reader(sys.stdin.fileno())
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.max_seconds))


if __name__ == "__main__":
    main()

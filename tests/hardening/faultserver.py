"""A loopback HTTP/1.1 server that misbehaves on purpose, for the hardening tests.

Tests script the server's replies request by request. A `Reply` can carry any
status, headers and body; split the body at chosen byte positions (each part is
sent as its own chunk of the chunked encoding, so the client's decoder receives
exactly those pieces, wherever TCP would have joined them); pause, stall or hold
the stream open; close (FIN) or reset (RST, via `SO_LINGER` 0) the connection
before the status line or in the middle of the body.

The server logs every request with a monotonic timestamp and counts the
connections that are still open, from its side: one a client has closed is
noticed within a polling tick. It listens on 127.0.0.1 only; every wait has a
deadline, every loop a maximum count, and `stop()` ends all of its threads.
"""

from __future__ import annotations

import contextlib
import http
import select
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Final, Literal

__all__ = [
    "Close",
    "FaultServer",
    "Hold",
    "Logged",
    "Pause",
    "Reply",
    "Reset",
    "Step",
    "split",
]

TICK: Final = 0.02
"""Polling interval of every wait, in seconds."""
IDLE_LIMIT: Final = 30.0
"""A connection idle this long between requests is closed by the server."""
MAX_HEAD: Final = 64 * 1024
MAX_BODY: Final = 16 * 1024 * 1024
MAX_REQUESTS_PER_CONNECTION: Final = 10_000
MAX_CONNECTIONS: Final = 20_000


@dataclass(frozen=True)
class Pause:
    """Send nothing for `seconds`; ends early when the client goes away."""

    seconds: float


@dataclass(frozen=True)
class Hold:
    """Keep the connection open, sending nothing, until the client closes it.

    `seconds` bounds the hold; the server then closes the connection.
    """

    seconds: float = 20.0


@dataclass(frozen=True)
class Close:
    """Close the connection (FIN) here, whatever is left of the response."""


@dataclass(frozen=True)
class Reset:
    """Abort the connection here with a TCP reset (RST)."""


Step = bytes | Pause | Hold | Close | Reset
Framing = Literal["length", "chunked", "close"]


@dataclass(frozen=True)
class Reply:
    """One scripted response.

    Attributes:
        status: The status code.
        headers: Header lines, in order; framing headers are added.
        body: Bytes parts and steps, in order. With `framing="chunked"` every
            bytes part is one chunk on the wire.
        framing: `length` (Content-Length of all parts), `chunked`, or `close`
            (no length: the body ends when the server closes the connection).
        before: Steps taken before the status line is sent.
    """

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: tuple[Step, ...] = ()
    framing: Framing = "length"
    before: tuple[Step, ...] = ()


@dataclass(frozen=True)
class Logged:
    """One request the server received.

    Attributes:
        at: `time.monotonic()` when its head had been read.
        method: The request method.
        target: The request target (path and query).
        headers: Header values by lower-case name.
        body: The request body.
        connection: The number of the connection it came on (from 1).
    """

    at: float
    method: str
    target: str
    headers: Mapping[str, str]
    body: bytes
    connection: int

    @property
    def path(self) -> str:
        """The target without its query."""
        return self.target.partition("?")[0]


Responder = Callable[[Logged], Reply]


def split(data: bytes, *at: int) -> tuple[bytes, ...]:
    """Cut `data` at the given byte offsets (ascending; empty parts are dropped)."""
    parts: list[bytes] = []
    start = 0
    for offset in (*at, len(data)):
        if offset > start:
            parts.append(data[start:offset])
        start = max(start, offset)
    return tuple(parts)


class _Gone(Exception):
    """The client closed or reset the connection, or the server is stopping."""


class _Conn:
    """A socket with a read buffer; every read is bounded in time."""

    def __init__(self, sock: socket.socket, stopping: threading.Event) -> None:
        self.sock = sock
        self.stopping = stopping
        self.buffer = bytearray()

    def _fill(self, deadline: float) -> None:
        while not self.stopping.is_set():
            if time.monotonic() > deadline:
                raise _Gone("idle")
            readable, _, _ = select.select([self.sock], [], [], TICK)
            if readable:
                try:
                    data = self.sock.recv(65536)
                except OSError as exc:
                    raise _Gone(str(exc)) from exc
                if not data:
                    raise _Gone("closed by the client")
                self.buffer += data
                return
        raise _Gone("stopping")

    def read_until(self, marker: bytes, limit: int, deadline: float) -> bytes:
        while marker not in self.buffer:
            if len(self.buffer) > limit:
                raise _Gone("request head too large")
            self._fill(deadline)
        end = self.buffer.index(marker) + len(marker)
        data = bytes(self.buffer[:end])
        del self.buffer[:end]
        return data

    def read_exactly(self, size: int, deadline: float) -> bytes:
        while len(self.buffer) < size:
            self._fill(deadline)
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def send(self, data: bytes) -> None:
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise _Gone(str(exc)) from exc

    def wait(self, seconds: float) -> None:
        """Send nothing for `seconds`; raise `_Gone` as soon as the client leaves."""
        deadline = time.monotonic() + seconds
        while not self.stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            readable, _, _ = select.select([self.sock], [], [], min(TICK, left))
            if readable:
                try:
                    data = self.sock.recv(65536)
                except OSError as exc:
                    raise _Gone(str(exc)) from exc
                if not data:
                    raise _Gone("closed by the client")
                self.buffer += data
        raise _Gone("stopping")

    def reset(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
        self.sock.close()


def _head(reply: Reply) -> bytes:
    try:
        reason = http.HTTPStatus(reply.status).phrase
    except ValueError:
        reason = "Unknown"
    lines = [f"HTTP/1.1 {reply.status} {reason}"]
    lines += [f"{name}: {value}" for name, value in reply.headers]
    if reply.framing == "chunked":
        lines.append("Transfer-Encoding: chunked")
    elif reply.framing == "length":
        size = sum(len(part) for part in reply.body if isinstance(part, bytes))
        lines.append(f"Content-Length: {size}")
    else:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class FaultServer:
    """A threaded loopback HTTP/1.1 server answering from per-route scripts.

    Unscripted requests get a 599 and are listed in `problems`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._scripts: dict[tuple[str, str], deque[Reply | Responder]] = {}
        self._always: dict[tuple[str, str], Reply | Responder] = {}
        self._log: list[Logged] = []
        self._problems: list[str] = []
        self._open: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._accepted = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(256)
        self._acceptor = threading.Thread(
            target=self._accept_loop, name="fault-server-accept", daemon=True
        )
        self._acceptor.start()

    # ---------------------------------------------------------------- control
    @property
    def port(self) -> int:
        """The port the server listens on."""
        port: int = self._listener.getsockname()[1]
        return port

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:<port>`."""
        return f"http://127.0.0.1:{self.port}"

    def script(self, method: str, path: str, *replies: Reply | Responder) -> None:
        """Queue replies for the next requests to `method path`, in order."""
        with self._lock:
            self._scripts.setdefault((method, path), deque()).extend(replies)

    def always(self, method: str, path: str, reply: Reply | Responder) -> None:
        """Answer every request to `method path` with `reply` once its queue is empty."""
        with self._lock:
            self._always[(method, path)] = reply

    def reset(self) -> None:
        """Forget the scripts, the request log and the problems."""
        with self._lock:
            self._scripts.clear()
            self._always.clear()
            self._log.clear()
            self._problems.clear()

    @property
    def requests(self) -> list[Logged]:
        """The requests received so far, in order."""
        with self._lock:
            return list(self._log)

    @property
    def problems(self) -> list[str]:
        """Requests nothing was scripted for."""
        with self._lock:
            return list(self._problems)

    def unused(self) -> int:
        """How many scripted replies have not been sent."""
        with self._lock:
            return sum(len(queue) for queue in self._scripts.values())

    @property
    def open_connections(self) -> int:
        """Connections accepted and not yet closed, as the server sees them."""
        with self._lock:
            return len(self._open)

    @property
    def accepted(self) -> int:
        """Connections accepted since the server started."""
        with self._lock:
            return self._accepted

    def settle(self, at_most: int, timeout: float = 5.0) -> int:
        """Wait (bounded) until at most `at_most` connections are open; return the count.

        Closing is asynchronous: the server notices a client's close on its next
        poll, so a count is only meaningful after this settles.
        """
        deadline = time.monotonic() + timeout
        while True:
            count = self.open_connections
            if count <= at_most or time.monotonic() > deadline:
                return count
            time.sleep(TICK)

    def stop(self) -> None:
        """Stop accepting, close every connection and join every thread."""
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        self._acceptor.join(timeout=5)
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # ---------------------------------------------------------------- serving
    def _accept_loop(self) -> None:
        for _ in range(MAX_CONNECTIONS):
            sock = self._accept()
            if sock is None:
                return
            with self._lock:
                self._accepted += 1
                number = self._accepted
                self._open.add(sock)
                self._threads = [t for t in self._threads if t.is_alive()]
                thread = threading.Thread(
                    target=self._serve,
                    args=(sock, number),
                    name=f"fault-server-{number}",
                    daemon=True,
                )
                self._threads.append(thread)
            thread.start()

    def _accept(self) -> socket.socket | None:
        while not self._stopping.is_set():
            try:
                readable, _, _ = select.select([self._listener], [], [], TICK * 5)
                if readable:
                    sock, _ = self._listener.accept()
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    return sock
            except OSError:
                return None
        return None

    def _serve(self, sock: socket.socket, number: int) -> None:
        conn = _Conn(sock, self._stopping)
        try:
            for _ in range(MAX_REQUESTS_PER_CONNECTION):
                request = self._read_request(conn, number)
                if not self._respond(conn, self._reply_for(request)):
                    return
        except _Gone:
            return
        finally:
            with self._lock:
                self._open.discard(sock)
            # After a reset the socket is closed already; closing again is a no-op.
            with contextlib.suppress(OSError):
                sock.close()

    def _read_request(self, conn: _Conn, number: int) -> Logged:
        deadline = time.monotonic() + IDLE_LIMIT
        head = conn.read_until(b"\r\n\r\n", MAX_HEAD, deadline).decode("latin-1")
        at = time.monotonic()
        request_line, *lines = head[:-4].split("\r\n")
        method, target, _ = request_line.split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        body = self._read_body(conn, headers, deadline)
        logged = Logged(at, method, target, headers, body, number)
        with self._lock:
            self._log.append(logged)
        return logged

    @staticmethod
    def _read_body(conn: _Conn, headers: Mapping[str, str], deadline: float) -> bytes:
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts: list[bytes] = []
            for _ in range(MAX_BODY):
                size_line = conn.read_until(b"\r\n", 1024, deadline)
                size = int(size_line.split(b";")[0].strip(), 16)
                if size == 0:
                    conn.read_until(b"\r\n", MAX_HEAD, deadline)
                    return b"".join(parts)
                parts.append(conn.read_exactly(size, deadline))
                conn.read_exactly(2, deadline)
            raise _Gone("request body too large")
        size = int(headers.get("content-length", "0") or "0")
        if size > MAX_BODY:
            raise _Gone("request body too large")
        return conn.read_exactly(size, deadline)

    def _reply_for(self, request: Logged) -> Reply:
        key = (request.method, request.path)
        with self._lock:
            queue = self._scripts.get(key)
            scripted = queue.popleft() if queue else self._always.get(key)
            if scripted is None:
                self._problems.append(f"unscripted {request.method} {request.target}")
        if scripted is None:
            return Reply(599, body=(b"no reply scripted",))
        return scripted(request) if callable(scripted) else scripted

    def _respond(self, conn: _Conn, reply: Reply) -> bool:
        """Send `reply`; return whether the connection may serve another request."""
        if not self._steps(conn, reply.before):
            return False
        conn.send(_head(reply))
        chunked = reply.framing == "chunked"
        body = tuple(self._chunks(reply.body)) if chunked else reply.body
        if not self._steps(conn, body):
            return False
        if chunked:
            conn.send(b"0\r\n\r\n")
        return reply.framing != "close"

    @staticmethod
    def _chunks(body: Iterable[Step]) -> Iterator[Step]:
        for step in body:
            if isinstance(step, bytes):
                if step:
                    yield f"{len(step):x}\r\n".encode() + step + b"\r\n"
            else:
                yield step

    @staticmethod
    def _steps(conn: _Conn, steps: Iterable[Step]) -> bool:
        for step in steps:
            if isinstance(step, bytes):
                conn.send(step)
            elif isinstance(step, Pause):
                conn.wait(step.seconds)
            elif isinstance(step, Hold):
                conn.wait(step.seconds)
                return False
            elif isinstance(step, Close):
                with contextlib.suppress(OSError):
                    conn.sock.shutdown(socket.SHUT_RDWR)
                return False
            else:
                conn.reset()
                return False
        return True

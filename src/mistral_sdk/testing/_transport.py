"""httpx2 transports that answer from an `Emulator`, in process, without sockets.

Scripted latency is honoured against the request's read timeout: a reply slower
than the timeout raises `httpx2.ReadTimeout` as a real server would cause, and on
a virtual clock no time passes for real. A scripted disconnect breaks the body
with `httpx2.RemoteProtocolError`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx2

from ._clock import VirtualClock
from ._http import Request, Response
from ._json import is_object
from ._protocols import EmulatorCore

__all__ = ["AsyncEmulatorTransport", "EmulatorTransport"]


def _core_request(request: httpx2.Request, body: bytes) -> Request:
    url = request.url
    path = url.raw_path.split(b"?", 1)[0].decode("ascii")
    return Request.build(
        request.method,
        path,
        url.query,
        request.headers.multi_items(),
        body,
        base_url=f"{url.scheme}://{url.netloc.decode('ascii')}",
    )


def _wait_time(response: Response, request: httpx2.Request) -> tuple[float, bool]:
    """Return how long to wait, and whether the wait ends in a read timeout."""
    timeouts: object = request.extensions.get("timeout")
    limit: float | None = None
    if is_object(timeouts):
        limit = timeouts.get("read")
    if limit is not None and response.latency > limit:
        return float(limit), True
    return response.latency, False


def _timeout(request: httpx2.Request) -> httpx2.ReadTimeout:
    return httpx2.ReadTimeout(
        "the emulator's scripted latency exceeded the read timeout", request=request
    )


def _broken(request: httpx2.Request) -> httpx2.RemoteProtocolError:
    return httpx2.RemoteProtocolError(
        "peer closed connection without sending complete message body", request=request
    )


class _SyncBody(httpx2.SyncByteStream):
    def __init__(self, response: Response, request: httpx2.Request) -> None:
        self._response = response
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        yield from self._response.iter_bytes()
        if self._response.disconnect:
            raise _broken(self._request)


class _AsyncBody(httpx2.AsyncByteStream):
    def __init__(self, response: Response, request: httpx2.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._response.iter_bytes():
            yield chunk
        if self._response.disconnect:
            raise _broken(self._request)


class EmulatorTransport(httpx2.BaseTransport):
    """Sends requests to an `Emulator` instead of the network."""

    def __init__(self, emulator: EmulatorCore) -> None:
        self.emulator = emulator

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        """Answer `request` from the emulator."""
        response = self.emulator.handle_request(_core_request(request, request.read()))
        seconds, timed_out = _wait_time(response, request)
        self.emulator.clock.sleep(seconds)
        if timed_out:
            raise _timeout(request)
        return httpx2.Response(
            response.status,
            headers=response.headers,
            stream=_SyncBody(response, request),
            request=request,
        )


class AsyncEmulatorTransport(httpx2.AsyncBaseTransport):
    """Sends requests of an async client to an `Emulator`."""

    def __init__(self, emulator: EmulatorCore) -> None:
        self.emulator = emulator

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        """Answer `request` from the emulator."""
        body = await request.aread()
        response = self.emulator.handle_request(_core_request(request, body))
        seconds, timed_out = _wait_time(response, request)
        clock = self.emulator.clock
        if isinstance(clock, VirtualClock) or seconds <= 0:
            clock.sleep(seconds)
        else:
            import anyio

            await anyio.sleep(seconds)
        if timed_out:
            raise _timeout(request)
        return httpx2.Response(
            response.status,
            headers=response.headers,
            stream=_AsyncBody(response, request),
            request=request,
        )

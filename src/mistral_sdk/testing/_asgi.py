"""A raw ASGI 3 application over an `Emulator` (no web framework needed).

Any ASGI server can run it; `serve()` uses uvicorn. Scripted latency really
waits here unless the emulator runs on a virtual clock, and a scripted
disconnect ends the connection before the response is complete.
"""

from __future__ import annotations

from ._clock import VirtualClock
from ._http import Request
from ._protocols import EmulatorCore, Receive, Scope, Send

__all__ = ["ASGIApp"]


class ASGIApp:
    """Serves an emulator over HTTP through any ASGI server."""

    def __init__(self, emulator: EmulatorCore) -> None:
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection scope."""
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        headers = [
            (k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]
        ]
        host = dict(headers).get("host") or _server_host(scope)
        raw_path = scope.get("raw_path") or scope["path"].encode()
        request = Request.build(
            scope["method"],
            raw_path.decode("latin-1").split("?", 1)[0],
            scope.get("query_string", b""),
            headers,
            body,
            base_url=f"{scope.get('scheme', 'http')}://{host}",
        )
        response = self.emulator.handle_request(request)
        await self._wait(response.latency)
        await send(
            {
                "type": "http.response.start",
                "status": response.status,
                "headers": [
                    (k.encode("latin-1"), v.encode("latin-1"))
                    for k, v in response.headers
                ],
            }
        )
        for chunk in response.iter_bytes():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        if not response.disconnect:
            # A scripted disconnect returns without this last message: the
            # server then drops the connection mid-body.
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _wait(self, seconds: float) -> None:
        clock = self.emulator.clock
        if seconds <= 0 or isinstance(clock, VirtualClock):
            clock.sleep(seconds)
            return
        import anyio

        await anyio.sleep(seconds)


def _server_host(scope: Scope) -> str:
    server = scope.get("server") or ("127.0.0.1", 80)
    return f"{server[0]}:{server[1]}"


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return

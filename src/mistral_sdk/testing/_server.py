"""Serving an ASGI app over real HTTP with uvicorn (the `emulator` extra).

`serve_in_thread` binds the socket itself, so the URL is known before the server
starts (port 0 picks a free one), and returns once uvicorn accepts connections.
"""

from __future__ import annotations

import socket
import threading
from typing import Any

from typing_extensions import Self

from ._protocols import ASGICallable

__all__ = ["RunningServer", "require_uvicorn", "serve_in_thread"]

_MISSING = (
    "serving the emulator over HTTP needs uvicorn: pip install 'mistral-sdk[emulator]'"
)


def require_uvicorn() -> Any:
    """Return the uvicorn module, or raise an ImportError that says what to install."""
    try:
        import uvicorn
    except ImportError as exc:
        raise ImportError(_MISSING) from exc
    return uvicorn


class RunningServer:
    """A server running in a background thread; stop it, or use it in `with`."""

    def __init__(self, url: str, server: Any, thread: threading.Thread) -> None:
        self.url = url
        """The base URL, e.g. `http://127.0.0.1:54321`."""
        self._server = server
        self._thread = thread

    def stop(self) -> None:
        """Stop the server and wait for its thread."""
        self._server.should_exit = True
        self._thread.join()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"RunningServer(url={self.url!r})"


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def serve_in_thread(
    app: ASGICallable, *, host: str = "127.0.0.1", port: int = 0
) -> RunningServer:
    """Serve `app` on `host:port` from a daemon thread and return once it listens.

    Raises:
        ImportError: uvicorn is not installed.
        RuntimeError: The server stopped before it started listening.
    """
    uvicorn = require_uvicorn()
    ready = threading.Event()

    sock = _bind(host, port)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    server: Any = uvicorn.Server(config)
    starting = server.startup

    async def startup(sockets: list[socket.socket] | None = None) -> None:
        # uvicorn listens once its startup returns: then the URL can be used.
        await starting(sockets=sockets)
        ready.set()

    server.startup = startup
    thread = threading.Thread(
        target=server.run,
        kwargs={"sockets": [sock]},
        name="mistral-emulator",
        daemon=True,
    )
    thread.start()
    while not ready.wait(0.05):
        if not thread.is_alive():
            sock.close()
            raise RuntimeError("the emulator's server stopped before it listened")
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    return RunningServer(f"http://{shown}:{bound_port}", server, thread)

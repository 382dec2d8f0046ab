"""What the adapters need of an emulator: a small protocol, not the class.

The httpx2 transports and the ASGI app answer through `handle_request` and wait
on the emulator's clock; nothing else. Depending on this protocol instead of
`Emulator` keeps the adapters below the emulator in the import graph (the
emulator builds them; they never import it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

from ._clock import Clock
from ._http import Request, Response

__all__ = ["ASGICallable", "EmulatorCore", "Receive", "Scope", "Send"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGICallable = Callable[[Scope, Receive, Send], Awaitable[None]]
"""An ASGI 3 application."""


class EmulatorCore(Protocol):
    """The request -> response core the adapters serve."""

    @property
    def clock(self) -> Clock:
        """The clock scripted latency waits on."""
        ...

    def handle_request(self, request: Request) -> Response:
        """Answer one request."""
        ...

"""The emulator's own routes under `/_emulator/`: signed URLs and remote control.

Signed URLs need no key (like a storage bucket's). The control routes let a
client in any language script the emulator over HTTP; they need the API key:

    POST /_emulator/script/reply     {"text": "Bonjour", "model": null, "times": 1}
    POST /_emulator/script/tool_call {"name": "get_weather", "arguments": {...}}
    POST /_emulator/script/error     {"status": 503, "on": "POST /v1/chat/completions"}
    POST /_emulator/script/batch_outcome {"status": "FAILED", "after": 0.5}
    POST /_emulator/script/clear     {}
    POST /_emulator/settle           {}   (finish every job and document)
    POST /_emulator/reset            {}   (forget everything)
    POST /_emulator/clock/advance    {"seconds": 60}   (virtual clocks only)
    GET  /_emulator/health
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final, Protocol
from urllib.parse import unquote

from ._clock import Clock, VirtualClock
from ._context import World, json_response
from ._errors import ApiError
from ._http import Request, Response
from ._script import Script
from ._signed import PREFIX, serve_signed

__all__ = ["Controlled", "handle_internal"]

_SCRIPT_ACTIONS: Final = (
    "reply",
    "tool_call",
    "error",
    "handoff",
    "latency",
    "rate_limit",
    "batch_outcome",
)


class Controlled(Protocol):
    """What the control routes drive: the emulator's state, script and clock."""

    @property
    def world(self) -> World:
        """The state signed URLs are served from."""
        ...

    @property
    def script(self) -> Script:
        """The script the `script/...` routes add to."""
        ...

    @property
    def clock(self) -> Clock:
        """The clock `clock/advance` moves (virtual clocks only)."""
        ...

    def authenticate(self, request: Request) -> None:
        """Raise the API's 401 unless the request carries an accepted key."""
        ...

    def settle(self) -> None:
        """Finish every job and document."""
        ...

    def reset(self) -> None:
        """Forget all state."""
        ...


def handle_internal(emulator: Controlled, request: Request) -> Response:
    """Answer a request under `/_emulator/`."""
    if request.path.startswith(PREFIX) and request.method == "GET":
        key = unquote(request.path[len(PREFIX) :])
        return serve_signed(emulator.world, request, key)
    if request.path == "/_emulator/health":
        return json_response({"status": "ok"})
    if request.method != "POST":
        return json_response({"detail": "Not Found"}, 404)
    emulator.authenticate(request)
    try:
        args: dict[str, Any] = json.loads(request.body or b"{}")
    except ValueError:
        raise ApiError(400, "the body must be a JSON object") from None
    action = _action(emulator, request.path.removeprefix("/_emulator/"))
    try:
        action(**args)
    except TypeError as exc:
        raise ApiError(400, str(exc)) from None
    return json_response({"status": "ok"})


def _action(emulator: Controlled, name: str) -> Callable[..., object]:
    kind, _, verb = name.partition("/")
    if kind == "script" and verb in _SCRIPT_ACTIONS:
        action: Callable[..., object] = getattr(emulator.script, verb)
        return action
    if kind == "script" and verb == "clear":
        return emulator.script.clear
    if name == "settle":
        return emulator.settle
    if name == "reset":
        return emulator.reset
    if name == "clock/advance" and isinstance(emulator.clock, VirtualClock):
        return emulator.clock.advance
    raise ApiError(404, f"no emulator control at /_emulator/{name}")

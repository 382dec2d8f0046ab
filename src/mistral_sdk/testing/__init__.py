"""An offline, stateful, deterministic emulator of the whole Mistral API.

```python
from mistral_sdk.testing import Emulator

emulator = Emulator()
emulator.script.reply("Bonjour !")
client = emulator.client()            # a real `Mistral`, answered in process
client.chat.complete(model="mistral-small-latest", messages=[...])
```

- `Emulator.handle(...)` is the framework-free core; `client()` / `async_client()`
  reach it through httpx2 transports, `serve()` over HTTP with uvicorn (the
  `emulator` extra), as does `python -m mistral_sdk.testing serve --port 8000`.
- `Emulator.script` scripts replies, tool calls, handoffs, errors, latency,
  rate limits, transcriptions and scores; otherwise an echo model answers.
- Jobs, documents and workflow executions move one step per read;
  `Emulator.settle()` finishes them (and fires due workflow schedules).
- Speech answers real audio, workflows come from a small deployed catalogue,
  and every answered completion becomes an observability event.
- Requests are checked against docs/openapi.yaml and refused with the API's 422.
- The pytest plugin (`mistral_sdk.testing.pytest_plugin`) offers the
  `mistral_emulator`, `mistral_client` and `async_mistral_client` fixtures.

Importing `mistral_sdk` never imports this package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._asgi import ASGIApp
    from ._clock import Clock, SystemClock, VirtualClock
    from ._emulator import BASE_URL, DEFAULT_API_KEY, Emulator, Exchange
    from ._http import Request, Response
    from ._replies import Prompt, Reply, ToolCall
    from ._script import Script
    from ._server import RunningServer
    from ._transport import AsyncEmulatorTransport, EmulatorTransport

__all__ = [
    "BASE_URL",
    "DEFAULT_API_KEY",
    "ASGIApp",
    "AsyncEmulatorTransport",
    "Clock",
    "Emulator",
    "EmulatorTransport",
    "Exchange",
    "Prompt",
    "Reply",
    "Request",
    "Response",
    "RunningServer",
    "Script",
    "SystemClock",
    "ToolCall",
    "VirtualClock",
    "serve",
]

# Names load on first use: the pytest plugin imports this package in every test
# session of every project that installs mistral-sdk.
_HOMES = {
    "ASGIApp": "_asgi",
    "Clock": "_clock",
    "SystemClock": "_clock",
    "VirtualClock": "_clock",
    "BASE_URL": "_emulator",
    "DEFAULT_API_KEY": "_emulator",
    "Emulator": "_emulator",
    "Exchange": "_emulator",
    "Request": "_http",
    "Response": "_http",
    "Prompt": "_replies",
    "Reply": "_replies",
    "Script": "_script",
    "ToolCall": "_replies",
    "RunningServer": "_server",
    "AsyncEmulatorTransport": "_transport",
    "EmulatorTransport": "_transport",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


def serve(
    emulator: Emulator | None = None, *, host: str = "127.0.0.1", port: int = 0
) -> RunningServer:
    """Serve an emulator over HTTP (uvicorn) in a background thread.

    Without `emulator`, a new one is made with the command line's defaults: any
    non-empty API key is accepted and time is the system's. Port 0 picks a free
    port; the returned server has `.url` and `.stop()` and is a context manager.
    """
    from ._clock import SystemClock
    from ._emulator import Emulator

    if emulator is None:
        emulator = Emulator(api_key=None, clock=SystemClock())
    return emulator.serve(host=host, port=port)

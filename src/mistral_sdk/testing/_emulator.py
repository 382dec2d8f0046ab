"""`Emulator`: the request -> response core of the offline Mistral API.

No sockets and no framework: `handle()` takes the parts of an HTTP request and
returns a `Response`. The httpx2 transports (`client()`, `async_client()`) and the
ASGI app (`asgi_app()`, served by `serve()`) are thin adapters on top.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ._clock import Clock, VirtualClock
from ._context import Call, Handler, World, json_response
from ._errors import ApiError, error_body
from ._handlers import handlers
from ._http import Request, Response, encode_form, json_bytes
from ._ids import Ids
from ._reading import read_request, wants_stream
from ._schema import Validator
from ._script import RateLimited, Script, ScriptedError
from ._spec import Operation, load_spec, router
from ._store import open_store

if TYPE_CHECKING:
    import httpx2

    from mistral_sdk import AsyncMistral, Mistral

    from ._asgi import ASGIApp
    from ._server import RunningServer
    from ._transport import AsyncEmulatorTransport, EmulatorTransport

__all__ = ["BASE_URL", "DEFAULT_API_KEY", "Emulator", "Exchange"]

DEFAULT_API_KEY: Final = "test-api-key"
"""The key `Emulator()` accepts unless told otherwise."""
BASE_URL: Final = "http://mistral-emulator.invalid"
"""The base URL of in-process clients (`.invalid` never resolves, by RFC 2606)."""
_INTERNAL: Final = "/_emulator/"


@dataclass(frozen=True)
class Exchange:
    """One request the emulator answered, for assertions in tests."""

    request: Request
    response: Response
    operation_id: str | None


class Emulator:
    """A stateful, deterministic, offline emulator of the whole Mistral API.

    Args:
        api_key: The only key accepted; None accepts any non-empty key.
        seed: Identifiers derive from it: the same seed gives the same ids.
        clock: Defaults to a `VirtualClock` (time moves only when told to).
        database: A SQLite file to keep the state in; in memory when None.
    """

    def __init__(
        self,
        *,
        api_key: str | None = DEFAULT_API_KEY,
        seed: int | str = 0,
        clock: Clock | None = None,
        database: str | Path | None = None,
    ) -> None:
        self.api_key = api_key
        self.clock: Clock = clock if clock is not None else VirtualClock()
        self.script = Script(self.clock)
        self.log: collections.deque[Exchange] = collections.deque(maxlen=10_000)
        self._lock = threading.RLock()
        store = open_store(database)
        self.world = World(
            store=store,
            clock=self.clock,
            ids=Ids(store, seed),
            script=self.script,
            validator=Validator(load_spec()),
            seed=seed,
            internal=self._internal,
        )

    # ---------------------------------------------------------------- the core
    def handle(
        self,
        method: str,
        path: str,
        query: str | bytes | Iterable[tuple[str, str]] = (),
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        *,
        base_url: str = BASE_URL,
    ) -> Response:
        """Answer one HTTP request."""
        request = Request.build(method, path, query, headers, body, base_url)
        return self.handle_request(request)

    def handle_request(self, request: Request) -> Response:
        """Answer one `Request`, and log the exchange."""
        with self._lock:
            response, op = self._respond(request, intercept=True)
            operation_id = op.operation_id if op is not None else None
            self.log.append(Exchange(request, response, operation_id))
        return response

    @property
    def requests(self) -> list[Request]:
        """Every request answered so far, oldest first."""
        return [exchange.request for exchange in self.log]

    def _respond(
        self, request: Request, *, intercept: bool
    ) -> tuple[Response, Operation | None]:
        request_id = self.world.ids.hex("request")
        try:
            response, op = self._route(request, request_id, intercept)
        except Exception as exc:
            response, op = _crashed(exc, request_id), None
        response.headers.append(("mistral-correlation-id", request_id))
        return response, op

    def _route(
        self, request: Request, request_id: str, intercept: bool
    ) -> tuple[Response, Operation | None]:
        op: Operation | None = None
        if request.path.startswith(_INTERNAL):
            response = self._internal_route(request, request_id)
        else:
            found = router().match(request.method, request.path)
            if found is None:
                response = json_response({"detail": "Not Found"}, 404)
            elif not found[0]:
                response = json_response({"detail": "Method Not Allowed"}, 405)
                allow = ", ".join(router().allowed(request.path))
                response.headers.append(("allow", allow))
            else:
                candidates, path = found
                op = candidates[-1] if wants_stream(request) else candidates[0]
                handler = handlers().get(op.operation_id)
                if handler is None:
                    # A spec operation the emulator does not serve: the 404 of
                    # a route the API does not have.
                    op, response = None, json_response({"detail": "Not Found"}, 404)
                else:
                    response = self._operation(
                        op, handler, request, path, request_id, intercept
                    )
        return response, op

    def _internal_route(self, request: Request, request_id: str) -> Response:
        from ._control import handle_internal

        try:
            return handle_internal(self, request)
        except ApiError as failure:
            return _error_response(failure, request_id)

    def _operation(
        self,
        op: Operation,
        handler: Handler,
        request: Request,
        path: dict[str, str],
        request_id: str,
        intercept: bool,
    ) -> Response:
        # The API's order: the key, then rate limits, then reading the request.
        try:
            self.authenticate(request)
            latency = 0.0
            window = None
            if intercept:
                failure, latency, window = self.script.interception(
                    op.operation_id, op.method, op.path, request.path
                )
                if failure is not None:
                    return _scripted_failure(failure, latency, request_id)
            query, body = read_request(self.world.validator, op, request, path)
            response = handler(Call(self.world, op, request, path, query, body))
            if window is not None:
                # As the API does on every answer (its names are per minute).
                response.headers += [
                    ("x-ratelimit-limit-req-minute", str(window.limit)),
                    ("x-ratelimit-remaining-req-minute", str(window.remaining)),
                ]
            if response.status == 200 and op.operation_id in _observed():
                _record_completion(self.world, request, response, request_id)
        except ApiError as failure:
            return _error_response(failure, request_id)
        except Exception as exc:
            return _crashed(exc, request_id)
        response.latency = latency
        return response

    def authenticate(self, request: Request) -> None:
        """Raise the API's 401 unless the request carries an accepted key."""
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        accepted = scheme.lower() == "bearer" and bool(key.strip())
        if self.api_key is not None:
            accepted = accepted and key.strip() == self.api_key
        if not accepted:
            raise ApiError(401, "Unauthorized")

    def _internal(self, method: str, path: str, body: Any) -> Response:
        # Batch jobs run their lines through here: validated like any request,
        # but not logged (the test did not send them).
        headers = {"authorization": f"Bearer {self.api_key or 'internal'}"}
        if path == "/v1/audio/transcriptions":
            content, headers["content-type"] = encode_form(body)
        else:
            content, headers["content-type"] = json_bytes(body), "application/json"
        request = Request.build(method, path, headers=headers, body=content)
        response, _ = self._respond(request, intercept=True)
        return response

    # ------------------------------------------------------------- lifecycles
    def settle(self) -> None:
        """Run every pending batch job, fine-tuning job and document to its end."""
        from ._lifecycles import settle_all

        with self._lock:
            settle_all(self.world)

    def reset(self) -> None:
        """Forget all state, scripts and the log (the clock keeps its time)."""
        with self._lock:
            self.world.store.clear()
            self.script.clear()
            self.log.clear()

    # --------------------------------------------------------------- adapters
    def transport(self) -> EmulatorTransport:
        """Return an `httpx2` transport answering from this emulator (no sockets)."""
        from ._transport import EmulatorTransport

        return EmulatorTransport(self)

    def async_transport(self) -> AsyncEmulatorTransport:
        """Return an async `httpx2` transport answering from this emulator."""
        from ._transport import AsyncEmulatorTransport

        return AsyncEmulatorTransport(self)

    def http_client(self, **options: Any) -> httpx2.Client:
        """Return an `httpx2.Client` on this emulator (to fetch signed URLs...)."""
        import httpx2

        options.setdefault("base_url", BASE_URL)
        return httpx2.Client(transport=self.transport(), **options)

    def client(self, **options: Any) -> Mistral:
        """Return a `Mistral` client on this emulator, without retries by default.

        Args:
            **options: Passed to `Mistral(...)` (`max_retries=`, `strict=`, ...).
        """
        import httpx2

        from mistral_sdk import Mistral

        options.setdefault("max_retries", 0)
        options.setdefault("api_key", self.api_key or DEFAULT_API_KEY)
        options.setdefault("base_url", BASE_URL)
        http = httpx2.Client(transport=self.transport())
        return Mistral(http_client=http, **options)

    def async_client(self, **options: Any) -> AsyncMistral:
        """Return an `AsyncMistral` client on this emulator (see `client()`)."""
        import httpx2

        from mistral_sdk import AsyncMistral

        options.setdefault("max_retries", 0)
        options.setdefault("api_key", self.api_key or DEFAULT_API_KEY)
        options.setdefault("base_url", BASE_URL)
        http = httpx2.AsyncClient(transport=self.async_transport())
        return AsyncMistral(http_client=http, **options)

    def asgi_app(self) -> ASGIApp:
        """Return an ASGI application serving this emulator."""
        from ._asgi import ASGIApp

        return ASGIApp(self)

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
        """Serve over real HTTP (uvicorn) in a background thread; port 0: any free.

        Returns:
            The running server: `.url`, `.stop()`, and a context manager.
        """
        from ._server import serve_in_thread

        return serve_in_thread(self.asgi_app(), host=host, port=port)


def _crashed(exc: Exception, request_id: str) -> Response:
    # A request the emulator cannot answer must not crash the caller's server
    # or transport: the API's 500, naming what went wrong.
    message = f"the emulator failed: {type(exc).__name__}: {exc}"
    return _error_response(ApiError(500, message), request_id)


def _observed() -> frozenset[str]:
    from ._chat_events import COMPLETION_OPERATIONS

    return COMPLETION_OPERATIONS


def _record_completion(
    world: World, request: Request, response: Response, request_id: str
) -> None:
    # Observability sees every completion answered, as the platform logs them.
    from ._chat_events import record_completion

    record_completion(world, request, response, request_id)


def _error_response(failure: ApiError, request_id: str) -> Response:
    response = json_response(failure.to_body(request_id), failure.status)
    response.headers += list(failure.headers.items())
    return response


def _scripted_failure(
    failure: ScriptedError | RateLimited, latency: float, request_id: str
) -> Response:
    if isinstance(failure, RateLimited):
        retry_after = f"{max(failure.retry_after, 0.0):g}"
        response = json_response(error_body(429), 429)
        response.headers.append(("retry-after", retry_after))
        if failure.limit:
            # The names the API sends (it sends no reset: Retry-After says it).
            response.headers += [
                ("x-ratelimit-limit-req-minute", str(failure.limit)),
                ("x-ratelimit-remaining-req-minute", "0"),
            ]
    else:
        error = ApiError(
            failure.status, failure.message, body=failure.body, headers=failure.headers
        )
        response = _error_response(error, request_id)
    response.latency = latency
    return response

"""What a handler works with: the emulator's world and the call it answers."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._clock import Clock, iso
from ._errors import ApiError
from ._http import FormData, Request, Response, json_bytes
from ._ids import Ids
from ._json import is_object
from ._schema import Validator
from ._script import Script
from ._spec import Operation
from ._store import Store

__all__ = ["Call", "Handler", "World", "json_response", "no_content", "sse_response"]

InternalCall = Callable[[str, str, Any], Response]


def _fixed_uuid(seed: int | str, name: str) -> str:
    digest = hashlib.sha256(f"{seed}:identity:{name}".encode()).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


@dataclass
class World:
    """The emulator's state and services, shared by every handler."""

    store: Store
    clock: Clock
    ids: Ids
    script: Script
    validator: Validator
    seed: int | str = 0
    internal: InternalCall | None = None
    """Sends a JSON request through the emulator (batch jobs run lines with it)."""
    user_id: str = field(init=False)
    org_id: str = field(init=False)
    workspace_id: str = field(init=False)

    def __post_init__(self) -> None:
        # The caller's identity: fixed per seed, like an API key's owner.
        self.user_id = _fixed_uuid(self.seed, "user")
        self.org_id = _fixed_uuid(self.seed, "org")
        self.workspace_id = _fixed_uuid(self.seed, "workspace")

    def now(self) -> int:
        """Return the time as whole seconds (the API's integer timestamps)."""
        return int(self.clock.now())

    def now_iso(self) -> str:
        """Return the time as an RFC 3339 string."""
        return iso(self.clock.now())

    def require(self, kind: str, key: str, what: str) -> dict[str, Any]:
        """Return a stored document, or raise the API's 404."""
        doc = self.store.get(kind, key)
        if doc is None:
            raise ApiError.not_found(what, key)
        return doc


@dataclass
class Call:
    """One request, read and validated, on its way to a handler."""

    world: World
    op: Operation
    request: Request
    path: Mapping[str, str]
    query: Mapping[str, Any]
    body: Any
    """The JSON body, a `FormData` for multipart operations, or None."""

    @property
    def json(self) -> dict[str, Any]:
        """Return the JSON object body (an empty one when there is none)."""
        return self.body if is_object(self.body) else {}

    @property
    def form(self) -> FormData:
        """Return the multipart form body."""
        return self.body if isinstance(self.body, FormData) else FormData()

    def url(self, path: str) -> str:
        """Return an absolute URL on the emulator, as the client reached it."""
        return self.request.base_url + path


Handler = Callable[[Call], Response]


def json_response(value: object, status: int = 200) -> Response:
    """Return a JSON answer."""
    return Response(status, [("content-type", "application/json")], json_bytes(value))


def no_content() -> Response:
    """Return 204."""
    return Response(204)


def sse_response(chunks: list[bytes], *, disconnect: bool = False) -> Response:
    """Return a server-sent-event stream."""
    headers = [("content-type", "text/event-stream"), ("cache-control", "no-cache")]
    return Response(200, headers, chunks=chunks, disconnect=disconnect)

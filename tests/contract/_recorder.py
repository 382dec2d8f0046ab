"""A test-only httpx2 transport between the SDK and Prism.

It does two things:

* routes streaming requests of the spec's `#stream` operations to the place Prism
  serves them (`_spec.STREAM_PREFIX`), recognising them by `stream=true` in the
  JSON or multipart body, exactly as the API server does;
* records every request/response pair as an `Exchange`, which knows what is wrong
  with it: Prism's request violations, query parameters the operation does not
  declare, JSON-content query parameters that are not valid JSON for their schema,
  and Prism's own error answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, cast

import httpx2

from . import _spec

# Prism's answer to a valid stream request when the operation declares an event
# stream: it cannot serialise an example as one.
PRISM_CANNOT_STREAM = "https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT"
# ... and when the operation declares none (agents completions: the spec lists only
# JSON, the API streams anyway): the Accept header matches nothing.
PRISM_NOT_ACCEPTABLE = "https://stoplight.io/prism/errors#NOT_ACCEPTABLE"


@dataclass
class Exchange:
    """One request the SDK sent and what Prism answered."""

    request: httpx2.Request
    """The request as Prism received it (after any stream re-routing)."""
    body: bytes
    operation: _spec.Operation | None
    response: httpx2.Response | None = None
    error_body: bytes = b""
    """The body of a non-2xx answer (read here so that it can be reported)."""

    @property
    def status(self) -> int:
        """Return the HTTP status Prism answered with (0 if it did not answer)."""
        return self.response.status_code if self.response is not None else 0

    def json_body(self) -> Any:
        """Return the request body parsed as JSON."""
        return json.loads(self.body)

    def form(self) -> dict[str, list[EmailMessage]]:
        """Return the parts of a multipart/form-data request body, by field name."""
        return multipart_fields(self.request.headers.get("content-type", ""), self.body)

    def request_violations(self) -> list[str]:
        """Return Prism's findings about the request (not about its own examples)."""
        found: list[dict[str, Any]] = []
        if self.response is not None:
            header = self.response.headers.get("sl-violations")
            if header:
                found += [
                    v for v in json.loads(header) if v["location"][0] == "request"
                ]
            problem = self.problem()
            # Where an operation declares no 422, Prism answers with a 422 of its own
            # and lists the violations in the body instead of the header.
            found += problem.get("validation", [])
        return [f"{'.'.join(map(str, v['location']))}: {v['message']}" for v in found]

    def problem(self) -> dict[str, Any]:
        """Return Prism's own error document (application/problem+json), if any."""
        if self.response is None or not self.error_body:
            return {}
        if "problem+json" not in self.response.headers.get("content-type", ""):
            return {}
        return cast("dict[str, Any]", json.loads(self.error_body))

    def problems(self, expected: set[str], *, sse: bool = False) -> list[str]:
        """Return everything that breaks the contract in this exchange.

        Args:
            expected: The operationIds the SDK method may call.
            sse: The method streams, and Prism's 500 for event streams is expected.
        """
        where = f"{self.request.method} {self.request.url.raw_path.decode()}"
        if self.operation is None:
            return [f"{where}: no operation of the spec has this method and route"]
        found = []
        if self.operation.operation_id not in expected:
            found.append(
                f"{where}: reached {self.operation.operation_id}, expected one of "
                f"{sorted(expected)}"
            )
        found += [f"{where}: {v}" for v in self.request_violations()]
        found += [f"{where}: {p}" for p in self._query_problems()]
        found += [f"{where}: {p}" for p in self._multipart_problems()]
        if sse and "text/event-stream" not in self.request.headers.get("accept", ""):
            found.append(f"{where}: a stream request must accept text/event-stream")
        status = self.status
        problem = self.problem()
        if sse and self._prism_cannot_stream():
            # Prism validates the request before it picks a representation, so
            # reaching this answer means the request passed.
            return found
        if not 200 <= status < 300:
            detail = problem.get("detail") or self.error_body[:500].decode(
                errors="replace"
            )
            found.append(f"{where}: Prism answered {status}: {detail}")
        return found

    def _prism_cannot_stream(self) -> bool:
        assert self.operation is not None
        kind = self.problem().get("type")
        if "text/event-stream" in self.operation.responses.get("200", frozenset()):
            return self.status == 500 and kind == PRISM_CANNOT_STREAM
        return self.status == 406 and kind == PRISM_NOT_ACCEPTABLE

    def _query_problems(self) -> list[str]:
        assert self.operation is not None
        params = self.request.url.params
        found = [
            f"query parameter {name!r} is not declared by the operation"
            for name in sorted(set(params.keys()) - self.operation.query)
        ]
        # Prism skips query parameters declared with JSON `content` (the
        # `metadata` filters): check that each is one JSON document of its schema.
        for name, schema in self.operation.json_query.items():
            values = params.get_list(name)
            if len(values) > 1:
                found.append(f"query parameter {name!r} is sent {len(values)} times")
            for value in values:
                try:
                    document = json.loads(value)
                except ValueError:
                    found.append(f"query parameter {name!r} is not JSON: {value!r}")
                    continue
                found += [
                    f"query parameter {name!r}: {error.message}"
                    for error in _spec.validator_for(schema).iter_errors(document)
                ]
        return found

    def _multipart_problems(self) -> list[str]:
        # Prism reads one part per name, so array fields are judged here, whole.
        assert self.operation is not None
        arrays = _spec.multipart_arrays(self.operation.operation_id)
        if not arrays:
            return []
        fields = self.form()
        found = [
            f"multipart field {name!r} is sent {len(parts)} times"
            for name, parts in fields.items()
            if name not in arrays and len(parts) > 1
        ]
        for name, schema in arrays.items():
            values = [part.get_content().strip() for part in fields.get(name, [])]
            found += [
                f"multipart field {name!r}: {error.message}"
                for error in _spec.validator_for(schema).iter_errors(values)
            ]
        return found


def multipart_fields(content_type: str, body: bytes) -> dict[str, list[EmailMessage]]:
    """Return the parts of a multipart/form-data body by field name."""
    if not content_type.startswith("multipart/form-data"):
        return {}
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert isinstance(message, EmailMessage)
    fields: dict[str, list[EmailMessage]] = {}
    for part in message.iter_parts():
        assert isinstance(part, EmailMessage)
        name = part.get_param("name", header="content-disposition")
        fields.setdefault(str(name), []).append(part)
    return fields


def _wants_stream(request: httpx2.Request, body: bytes) -> bool:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            document = json.loads(body)
        except ValueError:
            return False
        return isinstance(document, dict) and document.get("stream") is True
    parts = multipart_fields(content_type, body).get("stream", [])
    return any(part.get_content().strip() == "true" for part in parts)


def _route(request: httpx2.Request, body: bytes) -> Exchange:
    path = request.url.path
    twin = _spec.stream_twin(request.method, path)
    if twin is not None and _wants_stream(request, body):
        request = httpx2.Request(
            request.method,
            request.url.copy_with(
                raw_path=(_spec.STREAM_PREFIX.encode() + request.url.raw_path)
            ),
            headers=request.headers,
            content=body,
            extensions=request.extensions,
        )
        return Exchange(request, body, twin)
    return Exchange(request, body, _spec.route(request.method, path))


@dataclass
class Recorder:
    """The exchanges seen so far, shared by a sync and an async transport."""

    exchanges: list[Exchange] = field(default_factory=list)

    def clear(self) -> None:
        """Forget the exchanges recorded so far."""
        self.exchanges.clear()


class RecordingTransport(httpx2.BaseTransport):
    """Sync twin: re-route stream requests, forward to Prism, record the exchange."""

    def __init__(self, recorder: Recorder, inner: httpx2.BaseTransport) -> None:
        self._recorder = recorder
        self._inner = inner

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        exchange = _route(request, request.read())
        self._recorder.exchanges.append(exchange)
        response = self._inner.handle_request(exchange.request)
        if response.status_code >= 300:
            try:
                exchange.error_body = b"".join(response.iter_raw())
            finally:
                response.close()
            response = _replay(response, exchange.error_body)
        exchange.response = response
        return response

    def close(self) -> None:
        self._inner.close()


class AsyncRecordingTransport(httpx2.AsyncBaseTransport):
    """Async twin of `RecordingTransport`."""

    def __init__(self, recorder: Recorder, inner: httpx2.AsyncBaseTransport) -> None:
        self._recorder = recorder
        self._inner = inner

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        exchange = _route(request, await request.aread())
        self._recorder.exchanges.append(exchange)
        response = await self._inner.handle_async_request(exchange.request)
        if response.status_code >= 300:
            try:
                exchange.error_body = b"".join([c async for c in response.aiter_raw()])
            finally:
                await response.aclose()
            response = _replay(response, exchange.error_body)
        exchange.response = response
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def _replay(response: httpx2.Response, raw: bytes) -> httpx2.Response:
    # Same status, headers and undecoded bytes, for the SDK to read once more.
    return httpx2.Response(
        response.status_code,
        headers=response.headers,
        stream=httpx2.ByteStream(raw),
        extensions=response.extensions,
    )

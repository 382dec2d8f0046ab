"""Checks every emulated response against docs/openapi.yaml with jsonschema.

An independent validator (not the emulator's own) reads the spec; responses the
spec does not declare (401, 404, 429, ...) are checked against the API's error
shapes below. Streams are checked event by event.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from mistral_sdk.testing import Exchange
from mistral_sdk.testing._spec import load_spec, router

SERVICE_ERROR = {
    "type": "object",
    "required": ["object", "message", "type", "param", "code"],
    "properties": {"object": {"const": "error"}, "message": {"type": "string"}},
}
GATEWAY_ERROR = {
    "type": "object",
    "required": ["message", "request_id"],
    "additionalProperties": False,
    "properties": {"message": {"type": "string"}, "request_id": {"type": "string"}},
}
ROUTE_ERROR = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string"}},
}
UNDECLARED_STREAMS = {
    # operations.toml: the API streams agents completions like chat.
    "agents_completion_v1_agents_completions_post": "CompletionEvent",
}


@functools.cache
def _spec() -> dict[str, Any]:
    spec = copy.deepcopy(dict(load_spec()))
    # Erratum: ChatCompletionResponse lists `data` as required but never declares
    # it, and the API never sends it (a chat completion has `choices`).
    tail = spec["components"]["schemas"]["ChatCompletionResponse"]["allOf"][1]
    tail["required"] = [name for name in tail["required"] if name != "data"]
    return spec


@functools.cache
def _validator(key: str) -> Draft202012Validator:
    schema = json.loads(key)
    return Draft202012Validator(
        {**schema, "components": _spec()["components"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def problems(schema: Mapping[str, Any], value: object) -> list[str]:
    """Return what is wrong with `value` under `schema` (refs into the spec)."""
    validator = _validator(json.dumps(schema, sort_keys=True))
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(value)
    ]


def sse_blocks(body: bytes) -> Iterator[dict[str, str]]:
    """Yield the fields (`id`, `event`, `data`) of each server-sent event."""
    for block in body.decode().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            name, _, value = line.partition(":")
            if name in ("id", "event", "data"):
                text = value.strip()
                fields[name] = f"{fields[name]}\n{text}" if name in fields else text
        if "data" in fields:
            yield fields


def events(body: bytes) -> Iterator[tuple[str | None, str]]:
    """Yield `(event, data)` of each server-sent event."""
    for fields in sse_blocks(body):
        yield fields.get("event"), fields["data"]


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _stream_problems(operation_id: str, body: bytes) -> list[str]:
    op = router().operations[operation_id]
    declared = op.responses.get("200", {}).get("text/event-stream")
    schema = declared or _ref(UNDECLARED_STREAMS.get(operation_id, "CompletionEvent"))
    found: list[str] = []
    for fields in sse_blocks(body):
        if fields["data"] == "[DONE]":
            continue
        payload = json.loads(fields["data"])
        if payload.get("object") == "error":
            found += problems(SERVICE_ERROR, payload)
            continue
        event: dict[str, Any] = {"data": payload}
        for name in ("event", "id"):
            if name in fields:
                event[name] = fields[name]
        found += problems(schema, event)
    return found


def exchange_problems(exchange: Exchange) -> list[str]:
    """Return how an exchange's response departs from the spec."""
    response, op_id = exchange.response, exchange.operation_id
    status = response.status
    if exchange.request.path.startswith("/_emulator/"):
        return []
    if op_id is None:
        # No operation: the router's 404/405, or the 500 of a failure before it.
        shape = SERVICE_ERROR if status == 500 else ROUTE_ERROR
        return problems(shape, response.json())
    if status == 204:
        return [] if response.content() == b"" else ["204 with a body"]
    declared = router().operations[op_id].responses.get(str(status), {})
    kind = (response.header("content-type") or "").split(";")[0]
    if kind == "text/event-stream":
        return _stream_problems(op_id, response.content())
    if kind != "application/json" and not kind.endswith("+json") and status < 400:
        # Downloads (octet-stream, audio/wav, JSONL): the media type is the contract.
        return [] if kind in declared else [f"{op_id}: undeclared {kind}"]
    schema = declared.get("application/json")
    if schema is None:
        if status < 400:
            return [f"{op_id}: status {status} is not declared"]
        # Undeclared errors: FastAPI's 422, the gateway's 401, the services' rest.
        errors: dict[int, Mapping[str, Any]] = {
            422: _ref("HTTPValidationError"),
            401: GATEWAY_ERROR,
        }
        schema = errors.get(status, SERVICE_ERROR)
    return [f"{op_id} {status}: {p}" for p in problems(schema, response.json())]

"""Builders for test payloads, response bodies and a fake clock.

The payloads have the shape the API spec gives the generated types, so unit
tests that drive the core through the generated resources (`client.chat`,
`client.files`, ...) parse them without departures; a test that wants a
departure writes its body out in full.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import httpx2

from mistral_sdk import AsyncMistral, Mistral

API_KEY: Final = "sk-test-0123456789abcdefSECRET"
CREATED: Final = 1_700_000_000
TIMESTAMP: Final = "2026-01-02T03:04:05Z"
USAGE: Final = {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}


# ------------------------------------------------------------------ payloads
def completion(content: str = "Hello!", ident: str = "cmpl-1") -> dict[str, Any]:
    """A `ChatCompletionResponse` with one assistant choice."""
    return {
        "id": ident,
        "object": "chat.completion",
        "model": "mistral-small-latest",
        "created": CREATED,
        "usage": USAGE,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
    }


def chunk(content: str, ident: str = "cmpl-1") -> dict[str, Any]:
    """A `CompletionChunk` carrying `content` as its only delta."""
    return {
        "id": ident,
        "object": "chat.completion.chunk",
        "model": "mistral-small-latest",
        "created": CREATED,
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}],
    }


def file_object(ident: str = "file-1", filename: str = "data.jsonl") -> dict[str, Any]:
    """A file as `client.files.upload` returns it and `client.files.list` lists it."""
    return {
        "id": ident,
        "object": "file",
        "bytes": 12,
        "created_at": CREATED,
        "filename": filename,
        "purpose": "batch",
        "sample_type": "batch_request",
        "source": "upload",
    }


def file_list(*ids: str, total: int | None = None) -> dict[str, Any]:
    """One page of `client.files.list` (page numbers from 0, `data`, optional `total`)."""
    body: dict[str, Any] = {"data": [file_object(i) for i in ids], "object": "list"}
    if total is not None:
        body["total"] = total
    return body


def agent(ident: str) -> dict[str, Any]:
    """An `Agent`, an item of `client.beta.agents.list` (a bare JSON array)."""
    return {
        "object": "agent",
        "id": ident,
        "name": "helper",
        "model": "mistral-small-latest",
        "version": 1,
        "versions": [1],
        "created_at": TIMESTAMP,
        "updated_at": TIMESTAMP,
        "deployment_chat": False,
        "source": "api",
    }


def voice_list(
    *ids: str, total: int, offset: int = 0, limit: int = 10
) -> dict[str, Any]:
    """One page of `client.audio.voices.list` (offset paging over `items`)."""
    return {
        "items": [
            {"id": i, "name": f"voice {i}", "created_at": TIMESTAMP, "user_id": None}
            for i in ids
        ],
        "total": total,
        "page": offset // limit + 1,
        "page_size": limit,
        "total_pages": -(-total // limit),
    }


def registration_list(*ids: str, next_cursor: str | None) -> dict[str, Any]:
    """One page of `client.beta.workflows.list_registrations` (cursor paging)."""
    return {
        "workflow_registrations": [
            {
                "id": i,
                "task_queue": "default",
                "definition": {"input_schema": {}},
                "workflow_id": "wf-1",
            }
            for i in ids
        ],
        "next_cursor": next_cursor,
        "workflow_versions": [],
    }


def dataset_list(*ids: str, count: int, next_page: str | None) -> dict[str, Any]:
    """One page of `client.beta.observability.datasets.list` (pages counted from 1)."""
    return {
        "datasets": {
            "results": [
                {
                    "id": i,
                    "created_at": TIMESTAMP,
                    "updated_at": TIMESTAMP,
                    "deleted_at": None,
                    "name": f"dataset {i}",
                    "description": "",
                    "owner_id": "u-1",
                    "workspace_id": "w-1",
                }
                for i in ids
            ],
            "count": count,
            "next": next_page,
            "previous": None,
        }
    }


def sse(*events: object, done: bool = True) -> bytes:
    """Return an event stream carrying `events` as JSON data lines."""
    text = "".join(f"data: {json.dumps(event)}\n\n" for event in events)
    return (text + ("data: [DONE]\n\n" if done else "")).encode()


ERROR_BODIES: Final[Mapping[str, tuple[object, str]]] = {
    # shape -> (body, the message the SDK must extract)
    "message": ({"message": "Unauthorized"}, "Unauthorized"),
    "message-dict": (
        {
            "object": "error",
            "message": {
                "detail": [
                    {
                        "type": "missing",
                        "loc": ["body", "model"],
                        "msg": "Field required",
                    }
                ]
            },
            "type": "invalid_request_message_error",
            "param": None,
            "code": None,
        },
        "model: Field required",
    ),
    "detail-list": (
        {
            "detail": [
                {"loc": ["query", "page"], "msg": "not an int", "type": "int_parsing"},
                {
                    "loc": ["body", "messages", 0, "role"],
                    "msg": "bad role",
                    "type": "x",
                },
            ]
        },
        "query.page: not an int; messages.0.role: bad role",
    ),
    "detail-str": ({"detail": "Model not found"}, "Model not found"),
    "object-error": (
        {
            "object": "error",
            "message": "Requests rate limit exceeded",
            "type": "rate_limited",
            "code": "1300",
        },
        "Requests rate limit exceeded",
    ),
    "nested-error": (
        {"error": {"message": "Service unavailable", "type": "server_error"}},
        "Service unavailable",
    ),
}

HTML_502: Final = (
    "<html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head>"
    "<body><center><h1>502 Bad Gateway</h1></center>"
    + "<p>filler</p>" * 500
    + "</body></html>"
)


# ------------------------------------------------------------------ byte streams
class Chunks(httpx2.SyncByteStream, httpx2.AsyncByteStream):
    """A response body delivered in the given chunks, optionally broken at the end."""

    def __init__(self, chunks: Iterable[bytes], *, fail: bool = False) -> None:
        self.chunks = list(chunks)
        self.fail = fail
        self.closed = False
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for part in self.chunks:
            self.sent += 1
            yield part
        if self.fail:
            raise httpx2.ReadError("connection reset by peer")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.chunks:
            self.sent += 1
            yield part
        if self.fail:
            raise httpx2.ReadError("connection reset by peer")

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def event_response(body: bytes | Chunks, **headers: str) -> httpx2.Response:
    stream = body if isinstance(body, Chunks) else Chunks([body])
    return httpx2.Response(
        200,
        headers={"content-type": "text/event-stream", **headers},
        stream=stream,
    )


# ------------------------------------------------------------------ time
@dataclass
class FakeClock:
    """Monotonic and wall clocks that only move when something sleeps."""

    monotonic: float = 1000.0
    wall: float = 1_700_000_000.0
    sleeps: list[float] = field(default_factory=list[float])

    def now(self) -> float:
        return self.monotonic

    def time(self) -> float:
        return self.wall

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.monotonic += seconds
        self.wall += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)


def install_clock(
    client: Mistral | AsyncMistral, clock: FakeClock, rng: float = 0.0
) -> None:
    """Make the client's transport sleep on `clock`, read time from it, and draw
    `rng` for the jitter (private attributes: the transport's injected seams)."""
    transport: Any = client._transport  # pyright: ignore[reportPrivateUsage]
    is_async = isinstance(client, AsyncMistral)
    transport._sleep = clock.async_sleep if is_async else clock.sleep
    transport._clock = clock.now
    transport._wall_clock = clock.time
    transport._rng = lambda: rng

"""Helpers of the hardening scenarios: replies, event streams, clients under test."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import anyio.from_thread
from factories import FakeClock

from hardening.faultserver import Framing, Reply, Step
from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.types import UserMessageParam

JSON = (("content-type", "application/json"),)
EVENTS = (("content-type", "text/event-stream"),)
CHAT = "/v1/chat/completions"
CONVERSATIONS = "/v1/conversations"
MESSAGES: list[UserMessageParam] = [{"role": "user", "content": "Hi"}]


def json_reply(
    body: object, status: int = 200, headers: tuple[tuple[str, str], ...] = ()
) -> Reply:
    """A JSON response."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Reply(status, JSON + headers, (data,))


def sse_reply(
    *parts: Step,
    headers: tuple[tuple[str, str], ...] = (),
    framing: Framing = "chunked",
) -> Reply:
    """An event stream; with chunked framing each bytes part is one chunk."""
    return Reply(200, EVENTS + headers, parts, framing=framing)


def sse_events(*payloads: object, done: bool = True, crlf: bool = False) -> bytes:
    """`data:` events carrying JSON payloads, optionally ended by `[DONE]`."""
    text = "".join(f"data: {json.dumps(p, ensure_ascii=False)}\n\n" for p in payloads)
    text += "data: [DONE]\n\n" if done else ""
    return text.replace("\n", "\r\n").encode() if crlf else text.encode()


@dataclass
class Sdk:
    """A client under test, sync or async, with the fake clock its transport uses.

    Attributes:
        flavour: "sync" or "async".
        client: A `Mistral`, or an `AsyncMistral` behind a blocking facade.
        target: The real client object.
        clock: The clock the transport sleeps on.
        portal: The portal running the async client's event loop (async only).
    """

    flavour: str
    client: Any
    target: Mistral | AsyncMistral
    clock: FakeClock
    portal: anyio.from_thread.BlockingPortal | None


def transport_of(client: Mistral | AsyncMistral) -> Any:
    """The client's transport (private: tests replace its clocks and read its pool)."""
    return client._transport  # pyright: ignore[reportPrivateUsage]

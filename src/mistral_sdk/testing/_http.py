"""HTTP messages of the emulator core, independent of any client or server.

The core takes a `Request` and returns a `Response`; the httpx2 transports and the
ASGI app translate to and from their own types. A streamed response carries its
server-sent-event chunks, all computed up front: the state change a request
causes must not depend on how far a client reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any, cast
from urllib.parse import parse_qsl

__all__ = [
    "FormData",
    "Request",
    "Response",
    "UploadedFile",
    "encode_form",
    "json_bytes",
    "parse_multipart",
    "sse_data",
    "sse_event",
]


def json_bytes(value: object) -> bytes:
    """Return compact JSON, as the API writes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Request:
    """A request as the emulator core sees it."""

    method: str
    path: str
    """The path, still percent-encoded."""
    query: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict[str, str])
    """Header names in lower case."""
    body: bytes = b""
    base_url: str = "http://emulator.invalid"
    """Scheme and host the client used, for URLs pointing back at the emulator."""

    @classmethod
    def build(
        cls,
        method: str,
        path: str,
        query: str | bytes | Iterable[tuple[str, str]] = (),
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        body: bytes = b"",
        base_url: str = "http://emulator.invalid",
    ) -> Request:
        """Return a request from loosely typed parts (a raw query string is fine)."""
        if isinstance(query, bytes):
            query = query.decode("latin-1")
        if isinstance(query, str):
            pairs = tuple(parse_qsl(query.lstrip("?"), keep_blank_values=True))
        else:
            pairs = tuple(query)
        if isinstance(headers, Mapping):
            items = list(cast("Mapping[str, str]", headers).items())
        else:
            items = list(headers)
        return cls(
            method=method.upper(),
            path=path,
            query=pairs,
            headers={k.lower(): v for k, v in items},
            body=body,
            base_url=base_url.rstrip("/"),
        )

    def query_values(self) -> dict[str, list[str]]:
        """Return the query as lists of values per name."""
        values: dict[str, list[str]] = {}
        for key, value in self.query:
            values.setdefault(key, []).append(value)
        return values

    def json(self) -> Any:
        """Return the body read as JSON."""
        return json.loads(self.body)


@dataclass
class Response:
    """A response of the emulator core."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    body: bytes = b""
    chunks: list[bytes] | None = None
    """The server-sent-event chunks of a stream, in order; None for a plain body."""
    disconnect: bool = False
    """After the chunks, the connection breaks instead of ending cleanly."""
    latency: float = 0.0
    """Seconds the client waits before the response starts (scripted)."""

    @property
    def streaming(self) -> bool:
        """True for a server-sent-event stream."""
        return self.chunks is not None

    def header(self, name: str) -> str | None:
        """Return the first value of a header, case-insensitively."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)

    def iter_bytes(self) -> Iterator[bytes]:
        """Yield the body: the whole of it, or the stream's chunks."""
        if self.chunks is None:
            yield self.body
        else:
            yield from self.chunks

    def content(self) -> bytes:
        """Return the whole body, streams included."""
        return b"".join(self.iter_bytes())

    def json(self) -> Any:
        """Return the body read as JSON."""
        return json.loads(self.content())


def sse_data(data: object) -> bytes:
    """Return one `data:` event (the chat and FIM stream format)."""
    text = data if isinstance(data, str) else json_bytes(data).decode()
    return f"data: {text}\n\n".encode()


def sse_event(event: str, data: object) -> bytes:
    """Return one named event (the conversation and transcription formats)."""
    return f"event: {event}\ndata: {json_bytes(data).decode()}\n\n".encode()


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart form."""

    filename: str
    content: bytes
    content_type: str


@dataclass
class FormData:
    """A multipart form: text fields and file parts, each repeatable."""

    fields: dict[str, list[str]] = field(default_factory=dict[str, list[str]])
    files: dict[str, list[UploadedFile]] = field(
        default_factory=dict[str, list[UploadedFile]]
    )


def parse_multipart(content_type: str, body: bytes) -> FormData | None:
    """Return the parts of a `multipart/form-data` body; None if unreadable."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return None
    form = FormData()
    parts: Sequence[Message] = message.get_payload()  # type: ignore[assignment]
    for part in parts:
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            form.fields.setdefault(name, []).append(data.decode("utf-8", "replace"))
        else:
            upload = UploadedFile(
                filename, data, part.get_content_type() or "application/octet-stream"
            )
            form.files.setdefault(name, []).append(upload)
    return form


def encode_form(fields: Mapping[str, object]) -> tuple[bytes, str]:
    """Return `(body, content_type)` of a multipart form of text fields.

    Lists become repeated fields; other values their JSON text unless strings.
    """
    boundary = "emulator-form-boundary"
    chunks: list[bytes] = []
    for name, value in fields.items():
        values = cast("list[object]", value) if isinstance(value, list) else [value]
        for item in values:
            text = item if isinstance(item, str) else json.dumps(item)
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                f"\r\n\r\n{text}\r\n".encode()
            )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"

"""Builders for test payloads, tiny models, and a hand-written resource pair.

The resource classes below have the shape the generator emits (see
`tools/codegen/emit_resources.py`), so the core can be tested without the
generated `mistral_sdk.resources` modules.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, Final

import httpx2
import pydantic
from typing_extensions import Unpack

from mistral_sdk import (
    APIResponse,
    AsyncAPIResponse,
    AsyncBinaryResponse,
    AsyncMistral,
    AsyncPage,
    AsyncPaginator,
    AsyncStream,
    AsyncStreamManager,
    BinaryResponse,
    Mistral,
    Stream,
    SyncPage,
)
from mistral_sdk._resource import (
    AsyncResource,
    AsyncStreamedMethod,
    Operation,
    StreamedMethod,
    StreamingResponseWrapper,
    SyncResource,
)
from mistral_sdk._types import NOT_GIVEN, FileInput, NotGiven, RequestOptions

API_KEY: Final = "sk-test-0123456789abcdefSECRET"


# ------------------------------------------------------------------ tiny models
class Message(pydantic.BaseModel):
    role: str
    content: str | None = None


class Choice(pydantic.BaseModel):
    index: int
    message: Message
    finish_reason: str | None = None


class Completion(pydantic.BaseModel):
    id: str
    model: str
    choices: builtins.list[Choice]


class Delta(pydantic.BaseModel):
    content: str | None = None


class ChunkChoice(pydantic.BaseModel):
    index: int
    delta: Delta


class Chunk(pydantic.BaseModel):
    id: str
    choices: builtins.list[ChunkChoice]


class CompletionRequest(pydantic.BaseModel):
    model: str
    messages: builtins.list[Message]
    temperature: float | None = None
    stream: bool = False


class Item(pydantic.BaseModel):
    id: str


class ItemList(pydantic.BaseModel):
    data: builtins.list[Item]
    total: int | None = None


class Uploaded(pydantic.BaseModel):
    id: str
    filename: str


# ------------------------------------------------------------------ payloads
def completion(content: str = "Hello!", ident: str = "cmpl-1") -> dict[str, Any]:
    return {
        "id": ident,
        "model": "mistral-small-latest",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
    }


def chunk(content: str, ident: str = "cmpl-1") -> dict[str, Any]:
    return {"id": ident, "choices": [{"index": 0, "delta": {"content": content}}]}


def items(*ids: str, total: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"data": [{"id": i} for i in ids]}
    if total is not None:
        body["total"] = total
    return body


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


# ------------------------------------------------------------------ resources
_COMPLETE: Final = Operation[Completion](
    "POST",
    "/v1/chat/completions",
    Completion,
    body_model=CompletionRequest,
    hidden={"stream": False},
    operation_id="chat_completion",
)
_STREAM: Final = Operation[Chunk](
    "POST",
    "/v1/chat/completions",
    Chunk,
    body_model=CompletionRequest,
    hidden={"stream": True},
    operation_id="chat_completion",
)
_LIST: Final = Operation[ItemList](
    "GET", "/v1/items", ItemList, items="data", operation_id="list_items"
)
_LIST_ARRAY: Final = Operation[builtins.list[Item]](
    "GET", "/v1/things", builtins.list[Item], items="", operation_id="list_things"
)
_DELETE: Final = Operation[None](
    "DELETE", "/v1/items/{item_id}", None, operation_id="delete_item"
)
_DOWNLOAD: Final = Operation[None](
    "GET", "/v1/files/{file_id}/content", None, operation_id="download"
)
_UPLOAD: Final = Operation[Uploaded](
    "POST", "/v1/files", Uploaded, multipart=True, operation_id="upload"
)


class Chat(SyncResource):
    """A hand-written resource with the generated shape."""

    _operation_ids: ClassVar[Mapping[str, str]] = {"complete": "chat_completion"}

    @cached_property
    def with_raw_response(self) -> ChatWithRawResponse:
        return ChatWithRawResponse(self._transport)

    @cached_property
    def with_streaming_response(self) -> ChatWithStreamingResponse:
        return ChatWithStreamingResponse(
            ChatWithRawResponse(self._transport, unread=True)
        )

    def complete(
        self,
        *,
        model: str,
        messages: Sequence[Message | Mapping[str, Any]],
        temperature: float | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Completion:
        """Create a chat completion."""
        body = {"model": model, "messages": messages, "temperature": temperature}
        return self._json(_COMPLETE, body=body, options=options).parse()

    def stream(
        self,
        *,
        model: str,
        messages: Sequence[Message | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> Stream[Chunk]:
        body = {"model": model, "messages": messages}
        return self._stream(_STREAM, body=body, options=options).parse()

    def list(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Item, ItemList]:
        query = {"page": page, "page_size": page_size}
        return self._page(_LIST, query=query, options=options).parse()

    def list_things(
        self,
        *,
        page_size: int | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> SyncPage[Item, builtins.list[Item]]:
        query = {"page_size": page_size}
        return self._page(_LIST_ARRAY, query=query, options=options).parse()

    def delete(self, item_id: str, **options: Unpack[RequestOptions]) -> None:
        path = {"item_id": item_id}
        return self._json(_DELETE, path=path, options=options).parse()

    def download(
        self, file_id: str, **options: Unpack[RequestOptions]
    ) -> BinaryResponse:
        path = {"file_id": file_id}
        return self._binary(_DOWNLOAD, path=path, options=options).parse()

    def upload(
        self,
        *,
        file: FileInput,
        purpose: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Uploaded:
        return self._json(
            _UPLOAD, body={"purpose": purpose}, files={"file": file}, options=options
        ).parse()


class ChatWithRawResponse(SyncResource):
    def complete(
        self,
        *,
        model: str,
        messages: Sequence[Message | Mapping[str, Any]],
        temperature: float | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> APIResponse[Completion]:
        body = {"model": model, "messages": messages, "temperature": temperature}
        return self._json(_COMPLETE, body=body, options=options)

    def stream(
        self,
        *,
        model: str,
        messages: Sequence[Message | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> APIResponse[Stream[Chunk]]:
        body = {"model": model, "messages": messages}
        return self._stream(_STREAM, body=body, options=options)

    def list(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> APIResponse[SyncPage[Item, ItemList]]:
        query = {"page": page, "page_size": page_size}
        return self._page(_LIST, query=query, options=options)

    def download(
        self, file_id: str, **options: Unpack[RequestOptions]
    ) -> APIResponse[BinaryResponse]:
        return self._binary(_DOWNLOAD, path={"file_id": file_id}, options=options)


class ChatWithStreamingResponse(StreamingResponseWrapper):
    complete = StreamedMethod(ChatWithRawResponse.complete)
    stream = StreamedMethod(ChatWithRawResponse.stream)
    list = StreamedMethod(ChatWithRawResponse.list)
    download = StreamedMethod(ChatWithRawResponse.download)


class AsyncChat(AsyncResource):
    """The async twin of `Chat`."""

    _operation_ids: ClassVar[Mapping[str, str]] = {"complete": "chat_completion"}

    @cached_property
    def with_raw_response(self) -> AsyncChatWithRawResponse:
        return AsyncChatWithRawResponse(self._transport)

    @cached_property
    def with_streaming_response(self) -> AsyncChatWithStreamingResponse:
        return AsyncChatWithStreamingResponse(
            AsyncChatWithRawResponse(self._transport, unread=True)
        )

    async def complete(
        self,
        *,
        model: str,
        messages: Sequence[Message | Mapping[str, Any]],
        temperature: float | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Completion:
        """Create a chat completion."""
        body = {"model": model, "messages": messages, "temperature": temperature}
        return await (await self._json(_COMPLETE, body=body, options=options)).parse()

    def stream(
        self,
        *,
        model: str,
        messages: Sequence[Message | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> AsyncStreamManager[AsyncStream[Chunk]]:
        body = {"model": model, "messages": messages}
        return AsyncStreamManager(
            lambda: self._stream(_STREAM, body=body, options=options)
        )

    def list(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Item, ItemList]:
        query = {"page": page, "page_size": page_size}
        return AsyncPaginator(lambda: self._page(_LIST, query=query, options=options))

    def list_things(
        self,
        *,
        page_size: int | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncPaginator[Item, builtins.list[Item]]:
        query = {"page_size": page_size}
        return AsyncPaginator(
            lambda: self._page(_LIST_ARRAY, query=query, options=options)
        )

    async def delete(self, item_id: str, **options: Unpack[RequestOptions]) -> None:
        path = {"item_id": item_id}
        return await (await self._json(_DELETE, path=path, options=options)).parse()

    async def download(
        self, file_id: str, **options: Unpack[RequestOptions]
    ) -> AsyncBinaryResponse:
        path = {"file_id": file_id}
        return await (await self._binary(_DOWNLOAD, path=path, options=options)).parse()

    async def upload(
        self,
        *,
        file: FileInput,
        purpose: str | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> Uploaded:
        response = await self._json(
            _UPLOAD, body={"purpose": purpose}, files={"file": file}, options=options
        )
        return await response.parse()


class AsyncChatWithRawResponse(AsyncResource):
    async def complete(
        self,
        *,
        model: str,
        messages: Sequence[Message | Mapping[str, Any]],
        temperature: float | NotGiven | None = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncAPIResponse[Completion]:
        body = {"model": model, "messages": messages, "temperature": temperature}
        return await self._json(_COMPLETE, body=body, options=options)

    async def stream(
        self,
        *,
        model: str,
        messages: Sequence[Message | Mapping[str, Any]],
        **options: Unpack[RequestOptions],
    ) -> AsyncAPIResponse[AsyncStream[Chunk]]:
        body = {"model": model, "messages": messages}
        return await self._stream(_STREAM, body=body, options=options)

    async def list(
        self,
        *,
        page: int | NotGiven = NOT_GIVEN,
        page_size: int | NotGiven = NOT_GIVEN,
        **options: Unpack[RequestOptions],
    ) -> AsyncAPIResponse[AsyncPage[Item, ItemList]]:
        query = {"page": page, "page_size": page_size}
        return await self._page(_LIST, query=query, options=options)

    async def download(
        self, file_id: str, **options: Unpack[RequestOptions]
    ) -> AsyncAPIResponse[AsyncBinaryResponse]:
        path = {"file_id": file_id}
        return await self._binary(_DOWNLOAD, path=path, options=options)


class AsyncChatWithStreamingResponse(StreamingResponseWrapper):
    complete = AsyncStreamedMethod(AsyncChatWithRawResponse.complete)
    stream = AsyncStreamedMethod(AsyncChatWithRawResponse.stream)
    list = AsyncStreamedMethod(AsyncChatWithRawResponse.list)
    download = AsyncStreamedMethod(AsyncChatWithRawResponse.download)


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

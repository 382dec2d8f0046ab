"""`AsyncResource`: what generated resource classes are written against.

A generated method is one call to `_json`, `_stream`, `_page` or `_binary` with a
module-level `Operation` and the caller's arguments (for `_binary`, also the
`Accept` header: the spec's media types of the file); each returns an
`AsyncAPIResponse` whose `parse()` gives the method's result. The
`...WithRawResponse` classes are resources too: their methods return that
response itself. Built with `unread=True` (what `with_streaming_response` does),
they leave every body unread until asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2

from mistral_sdk._async._files import AsyncBinaryResponse
from mistral_sdk._async._pagination import AsyncPage
from mistral_sdk._async._response import AsyncAPIResponse, hold
from mistral_sdk._async._streaming import (
    AsyncCompletionStream,
    AsyncConversationStream,
    AsyncStream,
)
from mistral_sdk._async._transport import AsyncTransport
from mistral_sdk._operation import Operation, decode_body, page_start, uploads
from mistral_sdk._pagination import page_query
from mistral_sdk._request import build_request
from mistral_sdk._types import RequestOptions

__all__ = ["AsyncResource"]

if TYPE_CHECKING:
    from mistral_sdk.types.common_completions import CompletionChunk
    from mistral_sdk.types.conversation_events import ConversationEvent

T = TypeVar("T")
S = TypeVar("S", bound="AsyncStream[Any]")

_JSON = "application/json"
_EVENTS = "text/event-stream"
_ANY = "*/*"

_Query = Mapping[str, object]
_Path = Mapping[str, object] | None


class AsyncResource:
    """Base of the generated resource classes of this flavour.

    Args:
        transport: Sends the requests.
        unread: Hand responses out before reading their bodies (the
            `with_streaming_response` views).
    """

    def __init__(self, transport: AsyncTransport, *, unread: bool = False) -> None:
        self._transport = transport
        self._unread = unread

    async def _send(
        self,
        op: Operation[Any],
        path: _Path,
        query: _Query | None,
        body: _Query | None,
        files: _Query | None,
        options: RequestOptions,
        accept: str = _JSON,
        stream: bool = False,
    ) -> httpx2.Response:
        config = self._transport.config
        # Files opened from paths stay open until the request body has been sent.
        with ExitStack() as stack:
            parts = build_request(
                config, op, path=path, query=query, body=body,
                files=uploads(files, stack), options=options, accept=accept,
            )  # fmt: skip
            return await self._transport.send(parts, stream=stream)

    async def _json(
        self,
        op: Operation[T],
        *,
        path: _Path = None,
        query: _Query | None = None,
        body: _Query | None = None,
        files: _Query | None = None,
        options: RequestOptions,
    ) -> AsyncAPIResponse[T]:
        unread = self._unread
        response = await self._send(
            op, path, query, body, files, options, _JSON, unread
        )
        strict = self._transport.config.strict
        return AsyncAPIResponse(
            response,
            lambda read: decode_body(op, read, strict),
            reads_body=True,
            guard=await hold(response) if unread else None,
        )

    async def _stream(
        self,
        op: Operation[T],
        *,
        path: _Path = None,
        query: _Query | None = None,
        body: _Query | None = None,
        files: _Query | None = None,
        options: RequestOptions,
    ) -> AsyncAPIResponse[AsyncStream[T]]:
        return await self._open(AsyncStream, op, path, query, body, files, options)

    async def _completion_stream(
        self,
        op: Operation[CompletionChunk],
        *,
        path: _Path = None,
        query: _Query | None = None,
        body: _Query | None = None,
        files: _Query | None = None,
        options: RequestOptions,
    ) -> AsyncAPIResponse[AsyncCompletionStream]:
        return await self._open(
            AsyncCompletionStream, op, path, query, body, files, options
        )

    async def _conversation_stream(
        self,
        op: Operation[ConversationEvent],
        *,
        path: _Path = None,
        query: _Query | None = None,
        body: _Query | None = None,
        files: _Query | None = None,
        options: RequestOptions,
    ) -> AsyncAPIResponse[AsyncConversationStream]:
        return await self._open(
            AsyncConversationStream, op, path, query, body, files, options
        )

    async def _open(
        self,
        kind: type[S],
        op: Operation[Any],
        path: _Path,
        query: _Query | None,
        body: _Query | None,
        files: _Query | None,
        options: RequestOptions,
    ) -> AsyncAPIResponse[S]:
        response = await self._send(
            op, path, query, body, files, options, _EVENTS, True
        )
        strict, cast_to = self._transport.config.strict, op.cast_to
        guard = await hold(response)
        return AsyncAPIResponse(
            response,
            lambda held: kind(held, cast_to=cast_to, strict=strict, guard=guard),
            reads_body=False,
            guard=guard,
        )

    async def _page(
        self,
        op: Operation[T],
        *,
        path: _Path = None,
        query: _Query | None = None,
        body: _Query | None = None,
        options: RequestOptions,
    ) -> AsyncAPIResponse[AsyncPage[Any, T]]:
        args, extra = page_query(query, options.get("extra_query"), op.paging)
        options = {**options, "extra_query": extra}
        unread = self._unread
        response = await self._send(op, path, args, body, None, options, _JSON, unread)
        return AsyncAPIResponse(
            response,
            lambda read: self._make_page(op, path, args, body, options, read, -1),
            reads_body=True,
            guard=await hold(response) if unread else None,
        )

    def _make_page(
        self,
        op: Operation[T],
        path: _Path,
        query: _Query,
        payload: _Query | None,
        options: RequestOptions,
        response: httpx2.Response,
        offset: int,
    ) -> AsyncPage[Any, T]:
        strict = self._transport.config.strict
        body, items, start = page_start(op, response, strict, query, offset)

        async def fetch(next_query: _Query, next_offset: int) -> AsyncPage[Any, T]:
            # Later pages are always read whole, whatever the first one was; a list
            # searched by a POST body sends the same body with every page.
            next_response = await self._send(
                op, path, next_query, payload, None, options
            )
            return self._make_page(
                op, path, next_query, payload, options, next_response, next_offset
            )

        return AsyncPage(
            body, items, query=query, offset=start, fetch=fetch, paging=op.paging
        )

    async def _binary(
        self,
        op: Operation[Any],
        *,
        path: _Path = None,
        query: _Query | None = None,
        accept: str = _ANY,
        options: RequestOptions,
    ) -> AsyncAPIResponse[AsyncBinaryResponse]:
        # `accept` names the media types the spec promises (generated per
        # operation), so a server negotiating by it sends the file, not JSON.
        response = await self._send(op, path, query, None, None, options, accept, True)
        guard = await hold(response)
        return AsyncAPIResponse(
            response,
            lambda held: AsyncBinaryResponse(held, guard=guard),
            reads_body=False,
            guard=guard,
        )

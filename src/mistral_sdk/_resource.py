"""What generated resource classes are written against.

A generated method is one line calling `_json`, `_stream`, `_page` or `_binary`
with a module-level `Operation` (route, types, fixed body fields) and the caller's
arguments. The `...WithRawResponse` classes reuse those methods unchanged: their
`raw_method` descriptors call them on a copy of the resource in raw mode, where
the four helpers return a `RawResponse` whose `parse()` gives the normal result.
The descriptors live in `_response`, beside `RawResponse`; they are re-exported
here because generated code imports everything it needs from this module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Generic, TypeVar, cast

import httpx2

from ._files import AsyncBinaryResponse, BinaryResponse, open_upload
from ._pagination import (
    AsyncPage,
    AsyncPaginator,
    Paging,
    SyncPage,
    first_offset,
    items_of,
    page_query,
)
from ._request import FilePart, build_request
from ._response import (
    RawResponse,
    RawResponseWrapper,
    async_raw_method,
    parse_response,
    raw_method,
)
from ._streaming import AsyncStream, Stream
from ._transport import AsyncTransport, SyncTransport
from ._types import NotGiven, RequestOptions

__all__ = [
    "AsyncResource",
    "Operation",
    "Paging",
    "RawResponseWrapper",
    "SyncResource",
    "async_raw_method",
    "raw_method",
]

T = TypeVar("T")
R = TypeVar("R")

_JSON = "application/json"
_EVENTS = "text/event-stream"
_ANY = "*/*"


# No slots: a slotted frozen dataclass is a new class whose `__setattr__` still
# points at the old one, so `Operation[X](...)` (typing then sets
# `__orig_class__`) raises TypeError instead of the expected AttributeError.
@dataclass(frozen=True)
class Operation(Generic[T]):
    """One operation of the spec, as generated code calls it.

    Attributes:
        method: "GET", "POST", ...
        path: The route template, e.g. "/v1/files/{file_id}".
        cast_to: The runtime type of the result, event or page; None for no body.
        body_model: The model validating a JSON body, or None.
        multipart: The body is multipart/form-data (`files=` holds the file parts).
        hidden: Body fields the method fixes, e.g. `{"stream": True}`.
        json_query: Query parameters sent as JSON strings.
        items: Page operations: the attribute holding the items; "" = a JSON array.
        operation_id: The spec's operationId.
        paging: Page operations: how pages are selected (page numbers by default).
    """

    method: str
    path: str
    cast_to: Any
    body_model: Any = None
    multipart: bool = False
    hidden: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    json_query: frozenset[str] = frozenset()
    items: str | None = None
    operation_id: str = ""
    paging: Paging = field(default_factory=Paging)


def _uploads(
    files: Mapping[str, object] | None, stack: ExitStack
) -> list[tuple[str, FilePart]]:
    parts: list[tuple[str, FilePart]] = []
    for name, value in (files or {}).items():
        if value is None or isinstance(value, NotGiven):
            continue
        values = cast("list[object]", value) if isinstance(value, list) else [value]
        parts.extend((name, open_upload(item, stack)) for item in values)
    return parts


def _body(op: Operation[T], response: httpx2.Response, strict: bool) -> T:
    # An empty body where one was due is a spec departure: lenient mode reads it
    # as None, strict mode lets `parse_response` report it.
    empty = not response.content and not strict
    if op.cast_to is None or response.status_code == 204 or empty:
        return cast("T", None)
    value = parse_response(
        op.cast_to, response.content, strict=strict, response=response
    )
    return cast("T", value)


def _finish(raw: bool, response: httpx2.Response, parse: Callable[[], R]) -> R:
    # Raw mode hands back the response with the parse deferred; the declared
    # return type is the parsed one, which the raw_method descriptors undo.
    return cast("R", RawResponse(response, parse)) if raw else parse()


def _page_start(
    op: Operation[T],
    response: httpx2.Response,
    strict: bool,
    query: _Query,
    offset: int,
) -> tuple[T, list[Any], int]:
    page = _body(op, response, strict)
    items = items_of(page, op.items or "")
    return page, items, first_offset(query, len(items)) if offset < 0 else offset


_Query = Mapping[str, object]
_Path = Mapping[str, object] | None


class SyncResource:
    """Base of the generated sync resource classes."""

    _raw = False

    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    def _send(
        self,
        op: Operation[Any],
        path: _Path,
        query: _Query | None,
        body: _Query | None,
        files: _Query | None,
        options: RequestOptions,
        accept: str = _JSON,
    ) -> httpx2.Response:
        config = self._transport.config
        # Files opened from paths stay open until the request body has been sent.
        with ExitStack() as stack:
            uploads = _uploads(files, stack)
            parts = build_request(
                config, op, path=path, query=query, body=body, files=uploads,
                options=options, accept=accept,
            )  # fmt: skip
            # Only JSON bodies are read whole; events and downloads stream.
            return self._transport.send(parts, stream=accept != _JSON)

    def _json(
        self,
        op: Operation[T],
        *,
        path: _Path = None,
        query: _Query | None = None,
        body: _Query | None = None,
        files: _Query | None = None,
        options: RequestOptions,
    ) -> T:
        response = self._send(op, path, query, body, files, options)
        strict = self._transport.config.strict
        return _finish(self._raw, response, lambda: _body(op, response, strict))

    def _stream(
        self,
        op: Operation[T],
        *,
        path: _Path = None,
        query: _Query | None = None,
        body: _Query | None = None,
        files: _Query | None = None,
        options: RequestOptions,
    ) -> Stream[T]:
        response = self._send(op, path, query, body, files, options, _EVENTS)
        strict, cast_to = self._transport.config.strict, op.cast_to
        return _finish(
            self._raw,
            response,
            lambda: Stream(response, cast_to=cast_to, strict=strict),
        )

    def _page(
        self,
        op: Operation[T],
        *,
        path: _Path = None,
        query: _Query | None = None,
        body: _Query | None = None,
        options: RequestOptions,
    ) -> SyncPage[Any, T]:
        args, extra = page_query(query, options.get("extra_query"))
        options = {**options, "extra_query": extra}
        response = self._send(op, path, args, body, None, options)
        return _finish(
            self._raw,
            response,
            lambda: self._make_page(op, path, args, body, options, response, -1),
        )

    def _make_page(
        self,
        op: Operation[T],
        path: _Path,
        query: _Query,
        body: _Query | None,
        options: RequestOptions,
        response: httpx2.Response,
        offset: int,
    ) -> SyncPage[Any, T]:
        strict = self._transport.config.strict
        page, items, start = _page_start(op, response, strict, query, offset)

        def fetch(next_query: _Query, next_offset: int) -> SyncPage[Any, T]:
            next_response = self._send(op, path, next_query, body, None, options)
            return self._make_page(
                op, path, next_query, body, options, next_response, next_offset
            )

        return SyncPage(
            page, items, query=query, offset=start, fetch=fetch, paging=op.paging
        )

    def _binary(
        self,
        op: Operation[Any],
        *,
        path: _Path = None,
        query: _Query | None = None,
        options: RequestOptions,
    ) -> BinaryResponse:
        response = self._send(op, path, query, None, None, options, _ANY)
        return _finish(self._raw, response, lambda: BinaryResponse(response))


class AsyncResource:
    """Base of the generated async resource classes."""

    _raw = False

    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    async def _send(
        self,
        op: Operation[Any],
        path: _Path,
        query: _Query | None,
        body: _Query | None,
        files: _Query | None,
        options: RequestOptions,
        accept: str = _JSON,
    ) -> httpx2.Response:
        config = self._transport.config
        # Files opened from paths stay open until the request body has been sent.
        with ExitStack() as stack:
            uploads = _uploads(files, stack)
            parts = build_request(
                config, op, path=path, query=query, body=body, files=uploads,
                options=options, accept=accept,
            )  # fmt: skip
            # Only JSON bodies are read whole; events and downloads stream.
            return await self._transport.send(parts, stream=accept != _JSON)

    async def _json(
        self,
        op: Operation[T],
        *,
        path: _Path = None,
        query: _Query | None = None,
        body: _Query | None = None,
        files: _Query | None = None,
        options: RequestOptions,
    ) -> T:
        response = await self._send(op, path, query, body, files, options)
        strict = self._transport.config.strict
        return _finish(self._raw, response, lambda: _body(op, response, strict))

    async def _stream(
        self,
        op: Operation[T],
        *,
        path: _Path = None,
        query: _Query | None = None,
        body: _Query | None = None,
        files: _Query | None = None,
        options: RequestOptions,
    ) -> AsyncStream[T]:
        response = await self._send(op, path, query, body, files, options, _EVENTS)
        strict, cast_to = self._transport.config.strict, op.cast_to
        return _finish(
            self._raw,
            response,
            lambda: AsyncStream(response, cast_to=cast_to, strict=strict),
        )

    def _page(
        self,
        op: Operation[T],
        *,
        path: _Path = None,
        query: _Query | None = None,
        body: _Query | None = None,
        options: RequestOptions,
    ) -> AsyncPaginator[Any, T]:
        args, extra = page_query(query, options.get("extra_query"))
        options = {**options, "extra_query": extra}

        async def first() -> AsyncPage[Any, T]:
            response = await self._send(op, path, args, body, None, options)
            return _finish(
                self._raw,
                response,
                lambda: self._make_page(op, path, args, body, options, response, -1),
            )

        # Raw mode: a coroutine of the RawResponse, awaited by `async_raw_method`.
        return (
            cast("AsyncPaginator[Any, T]", first())
            if self._raw
            else AsyncPaginator(first)
        )

    def _make_page(
        self,
        op: Operation[T],
        path: _Path,
        query: _Query,
        body: _Query | None,
        options: RequestOptions,
        response: httpx2.Response,
        offset: int,
    ) -> AsyncPage[Any, T]:
        strict = self._transport.config.strict
        page, items, start = _page_start(op, response, strict, query, offset)

        async def fetch(next_query: _Query, next_offset: int) -> AsyncPage[Any, T]:
            next_response = await self._send(op, path, next_query, body, None, options)
            return self._make_page(
                op, path, next_query, body, options, next_response, next_offset
            )

        return AsyncPage(
            page, items, query=query, offset=start, fetch=fetch, paging=op.paging
        )

    async def _binary(
        self,
        op: Operation[Any],
        *,
        path: _Path = None,
        query: _Query | None = None,
        options: RequestOptions,
    ) -> AsyncBinaryResponse:
        response = await self._send(op, path, query, None, None, options, _ANY)
        return _finish(self._raw, response, lambda: AsyncBinaryResponse(response))

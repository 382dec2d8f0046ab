"""What a generated method hands the core: `Operation`, and the sans-IO steps around it.

An `Operation` is a module-level constant of generated code (route, types, fixed
body fields, paging). The functions here open uploads and turn response bodies
into values; the resource twins (`_async/_resource.py`) only send and read.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Generic, TypeVar, cast

import httpx2

from ._errors import ResponseDecodeError
from ._files import open_upload
from ._pagination import PAGE_NUMBERS, Paging, first_offset, items_of
from ._request import FilePart
from ._response import parse_response
from ._types import NotGiven

__all__ = ["Operation", "decode_body", "page_start", "uploads"]

T = TypeVar("T")


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
        paging: Page operations: how pages are selected.
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
    paging: Paging = PAGE_NUMBERS


def uploads(
    files: Mapping[str, object] | None, stack: ExitStack
) -> list[tuple[str, FilePart]]:
    """Return the multipart file parts of `files`; `stack` closes what was opened."""
    parts: list[tuple[str, FilePart]] = []
    for name, value in (files or {}).items():
        if value is None or isinstance(value, NotGiven):
            continue
        values = cast("list[object]", value) if isinstance(value, list) else [value]
        parts.extend((name, open_upload(item, stack)) for item in values)
    return parts


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)


def decode_body(op: Operation[T], response: httpx2.Response, strict: bool) -> T:
    """Return the value of a read response body: None when the operation has none.

    Raises:
        ResponseDecodeError: The body is empty or not JSON where JSON is promised
            (in lenient mode too: there is nothing to read leniently).
        ResponseValidationError: Strict mode, and the body departs from the spec.
    """
    if op.cast_to is None:
        return cast("T", None)
    content = response.content
    if response.status_code == 204 or not content.strip():
        # No operation of the spec answers both JSON and 204: a 204 (or an
        # empty 2xx) where a model is promised must not pass as None.
        got = "204 No Content" if response.status_code == 204 else "an empty body"
        raise ResponseDecodeError(
            f"expected a JSON {_type_name(op.cast_to)}, got {got}",
            status_code=response.status_code,
            body="",
            response=response,
        )
    value = parse_response(op.cast_to, content, strict=strict, response=response)
    return cast("T", value)


def page_start(
    op: Operation[Any],
    response: httpx2.Response,
    strict: bool,
    query: Mapping[str, object],
    offset: int,
) -> tuple[Any, list[Any], int]:
    """Return a page's body, its items and the count of items before it.

    `offset` < 0 means the first fetched page: its offset comes from the query.
    """
    body = decode_body(op, response, strict)
    items = items_of(body, op.items or "")
    if offset < 0:
        offset = first_offset(query, len(items), op.paging)
    return body, items, offset

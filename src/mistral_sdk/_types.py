"""Small shared types: the NOT_GIVEN sentinel, per-call options and input aliases."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, Final, Literal, TypeAlias

from typing_extensions import TypedDict, override

if TYPE_CHECKING:
    import httpx2

__all__ = [
    "NOT_GIVEN",
    "FileContent",
    "FileInput",
    "HeadersInput",
    "NotGiven",
    "QueryInput",
    "RequestOptions",
    "TimeoutInput",
]


class NotGiven:
    """The type of `NOT_GIVEN`: marks a parameter the caller did not pass.

    `None` cannot play this role because several API fields accept an explicit
    `null`; a field left `NOT_GIVEN` is omitted from the request instead.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        # One instance, so `is NOT_GIVEN` checks hold even after copy/pickle.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __reduce__(self) -> str:
        return "NOT_GIVEN"

    @override
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()
"""Sentinel default of optional parameters: the field is left out of the request."""

TimeoutInput: TypeAlias = "float | httpx2.Timeout | None"
"""A timeout in seconds, an `httpx2.Timeout`, or `None` for no timeout."""

HeadersInput: TypeAlias = Mapping[str, str]
"""Extra HTTP headers; a value of `""` is sent as is."""

QueryInput: TypeAlias = Mapping[str, object]
"""Extra query parameters, added to the URL after the operation's own."""

FileContent: TypeAlias = bytes | IO[bytes]
"""The bytes of an upload, or a binary file object to read them from."""

FileInput: TypeAlias = (
    str
    | os.PathLike[str]
    | bytes
    | IO[bytes]
    | tuple[str | None, FileContent]
    | tuple[str | None, FileContent, str | None]
)
"""An upload: a path, bytes, a binary file object or `(filename, content[, mime])`."""


class RequestOptions(TypedDict, total=False, closed=True):
    """Per-call options accepted by every method as keyword arguments.

    Attributes:
        timeout: Overrides the client's timeout for this call (seconds or
            `httpx2.Timeout`; `None` disables it).
        max_retries: Overrides the client's retry budget for this call.
        extra_headers: Headers added to (or replacing) the request's headers.
        extra_query: Query parameters added to the request's URL.
        extra_body: JSON fields merged into the request body at top level; use
            it for fields the API gained after this SDK was generated.
    """

    timeout: TimeoutInput
    max_retries: int
    extra_headers: HeadersInput
    extra_query: QueryInput
    extra_body: Mapping[str, Any]

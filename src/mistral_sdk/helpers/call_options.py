"""The per-call options `complete_many` / `create_many` take for every request."""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import TypedDict

from mistral_sdk._types import HeadersInput, QueryInput, TimeoutInput

__all__ = ["ManyRequestOptions"]


class ManyRequestOptions(TypedDict, total=False):
    """The per-call options of `complete_many` / `create_many`, for every request.

    `max_retries` is not here: those helpers take it as a parameter of their
    own, with their own retry rules (see `complete_many`).

    Attributes:
        timeout: Overrides the client's timeout for each request (seconds or
            `httpx2.Timeout`; `None` disables it).
        extra_headers: Headers added to (or replacing) each request's headers.
        extra_query: Query parameters added to each request's URL.
        extra_body: JSON fields merged into each request body at top level
            (a field the request sets itself keeps the request's value).
    """

    timeout: TimeoutInput
    extra_headers: HeadersInput
    extra_query: QueryInput
    extra_body: Mapping[str, object]

"""Response bodies to values, and response metadata (sans-IO).

`parse_response` is shared by JSON responses and by stream events: the fast path
is one pydantic `validate_json` call; only a body that fails it is decoded again,
to tell invalid JSON from a spec departure, and read leniently unless strict.

`ResponseInfo` is the I/O-free half of `APIResponse` / `AsyncAPIResponse`
(`_async/_response.py`): status, headers, request id, rate limit. A response
whose body is left unread is held by a guard, a generator suspended in a
`try`/`finally` that closes the response: dropped unread, the generator is
finalized (by the event loop's async-generator hook on the async side), so the
connection goes back to the pool instead of being held forever.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import AsyncGenerator, Generator, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeAlias, TypeVar

import httpx2

from ._errors import (
    ResponseDecodeError,
    ResponseValidationError,
    format_detail,
    request_id_of,
)
from ._logging import warn_once

__all__ = [
    "UNSET",
    "AsyncGen",
    "AsyncGuard",
    "HeldResponse",
    "RateLimit",
    "ResponseInfo",
    "StreamingResponseWrapper",
    "SyncGen",
    "SyncGuard",
    "header_number",
    "parse_response",
    "rate_limit_headers",
    "rate_limit_of",
]

T = TypeVar("T")

AsyncGen: TypeAlias = AsyncGenerator[T, None]
"""An async generator of `T` (the spelling the sync twin turns into `SyncGen`)."""
SyncGen: TypeAlias = Generator[T, None, None]
"""A generator of `T`."""
AsyncGuard: TypeAlias = AsyncGenerator[None, None]
"""Holds an unread async response; see the module docstring."""
SyncGuard: TypeAlias = Generator[None, None, None]
"""Holds an unread sync response; see the module docstring."""

UNSET: Final[Any] = object()
"""Marks a value not computed yet (a parsed body, ...)."""
_PREFIXES: Final = ("x-ratelimit", "ratelimit")
_RAW_PREFIXES: Final = tuple(prefix.encode() for prefix in _PREFIXES)
# First header present wins. The summary `limit` / `remaining` / `reset` is
# a requests window: the IETF draft names, Mistral's current per-minute names
# (the API sends no reset header with them), Mistral's older names, OpenAI's
# request-count names, then the bare x- names.
_LIMIT: Final = (
    "ratelimit-limit",
    "x-ratelimit-limit-req-minute",
    "ratelimitbysize-limit",
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit",
)
_REMAINING: Final = (
    "ratelimit-remaining",
    "x-ratelimit-remaining-req-minute",
    "ratelimitbysize-remaining",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining",
)
_RESET: Final = (
    "ratelimit-reset",
    "ratelimitbysize-reset",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset",
)
# The tokens window: Mistral's per-minute one, then OpenAI's.
_LIMIT_TOKENS: Final = ("x-ratelimit-limit-tokens-minute", "x-ratelimit-limit-tokens")
_REMAINING_TOKENS: Final = (
    "x-ratelimit-remaining-tokens-minute",
    "x-ratelimit-remaining-tokens",
)
_QUERY_COST: Final = ("x-ratelimit-tokens-query-cost",)


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or repr(tp)


def parse_response(
    tp: Any,
    content: str | bytes,
    *,
    strict: bool,
    response: httpx2.Response | None = None,
) -> Any:
    """Parse a JSON body (or event data) as `tp`.

    Args:
        tp: The expected type: a model class or any type expression.
        content: The JSON text.
        strict: Raise on a spec departure instead of reading leniently.
        response: The response the content came from, for error details.

    Raises:
        ResponseDecodeError: `content` is not JSON.
        ResponseValidationError: Strict mode, and `content` departs from the spec.
    """
    from pydantic import ValidationError

    from ._model_base import validate_json

    try:
        return validate_json(tp, content)
    except ValidationError as exc:
        error = exc
    try:
        data = json.loads(content)
    except ValueError:
        text = (
            content.decode(errors="replace") if isinstance(content, bytes) else content
        )
        raise ResponseDecodeError(
            f"expected a JSON {_type_name(tp)}, got a body that is not JSON",
            status_code=200 if response is None else response.status_code,
            body=text,
            response=response,
        ) from error
    if strict:
        errors = error.errors(include_url=False, include_input=False)
        raise ResponseValidationError(
            f"response does not match {_type_name(tp)}: {format_detail(errors)}",
            errors=errors,
            body=content,
            response=response,
        ) from error
    from ._lenient import validate_lenient

    value, departures = validate_lenient(tp, data)
    for departure in departures:
        warn_once(
            f"{_type_name(tp)}:{departure.kind}:{departure.shape}",
            f"{_type_name(tp)} departs from the API spec at {departure.shape!r} "
            f"({departure.kind}: {departure.message}); the value is kept as received",
        )
    return value


# One step of a Go-style duration, as OpenAI sends resets (`6m0s`, `20ms`):
# "ms" is tried before "m", so `20ms` is not 20 minutes and a stray "s".
_DURATION_STEP: Final = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_UNIT_SECONDS: Final = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}


def header_number(value: str | None) -> float | None:
    """Return a rate-limit header's number, durations in seconds, or None.

    Plain numbers (`"59"`, `"0.5"`) are taken as they are; Go-style durations
    (`"1.5s"`, `"6m0s"`, `"20ms"`, `"1h2m3.5s"`) become seconds. Anything
    else, or a value that is not finite, is None; a negative value (a reset
    already past) is 0.
    """
    if value is None:
        return None
    text = value.strip()
    try:
        number: float | None = float(text)
    except ValueError:
        number = _duration_seconds(text)
    if number is None or not math.isfinite(number):
        return None
    return max(number, 0.0)


def _duration_seconds(text: str) -> float | None:
    sign = -1.0 if text.startswith("-") else 1.0
    body = text[1:] if text[:1] in "+-" else text
    total = 0.0
    position = 0
    for step in _DURATION_STEP.finditer(body):
        if step.start() != position:
            return None
        total += float(step.group(1)) * _UNIT_SECONDS[step.group(2)]
        position = step.end()
    if position == 0 or position != len(body):
        return None
    return sign * total


def _first(headers: Mapping[str, str], names: tuple[str, ...]) -> float | None:
    for name in names:
        number = header_number(headers.get(name))
        if number is not None:
            return number
    return None


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Rate-limit state reported by the API with a response.

    `limit` / `remaining` / `reset` summarise the requests window, from the
    first family present: the IETF draft `ratelimit-*`, Mistral's
    `x-ratelimit-*-req-minute` (what the API sends today, without a reset),
    Mistral's older `ratelimitbysize-*`, OpenAI's `x-ratelimit-*-requests`.
    The tokens-per-minute window (Mistral's `x-ratelimit-*-tokens-minute`, or
    OpenAI's `x-ratelimit-*-tokens`) has its own fields; the other windows
    (Mistral's tokens per month, ...) are in `headers`.

    Attributes:
        limit: The budget of the requests window.
        remaining: What is left of it.
        reset: Seconds until the window resets.
        headers: Every rate-limit header received, by lower-case name, for the
            windows and flavours not summarised here.
        limit_tokens: The budget of the tokens-per-minute window.
        remaining_tokens: What is left of it.
        query_cost: The tokens this request counted against the window.
    """

    limit: int | None
    remaining: int | None
    reset: float | None
    headers: Mapping[str, str]
    limit_tokens: int | None = None
    remaining_tokens: int | None = None
    query_cost: int | None = None


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def rate_limit_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Return the rate-limit headers in `headers` (any case) by lower-case name."""
    raw: list[tuple[bytes, bytes]] | None = getattr(headers, "raw", None)
    if raw is not None:
        # httpx2's headers: scan the raw pairs, so that only the rate-limit ones
        # are decoded (`items()` decodes every header; this runs on every
        # answer of a `complete_many`).
        return {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in raw
            if name.lower().startswith(_RAW_PREFIXES)
        }
    return {
        name.lower(): value
        for name, value in headers.items()
        if name.lower().startswith(_PREFIXES)
    }


def rate_limit_of(headers: Mapping[str, str]) -> RateLimit | None:
    """Return the rate-limit state in `headers` (any case), or None if there is none."""
    found = rate_limit_headers(headers)
    if not found:
        return None
    return RateLimit(
        limit=_int(_first(found, _LIMIT)),
        remaining=_int(_first(found, _REMAINING)),
        reset=_first(found, _RESET),
        headers=found,
        limit_tokens=_int(_first(found, _LIMIT_TOKENS)),
        remaining_tokens=_int(_first(found, _REMAINING_TOKENS)),
        query_cost=_int(_first(found, _QUERY_COST)),
    )


class HeldResponse:
    """Base of what hands out a response's body later: streams and downloads."""

    def __init__(self, response: httpx2.Response) -> None:
        self._response = response

    @property
    def response(self) -> httpx2.Response:
        """The HTTP response (its body may not have been read yet)."""
        return self._response

    @property
    def request_id(self) -> str | None:
        """The request id the API returned, if any."""
        return request_id_of(self._response.headers)


class ResponseInfo:
    """The metadata of a response: base of `APIResponse` and `AsyncAPIResponse`."""

    __slots__ = ("_response",)

    def __init__(self, response: httpx2.Response) -> None:
        self._response = response

    @property
    def http_response(self) -> httpx2.Response:
        """The underlying `httpx2.Response`."""
        return self._response

    @property
    def status_code(self) -> int:
        """The HTTP status code."""
        return self._response.status_code

    @property
    def headers(self) -> httpx2.Headers:
        """The response headers (case-insensitive)."""
        return self._response.headers

    @property
    def request_id(self) -> str | None:
        """The `mistral-correlation-id` (or `x-kong-request-id`) header, if any."""
        return request_id_of(self._response.headers)

    @property
    def rate_limit(self) -> RateLimit | None:
        """The rate-limit headers, parsed; None when the API sent none."""
        return rate_limit_of(self._response.headers)

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"<{name} [{self.status_code}] request_id={self.request_id!r}>"


class StreamingResponseWrapper:
    """Base of the generated `...WithStreamingResponse` classes.

    It holds a `...WithRawResponse` view built with `unread=True`; the
    `StreamedMethod` / `AsyncStreamedMethod` attributes of subclasses run that
    view's methods when their context manager is entered.
    """

    __slots__ = ("_view",)

    def __init__(self, view: object) -> None:
        self._view = view

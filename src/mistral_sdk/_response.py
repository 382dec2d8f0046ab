"""Response bodies to values, and the raw-response view with its metadata.

`parse_response` is shared by JSON responses and by stream events: the fast path
is one pydantic `validate_json` call; only a body that fails it is decoded again,
to tell invalid JSON from a spec departure, and read leniently unless strict.
"""

from __future__ import annotations

import copy
import functools
import json
import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Concatenate, Final, Generic, TypeVar, cast, overload

import httpx2
from typing_extensions import ParamSpec, Self

from ._errors import (
    ResponseDecodeError,
    ResponseValidationError,
    format_detail,
    request_id_of,
)
from ._logging import warn_once

__all__ = [
    "AsyncRawMethod",
    "HeldResponse",
    "RateLimit",
    "RawMethod",
    "RawResponse",
    "RawResponseWrapper",
    "SyncHeldResponse",
    "async_raw_method",
    "parse_response",
    "rate_limit_of",
    "raw_method",
]

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")

_UNSET: Final = object()
_PREFIXES: Final = ("x-ratelimit", "ratelimit")
# First header present wins: IETF draft names, then Mistral's, then the
# request-count flavour of the x- names.
_LIMIT: Final = (
    "ratelimit-limit",
    "ratelimitbysize-limit",
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit",
)
_REMAINING: Final = (
    "ratelimit-remaining",
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


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip().rstrip("s"))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _first(headers: Mapping[str, str], names: tuple[str, ...]) -> float | None:
    for name in names:
        number = _number(headers.get(name))
        if number is not None:
            return number
    return None


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Rate-limit state reported by the API with a response.

    Attributes:
        limit: The request or token budget of the current window.
        remaining: What is left of it.
        reset: Seconds until the window resets.
        headers: Every rate-limit header received, by lower-case name, for the
            windows and flavours not summarised above.
    """

    limit: int | None
    remaining: int | None
    reset: float | None
    headers: Mapping[str, str]


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def rate_limit_of(headers: httpx2.Headers) -> RateLimit | None:
    """Return the rate-limit state in `headers`, or None if there is none."""
    found = {
        name.lower(): value
        for name, value in headers.items()
        if name.lower().startswith(_PREFIXES)
    }
    if not found:
        return None
    return RateLimit(
        limit=_int(_first(found, _LIMIT)),
        remaining=_int(_first(found, _REMAINING)),
        reset=_first(found, _RESET),
        headers=found,
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


class SyncHeldResponse(HeldResponse):
    """A `HeldResponse` whose connection is released when it is garbage-collected.

    (An async response cannot be: closing it is a coroutine.)
    """

    def __del__(self) -> None:
        # Dropped unread or half read, it would hold its pooled connection forever.
        response = getattr(self, "_response", None)
        if response is not None and not response.is_closed:
            response.close()


class RawResponse(Generic[T]):
    """An HTTP response with its metadata; the body is parsed by `parse()`, once."""

    def __init__(self, response: httpx2.Response, parse: Callable[[], T]) -> None:
        self._response = response
        self._parse = parse
        self._parsed: Any = _UNSET

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

    def parse(self) -> T:
        """Return what the normal method returns: a model, a stream, a page, ...

        The first call parses; later calls return the same object.
        """
        if self._parsed is _UNSET:
            self._parsed = self._parse()
        result: T = self._parsed
        return result

    def __repr__(self) -> str:
        return f"<RawResponse [{self.status_code}] request_id={self.request_id!r}>"


class RawResponseWrapper:
    """Base of the generated `...WithRawResponse` classes.

    It keeps a copy of the resource in raw mode; the `raw_method` and
    `async_raw_method` attributes of subclasses call the resource's methods on it.
    """

    def __init__(self, resource: object) -> None:
        raw = copy.copy(resource)
        # The resource helpers (`_json`, `_stream`, ...) read this flag.
        raw._raw = True  # type: ignore[attr-defined]
        self._resource = raw


class RawMethod(Generic[P, R]):
    """A resource method seen through `with_raw_response`: returns `RawResponse[R]`."""

    def __init__(self, method: Callable[Concatenate[Any, P], R]) -> None:
        self._method = method
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, instance: RawResponseWrapper, owner: type[Any]
    ) -> Callable[P, RawResponse[R]]: ...
    def __get__(
        self, instance: RawResponseWrapper | None, owner: type[Any]
    ) -> Self | Callable[P, RawResponse[R]]:
        if instance is None:
            return self
        resource = instance._resource  # pyright: ignore[reportPrivateUsage]
        method = self._method

        @functools.wraps(method)
        def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
            return cast("RawResponse[R]", method(resource, *args, **kwargs))

        return call


class AsyncRawMethod(Generic[P, R]):
    """An async resource method seen through `with_raw_response`."""

    def __init__(self, method: Callable[Concatenate[Any, P], Awaitable[R]]) -> None:
        self._method = method
        self.__doc__ = method.__doc__

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, instance: RawResponseWrapper, owner: type[Any]
    ) -> Callable[P, Awaitable[RawResponse[R]]]: ...
    def __get__(
        self, instance: RawResponseWrapper | None, owner: type[Any]
    ) -> Self | Callable[P, Awaitable[RawResponse[R]]]:
        if instance is None:
            return self
        resource = instance._resource  # pyright: ignore[reportPrivateUsage]
        method = self._method

        # `await` also covers list methods, whose raw form returns a coroutine
        # from a plain `def`.
        @functools.wraps(method)
        async def call(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
            return cast("RawResponse[R]", await method(resource, *args, **kwargs))

        return call


def raw_method(method: Callable[Concatenate[Any, P], R]) -> RawMethod[P, R]:
    """Expose a resource method on a `RawResponseWrapper`, returning `RawResponse`."""
    return RawMethod(method)


def async_raw_method(
    method: Callable[Concatenate[Any, P], Awaitable[R]],
) -> AsyncRawMethod[P, R]:
    """Expose an async resource method on a `RawResponseWrapper`."""
    return AsyncRawMethod(method)

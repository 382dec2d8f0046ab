"""The per-call options of the bulk helpers, checked once before any request.

`complete_many`, `create_many`, `batch.run` and `batch.resume` send many
requests. A wrong option found by the first of them would fail every request
one by one (`complete_many` keeps each failure as a result), so the helpers
check the options they are given here, up front, and raise a `TypeError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, cast

from typing_extensions import TypedDict

from mistral_sdk._config import check_max_retries, to_timeout
from mistral_sdk._types import HeadersInput, QueryInput, RequestOptions, TimeoutInput

__all__ = ["ManyRequestOptions", "checked_options", "with_call_options"]


class ManyRequestOptions(TypedDict, total=False):
    """The per-call options of `complete_many` / `create_many`, for every request.

    `max_retries` is not here: those helpers take it as a parameter of their
    own, with their own retry rules (see `complete_many`).

    Attributes:
        timeout: Overrides the client's timeout for each request (seconds or
            `httpx2.Timeout`; `None` disables it).
        extra_headers: Headers added to (or replacing) each request's headers.
        extra_query: Query parameters added to each request's URL.
        extra_body: JSON fields merged into each request body at top level.
    """

    timeout: TimeoutInput
    extra_headers: HeadersInput
    extra_query: QueryInput
    extra_body: Mapping[str, object]


ALL_OPTIONS: Final = frozenset(RequestOptions.__annotations__)
"""Every per-call option name (what `batch.run` and `batch.resume` take)."""
MANY_OPTIONS: Final = frozenset(ManyRequestOptions.__annotations__)
"""The option names `complete_many` / `create_many` take besides `max_retries`."""
_MAPPINGS: Final = ("extra_headers", "extra_query", "extra_body")


def checked_options(
    options: Mapping[str, object], allowed: frozenset[str] = ALL_OPTIONS
) -> RequestOptions:
    """Return a copy of `options` after checking each name and value.

    Raises:
        TypeError: A name not in `allowed`, or a value of the wrong type.
        ConfigurationError: A timeout or retry count out of range.
    """
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise TypeError(f"unexpected keyword argument {unknown[0]!r}")
    checked: dict[str, object] = {}
    for name, value in options.items():
        if name == "timeout":
            to_timeout(value)  # raises on a bad value; the value itself is kept
        elif name == "max_retries":
            check_max_retries(value)
        else:
            value = _mapping(name, value)
        checked[name] = value
    return cast("RequestOptions", checked)


def _mapping(name: str, value: object) -> dict[str, object]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, not {type(value).__name__}")
    copy = dict(cast("Mapping[object, object]", value))
    for key, item in copy.items():
        if not isinstance(key, str):
            raise TypeError(f"{name} keys must be str, not {type(key).__name__}")
        if name == "extra_headers" and not isinstance(item, str):
            raise TypeError(
                f"extra_headers[{key!r}] must be str, not {type(item).__name__}"
            )
    return cast("dict[str, object]", copy)


def with_call_options(
    request: Mapping[str, object], options: RequestOptions
) -> Mapping[str, object]:
    """Return the keyword arguments of one request with the call's options added.

    A request's own option wins: its `timeout` replaces the call's, and its
    `extra_headers` / `extra_query` / `extra_body` are merged over the call's
    (a key in both takes the request's value).
    """
    if not options:
        return request
    shared: Mapping[str, object] = options
    merged = {**shared, **request}
    for name in _MAPPINGS:
        own, common = request.get(name), shared.get(name)
        if isinstance(common, Mapping) and isinstance(own, Mapping):
            merged[name] = {
                **cast("Mapping[str, object]", common),
                **cast("Mapping[str, object]", own),
            }
    return merged

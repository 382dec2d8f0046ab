"""The per-call options of the bulk helpers: checked once, merged into each request.

`complete_many`, `create_many`, `batch.run` and `batch.resume` send many
requests. A wrong option found by the first of them would fail every request
one by one (`complete_many` keeps each failure as a result), so the helpers
check the options they are given here, up front.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, cast

from mistral_sdk._config import check_max_retries, header_mapping, to_timeout
from mistral_sdk._request import check_options
from mistral_sdk._types import RequestOptions

__all__ = ["checked_options", "with_call_options"]

_MAPPINGS: Final = ("extra_headers", "extra_query", "extra_body")


def checked_options(
    options: Mapping[str, object], reserved: frozenset[str] = frozenset()
) -> RequestOptions:
    """Return a copy of `options` after checking each name and value.

    Args:
        options: The per-call keywords a helper was given.
        reserved: Body fields the helper sets itself, which `extra_body` may
            not replace (a batch job's `metadata` carries the run's tags).

    Raises:
        TypeError: An unknown name, a value of the wrong type, or a reserved
            field in `extra_body`.
        ConfigurationError: A timeout or retry count out of range.
    """
    check_options(options)
    checked: dict[str, object] = {}
    for name, value in options.items():
        if name == "timeout":
            to_timeout(value)  # raises on a bad value; the value itself is kept
        elif name == "max_retries":
            check_max_retries(value)
        elif name == "extra_headers":
            value = dict(header_mapping(value, name))
        else:
            value = _mapping(name, value)
        checked[name] = value
    taken = sorted(reserved.intersection(_given(checked, "extra_body")))
    if taken:
        raise TypeError(
            f"extra_body may not set {taken[0]!r}: the helper sets it (pass it as "
            "its own argument where there is one)"
        )
    return cast("RequestOptions", checked)


def _mapping(name: str, value: object) -> dict[str, object]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, not {type(value).__name__}")
    copy = dict(cast("Mapping[object, object]", value))
    for key in copy:
        if not isinstance(key, str):
            raise TypeError(f"{name} keys must be str, not {type(key).__name__}")
    return cast("dict[str, object]", copy)


def with_call_options(
    request: Mapping[str, object], options: RequestOptions
) -> Mapping[str, object]:
    """Return the keyword arguments of one request with the call's options added.

    A request's own value wins: its `timeout` replaces the call's; its
    `extra_headers` (names compared without case), `extra_query` and
    `extra_body` are merged over the call's; and a field the request sets
    itself (`model`, `random_seed`, ...) is not replaced by the call's
    `extra_body`. A request option given as None counts as not given.
    """
    if not options:
        return request
    shared = cast("Mapping[str, object]", options)
    merged = {**shared, **{k: v for k, v in request.items() if k not in _MAPPINGS}}
    headers = _headers_over(
        _given(shared, "extra_headers"), _given(request, "extra_headers")
    )
    query = {**_given(shared, "extra_query"), **_given(request, "extra_query")}
    body = {k: v for k, v in _given(shared, "extra_body").items() if k not in request}
    body.update(_given(request, "extra_body"))
    for name, value in zip(_MAPPINGS, (headers, query, body), strict=True):
        if value:
            merged[name] = value
        else:
            merged.pop(name, None)
    return merged


def _given(values: Mapping[str, object], name: str) -> Mapping[str, object]:
    value = values.get(name)
    return cast("Mapping[str, object]", value) if isinstance(value, Mapping) else {}


def _headers_over(
    common: Mapping[str, object], own: Mapping[str, object]
) -> dict[str, object]:
    # HTTP header names are case-insensitive: `x-trace` replaces `X-Trace`
    # instead of both going out.
    names = {name.lower() for name in own}
    merged = {k: v for k, v in common.items() if k.lower() not in names}
    merged.update(own)
    return merged

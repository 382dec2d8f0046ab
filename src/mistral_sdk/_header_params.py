"""Header parameters of an operation (e.g. `last-event-id`), sent through the options.

A generated method takes a header the spec declares as a keyword argument and hands it
here; it travels as one more `extra_headers` entry, so the request builder needs no
second way of adding headers. Headers the caller passes in `extra_headers` win.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._types import NotGiven, RequestOptions

__all__ = ["with_headers"]


def with_headers(
    options: RequestOptions, headers: Mapping[str, object]
) -> RequestOptions:
    """Return `options` with the given (set, non-None) headers added as strings."""
    callers = dict(options.get("extra_headers") or {})
    # Header names are case-insensitive: a caller's `Last-Event-ID` replaces the
    # parameter's `last-event-id` rather than going out beside it.
    taken = {name.lower() for name in callers}
    given = {
        name: str(value)
        for name, value in headers.items()
        if value is not None
        and not isinstance(value, NotGiven)
        and name.lower() not in taken
    }
    if not given:
        return options
    merged: RequestOptions = {**options}
    merged["extra_headers"] = {**given, **callers}
    return merged

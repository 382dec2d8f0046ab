"""Pacing many concurrent calls under a rate limit, sans-IO.

Every worker of a `complete_many` / `create_many` asks the `Pacer` how long to
wait before its next request, and tells it what the API answered. A 429 closes
the gate for everyone until its `Retry-After` (or the rate-limit reset) has
passed, or, without either (or when they ask for no wait), for a pause that
doubles with each 429 in a row.
A success that leaves nothing in some window (any `remaining` count at 0:
requests or tokens, per minute or per month) closes it before the API has to
refuse anything: until that window's reset when a reset header gives it, else
for a pause that doubles while answers keep saying 0 (Mistral's API sends no
reset). No pause is longer than a minute. The rate-limit headers are read by
`_response`, as for `APIResponse.rate_limit`.
Thread-safe: the sync twin's workers are threads.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Final

from mistral_sdk._response import header_number, rate_limit_headers, rate_limit_of
from mistral_sdk._retries import parse_retry_after

__all__ = ["Pacer"]

_FIRST_PAUSE: Final = 0.5
_LONGEST_PAUSE: Final = 60.0


def _backoff(in_a_row: int) -> float:
    """0.5 s, 1 s, 2 s, ... for the `in_a_row`-th answer in a row (from 1)."""
    return _FIRST_PAUSE * 2.0 ** min(in_a_row - 1, 16)


def _used_up_resets(headers: Mapping[str, str]) -> list[float | None]:
    """Return the reset of each window with nothing left (None: not given).

    Every `...remaining...` header counts, whatever its window; its reset is
    the header of the same name with `reset` in place of `remaining`
    (`x-ratelimit-remaining-requests` -> `x-ratelimit-reset-requests`).
    """
    found = rate_limit_headers(headers)
    resets: list[float | None] = []
    for name, value in found.items():
        if "remaining" not in name:
            continue
        left = header_number(value)
        if left is not None and left <= 0:
            resets.append(header_number(found.get(name.replace("remaining", "reset"))))
    return resets


class Pacer:
    """The shared gate of a pool of workers calling one rate-limited API."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open_at = 0.0
        self._in_a_row = 0
        self._used_up_in_a_row = 0
        self.rate_limited = 0

    def wait(self, now: float) -> float:
        """Return how long a worker waits before its next request (0: go)."""
        with self._lock:
            return max(self._open_at - now, 0.0)

    def on_success(self, headers: Mapping[str, str], now: float) -> None:
        """Record an answer; close the gate if it says a window is used up."""
        resets = _used_up_resets(headers)
        with self._lock:
            self._in_a_row = 0
            if not resets:
                self._used_up_in_a_row = 0
                return
            pause = max((reset for reset in resets if reset is not None), default=0.0)
            # An answer that comes while the gate is closed is about a request
            # sent before it closed: the same used-up window, not a longer pause.
            if None in resets and now >= self._open_at:
                self._used_up_in_a_row += 1
                pause = max(pause, _backoff(self._used_up_in_a_row))
            self._close(now, min(pause, _LONGEST_PAUSE))

    def on_rate_limited(
        self, headers: Mapping[str, str], now: float, wall_clock: float
    ) -> None:
        """Record a 429: close the gate for as long as the API asks, or longer.

        Args:
            headers: The 429's headers (lower-case names).
            now: The monotonic time the gate is measured in.
            wall_clock: The Unix time, for an HTTP-date `Retry-After`.
        """
        asked = parse_retry_after(headers, wall_clock)
        if asked is None and (window := rate_limit_of(headers)) is not None:
            asked = window.reset
        with self._lock:
            self.rate_limited += 1
            self._in_a_row += 1
            # Without a hint, back off: 0.5 s, 1 s, 2 s, ... for 429s in a row.
            pause = _backoff(self._in_a_row)
            # A 429 asking for no wait (`Retry-After: 0`, a reset in the past) is
            # no hint: trusted, every worker would resend at once, 429 after 429,
            # until the calls' 10-minute budget is spent.
            if asked is not None and asked > 0:
                pause = asked
            self._close(now, min(pause, _LONGEST_PAUSE))

    def _close(self, now: float, seconds: float) -> None:
        self._open_at = max(self._open_at, now + seconds)

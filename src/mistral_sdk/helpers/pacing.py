"""Pacing many concurrent calls under a rate limit, sans-IO.

Every worker of a `complete_many` / `create_many` asks the `Pacer` how long to
wait before its next request, and tells it what the API answered. A 429 closes
the gate for everyone until its `Retry-After` (or the rate-limit reset) has
passed, or, without either, for a pause that doubles with each 429 in a row; a
success that leaves nothing in the window (remaining 0) closes it until the
window resets, before the API has to refuse anything. The rate-limit headers
are read by `_response.rate_limit_of`, as for `APIResponse.rate_limit`.
Thread-safe: the sync twin's workers are threads.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Final

from mistral_sdk._response import rate_limit_of
from mistral_sdk._retries import parse_retry_after

__all__ = ["Pacer"]

_FIRST_PAUSE: Final = 0.5
_LONGEST_PAUSE: Final = 60.0


def _reset_if_used_up(headers: Mapping[str, str]) -> float | None:
    """Return the seconds until the window resets when nothing is left in it."""
    window = rate_limit_of(headers)
    if window is None or window.remaining is None or window.remaining > 0:
        return None
    return window.reset


class Pacer:
    """The shared gate of a pool of workers calling one rate-limited API."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open_at = 0.0
        self._in_a_row = 0
        self.rate_limited = 0

    def wait(self, now: float) -> float:
        """Return how long a worker waits before its next request (0: go)."""
        with self._lock:
            return max(self._open_at - now, 0.0)

    def on_success(self, headers: Mapping[str, str], now: float) -> None:
        """Record an answer; close the gate if it says the window is used up."""
        reset = _reset_if_used_up(headers)
        with self._lock:
            self._in_a_row = 0
            if reset is not None:
                self._close(now, min(reset, _LONGEST_PAUSE))

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
            pause = _FIRST_PAUSE * 2.0 ** min(self._in_a_row - 1, 16)
            if asked is not None:
                pause = asked
            self._close(now, min(pause, _LONGEST_PAUSE))

    def _close(self, now: float, seconds: float) -> None:
        self._open_at = max(self._open_at, now + seconds)

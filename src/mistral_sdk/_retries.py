"""Retry decisions, sans-IO: what to retry, how long to wait, when to give up.

Only the standard library is used; the transports supply the clock, the random
numbers and the sleeping, so every decision here is a pure function of its inputs.

Delays: exponential backoff (0.5 s, 1 s, 2 s, ... capped at 8 s) shortened by up to
25 % of random jitter, so that clients failing together do not retry together. A
server's `Retry-After` (seconds or an HTTP date) or `retry-after-ms` replaces the
backoff, capped at 60 s: a longer wait is better spent failing visibly than hanging a
caller. No retry starts once the whole call (attempts and waits) would pass 10 minutes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Final

__all__ = ["RETRY_AFTER_CAP", "RetryPolicy", "is_retryable_status", "parse_retry_after"]

RETRY_AFTER_CAP: Final = 60.0
"""The longest `Retry-After` honoured, in seconds."""

_RETRYABLE: Final = frozenset({408, 409, 429})


def is_retryable_status(status: int) -> bool:
    """Tell whether a response status is worth another attempt.

    408 and 429 ask for one; 409 is what the API answers to a request racing a
    concurrent one on the same resource; 5xx are transient server failures.
    """
    return status in _RETRYABLE or status >= 500


def _seconds(text: str, scale: float = 1.0) -> float | None:
    try:
        value = float(text) * scale
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def parse_retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """Return the wait a response asks for, in seconds, or None if it asks none.

    Args:
        headers: The response headers (looked up in lower case).
        now: The current wall-clock time as a Unix timestamp; an HTTP-date
            `Retry-After` is measured from it.
    """
    millis = headers.get("retry-after-ms")
    if millis:
        delay = _seconds(millis, scale=0.001)
        if delay is not None:
            return delay
    value = headers.get("retry-after")
    if not value:
        return None
    delay = _seconds(value)
    if delay is not None:
        return delay
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        # RFC 9110 §5.6.7: HTTP dates are always GMT.
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - now)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How many retries to make and how long to wait before each.

    Attributes:
        max_retries: Retries after the first attempt.
        initial_delay: Backoff before the first retry, before jitter.
        max_delay: Upper bound of the backoff.
        jitter: Fraction of the backoff removed at random (0 to 1).
        retry_after_cap: Upper bound of a server-requested wait.
        total_budget: No retry starts if the call would then last longer than this.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    jitter: float = 0.25
    retry_after_cap: float = RETRY_AFTER_CAP
    total_budget: float = 600.0

    def backoff(self, retries_done: int, random: float) -> float:
        """Return the backoff before the next retry.

        Args:
            retries_done: Retries already made (0 before the first retry).
            random: A number in [0, 1) from the caller's random source.
        """
        # The exponent is bounded so that absurd retry counts cannot overflow a float.
        base = min(self.max_delay, self.initial_delay * 2.0 ** min(retries_done, 32))
        return base * (1.0 - self.jitter * random)

    def next_delay(
        self,
        retries_done: int,
        *,
        elapsed: float,
        headers: Mapping[str, str] | None = None,
        now: float = 0.0,
        random: float = 0.0,
    ) -> float | None:
        """Return how long to wait before retrying, or None to give up.

        Args:
            retries_done: Retries already made.
            elapsed: Seconds since the call started (monotonic clock).
            headers: Headers of the failed response, if there was one.
            now: Wall-clock Unix time, for an HTTP-date `Retry-After`.
            random: A number in [0, 1) for the jitter.
        """
        if retries_done >= self.max_retries:
            return None
        asked = None if headers is None else parse_retry_after(headers, now)
        if asked is None:
            delay = self.backoff(retries_done, random)
        else:
            delay = min(asked, self.retry_after_cap)
        if elapsed + delay > self.total_budget:
            return None
        return delay

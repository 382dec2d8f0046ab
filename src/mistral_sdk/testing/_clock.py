"""Time in the emulator: a virtual clock by default, the system clock for servers.

Nothing in the emulator sleeps on a virtual clock: scripted latency and every
timestamp move the clock forward instead, so tests are fast and repeatable.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone
from typing import Final, Protocol

__all__ = ["EPOCH", "Clock", "SystemClock", "VirtualClock", "iso", "parse_iso"]

EPOCH: Final = 1_735_689_600.0
"""2025-01-01T00:00:00Z, where a virtual clock starts by default."""


class Clock(Protocol):
    """What the emulator needs to know about time."""

    def now(self) -> float:
        """Return the current time in seconds since the Unix epoch."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` (a virtual clock just moves forward)."""
        ...


class VirtualClock:
    """A clock that moves only when told to (or when it "sleeps")."""

    def __init__(self, start: float = EPOCH) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        """Return the virtual time."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        if seconds < 0:
            raise ValueError("a clock cannot go back")
        with self._lock:
            self._now += seconds

    def sleep(self, seconds: float) -> None:
        """Move the clock forward without waiting."""
        self.advance(max(seconds, 0.0))


class SystemClock:
    """The real clock; `sleep` really waits."""

    def now(self) -> float:
        """Return `time.time()`."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """Wait for real."""
        if seconds > 0:
            time.sleep(seconds)


def iso(timestamp: float) -> str:
    """Return an RFC 3339 UTC timestamp with microseconds, as the API writes."""
    moment = datetime.fromtimestamp(timestamp, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> float:
    """Return the Unix time of an RFC 3339 timestamp (`Z` accepted on 3.10)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()

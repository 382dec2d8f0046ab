"""The package logger and a warn-once helper.

Everything the SDK logs goes through the `mistral_sdk` logger. Log lines name the
method, URL, status and timing of a request; they never include headers, so the
API key cannot reach a log.
"""

from __future__ import annotations

import logging
import threading
from typing import Final

logger: Final = logging.getLogger("mistral_sdk")

_seen: set[str] = set()
_seen_lock: Final = threading.Lock()


def warn_once(key: str, message: str) -> None:
    """Log `message` as a warning the first time `key` is seen in this process.

    Used for spec departures of responses: one line per distinct shape is enough
    to notice the problem, and a long-running stream would otherwise repeat it
    for every event.
    """
    with _seen_lock:
        if key in _seen:
            return
        _seen.add(key)
    logger.warning(message)

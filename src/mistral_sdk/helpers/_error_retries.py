"""When a bulk helper sends a request again after an API error (sans-IO).

`complete_many` and `batch.run` send some requests with the client's retries
off and retry them themselves (one pause for every worker on a 429; a job
creation looked for before it is sent again); both decide the wait here, by
the client's rules: retryable statuses, `Retry-After`, backoff, time budget.
"""

from __future__ import annotations

from collections.abc import Mapping

from mistral_sdk._errors import APIConnectionError, APIError
from mistral_sdk._retries import RetryPolicy, is_retryable_status

__all__ = ["headers_of", "retry_delay"]


def headers_of(error: Exception) -> Mapping[str, str]:
    """Return the headers of the response `error` came with, or none."""
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    return headers if isinstance(headers, Mapping) else {}  # pyright: ignore[reportUnknownVariableType]


def retry_delay(
    policy: RetryPolicy,
    error: APIError | APIConnectionError,
    retried: int,
    *,
    elapsed: float,
    now: float,
    random: float,
) -> float | None:
    """Return the seconds to wait before sending again, or None: not retried."""
    if isinstance(error, APIError) and not is_retryable_status(error.status_code):
        return None
    return policy.next_delay(
        retried, elapsed=elapsed, headers=headers_of(error), now=now, random=random
    )

"""What `complete_many` / `create_many` hand back and report, shared by both twins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeAlias, TypeVar

__all__ = ["CallResult", "ManyProgress", "ManyProgressCallback"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class CallResult(Generic[T]):
    """The outcome of one request of a `*_many` call.

    Attributes:
        index: The request's position in the input.
        response: The response, or None when the request failed.
        error: The error it ended with (an `APIError`, `APIConnectionError`,
            a `TypeError` for an argument the method does not take, ...), or None.
    """

    index: int
    response: T | None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """Return whether the request got a response."""
        return self.error is None


@dataclass(frozen=True, slots=True)
class ManyProgress:
    """Where a `complete_many` / `create_many` stands.

    Attributes:
        done: Requests finished, with a response or an error.
        succeeded: Requests that got a response.
        failed: Requests that ended with an error.
        total: How many requests there are, when the input is a list or tuple.
        rate_limited: 429 answers received so far (each was retried).
    """

    done: int
    succeeded: int
    failed: int
    total: int | None
    rate_limited: int


ManyProgressCallback: TypeAlias = Callable[[ManyProgress], object]
"""Called with the progress after each request finishes."""

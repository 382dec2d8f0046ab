"""What the transports share: retry decisions, logging, pool settings (sans-IO).

`AsyncTransport` (`_async/_transport.py`) and its generated twin `SyncTransport`
(`_sync/_transport.py`) hold only I/O: they send, close and sleep. Whether to
retry and how long to wait is decided here by `_Retrying` (one per request) with
`RetryPolicy`. The transports are the only code that sleeps, and the sleep
function, both clocks and the random source are injected.

Every httpx2 failure leaves as `APIConnectionError` / `APITimeoutError`, every
error status as the `APIError` subclass from `error_from_response`. Redirects are
never followed: the Authorization header must not travel to another host, and
the API has no reason to redirect.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Final, Generic, TypeAlias, TypeGuard, TypeVar

import httpx2
from typing_extensions import Self

from ._config import ClientConfig
from ._errors import APIError, MistralError, connection_error, error_from_response
from ._logging import logger
from ._request import RequestParts, user_agent
from ._retries import RetryPolicy, is_retryable_status

__all__ = [
    "POOL_LIMITS",
    "AsyncSleep",
    "SyncSleep",
    "Transport",
    "async_sleep",
    "build",
    "is_answer",
    "is_error",
    "log_attempt",
    "sync_sleep",
]

# Failures that another attempt cannot fix: a bad URL scheme, a request httpx2
# refuses to encode.
_PERMANENT = (httpx2.UnsupportedProtocol, httpx2.LocalProtocolError)


def is_error(status: int) -> bool:
    """Tell whether a status is a failure (redirects too: they are not followed)."""
    return status >= 300


def is_answer(
    outcome: httpx2.Response | httpx2.HTTPError,
) -> TypeGuard[httpx2.Response]:
    """Tell whether `outcome` is a response to hand out, not a failure."""
    # Anything else is a failure, retried or raised; redirects included.
    return isinstance(outcome, httpx2.Response) and not is_error(outcome.status_code)


def _retry_delay(
    policy: RetryPolicy,
    retries: int,
    outcome: httpx2.Response | httpx2.HTTPError,
    *,
    elapsed: float,
    now: float,
    random: float,
) -> float | None:
    if isinstance(outcome, httpx2.Response):
        if not is_retryable_status(outcome.status_code):
            return None
        headers: httpx2.Headers | None = outcome.headers
    elif isinstance(outcome, httpx2.TransportError) and not isinstance(
        outcome, _PERMANENT
    ):
        headers = None
    else:
        return None
    return policy.next_delay(
        retries, elapsed=elapsed, headers=headers, now=now, random=random
    )


def _failure(
    outcome: httpx2.Response | httpx2.HTTPError, request: httpx2.Request
) -> MistralError:
    if isinstance(outcome, httpx2.HTTPError):
        error: MistralError = connection_error(outcome, request)
        error.__cause__ = outcome
        return error
    if outcome.status_code < 400:
        location = outcome.headers.get("location", "another URL")
        return APIError(
            f"the API redirected to {location}; redirects are not followed so that "
            "the API key only goes to base_url",
            status_code=outcome.status_code,
            response=outcome,
        )
    return error_from_response(outcome)


POOL_LIMITS: Final = httpx2.Limits(max_connections=100, max_keepalive_connections=100)
"""The pool of the `httpx2` client the SDK creates: every connection it may open
may also stay open for reuse (httpx2 keeps 20), so a burst of concurrent calls
does not reconnect on the next burst."""


def log_attempt(
    request: httpx2.Request,
    outcome: httpx2.Response | httpx2.HTTPError,
    seconds: float,
) -> None:
    """Log one attempt at debug level (nothing is formatted when that is off)."""
    if not logger.isEnabledFor(logging.DEBUG):
        return
    if isinstance(outcome, httpx2.Response):
        result = str(outcome.status_code)
    else:
        result = type(outcome).__name__
    logger.debug(
        "%s %s -> %s (%.0f ms)", request.method, request.url, result, seconds * 1000
    )


def _log_retry(
    request: httpx2.Request,
    outcome: httpx2.Response | httpx2.HTTPError,
    delay: float,
    retries: int,
) -> None:
    if isinstance(outcome, httpx2.Response):
        why = f"status {outcome.status_code}"
    else:
        why = type(outcome).__name__
    logger.info(
        "retrying %s %s in %.2f s (retry %d): %s",
        request.method,
        request.url,
        delay,
        retries + 1,
        why,
    )


def preset_headers(config: ClientConfig) -> dict[str, str]:
    """Return the headers every request of `config` sends unless a call overrides them.

    The transport sets them on the `httpx2` client it creates, so that a call
    passes only the headers that differ: httpx2 merges a request's headers into
    the client's one by one, at a cost per header (~8 µs per call for these).
    Only headers that every request sends, under any configuration sharing the
    client (`with_options`), qualify: a call can override a client default but
    not remove it, so `default_headers` stay per request.
    """
    return {
        "Authorization": f"Bearer {config.api_key.get_secret_value()}",
        "User-Agent": user_agent(),
        "Accept": "application/json",
    }


def build(
    client: httpx2.Client | httpx2.AsyncClient,
    parts: RequestParts,
    preset: Mapping[str, str] | None = None,
) -> httpx2.Request:
    """Return the `httpx2.Request` of `parts`, built by `client` (with its defaults).

    Args:
        client: The client that sends it.
        parts: The request.
        preset: Headers `client` already sends on every request (the transport's
            own client): a header of `parts` with the same name and value is
            left to the client's defaults.
    """
    headers = parts.headers
    if preset:
        headers = {
            name: value for name, value in headers.items() if preset.get(name) != value
        }
    return client.build_request(
        parts.method,
        parts.url,
        params=tuple(parts.params) or None,
        headers=headers or None,
        content=parts.content,
        data=parts.data,
        files=parts.files,
        timeout=parts.timeout,
    )


SyncSleep: TypeAlias = Callable[[float], None]
"""The sleep function of `SyncTransport`."""
AsyncSleep: TypeAlias = Callable[[float], Awaitable[None]]
"""The sleep function of `AsyncTransport`."""
sync_sleep: Final[SyncSleep] = time.sleep


async def async_sleep(seconds: float) -> None:
    """Sleep in whichever event loop runs (asyncio or trio)."""
    try:
        import anyio
    except ImportError:  # pragma: no cover - httpx2 for emscripten comes without anyio
        import asyncio

        await asyncio.sleep(seconds)
    else:
        await anyio.sleep(seconds)


ClientT = TypeVar("ClientT", bound="httpx2.Client | httpx2.AsyncClient")


class Transport(Generic[ClientT]):
    """Base of the transports: configuration, pool ownership, clocks, random source."""

    def __init__(
        self,
        config: ClientConfig,
        client: ClientT,
        *,
        owns_client: bool,
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
        rng: Callable[[], float],
    ) -> None:
        self.config = config
        self._client: ClientT = client
        self._owns_client = owns_client
        self._clock, self._wall_clock, self._rng = clock, wall_clock, rng
        # Only a client the SDK created gets its headers: a caller's `http_client`
        # keeps its own defaults, and every request carries the SDK's in full.
        self._preset: dict[str, str] | None = None
        if owns_client:
            self._preset = preset_headers(config)
            client.headers.update(self._preset)

    @property
    def http_client(self) -> ClientT:
        """The `httpx2` client requests go through."""
        return self._client

    def with_config(self, config: ClientConfig) -> Self:
        """Return a copy with another configuration, sharing the connection pool."""
        clone = copy.copy(self)
        clone.config = config
        clone._owns_client = False
        return clone

    def _retrying(self, parts: RequestParts, request: httpx2.Request) -> _Retrying:
        retries = self.config.max_retries
        if parts.max_retries is not None:
            retries = parts.max_retries
        return _Retrying(
            retries,
            request,
            clock=self._clock,
            wall_clock=self._wall_clock,
            rng=self._rng,
        )


class _Retrying:
    """The retries of one request (sans-IO): after each attempt, answer or wait.

    The twins' loops only send, close and sleep; every decision is here.
    """

    __slots__ = (
        "_clock",
        "_max_retries",
        "_policy",
        "_request",
        "_retries",
        "_rng",
        "_start",
        "_wall",
    )

    def __init__(
        self,
        max_retries: int,
        request: httpx2.Request,
        *,
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
        rng: Callable[[], float],
    ) -> None:
        self._max_retries = max_retries
        self._request = request
        self._clock, self._wall, self._rng = clock, wall_clock, rng
        self._start = clock()
        self._retries = 0
        self._policy: RetryPolicy | None = None

    def delay_after(self, outcome: httpx2.Response | httpx2.HTTPError) -> float:
        """Return the seconds to wait before trying again after a failed attempt.

        Raises:
            MistralError: `outcome` is a failure that is not retried (any more).
        """
        # The policy is built on the first failure, then kept: most calls never
        # need one.
        if self._policy is None:
            self._policy = RetryPolicy(max_retries=self._max_retries)
        delay = _retry_delay(
            self._policy,
            self._retries,
            outcome,
            elapsed=self._clock() - self._start,
            now=self._wall(),
            random=self._rng(),
        )
        if delay is None:
            raise _failure(outcome, self._request)
        _log_retry(self._request, outcome, delay, self._retries)
        self._retries += 1
        return delay

"""Sending requests: `SyncTransport` and `AsyncTransport`, with retries.

The two classes are line-parallel twins holding only I/O; whether to retry and
how long to wait is decided by `_Retrying` (one per request) with `RetryPolicy`.
They are the only code that sleeps, and the sleep function, both clocks and the
random source are injected.

Every httpx2 failure leaves as `APIConnectionError` / `APITimeoutError`, every
error status as the `APIError` subclass from `error_from_response`. Redirects are
never followed: the Authorization header must not travel to another host, and
the API has no reason to redirect.
"""

from __future__ import annotations

import copy
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Final, Generic, TypeGuard, TypeVar

import httpx2
from typing_extensions import Self

from ._config import ClientConfig
from ._errors import APIError, MistralError, connection_error, error_from_response
from ._logging import logger
from ._request import RequestParts
from ._retries import RetryPolicy, is_retryable_status

__all__ = ["AsyncTransport", "SyncTransport"]

# Failures that another attempt cannot fix: a bad URL scheme, a request httpx2
# refuses to encode.
_PERMANENT = (httpx2.UnsupportedProtocol, httpx2.LocalProtocolError)


def _is_error(status: int) -> bool:
    return status >= 300


def _is_answer(
    outcome: httpx2.Response | httpx2.HTTPError,
) -> TypeGuard[httpx2.Response]:
    # Anything else is a failure, retried or raised; redirects included.
    return isinstance(outcome, httpx2.Response) and not _is_error(outcome.status_code)


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


def _log(
    request: httpx2.Request,
    outcome: httpx2.Response | httpx2.HTTPError,
    seconds: float,
) -> None:
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


def _build(
    client: httpx2.Client | httpx2.AsyncClient, parts: RequestParts
) -> httpx2.Request:
    return client.build_request(
        parts.method,
        parts.url,
        params=tuple(parts.params) or None,
        headers=parts.headers,
        content=parts.content,
        data=parts.data,
        files=parts.files,
        timeout=parts.timeout,
    )


async def _async_sleep(seconds: float) -> None:
    try:
        import anyio
    except ImportError:  # pragma: no cover - httpx2 for emscripten comes without anyio
        import asyncio

        await asyncio.sleep(seconds)
    else:
        await anyio.sleep(seconds)


ClientT = TypeVar("ClientT", bound="httpx2.Client | httpx2.AsyncClient")


class _Transport(Generic[ClientT]):
    # What the twins share: configuration, pool ownership, clocks, random source.
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

    def delay_after(self, outcome: httpx2.Response | httpx2.HTTPError) -> float:
        """Return the seconds to wait before trying again after a failed attempt.

        Raises:
            MistralError: `outcome` is a failure that is not retried (any more).
        """
        # The policy is built on the first failure: most calls never need it.
        delay = _retry_delay(
            RetryPolicy(max_retries=self._max_retries),
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


class SyncTransport(_Transport[httpx2.Client]):
    """Sends requests through an `httpx2.Client`, retrying what is worth retrying.

    Attributes:
        config: The client configuration requests are built from.
    """

    def __init__(
        self,
        config: ClientConfig,
        client: httpx2.Client | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(
            config,
            client or httpx2.Client(timeout=config.timeout, limits=POOL_LIMITS),
            owns_client=client is None,
            clock=clock,
            wall_clock=wall_clock,
            rng=rng,
        )
        self._sleep = sleep

    def send(self, parts: RequestParts, *, stream: bool = False) -> httpx2.Response:
        """Send a request, retrying connection failures and retryable statuses.

        Args:
            parts: The request, from `build_request`.
            stream: Return before reading the body of a successful response.

        Raises:
            APIConnectionError: No response, after the retries.
            APIError: An error status, after the retries.
        """
        request = _build(self._client, parts)
        retrying = self._retrying(parts, request)
        while True:
            outcome = self._attempt(request, stream)
            if _is_answer(outcome):
                return outcome
            delay = retrying.delay_after(outcome)
            if isinstance(outcome, httpx2.Response):
                outcome.close()
            self._sleep(delay)

    def _attempt(
        self, request: httpx2.Request, stream: bool
    ) -> httpx2.Response | httpx2.HTTPError:
        started = self._clock()
        response = None
        try:
            response = self._client.send(request, stream=stream, follow_redirects=False)
            if stream and _is_error(response.status_code):
                response.read()  # error bodies are small; the message is in them
        except httpx2.HTTPError as exc:
            if response is not None:
                response.close()
            _log(request, exc, self._clock() - started)
            return exc
        _log(request, response, self._clock() - started)
        return response

    def close(self) -> None:
        """Close the connection pool, unless it was passed in by the caller."""
        if self._owns_client:
            self._client.close()


class AsyncTransport(_Transport[httpx2.AsyncClient]):
    """Sends requests through an `httpx2.AsyncClient`, retrying what is worth retrying.

    Attributes:
        config: The client configuration requests are built from.
    """

    def __init__(
        self,
        config: ClientConfig,
        client: httpx2.AsyncClient | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = _async_sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(
            config,
            client or httpx2.AsyncClient(timeout=config.timeout, limits=POOL_LIMITS),
            owns_client=client is None,
            clock=clock,
            wall_clock=wall_clock,
            rng=rng,
        )
        self._sleep = sleep

    async def send(
        self, parts: RequestParts, *, stream: bool = False
    ) -> httpx2.Response:
        """Send a request, retrying connection failures and retryable statuses.

        Args:
            parts: The request, from `build_request`.
            stream: Return before reading the body of a successful response.

        Raises:
            APIConnectionError: No response, after the retries.
            APIError: An error status, after the retries.
        """
        request = _build(self._client, parts)
        retrying = self._retrying(parts, request)
        while True:
            outcome = await self._attempt(request, stream)
            if _is_answer(outcome):
                return outcome
            delay = retrying.delay_after(outcome)
            if isinstance(outcome, httpx2.Response):
                await outcome.aclose()
            await self._sleep(delay)

    async def _attempt(
        self, request: httpx2.Request, stream: bool
    ) -> httpx2.Response | httpx2.HTTPError:
        started = self._clock()
        response = None
        try:
            response = await self._client.send(
                request, stream=stream, follow_redirects=False
            )
            if stream and _is_error(response.status_code):
                await response.aread()  # error bodies are small; the message is in them
        except httpx2.HTTPError as exc:
            if response is not None:
                await response.aclose()
            _log(request, exc, self._clock() - started)
            return exc
        _log(request, response, self._clock() - started)
        return response

    async def close(self) -> None:
        """Close the connection pool, unless it was passed in by the caller."""
        if self._owns_client:
            await self._client.aclose()

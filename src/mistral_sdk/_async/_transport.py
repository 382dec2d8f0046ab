"""`AsyncTransport`: the send-with-retries loop over an `httpx2.AsyncClient`.

Every httpx2 failure leaves as `APIConnectionError` / `APITimeoutError`, every
error status as the `APIError` subclass from `error_from_response`; retry
decisions are made in `mistral_sdk._transport`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import httpx2

from mistral_sdk._config import ClientConfig
from mistral_sdk._request import RequestParts
from mistral_sdk._transport import (
    POOL_LIMITS,
    AsyncSleep,
    Transport,
    async_sleep,
    build,
    is_answer,
    is_error,
    log_attempt,
)

__all__ = ["AsyncTransport"]


class AsyncTransport(Transport[httpx2.AsyncClient]):
    """Sends requests through an `httpx2.AsyncClient`, retrying what is worth retrying.

    Attributes:
        config: The client configuration requests are built from.
    """

    def __init__(
        self,
        config: ClientConfig,
        client: httpx2.AsyncClient | None = None,
        *,
        sleep: AsyncSleep = async_sleep,
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
        request = build(self._client, parts, self._preset)
        retrying = self._retrying(parts, request)
        while True:
            outcome = await self._attempt(request, stream)
            if is_answer(outcome):
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
            if stream and is_error(response.status_code):
                await response.aread()  # error bodies are small; the message is in them
        except httpx2.HTTPError as exc:
            if response is not None:
                await response.aclose()
            log_attempt(request, exc, self._clock() - started)
            return exc
        log_attempt(request, response, self._clock() - started)
        return response

    async def close(self) -> None:
        """Close the connection pool, unless it was passed in by the caller."""
        if self._owns_client:
            await self._client.aclose()

"""`client.chat.complete_many` and `client.embeddings.create_many`: many calls now.

Up to `concurrency` requests are in flight at once; results come back in input
order, a failed request as a `CallResult` holding its error instead of aborting
the others. 429s are not retried blindly per request: every worker pauses
together for as long as the API asks (`Retry-After`, `x-ratelimit-*`), and
before it has to refuse anything when an answer says a window (requests or
tokens) is used up, see `mistral_sdk.helpers.pacing`.

The per-call options (`timeout=`, `extra_headers=`, `extra_query=`,
`extra_body=`) reach every request, merged under each request's own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Generic, TypeVar

from typing_extensions import Unpack

from mistral_sdk._async._resource import AsyncResource
from mistral_sdk._config import check_max_retries
from mistral_sdk._errors import (
    APIConnectionError,
    APIError,
    ConfigurationError,
    RateLimitError,
)
from mistral_sdk._retries import RetryPolicy
from mistral_sdk.helpers._call_options import checked_options, with_call_options
from mistral_sdk.helpers._error_retries import headers_of, retry_delay
from mistral_sdk.helpers._workers import async_map
from mistral_sdk.helpers.call_options import ManyRequestOptions
from mistral_sdk.helpers.many_results import (
    CallResult,
    ManyProgress,
    ManyProgressCallback,
)
from mistral_sdk.helpers.pacing import Pacer
from mistral_sdk.types.common_completions import ChatCompletionResponse
from mistral_sdk.types.embeddings import EmbeddingResponse

__all__ = [
    "CallResult",
    "ManyProgressCallback",
    "ManyRequestOptions",
    "complete_many",
    "create_many",
]

T = TypeVar("T")

DEFAULT_CONCURRENCY: Final = 8


class _Run(Generic[T]):
    """One `*_many` call: the pacer, the counters and the retry rules."""

    def __init__(
        self,
        resource: AsyncResource,
        send: Callable[[Mapping[str, Any]], Any],
        *,
        total: int | None,
        on_progress: ManyProgressCallback | None,
        max_retries: int | None,
    ) -> None:
        transport: Any = resource._transport  # pyright: ignore[reportPrivateUsage]
        self._sleep: Callable[[float], Any] = transport._sleep
        self._clock: Callable[[], float] = transport._clock
        self._wall_clock: Callable[[], float] = transport._wall_clock
        self._rng: Callable[[], float] = transport._rng
        retries = transport.config.max_retries if max_retries is None else max_retries
        self._policy = RetryPolicy(max_retries=retries)
        self._send = send
        self._pacer = Pacer()
        self._on_progress = on_progress
        self._total = total
        self._done = self._failed = 0
        self._lock = threading.Lock()

    async def call(self, index: int, body: Mapping[str, Any]) -> CallResult[T]:
        result = await self._attempts(index, body)
        # The sync twin's workers are threads: count under a lock.
        with self._lock:
            self._done += 1
            self._failed += not result.ok
            if self._on_progress is not None:
                self._on_progress(
                    ManyProgress(
                        self._done,
                        self._done - self._failed,
                        self._failed,
                        self._total,
                        self._pacer.rate_limited,
                    )
                )
        return result

    async def _attempts(self, index: int, body: Mapping[str, Any]) -> CallResult[T]:
        policy = self._policy
        if "max_retries" in body:
            # A request's own `max_retries` is its budget of this helper's
            # retries: every request is sent with the client's retries off.
            try:
                policy = RetryPolicy(max_retries=check_max_retries(body["max_retries"]))
            except (TypeError, ConfigurationError) as error:
                return CallResult(index, None, error)
            body = {k: v for k, v in body.items() if k != "max_retries"}
        retried = 0
        started = self._clock()
        while True:
            wait = self._pacer.wait(self._clock())
            if wait > 0:
                await self._sleep(wait)
            try:
                raw = await self._send(body)
                self._pacer.on_success(raw.headers, self._clock())
                # Parsed here: a body that cannot be read fails this request only.
                return CallResult(index, await raw.parse())
            except RateLimitError as error:
                headers = headers_of(error)
                self._pacer.on_rate_limited(headers, self._clock(), self._wall_clock())
                # Retried until the call's time budget (the client's retry
                # policy's, 10 minutes) is spent, however many 429s it takes.
                if self._clock() - started > policy.total_budget:
                    return CallResult(index, None, error)
                continue
            except (APIError, APIConnectionError) as error:
                delay = self._retry_delay(policy, error, retried, started)
                if delay is None:
                    return CallResult(index, None, error)
                retried += 1
                await self._sleep(delay)
                continue
            except Exception as error:
                # Anything else (a bad argument in this request, ...) fails this
                # request only, never the others.
                return CallResult(index, None, error)

    def _retry_delay(
        self,
        policy: RetryPolicy,
        error: APIError | APIConnectionError,
        retried: int,
        started: float,
    ) -> float | None:
        return retry_delay(
            policy,
            error,
            retried,
            elapsed=self._clock() - started,
            now=self._wall_clock(),
            random=self._rng(),
        )


def _with_defaults(
    requests: Iterable[Mapping[str, Any]], defaults: Mapping[str, Any]
) -> Iterable[Mapping[str, Any]]:
    if not defaults:
        return requests
    return ({**defaults, **request} for request in requests)


async def _many(
    resource: AsyncResource,
    method: str,
    requests: Iterable[Mapping[str, Any]],
    *,
    model: str | None,
    concurrency: int,
    on_progress: ManyProgressCallback | None,
    max_retries: int | None,
    options: Mapping[str, object],
) -> list[CallResult[Any]]:
    """Send `requests` through `resource.with_raw_response.<method>`."""
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if max_retries is not None:
        check_max_retries(max_retries)
    # Checked before anything is sent: a bad option would fail every request.
    shared = checked_options(options)
    raw_method: Any = getattr(getattr(resource, "with_raw_response"), method)  # noqa: B009

    async def send(body: Mapping[str, Any]) -> Any:
        # Retries are this helper's: one pause for every worker on a 429.
        return await raw_method(**with_call_options(body, shared), max_retries=0)

    total = len(requests) if isinstance(requests, list | tuple) else None
    run: _Run[Any] = _Run(
        resource,
        send,
        total=total,
        on_progress=on_progress,
        max_retries=max_retries,
    )
    defaults = {} if model is None else {"model": model}
    return await async_map(run.call, _with_defaults(requests, defaults), concurrency)


async def complete_many(
    resource: AsyncResource,
    requests: Iterable[Mapping[str, Any]],
    *,
    model: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_progress: ManyProgressCallback | None = None,
    max_retries: int | None = None,
    **options: Unpack[ManyRequestOptions],
) -> list[CallResult[ChatCompletionResponse]]:
    """Send many chat completions, at most `concurrency` at a time.

    Args:
        resource: The `client.chat` resource.
        requests: The keyword arguments of each `client.chat.complete` call
            (`messages`, `temperature`, ...), read lazily.
        model: The model of the requests that name none.
        concurrency: Requests in flight at most.
        on_progress: Called with a `ManyProgress` after each request.
        max_retries: Retries of a request on connection errors and 5xx (the
            client's setting when None); 429s pause every request instead.
            A request's own `max_retries` replaces it for that request.
        **options: `timeout`, `extra_headers`, `extra_query`, `extra_body`
            (see `ManyRequestOptions`), applied to every request. A request
            that holds one too keeps its own: its `timeout` wins, its
            mappings are merged over the call's (its keys win).

    Raises:
        TypeError: An unknown keyword or an option of the wrong type, before
            any request is sent.
        ConfigurationError: A timeout or retry count out of range (a
            `ValueError`), likewise.
    """
    return await _many(
        resource,
        "complete",
        requests,
        model=model,
        concurrency=concurrency,
        on_progress=on_progress,
        max_retries=max_retries,
        options=options,
    )


async def create_many(
    resource: AsyncResource,
    requests: Iterable[Mapping[str, Any]],
    *,
    model: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_progress: ManyProgressCallback | None = None,
    max_retries: int | None = None,
    **options: Unpack[ManyRequestOptions],
) -> list[CallResult[EmbeddingResponse]]:
    """Create many embeddings, at most `concurrency` requests at a time.

    Args:
        resource: The `client.embeddings` resource.
        requests: The keyword arguments of each `client.embeddings.create`
            call (`input`, `output_dimension`, ...), read lazily.
        model: The model of the requests that name none.
        concurrency: Requests in flight at most.
        on_progress: Called with a `ManyProgress` after each request.
        max_retries: As for `complete_many`.
        **options: As for `complete_many`.

    Raises:
        TypeError: As for `complete_many`.
    """
    return await _many(
        resource,
        "create",
        requests,
        model=model,
        concurrency=concurrency,
        on_progress=on_progress,
        max_retries=max_retries,
        options=options,
    )

"""`Mistral` and `AsyncMistral`: configuration, connection pool and namespaces.

Each namespace (`client.chat`, `client.files`, ...) is a generated resource class,
imported the first time it is used, so importing the package stays cheap; the
properties come from the generated `_namespaces` mixins.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Generic, TypeVar

import httpx2
from typing_extensions import Self

from ._config import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, ClientConfig, Secret
from ._namespaces import AsyncMistralNamespaces, MistralNamespaces
from ._sync._transport import SyncTransport
from ._types import NOT_GIVEN, NotGiven, TimeoutInput

if TYPE_CHECKING:
    from ._async._transport import AsyncTransport

__all__ = ["AsyncMistral", "Mistral"]

# A string constraint: the async transport loads with the first `AsyncMistral`.
_TransportT = TypeVar("_TransportT", SyncTransport, "AsyncTransport")


def _config(
    client: object,
    expected: type[httpx2.Client | httpx2.AsyncClient],
    *,
    api_key: str | None,
    base_url: str | None,
    timeout: TimeoutInput | NotGiven,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    strict: bool,
) -> ClientConfig:
    if client is not None and not isinstance(client, expected):
        raise TypeError(
            f"http_client must be an httpx2.{expected.__name__}, "
            f"not {type(client).__name__}"
        )
    if isinstance(timeout, NotGiven):
        # A caller's own client keeps its own timeout unless `timeout=` says otherwise.
        timeout = (
            client.timeout
            if isinstance(client, httpx2.Client | httpx2.AsyncClient)
            else DEFAULT_TIMEOUT
        )
    return ClientConfig.create(
        api_key=api_key,
        base_url=base_url,
        timeout=timeout,
        max_retries=max_retries,
        default_headers=default_headers,
        strict=strict,
    )


class _Client(Generic[_TransportT]):
    # What both clients share is not I/O: options, copies and their repr.
    _transport: _TransportT

    @property
    def base_url(self) -> str:
        """The URL requests are sent to."""
        return self._transport.config.base_url

    @property
    def timeout(self) -> httpx2.Timeout:
        """The default timeout of a request."""
        return self._transport.config.timeout

    @property
    def max_retries(self) -> int:
        """The default number of retries of a request."""
        return self._transport.config.max_retries

    def with_options(
        self,
        *,
        api_key: str | Secret | NotGiven = NOT_GIVEN,
        base_url: str | NotGiven = NOT_GIVEN,
        timeout: TimeoutInput | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        strict: bool | NotGiven = NOT_GIVEN,
    ) -> Self:
        """Return a copy with the given options changed, sharing the connection pool.

        The copy is cheap; closing it leaves the shared pool open.
        """
        config = self._transport.config.replace(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            strict=strict,
        )
        clone = object.__new__(type(self))
        clone._transport = self._transport.with_config(config)
        return clone

    def __repr__(self) -> str:
        config = self._transport.config
        return (
            f"{type(self).__name__}(base_url={config.base_url!r}, "
            f"api_key={str(config.api_key)!r})"
        )


class Mistral(_Client[SyncTransport], MistralNamespaces):
    """The client of the Mistral AI API.

    Args:
        api_key: The API key; defaults to `$MISTRAL_API_KEY`.
        base_url: Defaults to `$MISTRAL_BASE_URL`, else `https://api.mistral.ai`.
        timeout: Seconds (or an `httpx2.Timeout`) per request; None for none.
            Defaults to the `http_client`'s timeout when one is given, else 120 s.
        max_retries: Retries after connection errors and 408, 409, 429 and 5xx
            answers, with exponential backoff and jitter, honouring `Retry-After`.
        default_headers: Headers sent with every request.
        http_client: An `httpx2.Client` to send through (proxies, limits, ...);
            `close()` leaves it open.
        strict: Raise `ResponseValidationError` when a response departs from
            the spec, instead of reading it leniently.

    Raises:
        ConfigurationError: No API key was given or found, or a value is invalid.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutInput | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx2.Client | None = None,
        strict: bool = False,
    ) -> None:
        config = _config(
            http_client,
            httpx2.Client,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            strict=strict,
        )
        self._transport = SyncTransport(config, http_client)

    def close(self) -> None:
        """Close the connection pool (unless it came in as `http_client`)."""
        self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncMistral(_Client["AsyncTransport"], AsyncMistralNamespaces):
    """The async client of the Mistral AI API (asyncio or trio).

    Args:
        api_key: The API key; defaults to `$MISTRAL_API_KEY`.
        base_url: Defaults to `$MISTRAL_BASE_URL`, else `https://api.mistral.ai`.
        timeout: Seconds (or an `httpx2.Timeout`) per request; None for none.
            Defaults to the `http_client`'s timeout when one is given, else 120 s.
        max_retries: Retries after connection errors and 408, 409, 429 and 5xx
            answers, with exponential backoff and jitter, honouring `Retry-After`.
        default_headers: Headers sent with every request.
        http_client: An `httpx2.AsyncClient` to send through (proxies, limits,
            ...); `close()` leaves it open.
        strict: Raise `ResponseValidationError` when a response departs from
            the spec, instead of reading it leniently.

    Raises:
        ConfigurationError: No API key was given or found, or a value is invalid.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: TimeoutInput | NotGiven = NOT_GIVEN,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx2.AsyncClient | None = None,
        strict: bool = False,
    ) -> None:
        config = _config(
            http_client,
            httpx2.AsyncClient,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            strict=strict,
        )
        from ._async._transport import AsyncTransport

        self._transport = AsyncTransport(config, http_client)

    async def close(self) -> None:
        """Close the connection pool (unless it came in as `http_client`)."""
        await self._transport.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

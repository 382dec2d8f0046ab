"""Client configuration: checked once at construction, frozen afterwards."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, cast
from urllib.parse import urlsplit

import httpx2
from typing_extensions import override

from ._errors import ConfigurationError
from ._types import NOT_GIVEN, NotGiven, TimeoutInput

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "ClientConfig",
    "Secret",
    "check_max_retries",
    "to_timeout",
]

DEFAULT_BASE_URL: Final = "https://api.mistral.ai"
DEFAULT_TIMEOUT: Final = 120.0
DEFAULT_MAX_RETRIES: Final = 2
_MASK: Final = "**********"


class Secret:
    """A string that hides itself from `repr`, `str`, f-strings and logs.

    Call `get_secret_value()` where the value is really needed (the Authorization
    header) and nowhere else.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        """Return the wrapped value."""
        return self._value

    @override
    def __repr__(self) -> str:
        return f"Secret({_MASK!r})"

    @override
    def __str__(self) -> str:
        return _MASK

    @override
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        import hmac  # on first use: only comparing two keys needs it

        return hmac.compare_digest(self._value.encode(), other._value.encode())

    @override
    def __hash__(self) -> int:
        return hash(self._value)


def _api_key(value: object) -> Secret:
    if isinstance(value, Secret):
        return value
    if value is None:
        value = os.environ.get("MISTRAL_API_KEY")
    if value is not None and not isinstance(value, str):
        raise TypeError(f"api_key must be a str, not {type(value).__name__}")
    # Keys pasted from files often carry a trailing newline; strip it rather than fail.
    value = (value or "").strip()
    if not value:
        raise ConfigurationError("no API key: pass api_key= or set MISTRAL_API_KEY")
    if not all("!" <= char <= "~" for char in value):
        # Never echo the value: the error would put the key in a traceback.
        raise ConfigurationError(
            "the API key contains spaces, control or non-ASCII characters; "
            "check the value passed as api_key= or in MISTRAL_API_KEY"
        )
    return Secret(value)


def _base_url(value: object) -> str:
    if value is None:
        value = os.environ.get("MISTRAL_BASE_URL") or DEFAULT_BASE_URL
    if not isinstance(value, str):
        raise TypeError(f"base_url must be a str, not {type(value).__name__}")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(
            f"base_url must be an http(s) URL like {DEFAULT_BASE_URL!r}, got {value!r}"
        )
    return value.strip().rstrip("/")


def to_timeout(value: object) -> httpx2.Timeout:
    """Return `value` (seconds, `httpx2.Timeout` or None) as an `httpx2.Timeout`."""
    if isinstance(value, httpx2.Timeout):
        return value
    if value is None:
        return httpx2.Timeout(None)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(
            "timeout must be seconds (float), an httpx2.Timeout or None, "
            f"not {type(value).__name__}"
        )
    if not value > 0:
        raise ConfigurationError(
            f"timeout must be a positive number of seconds, got {value}"
        )
    return httpx2.Timeout(float(value))


def check_max_retries(value: object) -> int:
    """Return `value` if it is a valid retry count, else raise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_retries must be an int, not {type(value).__name__}")
    if value < 0:
        raise ConfigurationError(f"max_retries must be 0 or more, got {value}")
    return value


def header_mapping(value: object, name: str = "default_headers") -> Mapping[str, str]:
    """Return `value` (None or a mapping of str to str) as a read-only mapping.

    Raises:
        TypeError: `value` is not a mapping, or a key or value is not a str;
            the message names the argument as `name`.
    """
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a mapping, not {type(value).__name__}")
    headers: dict[str, str] = {}
    for key, item in cast("Mapping[object, object]", value).items():
        if not isinstance(key, str):
            raise TypeError(f"{name} keys must be str, not {type(key).__name__}")
        if not isinstance(item, str):
            raise TypeError(f"{name}[{key!r}] must be str, not {type(item).__name__}")
        headers[key] = item
    return MappingProxyType(headers)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"strict must be a bool, not {type(value).__name__}")
    return value


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a client needs to know to send requests; build it with `create`.

    Attributes:
        api_key: The API key, masked in every repr.
        base_url: Scheme, host and optional path prefix, without a trailing slash.
        timeout: The default timeout of a request.
        max_retries: The default number of retries after the first attempt.
        default_headers: Headers sent with every request.
        strict: Raise `ResponseValidationError` when a response departs from the spec.
    """

    api_key: Secret
    base_url: str = DEFAULT_BASE_URL
    timeout: httpx2.Timeout = field(
        default_factory=lambda: httpx2.Timeout(DEFAULT_TIMEOUT)
    )
    max_retries: int = DEFAULT_MAX_RETRIES
    default_headers: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({})
    )
    strict: bool = False

    @classmethod
    def create(
        cls,
        *,
        api_key: str | Secret | None = None,
        base_url: str | None = None,
        timeout: TimeoutInput = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        strict: bool = False,
    ) -> ClientConfig:
        """Check the arguments, fill defaults from the environment, and freeze them.

        Raises:
            ConfigurationError: No API key was found, or a value is out of range.
            TypeError: An argument has the wrong type.
        """
        return cls(
            api_key=_api_key(api_key),
            base_url=_base_url(base_url),
            timeout=to_timeout(timeout),
            max_retries=check_max_retries(max_retries),
            default_headers=header_mapping(default_headers),
            strict=_flag(strict),
        )

    def replace(
        self,
        *,
        api_key: str | Secret | NotGiven = NOT_GIVEN,
        base_url: str | NotGiven = NOT_GIVEN,
        timeout: TimeoutInput | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        default_headers: Mapping[str, str] | NotGiven = NOT_GIVEN,
        strict: bool | NotGiven = NOT_GIVEN,
    ) -> ClientConfig:
        """Return a checked copy with the given fields changed."""
        return ClientConfig.create(
            api_key=self.api_key if isinstance(api_key, NotGiven) else api_key,
            base_url=self.base_url if isinstance(base_url, NotGiven) else base_url,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            max_retries=(
                self.max_retries if isinstance(max_retries, NotGiven) else max_retries
            ),
            default_headers=(
                self.default_headers
                if isinstance(default_headers, NotGiven)
                else default_headers
            ),
            strict=self.strict if isinstance(strict, NotGiven) else strict,
        )

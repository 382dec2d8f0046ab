"""Exceptions raised by mistral-sdk, and the mapping from error responses to them.

```
MistralError
├── ConfigurationError (also ValueError)      bad client arguments, e.g. no API key
├── RequestValidationError (also ValueError)  bad request arguments, nothing sent
├── ResponseValidationError                   strict mode: a response departs from spec
├── APIConnectionError                        no HTTP response: DNS, refused, reset, ...
│   └── APITimeoutError                       ... or a timeout
└── APIError                                  the API answered with an error
    ├── BadRequestError                       400
    ├── AuthenticationError                   401
    ├── PermissionDeniedError                 403
    ├── NotFoundError                         404
    ├── ConflictError                         409
    ├── UnprocessableEntityError              422, with the parsed validation `detail`
    ├── RateLimitError                        429
    ├── InternalServerError                   >= 500
    └── ResponseDecodeError                   a body that is not the JSON it should be
```

`APIConnectionError` sits beside `APIError`, not under it: there is no status, body or
response to report, and code written as `except APIError as e: if e.status_code >= 500`
must not meet a `None` status. Other 4xx statuses raise a plain `APIError`. Error events
in the middle of a stream raise the subclass their HTTP-like `status`/`code` or their
error `type` names (`rate_limited` -> `RateLimitError`, ...), with that status; a plain
`APIError` with the stream's status only when nothing names one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import httpx2
from typing_extensions import override

from ._json import as_list, as_mapping

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "InternalServerError",
    "MistralError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseDecodeError",
    "ResponseValidationError",
    "UnprocessableEntityError",
    "connection_error",
    "error_from_payload",
    "error_from_response",
    "format_detail",
    "is_error_payload",
    "request_id_of",
]


def request_id_of(headers: Mapping[str, str]) -> str | None:
    """Return the request id the API put in `headers`, if any."""
    return headers.get("mistral-correlation-id") or headers.get("x-kong-request-id")


class MistralError(Exception):
    """Base class of every exception raised by mistral-sdk."""


class ConfigurationError(MistralError, ValueError):
    """A client argument or environment variable is missing or invalid."""


class RequestValidationError(MistralError, ValueError):
    """Request arguments do not match the operation's schema; nothing was sent.

    Attributes:
        errors: The validation errors, as pydantic reports them (`loc`, `msg`, ...).
    """

    def __init__(self, message: str, errors: Sequence[Mapping[str, Any]] = ()) -> None:
        super().__init__(message)
        self.errors: list[Mapping[str, Any]] = list(errors)

    @classmethod
    def from_pydantic(cls, exc: ValidationError, schema: str) -> RequestValidationError:
        """Wrap a pydantic `ValidationError` in a message naming the bad fields."""
        errors = exc.errors(include_url=False, include_input=False)
        return cls(f"invalid arguments for {schema}: {format_detail(errors)}", errors)


class ResponseValidationError(MistralError):
    """Strict mode: a response departs from the spec.

    Attributes:
        errors: What did not match, as reported by the validator.
        body: The raw body (or event data) that failed validation.
        response: The HTTP response, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        errors: Sequence[object] = (),
        body: str | bytes = b"",
        response: httpx2.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.errors = list(errors)
        self.body = body
        self.response = response

    @property
    def request_id(self) -> str | None:
        """The request id of the response, if any."""
        return None if self.response is None else request_id_of(self.response.headers)


class APIConnectionError(MistralError):
    """The request got no HTTP response (DNS failure, refused or broken connection).

    Attributes:
        request: The request that failed; its repr never shows the API key.
    """

    def __init__(self, message: str, *, request: httpx2.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or connection-pool timeout)."""


class APIError(MistralError):
    """The API answered with an error.

    Attributes:
        status_code: The HTTP status (for errors inside a stream: see the module doc).
        message: The server's explanation, extracted from the body.
        body: The body, decoded from JSON when it is JSON, else its text.
        request_id: The `mistral-correlation-id` (or `x-kong-request-id`) header.
        response: The HTTP response.
        code: The error `code` the API sent, if any.
        error_type: The error `type` the API sent, if any.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: object = None,
        response: httpx2.Response | None = None,
        code: str | None = None,
        error_type: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.message = message
        self.body = body
        self.response = response
        self.request_id = None if response is None else request_id_of(response.headers)
        self.code = code
        self.error_type = error_type
        suffix = f" (request id {self.request_id})" if self.request_id else ""
        super().__init__(f"{status_code}: {message}{suffix}")

    @override
    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code}, "
            f"message={self.message!r}, request_id={self.request_id!r})"
        )


class BadRequestError(APIError):
    """400: the request is malformed."""


class AuthenticationError(APIError):
    """401: the API key is missing, invalid or revoked."""


class PermissionDeniedError(APIError):
    """403: the API key may not use this resource."""


class NotFoundError(APIError):
    """404: the resource does not exist."""


class ConflictError(APIError):
    """409: the request conflicts with the resource's current state."""


class UnprocessableEntityError(APIError):
    """422: the API rejected the request's fields.

    Attributes:
        detail: The validation errors (`loc`, `msg`, `type`) reported by the API.
    """

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.detail: list[Mapping[str, Any]] = _validation_detail(self.body)


class RateLimitError(APIError):
    """429: too many requests or tokens; retried automatically before it is raised."""


class InternalServerError(APIError):
    """A 5xx status: the API failed; retried automatically before it is raised."""


class ResponseDecodeError(APIError):
    """The body of a response or event is not valid JSON; `body` keeps its text."""


_BY_STATUS: Final[Mapping[int, type[APIError]]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _build(
    status: int, body: object, message: str, response: httpx2.Response | None
) -> APIError:
    fields = _error_fields(body)
    cls = InternalServerError if status >= 500 else _BY_STATUS.get(status, APIError)
    return cls(
        message,
        status_code=status,
        body=body,
        response=response,
        code=fields.get("code"),
        error_type=fields.get("type"),
    )


def _error_fields(body: object) -> dict[str, str]:
    # `type` and `code` sit at the top level or inside `error`; codes arrive as
    # strings or integers, and are kept as strings.
    outer = as_mapping(body)
    if outer is None:
        return {}
    source = as_mapping(outer.get("error")) or outer
    return {
        key: str(source[key])
        for key in ("type", "code")
        if isinstance(source.get(key), str | int) and not isinstance(source[key], bool)
    }


def _sent_key(response: httpx2.Response) -> str:
    # The key is taken from the request that was sent, so that whatever went out
    # (the configured key or an Authorization override) is what gets scrubbed.
    try:
        authorization = response.request.headers.get("authorization", "")
    except RuntimeError:
        return ""
    scheme, _, token = authorization.partition(" ")
    return token if scheme.lower() == "bearer" and len(token) >= 8 else ""


def _scrub(text: str, response: httpx2.Response) -> str:
    secret = _sent_key(response)
    return text.replace(secret, "***") if secret and secret in text else text


def error_from_response(response: httpx2.Response) -> APIError:
    """Return the `APIError` for an error response whose body has been read.

    Should the server echo the API key, it is replaced by `***` in the message and
    the body.
    """
    text = _scrub(response.text, response)
    body: object
    try:
        body = json.loads(text) if text.strip() else None
    except ValueError:
        body = text
    message = _extract_message(body, text, response.reason_phrase or "error")
    return _build(response.status_code, body, message, response)


def is_error_payload(payload: object) -> bool:
    """Tell whether a decoded event or body is one of the API's error shapes."""
    body = as_mapping(payload)
    if body is None:
        return False
    return (
        body.get("object") == "error"
        or isinstance(body.get("error"), Mapping | str)
        or body.get("type") == "conversation.response.error"
    )


def error_from_payload(payload: object, *, response: httpx2.Response) -> APIError:
    """Return the `APIError` for an error event received inside a stream.

    The class is the one the payload names: an HTTP-like `status` or `code`
    (`429` -> `RateLimitError`, `503` -> `InternalServerError`, ...), else an error
    `type` or `code` such as `rate_limited`, `unauthorized` or `internal_error`.
    `status_code` is that status (the usual one for a named type); a payload that
    names nothing gives a plain `APIError` with the stream's own status.
    """
    text = json.dumps(payload, default=str)
    if _scrub(text, response) != text:
        payload = json.loads(_scrub(text, response))
    status = _named_status(payload) or response.status_code
    message = _extract_message(payload, "", "error event in stream")
    return _build(status, payload, message, response)


# Error `type`s (and non-numeric `code`s) the API and its gateways use, reduced by
# `_kind` (lower case, `_` separators, no `_error` suffix), with their usual status.
_STATUS_BY_KIND: Final[Mapping[str, int]] = {
    "bad_request": 400,
    "invalid_request": 400,
    "invalid_model": 400,
    "unauthorized": 401,
    "unauthenticated": 401,
    "authentication": 401,
    "invalid_api_key": 401,
    "forbidden": 403,
    "permission_denied": 403,
    "not_found": 404,
    "conflict": 409,
    "unprocessable_entity": 422,
    "validation": 422,
    "rate_limited": 429,
    "rate_limit": 429,
    "rate_limit_exceeded": 429,
    "too_many_requests": 429,
    "internal": 500,
    "internal_server": 500,
    "server": 500,
    "bad_gateway": 502,
    "service_unavailable": 503,
    "overloaded": 503,
    "gateway_timeout": 504,
}


def _named_status(payload: object) -> int | None:
    # An explicit HTTP-like status wins over a code, a code over a type: the
    # numbers are what the server would have answered outside a stream.
    outer = as_mapping(payload)
    if outer is None:
        return None
    sources = [source for source in (as_mapping(outer.get("error")), outer) if source]
    for key in ("status", "status_code", "code"):
        for source in sources:
            status = _http_status(source.get(key))
            if status is not None:
                return status
    for key in ("type", "code"):
        for source in sources:
            value = source.get(key)
            if isinstance(value, str) and _kind(value) in _STATUS_BY_KIND:
                return _STATUS_BY_KIND[_kind(value)]
    return None


def _http_status(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    text = str(value).strip()
    return int(text) if text.isdigit() and 400 <= int(text) <= 599 else None


def _kind(value: str) -> str:
    kind = value.strip().lower().replace("-", "_").replace(" ", "_")
    return kind.removesuffix("_error").removesuffix("_exception")


def connection_error(
    exc: Exception, request: httpx2.Request | None = None
) -> APIConnectionError:
    """Return the SDK error for an httpx2 failure; raise it `from exc`.

    The message names the failure's kind and httpx2's text, which holds the URL but
    never the headers.
    """
    cls = APITimeoutError if isinstance(exc, httpx2.TimeoutException) else None
    kind = "timed out" if cls else "connection error"
    text = str(exc) or type(exc).__name__
    return (cls or APIConnectionError)(f"{kind}: {text}", request=request)


# ------------------------------------------------------------------ message extraction
_MAX_TEXT: Final = 200
_MAX_DETAILS: Final = 10
# Patterns compile on first use (re caches them): only error paths need them, and
# compiling them with the module cost every `import mistral_sdk` ~0.4 ms.
_TITLE: Final = r"(?is)<title[^>]*>(.*?)</title>"
_HIDDEN: Final = r"(?is)<(script|style)\b.*?</\1>"
_TAG: Final = r"<[^>]*>"


def _extract_message(body: object, text: str, fallback: str) -> str:
    found = None if isinstance(body, str) else _message_of(body)
    return found or _short_text(text) or fallback


def _message_of(value: object) -> str | None:
    # The API nests its explanation in several ways: {"message": "..."},
    # {"message": {"detail": [...]}}, {"detail": [...]}, {"detail": "..."} and
    # {"error": {"message": "..."}}; the first non-empty one wins.
    if value is None:
        return None
    if isinstance(value, str):
        return _short_text(value) or None
    mapping, items = as_mapping(value), as_list(value)
    if mapping is not None:
        for key in ("message", "detail", "error"):
            found = _message_of(mapping.get(key))
            if found:
                return found
    if items:
        return format_detail(items)
    return _truncate(json.dumps(value, separators=(",", ":"), default=str))


# Steps pydantic adds to a location inside unions (`tagged-union[...]`,
# `function-wrap[...]`, `list[...]`, the branch's type name): they name its
# validators, not the user's fields.
_VALIDATOR_STEP: Final = r"[\w-]+\[.*\]|str|int|float|bool|dict|list|none"


def _is_field(part: object) -> bool:
    return part != "body" and not (
        isinstance(part, str) and re.fullmatch(_VALIDATOR_STEP, part)
    )


def format_detail(items: Sequence[object]) -> str:
    """Return validation errors (`loc`, `msg`) as one short line."""
    parts: list[str] = []
    for item in items[:_MAX_DETAILS]:
        detail = as_mapping(item)
        if detail is not None and "msg" in detail:
            loc = as_list(detail.get("loc")) or []
            path = ".".join(str(part) for part in loc if _is_field(part))
            part = f"{path}: {detail['msg']}" if path else str(detail["msg"])
            if part not in parts:
                parts.append(part)
        else:
            parts.append(str(item))
    if len(items) > _MAX_DETAILS:
        parts.append(f"... ({len(items) - _MAX_DETAILS} more)")
    return _truncate("; ".join(parts), limit=_MAX_TEXT * 5)


def _validation_detail(body: object) -> list[Mapping[str, Any]]:
    outer = as_mapping(body)
    candidates: list[object] = [body]
    if outer is not None:
        candidates += [outer.get("detail"), outer.get("message"), outer.get("error")]
        for key in ("message", "error"):
            inner = as_mapping(outer.get(key))
            if inner is not None:
                candidates.append(inner.get("detail"))
    for candidate in candidates:
        items = as_list(candidate)
        if items is not None:
            return [m for m in map(as_mapping, items) if m is not None]
    return []


def _short_text(text: str) -> str:
    # An HTML error page (a proxy's 502) is reduced to its title or visible text.
    text = text.strip()
    if text.startswith("<"):
        title = re.search(_TITLE, text)
        text = (
            title.group(1) if title else re.sub(_TAG, " ", re.sub(_HIDDEN, " ", text))
        )
    return _truncate(" ".join(text.split()))


def _truncate(text: str, limit: int = _MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"

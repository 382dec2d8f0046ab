"""Request building, sans-IO: from an operation and the caller's arguments to parts.

Nothing here sends anything; the transports turn `RequestParts` into an
`httpx2.Request` with their client's `build_request`, so a user-supplied client's
own headers (compression, proxies' needs) still apply.

Unset optional fields (`NOT_GIVEN`) never leave the process: the API answers 422 to
fields it does not expect, and an omitted field takes the server's default.
"""

from __future__ import annotations

import enum
import functools
import json
import math
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import IO, Any, Final, Protocol, TypeAlias, cast
from urllib.parse import quote

import httpx2

from ._config import ClientConfig, check_max_retries, to_timeout
from ._errors import RequestValidationError
from ._types import NotGiven, RequestOptions
from ._version import __version__

__all__ = [
    "FilePart",
    "OperationLike",
    "RequestParts",
    "build_request",
    "encode_query",
    "render_path",
    "user_agent",
]

FilePart: TypeAlias = tuple[str, "bytes | IO[bytes]", str]
"""A normalised upload: `(filename, content, content_type)`."""

_OPTION_KEYS: Final = frozenset(RequestOptions.__annotations__)
_PLACEHOLDER: Final = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# RFC 3986 lets a path segment hold sub-delims, ":" and "@" as they are; ids such
# as `ft:open-mistral-7b:587a6b29:...` must reach the server unchanged. "/", "?",
# "#", "%", spaces and everything else are percent-encoded, so that a value stays
# one segment and never becomes a query or a fragment.
_SEGMENT_SAFE: Final = ":@!$&'()*+,;="


class OperationLike(Protocol):
    """The parts of `mistral_sdk._resource.Operation` that request building reads."""

    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def body_model(self) -> Any: ...
    @property
    def multipart(self) -> bool: ...
    @property
    def hidden(self) -> Mapping[str, object]: ...
    @property
    def json_query(self) -> frozenset[str]: ...


# No generated `__eq__`/`__hash__`/`__repr__` (one is written below): nothing compares
# parts, and generating the methods cost every `import mistral_sdk` ~0.4 ms.
@dataclass(frozen=True, slots=True, eq=False, repr=False)
class RequestParts:
    """Everything needed to build one `httpx2.Request`."""

    method: str
    url: str
    params: list[tuple[str, str]]
    headers: dict[str, str]
    timeout: httpx2.Timeout
    max_retries: int | None = None
    content: bytes | None = None
    data: dict[str, list[str]] | None = None
    files: list[tuple[str, FilePart]] | None = None

    def __repr__(self) -> str:
        # Tracebacks that show local variables (pytest -l, error trackers) print
        # this; credentials must not be in it, as httpx2 hides them in its Headers.
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["headers"] = _masked(self.headers)
        shown = ", ".join(f"{name}={value!r}" for name, value in values.items())
        return f"RequestParts({shown})"


_SECRET_HEADERS: Final = frozenset({"authorization", "proxy-authorization"})
_BODILESS: Final = frozenset({"GET", "HEAD"})


def _masked(headers: Mapping[str, str]) -> dict[str, str]:
    return {
        key: "[secure]" if key.lower() in _SECRET_HEADERS else value
        for key, value in headers.items()
    }


@functools.cache
def user_agent() -> str:
    """Return the User-Agent sent with every request."""
    import platform  # on first use: it costs more to import than the rest here

    python = ".".join(map(str, sys.version_info[:3]))
    return f"mistral-sdk-python/{__version__} python/{python} {platform.system()}"


def render_path(template: str, params: Mapping[str, object] | None) -> str:
    """Fill a path template's `{placeholders}` with values quoted as one segment each.

    Raises:
        RequestValidationError: A value is missing, empty, `.` or `..` (each would
            silently address another resource, e.g. the collection instead of one item).
    """
    values = params or {}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name)
        if value is None or isinstance(value, NotGiven | bool):
            raise RequestValidationError(f"path parameter {name!r} is required")
        text = value.value if isinstance(value, enum.Enum) else value
        text = str(text)
        if text in ("", ".", ".."):
            raise RequestValidationError(f"path parameter {name!r} is {text!r}")
        return quote(text, safe=_SEGMENT_SAFE)

    return _PLACEHOLDER.sub(fill, template)


def _json_default(value: object) -> Any:
    # Imported on first use: models and datetimes only reach JSON through here.
    from pydantic_core import to_jsonable_python

    return to_jsonable_python(value)


def _dumps(value: object) -> str:
    # NaN and infinities are not JSON; the API would reject the whole body.
    return json.dumps(
        value,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _scalar(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str | int | float):
        return str(value)
    return _dumps(value)


def _is_set(value: object) -> bool:
    # A query or form field cannot carry a null, so None is left out like NOT_GIVEN.
    return value is not None and not isinstance(value, NotGiven)


def _form_pairs(
    fields: Mapping[str, object], json_fields: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in fields.items():
        if not _is_set(value):
            continue
        if key in json_fields:
            pairs.append((key, _dumps(value)))
        elif isinstance(value, list | tuple | set | frozenset):
            items = cast("Iterable[object]", value)
            pairs.extend((key, _scalar(item)) for item in items if _is_set(item))
        else:
            pairs.append((key, _scalar(value)))
    return pairs


def encode_query(
    query: Mapping[str, object] | None,
    json_query: frozenset[str] = frozenset(),
    extra: Mapping[str, object] | None = None,
) -> list[tuple[str, str]]:
    """Return the query as ordered pairs; `extra` keys replace the operation's."""
    pairs = _form_pairs(query or {}, json_query)
    if extra:
        pairs = [pair for pair in pairs if pair[0] not in extra]
        pairs += _form_pairs(extra, json_query)
    return pairs


def _json_body(
    op: OperationLike,
    body: Mapping[str, object] | None,
    extra_body: Mapping[str, Any] | None,
) -> bytes | None:
    if body is None and not op.hidden and not extra_body:
        return None
    if extra_body and op.method in _BODILESS:
        # A GET with a body is dropped or refused on the way (proxies, the API):
        # a field the caller meant to send would vanish silently.
        raise TypeError(
            f"extra_body: {op.method} {op.path} sends no body (use extra_query)"
        )
    fields = {k: v for k, v in (body or {}).items() if not isinstance(v, NotGiven)}
    fields.update(op.hidden)
    if op.body_model is not None:
        from pydantic import ValidationError

        from ._model_base import dump_request

        try:
            fields = dump_request(op.body_model, fields)
        except ValidationError as exc:
            name = getattr(op.body_model, "__name__", "the request body")
            raise RequestValidationError.from_pydantic(exc, name) from exc
    if extra_body:
        fields.update(extra_body)
    try:
        return _dumps(fields).encode()
    except (TypeError, ValueError) as exc:
        where = _non_finite(fields) if isinstance(exc, ValueError) else None
        problem = f"{where[0]} is {where[1]}, which JSON cannot carry" if where else exc
        raise RequestValidationError(
            f"the request body is not JSON: {problem}"
        ) from exc


def _non_finite(value: object, path: str = "") -> tuple[str, float] | None:
    # The first NaN or infinity in a JSON-ready value, with its dotted path, so
    # that the error names the field instead of "Out of range float values".
    if isinstance(value, float) and not math.isfinite(value):
        return path or "the body", value
    items: Iterable[tuple[object, object]] = ()
    if isinstance(value, Mapping):
        items = cast("Mapping[object, object]", value).items()
    elif isinstance(value, list | tuple):
        items = enumerate(cast("Sequence[object]", value))
    for key, item in items:
        found = _non_finite(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


def _multipart_fields(
    op: OperationLike,
    body: Mapping[str, object] | None,
    extra_body: Mapping[str, Any] | None,
) -> dict[str, list[str]]:
    # Form fields have no types: lists become repeated fields, objects JSON text.
    merged = {**(body or {}), **op.hidden, **(extra_body or {})}
    data: dict[str, list[str]] = {}
    for key, value in _form_pairs(merged):
        data.setdefault(key, []).append(value)
    return data


def encode_fields_only_multipart(
    data: Mapping[str, Sequence[str]],
) -> tuple[bytes, str]:
    """Return `(body, content_type)` of a multipart form without file parts.

    httpx2 sends a form without files url-encoded; the API's multipart operations
    need multipart even when every part is a plain field (e.g. a transcription of
    a `file_url`).
    """
    boundary = os.urandom(16).hex()
    chunks: list[bytes] = []
    for name, values in data.items():
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        for value in values:
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{quoted}"'
                f"\r\n\r\n{value}\r\n".encode()
            )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def check_options(options: Mapping[str, object]) -> None:
    """Reject keywords that are neither parameters nor per-call options.

    Generated methods collect per-call options with `**options`, so without this
    check a misspelt parameter (`temprature=`) would be dropped without a word.
    """
    unknown = sorted(set(options) - _OPTION_KEYS)
    if unknown:
        raise TypeError(f"unexpected keyword argument {unknown[0]!r}")


def build_request(
    config: ClientConfig,
    op: OperationLike,
    *,
    path: Mapping[str, object] | None = None,
    query: Mapping[str, object] | None = None,
    body: Mapping[str, object] | None = None,
    files: Sequence[tuple[str, FilePart]] = (),
    options: RequestOptions,
    accept: str = "application/json",
) -> RequestParts:
    """Return the parts of the request for one call of an operation.

    Raises:
        RequestValidationError: The arguments do not fit the operation.
        TypeError: An unknown keyword, a per-call option of the wrong type, or
            `extra_body` on a GET (it sends no body).
    """
    check_options(options)
    headers = {
        "Authorization": f"Bearer {config.api_key.get_secret_value()}",
        "User-Agent": user_agent(),
        "Accept": accept,
    }
    content: bytes | None = None
    data: dict[str, list[str]] | None = None
    if op.multipart:
        data = _multipart_fields(op, body, options.get("extra_body"))
        if not files:
            content, headers["Content-Type"] = encode_fields_only_multipart(data)
            data = None
    else:
        content = _json_body(op, body, options.get("extra_body"))
        if content is not None:
            headers["Content-Type"] = "application/json"
    headers.update(config.default_headers)
    headers.update(options.get("extra_headers") or {})
    retries = options.get("max_retries")
    return RequestParts(
        method=op.method,
        url=config.base_url + render_path(op.path, path),
        params=encode_query(query, op.json_query, options.get("extra_query")),
        headers=headers,
        timeout=to_timeout(options.get("timeout", config.timeout)),
        max_retries=None if retries is None else check_max_retries(retries),
        content=content,
        data=data,
        files=list(files) if op.multipart and files else None,
    )

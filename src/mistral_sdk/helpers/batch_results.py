"""Batch results, sans-IO: one line of an output or error file to a `BatchResult`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final, cast

from mistral_sdk._errors import ResponseDecodeError

__all__ = [
    "BatchRequestError",
    "BatchResult",
    "custom_id_of",
    "not_run",
    "parse_result_line",
    "read_line",
]

_RESPONSE_TYPES: Final = {
    "/v1/chat/completions": ("common_completions", "ChatCompletionResponse"),
    "/v1/fim/completions": ("fim", "FIMCompletionResponse"),
    "/v1/embeddings": ("embeddings", "EmbeddingResponse"),
    "/v1/moderations": ("classifiers", "ModerationResponse"),
    "/v1/chat/moderations": ("classifiers", "ModerationResponse"),
    "/v1/classifications": ("classifiers", "ClassificationResponse"),
    "/v1/chat/classifications": ("classifiers", "ClassificationResponse"),
    "/v1/ocr": ("ocr", "OCRResponse"),
    "/v1/conversations": ("conversations", "ConversationResponse"),
    "/v1/audio/transcriptions": ("audio", "TranscriptionResponse"),
}


@dataclass(frozen=True, slots=True)
class BatchRequestError:
    """Why one request of a batch has no response.

    Attributes:
        status: The HTTP status the request got; None when it never ran
            (its job failed, expired or was cancelled first).
        message: The API's message.
        body: The error body as received, when there was one.
    """

    status: int | None
    message: str
    body: object = None


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The outcome of one request of a batch run.

    Attributes:
        custom_id: The request's id (given, or generated from its position).
        response: The typed response for the job's endpoint
            (`ChatCompletionResponse`, `EmbeddingResponse`, ...), or None.
        error: Why there is no response, or None.
        shard: Which job of the run it came from (0, 1, ...).
    """

    custom_id: str
    response: Any
    error: BatchRequestError | None
    shard: int = 0

    @property
    def ok(self) -> bool:
        """Return whether the request succeeded."""
        return self.error is None


def _response_type(endpoint: str) -> Any:
    found = _RESPONSE_TYPES.get(endpoint)
    if found is None:
        return None
    import importlib

    module = importlib.import_module(f"mistral_sdk.types.{found[0]}")
    return getattr(module, found[1])


def _message(body: object, fallback: str) -> str:
    if isinstance(body, dict):
        fields = cast("dict[str, object]", body)
        for key in ("message", "detail"):
            value = fields.get(key)
            if isinstance(value, str):
                return value
            if value is not None:
                return json.dumps(value)
    return fallback


def read_line(line: bytes) -> dict[str, Any]:
    """Return one line of a batch file (input, output or error) as its JSON object.

    Raises:
        ResponseDecodeError: The line is not a JSON object with a `custom_id`.
    """
    try:
        data: object = json.loads(line)
    except ValueError:
        data = None
    if not isinstance(data, dict) or "custom_id" not in data:
        raise ResponseDecodeError(
            f"not a batch file line (a JSON object with a custom_id): {line[:200]!r}",
            status_code=200,
            body=line.decode(errors="replace"),
        )
    return cast("dict[str, Any]", data)


def custom_id_of(line: bytes) -> str:
    """Return the `custom_id` of one line of a batch file.

    Raises:
        ResponseDecodeError: The line is not a JSON object with a `custom_id`.
    """
    return str(read_line(line)["custom_id"])


def parse_result_line(
    line: bytes, endpoint: str, *, shard: int = 0, strict: bool = False
) -> BatchResult:
    """Return the `BatchResult` of one JSONL line of an output or error file.

    The response body is parsed as the endpoint's response type (leniently
    unless `strict`); an unknown endpoint keeps the decoded JSON.

    Raises:
        ResponseDecodeError: The line is not a JSON object with a `custom_id`.
        ResponseValidationError: Strict, and the body departs from the spec.
    """
    from mistral_sdk._response import parse_response

    record = read_line(line)
    custom_id = str(record["custom_id"])
    given = record.get("response")
    response = cast("dict[str, Any]", given) if isinstance(given, dict) else {}
    status = response.get("status_code")
    body = response.get("body")
    error = record.get("error")
    if error or (isinstance(status, int) and status >= 400):
        detail = cast("dict[str, Any]", error if isinstance(error, dict) else {})
        code = status if isinstance(status, int) else detail.get("code")
        return BatchResult(
            custom_id,
            None,
            BatchRequestError(
                code if isinstance(code, int) else None,
                str(detail.get("message") or _message(body, "Request failed")),
                body,
            ),
            shard,
        )
    tp = _response_type(endpoint)
    parsed = body if tp is None else parse_response(tp, json.dumps(body), strict=strict)
    return BatchResult(custom_id, parsed, None, shard)


def not_run(custom_id: str, job_status: str, *, shard: int = 0) -> BatchResult:
    """Return the result of a request its job never ran."""
    message = f"not run: the batch job ended {job_status}"
    return BatchResult(custom_id, None, BatchRequestError(None, message), shard)

"""Error answers with the bodies the real API sends.

Three shapes exist: the gateway's `{"message", "request_id"}` (401), FastAPI's
`{"detail": ...}` (422, unknown routes) and the services' `{"object": "error",
"message", "type", "param", "code"}` for everything else (400 invalid model,
404, 429, 5xx).
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["ApiError", "error_body"]

# Type and code the services put in their error objects, per status.
_KINDS: Final[dict[int, tuple[str, str | None]]] = {
    400: ("invalid_request_error", None),
    403: ("permission_denied", None),
    404: ("not_found", None),
    409: ("conflict", None),
    429: ("rate_limited", "1300"),
    500: ("internal_server_error", None),
    502: ("bad_gateway", None),
    503: ("service_unavailable", None),
}
_MESSAGES: Final = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    409: "Conflict",
    422: "Unprocessable entity",
    429: "Rate limit exceeded",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


def error_body(
    status: int, message: str | None = None, *, request_id: str = ""
) -> dict[str, Any]:
    """Return the body the API sends with `status`."""
    text = message or _MESSAGES.get(status, "Error")
    if status == 401:
        return {"message": text, "request_id": request_id}
    if status == 422:
        return {
            "detail": [{"type": "value_error", "loc": [], "msg": text, "input": None}]
        }
    kind, code = _KINDS.get(status, ("api_error", None))
    return {
        "object": "error",
        "message": text,
        "type": kind,
        "param": None,
        "code": code,
    }


class ApiError(Exception):
    """Raised by a handler to answer with an error status."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        body: object = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message or _MESSAGES.get(status, "Error"))
        self.status = status
        self.message = message
        self.body = body
        self.headers = headers or {}

    def to_body(self, request_id: str) -> object:
        """Return the body to send."""
        if self.body is not None:
            return self.body
        return error_body(self.status, self.message, request_id=request_id)

    @classmethod
    def not_found(cls, what: str, key: str) -> ApiError:
        """Return the 404 of a missing object."""
        return cls(404, f"{what} {key} not found")

    @classmethod
    def invalid_model(cls, model: str) -> ApiError:
        """Return the API's 400 for a model it does not serve."""
        body = {
            "object": "error",
            "message": f"Invalid model: {model}",
            "type": "invalid_model",
            "param": None,
            "code": "1500",
        }
        return cls(400, body["message"], body=body)

    @classmethod
    def validation(cls, detail: list[dict[str, Any]]) -> ApiError:
        """Return a 422 with FastAPI's error list."""
        return cls(422, "Validation error", body={"detail": detail})

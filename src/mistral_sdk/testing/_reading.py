"""Reading a request as its operation declares it, or the API's 422.

Path and query parameters arrive as text and are read with their schema's type;
JSON and multipart bodies are parsed and checked against the spec. Every problem
is reported at once, path first, then query, then body, as FastAPI does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import parse_qsl

from ._errors import ApiError
from ._http import FormData, Request, parse_multipart
from ._json import is_object
from ._messages import Error, error, missing
from ._schema import Validator
from ._spec import Operation, Param
from ._text_values import from_strings

__all__ = ["read_form", "read_request", "wants_stream"]

_URLENCODED: Final = "application/x-www-form-urlencoded"
_SERVICE_ERROR: Final = "#/components/schemas/ObservabilityError"
_ACCEPTED_EXTRAS: Final[Mapping[str, Mapping[str, Mapping[str, Any]]]] = {
    # Fields current clients send that the spec's closed schemas do not list
    # yet: the API takes them, so must the emulator (they do not change answers).
    "ocr_v1_ocr_post": {"include_blocks": {"type": "boolean"}},
}


def read_form(request: Request) -> FormData | None:
    """Return a form body, multipart or urlencoded; None if it is neither."""
    kind = request.headers.get("content-type", "")
    if kind.split(";")[0].strip().lower() == _URLENCODED:
        form = FormData()
        text = request.body.decode("utf-8", "replace")
        for name, value in parse_qsl(text, keep_blank_values=True):
            form.fields.setdefault(name, []).append(value)
        return form
    if kind.startswith("multipart/"):
        return parse_multipart(kind, request.body)
    return None


def wants_stream(request: Request) -> bool:
    """Return whether the body asks for a stream (`"stream": true`)."""
    form = read_form(request)
    if form is not None:
        values = form.fields.get("stream", [])
        return bool(values) and values[-1].lower() in ("true", "1")
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        return False
    return is_object(body) and body.get("stream") is True


def read_request(
    validator: Validator, op: Operation, request: Request, path: Mapping[str, str]
) -> tuple[dict[str, Any], Any]:
    """Return the typed query and the body of a request.

    Raises:
        ApiError: 422 with every problem found.
    """
    problems: list[Error] = []
    for param in op.params:
        if param.location == "path":
            problems += validator.errors(
                param.schema, path[param.name], ("path", param.name)
            )
    query: dict[str, Any] = {}
    raw = request.query_values()
    for param in op.params:
        if param.location == "query":
            query[param.name], found = _query_value(
                validator, param, raw.get(param.name)
            )
            problems += found
    body, found = _body(validator, op, request)
    problems += found
    if problems:
        raise _validation(op, problems)
    return query, body


def _validation(op: Operation, problems: list[Error]) -> ApiError:
    declared = op.responses.get("422", {}).get("application/json", {})
    if declared.get("$ref") != _SERVICE_ERROR:
        return ApiError.validation(problems)
    # The observability services wrap validation errors in their own shape.
    message = "; ".join(
        f"{'.'.join(str(part) for part in p['loc'])}: {p['msg']}" for p in problems
    )
    body = {"detail": {"message": message, "error_code": "VALIDATION_ERROR"}}
    return ApiError(422, message, body=body)


def _query_value(
    validator: Validator, param: Param, raw: list[str] | None
) -> tuple[Any, list[Error]]:
    loc = ("query", param.name)
    if raw is None:
        if param.required:
            return None, [missing(loc, None)]
        return param.schema.get("default"), []
    if not param.json:
        return from_strings(validator, param.schema, raw, loc)
    try:
        value = json.loads(raw[-1])
    except ValueError as exc:
        return None, [error("json_invalid", loc, raw[-1], str(exc))]
    return value, validator.errors(param.schema, value, loc)


def _body(
    validator: Validator, op: Operation, request: Request
) -> tuple[Any, list[Error]]:
    if op.body_schema is None:
        return None, []
    if op.body_media == "multipart/form-data":
        return _form(validator, op.body_schema, request)
    if not request.body.strip():
        return None, [missing(("body",), None)] if op.body_required else []
    try:
        value = json.loads(request.body)
    except ValueError as exc:
        position = getattr(exc, "pos", 0)
        return None, [
            error("json_invalid", ("body", position), {}, str(exc).split(":")[0])
        ]
    extras = _ACCEPTED_EXTRAS.get(op.operation_id, {})
    if not extras or not is_object(value):
        return value, validator.errors(op.body_schema, value, ("body",))
    checked = {k: v for k, v in value.items() if k not in extras}
    problems = validator.errors(op.body_schema, checked, ("body",))
    for name, schema in extras.items():
        if name in value:
            problems += validator.errors(schema, value[name], ("body", name))
    return value, problems


def _form(
    validator: Validator, schema: Mapping[str, Any], request: Request
) -> tuple[FormData, list[Error]]:
    form = read_form(request) or FormData()
    schema, _ = validator.resolve(schema)
    required = set(schema.get("required", ()))
    problems: list[Error] = []
    for name, sub in schema.get("properties", {}).items():
        loc = ("body", name)
        if _is_binary(validator, sub):
            if name in form.fields and name not in form.files:
                problems.append(
                    error(
                        "value_error", loc, form.fields[name][-1], "Expected UploadFile"
                    )
                )
            elif name in required and name not in form.files:
                problems.append(missing(loc, None))
        elif name in form.fields:
            _, found = from_strings(validator, sub, form.fields[name], loc)
            problems += found
        elif name in required:
            problems.append(missing(loc, None))
    return form, problems


def _is_binary(validator: Validator, schema: Mapping[str, Any]) -> bool:
    resolved, _ = validator.resolve(schema)
    options = resolved.get("anyOf") or resolved.get("oneOf") or [resolved]
    return any(validator.resolve(o)[0].get("format") == "binary" for o in options)

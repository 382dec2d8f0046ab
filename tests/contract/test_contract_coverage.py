"""Coverage: the call table the contract tests send reaches every operation of
docs/openapi.yaml and is valid against the spec. (That both clients have a method
for every operation is checked without Prism, in tests/test_namespaces.py.)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest

from . import _spec
from ._calls import CALLS
from ._calls_latest import LATEST_CALLS

pytestmark = pytest.mark.contract


TABLE = CALLS + LATEST_CALLS


def test_coverage_the_call_table_reaches_every_operation() -> None:
    assert sorted(set(_spec.operations()) - {call.operation_id for call in TABLE}) == []


@pytest.mark.parametrize("call", TABLE, ids=[call.id for call in TABLE])
def test_coverage_the_call_table_is_valid_against_the_spec(call: Any) -> None:
    # The table is checked here, without the SDK, so that a violation Prism reports
    # later is the SDK's doing and not the table's.
    operation = _spec.spec_operation(call.operation_id)
    path_params = [p for p in operation.get("parameters", []) if p["in"] == "path"]
    query = {
        p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"
    }
    # Header parameters are keywords too, spelled as Python names (`last_event_id`).
    query |= {
        p["name"].replace("-", "_"): p
        for p in operation.get("parameters", [])
        if p["in"] == "header"
    }
    body_schema, media_type = _spec.request_body_schema(call.operation_id)
    body_fields = _spec.schema_properties(body_schema) if body_schema else set()

    kwargs = dict(call.kwargs)
    extra_body = kwargs.pop("extra_body", {})
    assert isinstance(extra_body, dict)

    assert len(call.args) == len(path_params)
    assert set(kwargs) | set(extra_body) <= set(query) | body_fields
    for name, value in kwargs.items():
        if name in query:
            errors = _spec.validator_for(_param_schema(query[name])).iter_errors(
                _jsonable(value)
            )
            assert [e.message for e in errors] == [], name
    if media_type == "application/json" and body_schema is not None:
        body = {k: v for k, v in kwargs.items() if k not in query} | extra_body
        if "stream" in body_fields:
            body["stream"] = call.kind == "stream"
        errors = _spec.validator_for(body_schema).iter_errors(body)
        assert [e.message for e in errors] == []


def _param_schema(param: Mapping[str, Any]) -> Mapping[str, Any]:
    if "content" in param:
        schema: Mapping[str, Any] = param["content"]["application/json"]["schema"]
        return schema
    schema = param["schema"]
    return schema


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value

"""Coverage: every operation of docs/openapi.yaml has a method on both clients.

The list of operations comes from the spec, never from a hand-written list; the
client side is discovered by walking the resource tree of each client and reading
each resource class's `_operation_ids`.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import cached_property
from typing import Any

import pytest

from . import _spec
from ._calls import CALLS
from ._calls_latest import LATEST_CALLS

pytestmark = pytest.mark.contract


def _resources(node: object, path: str = "") -> Iterator[tuple[str, object]]:
    """Yield `(dotted namespace, resource)` for every resource reachable from a client."""
    from mistral_sdk._resource import AsyncResource, SyncResource

    for name in sorted(dir(type(node))):
        if name.startswith("_") or name == "with_raw_response":
            continue
        if not isinstance(
            inspect.getattr_static(type(node), name), cached_property | property
        ):
            continue
        child = getattr(node, name)
        if isinstance(child, SyncResource | AsyncResource):
            dotted = f"{path}.{name}" if path else name
            yield dotted, child
            yield from _resources(child, dotted)


def _methods_by_operation(client: object) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for dotted, resource in _resources(client):
        ids: Mapping[str, str] = getattr(type(resource), "_operation_ids", {})
        for method, operation_id in ids.items():
            assert callable(getattr(resource, method, None)), (
                f"{dotted}.{method} is missing"
            )
            found.setdefault(operation_id, []).append(f"{dotted}.{method}")
    return found


def test_coverage_every_operation_has_a_sync_method() -> None:
    from mistral_sdk import Mistral

    with Mistral(api_key="test-key", base_url="http://127.0.0.1:9") as client:
        found = _methods_by_operation(client)

    assert sorted(set(_spec.operations()) - set(found)) == []
    assert sorted(set(found) - set(_spec.operations())) == []


async def _async_methods() -> dict[str, list[str]]:
    from mistral_sdk import AsyncMistral

    async with AsyncMistral(
        api_key="test-key", base_url="http://127.0.0.1:9"
    ) as client:
        return _methods_by_operation(client)


@pytest.mark.anyio
async def test_coverage_every_operation_has_an_async_method() -> None:
    found = await _async_methods()

    assert sorted(set(_spec.operations()) - set(found)) == []
    assert sorted(set(found) - set(_spec.operations())) == []


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

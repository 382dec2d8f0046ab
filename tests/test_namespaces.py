"""Every operation of docs/openapi.yaml has a method on both clients.

The list of operations comes from the spec, never from a hand-written list; the
client side is discovered by walking the resource tree of each client and reading
each resource class's `_operation_ids`. No server is involved, so this runs with
the unit tests rather than behind the contract marker.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from functools import cached_property

import pytest
from contract import _spec

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk._resource import AsyncResource, SyncResource


def _resources(node: object, path: str = "") -> Iterator[tuple[str, object]]:
    """Yield `(dotted namespace, resource)` for every resource reachable from a client."""
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


def test_namespaces_every_operation_has_a_sync_method() -> None:
    with Mistral(api_key="test-key", base_url="http://127.0.0.1:9") as client:
        found = _methods_by_operation(client)

    assert sorted(set(_spec.operations()) - set(found)) == []
    assert sorted(set(found) - set(_spec.operations())) == []


async def _async_methods() -> dict[str, list[str]]:
    async with AsyncMistral(
        api_key="test-key", base_url="http://127.0.0.1:9"
    ) as client:
        return _methods_by_operation(client)


@pytest.mark.anyio
async def test_namespaces_every_operation_has_an_async_method() -> None:
    found = await _async_methods()

    assert sorted(set(_spec.operations()) - set(found)) == []
    assert sorted(set(found) - set(_spec.operations())) == []


def _helper_methods(client: object) -> dict[str, list[str]]:
    """Return each resource's public methods that are no operation (the helpers)."""
    found: dict[str, list[str]] = {}
    for dotted, resource in _resources(client):
        ids: Mapping[str, str] = getattr(type(resource), "_operation_ids", {})
        for name in dir(type(resource)):
            member = inspect.getattr_static(type(resource), name)
            if name.startswith("_") or name in ids or not inspect.isfunction(member):
                continue
            found[f"{dotted}.{name}"] = list(inspect.signature(member).parameters)
    return found


def test_namespaces_every_helper_exists_on_both_clients_alike() -> None:
    # API.md: "Every helper exists on AsyncMistral with the same name."
    sync_helpers = _helper_methods(Mistral(api_key="test-api-key"))
    async_helpers = _helper_methods(AsyncMistral(api_key="test-api-key"))

    assert {"chat.parse", "chat.run_tools", "batch.run"} <= set(sync_helpers)
    assert {
        "beta.conversations.run",
        "chat.complete_many",
        "embeddings.create_many",
    } <= set(sync_helpers)
    assert sync_helpers == async_helpers

"""Every sync/async pair of core classes exposes the same names and parameters."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from mistral_sdk import (
    APIResponse,
    AsyncAPIResponse,
    AsyncBinaryResponse,
    AsyncCompletionStream,
    AsyncConversationStream,
    AsyncMistral,
    AsyncPage,
    AsyncResponseContextManager,
    AsyncStream,
    BinaryResponse,
    CompletionStream,
    ConversationStream,
    Mistral,
    ResponseContextManager,
    Stream,
    SyncPage,
)
from mistral_sdk._async._transport import AsyncTransport
from mistral_sdk._resource import (
    AsyncResource,
    AsyncStreamedMethod,
    StreamedMethod,
    SyncResource,
)
from mistral_sdk._sync._transport import SyncTransport

PAIRS = [
    (SyncTransport, AsyncTransport),
    (Stream, AsyncStream),
    (CompletionStream, AsyncCompletionStream),
    (ConversationStream, AsyncConversationStream),
    (SyncPage, AsyncPage),
    (BinaryResponse, AsyncBinaryResponse),
    (SyncResource, AsyncResource),
    (APIResponse, AsyncAPIResponse),
    (ResponseContextManager, AsyncResponseContextManager),
    (StreamedMethod, AsyncStreamedMethod),
    (Mistral, AsyncMistral),
]
# The helpers generated code calls are private by name but part of the contract.
CONTRACT = ("_json", "_stream", "_page", "_binary", "_send", "_make_page")


def public_names(cls: type) -> set[str]:
    names = {name for name in dir(cls) if not name.startswith("_")}
    return names | {name for name in CONTRACT if hasattr(cls, name)}


def shape(member: Any) -> list[tuple[str, Any, Any]]:
    if isinstance(member, property):
        member = member.fget
    if isinstance(member, type) or not callable(member):
        return []
    signature = inspect.signature(member)
    return [
        (p.name, p.kind, None if callable(p.default) else p.default)
        for p in signature.parameters.values()
    ]


@pytest.mark.parametrize(("sync", "async_"), PAIRS, ids=lambda c: c.__name__)
def test_twins_expose_the_same_names(sync: type, async_: type) -> None:
    assert public_names(sync) == public_names(async_)


@pytest.mark.parametrize(("sync", "async_"), PAIRS, ids=lambda c: c.__name__)
def test_twins_take_the_same_parameters(sync: type, async_: type) -> None:
    for name in sorted(public_names(sync) | {"__init__"}):
        sync_member = inspect.getattr_static(sync, name)
        async_member = inspect.getattr_static(async_, name)

        assert shape(sync_member) == shape(async_member), name


@pytest.mark.parametrize(("sync", "async_"), PAIRS, ids=lambda c: c.__name__)
def test_twins_async_side_awaits_where_the_sync_side_does_io(
    sync: type, async_: type
) -> None:
    for name in (
        "close",
        "read",
        "send",
        "get_next_page",
        "write_to_file",
        "_json",
        "_stream",
        "_binary",
        "_send",
        "parse",
        "until_done",
        "get_final_completion",
        "get_final_response",
    ):
        if hasattr(sync, name):
            assert not inspect.iscoroutinefunction(getattr(sync, name)), name
            assert inspect.iscoroutinefunction(getattr(async_, name)), name

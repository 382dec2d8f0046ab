"""Lists the API answers whole (no paging parameter) are single pages, on both clients."""

from __future__ import annotations

from typing import Any

import anyio
from conftest import MockApi, json_reply, make_async
from factories import FakeClock

from mistral_sdk.types import (
    AgentAliasResponse,
    BaseModelCard,
    FTModelCard,
    ListLibraryOut,
    ModelList,
)

from . import payloads

_MODELS = {
    "object": "list",
    "data": [
        payloads.model_card("mistral-small-latest"),
        {**payloads.model_card("ft:1", "fine-tuned"), "job": "j", "root": "r"},
    ],
}
_ALIAS = {
    "alias": "prod",
    "version": 2,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-02T00:00:00Z",
}


def test_models_list_is_a_single_page_of_cards(sdk: Any, api: MockApi) -> None:
    api.add("GET", "/v1/models", json_reply(200, _MODELS))

    models = sdk.models.list(provider="mistral")
    cards = list(models)

    assert [type(card) for card in cards] == [BaseModelCard, FTModelCard]
    assert [card.id for card in models.data] == ["mistral-small-latest", "ft:1"]
    assert isinstance(models.body, ModelList)
    assert [card.id for card in models.body.data or []] == [
        "mistral-small-latest",
        "ft:1",
    ]
    assert models.total is None
    assert models.has_next_page() is False
    # Iterating did not ask for a second page (MockApi fails on an unexpected one).
    assert len(api.requests) == 1
    assert dict(api.last.url.params) == {"provider": "mistral"}


def test_models_list_raw_and_streaming_views_parse_to_the_page(
    sdk: Any, api: MockApi
) -> None:
    api.add(
        "GET",
        "/v1/models",
        json_reply(200, _MODELS, **{"mistral-correlation-id": "r1"}),
        json_reply(200, _MODELS),
    )

    raw = sdk.models.with_raw_response.list()
    with sdk.models.with_streaming_response.list() as streamed:
        streamed_ids = [card.id for card in streamed.parse()]

    assert raw.request_id == "r1"
    assert [card.id for card in raw.parse()] == ["mistral-small-latest", "ft:1"]
    assert streamed_ids == ["mistral-small-latest", "ft:1"]
    assert len(api.requests) == 2


def test_a_json_array_list_is_a_single_page(sdk: Any, api: MockApi) -> None:
    api.add("GET", "/v1/agents/ag_1/aliases", json_reply(200, [_ALIAS]))

    aliases = sdk.beta.agents.list_version_aliases("ag_1")

    assert [(a.alias, a.version) for a in aliases] == [("prod", 2)]
    assert [type(a) for a in aliases.body] == [AgentAliasResponse]
    assert aliases.has_next_page() is False
    assert len(api.requests) == 1


def test_an_empty_single_page_yields_nothing(sdk: Any, api: MockApi) -> None:
    api.add("GET", "/v1/libraries", json_reply(200, {"data": []}))

    libraries = sdk.beta.libraries.list()

    assert list(libraries) == []
    assert isinstance(libraries.body, ListLibraryOut)
    assert libraries.has_next_page() is False
    assert len(api.requests) == 1


def test_async_models_list_awaits_to_the_page_and_async_iterates(
    api: MockApi, clock: FakeClock
) -> None:
    api.add("GET", "/v1/models", json_reply(200, _MODELS), json_reply(200, _MODELS))

    async def run() -> tuple[list[str], list[str], bool]:
        client = make_async(api, clock)
        page = await client.models.list()
        ids = [card.id async for card in client.models.list()]
        await client._transport.http_client.aclose()
        return [card.id for card in page.data], ids, page.has_next_page()

    data, ids, more = anyio.run(run)

    assert data == ids == ["mistral-small-latest", "ft:1"]
    assert more is False
    assert len(api.requests) == 2  # one per call, never a second page

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import SimpleNamespace

import anyio
import httpx2
import pytest
from conftest import Handle, MockApi, json_reply, make_async
from factories import (
    FakeClock,
    agent,
    dataset_list,
    file_list,
    registration_list,
    voice_list,
)

from mistral_sdk import NotFoundError
from mistral_sdk._pagination import (
    Paging,
    first_offset,
    items_of,
    next_page_query,
    page_query,
    total_of,
)
from mistral_sdk._types import NOT_GIVEN

# The generated operations of each paging style.
FILES = "/v1/files"  # page numbers from 0, `data` and an optional `total`
AGENTS = "/v1/agents"  # page numbers, a bare JSON array
VOICES = "/v1/audio/voices"  # offset and limit
REGISTRATIONS = "/v1/workflows/registrations"  # a cursor in `next_cursor`
DATASETS = "/v1/observability/datasets"  # page numbers from 1, a `next` link


def page(
    *, total: int | None = None, pagination: Mapping[str, object] | None = None
) -> object:
    return SimpleNamespace(total=total, pagination=pagination)


def test_next_page_increments_page_and_keeps_the_rest() -> None:
    query = {"page": 2, "page_size": 3, "model": "m"}

    assert next_page_query(query, page(), count=3, offset=6) == {
        "page": 3,
        "page_size": 3,
        "model": "m",
    }


def test_next_page_starts_from_zero() -> None:
    assert next_page_query({}, page(), count=5, offset=0) == {"page": 1}


def test_next_page_stops_on_empty_page() -> None:
    assert next_page_query({}, page(), count=0, offset=0) is None


def test_next_page_stops_on_short_page_when_page_size_given() -> None:
    assert next_page_query({"page_size": 10}, page(), count=9, offset=0) is None
    assert next_page_query({"page_size": "10"}, page(), count=9, offset=0) is None


def test_next_page_short_page_without_page_size_continues() -> None:
    # Servers' default page sizes differ (20 for agents, 100 for files).
    assert next_page_query({}, page(), count=20, offset=0) == {"page": 1}


def test_next_page_stops_on_total() -> None:
    assert (
        next_page_query({"page": 1, "page_size": 5}, page(total=10), count=5, offset=5)
        is None
    )
    assert next_page_query(
        {"page": 0, "page_size": 5}, page(total=11), count=5, offset=0
    ) == {"page": 1, "page_size": 5}


def test_next_page_stops_on_has_more_false() -> None:
    info = {"has_more": False, "total_pages": 9, "total_items": 99}

    assert next_page_query({}, page(pagination=info), count=10, offset=0) is None


def test_next_page_stops_on_total_pages() -> None:
    info = {"has_more": True, "total_pages": 3, "total_items": 99}

    assert (
        next_page_query({"page": 2}, page(pagination=info), count=10, offset=20) is None
    )
    assert next_page_query({"page": 1}, page(pagination=info), count=10, offset=10) == {
        "page": 2
    }


def test_next_page_stops_on_total_items() -> None:
    info = {"total_items": 15}

    assert (
        next_page_query({"page": 1}, page(pagination=info), count=5, offset=10) is None
    )


def test_first_offset_estimates_never_overshoot() -> None:
    assert first_offset({"page": 2, "page_size": 10}, 4) == 20
    assert first_offset({"page": 2}, 4) == 8
    assert first_offset({}, 4) == 0


def test_items_of_attribute_mapping_and_array() -> None:
    assert items_of(SimpleNamespace(data=[1, 2]), "data") == [1, 2]
    assert items_of({"data": (3,)}, "data") == [3]
    assert items_of([4, 5], "") == [4, 5]
    assert items_of(SimpleNamespace(data=None), "data") == []


def test_page_query_moves_paging_out_of_extra_query() -> None:
    query, extra = page_query(
        {"page": NOT_GIVEN, "model": "m"}, {"page_size": 5, "x": 1}
    )

    assert query == {"model": "m", "page_size": 5}
    assert extra == {"x": 1}


# ------------------------------------------------------------------ through both clients
def pages_of(api: MockApi) -> list[dict[str, str]]:
    return [dict(r.url.params) for r in api.requests]


def test_pages_iterate_across_pages(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "GET",
        FILES,
        json_reply(200, file_list("a", "b")),
        json_reply(200, file_list("c", "d")),
        json_reply(200, file_list("e")),
    )
    handle = both_clients()

    first = handle.client.files.list(page_size=2)

    assert [i.id for i in first.items] == ["a", "b"]
    assert first.has_next_page()
    assert [i.id for i in first] == ["a", "b", "c", "d", "e"]
    assert pages_of(api) == [
        {"page_size": "2"},
        {"page_size": "2", "page": "1"},
        {"page_size": "2", "page": "2"},
    ]


def test_pages_stop_on_total(both_clients: Callable[..., Handle], api: MockApi) -> None:
    api.add(
        "GET",
        FILES,
        json_reply(200, file_list("a", "b", total=4)),
        json_reply(200, file_list("c", "d", total=4)),
    )
    handle = both_clients()

    assert [i.id for i in handle.client.files.list()] == ["a", "b", "c", "d"]
    assert len(api.requests) == 2


def test_pages_of_array_bodies_stop_on_empty_page(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "GET",
        AGENTS,
        json_reply(200, [agent("a")]),
        json_reply(200, [agent("b")]),
        json_reply(200, []),
    )
    handle = both_clients()

    result = handle.client.beta.agents.list()

    assert [i.id for i in result.body] == ["a"]
    assert [i.id for i in result] == ["a", "b"]
    assert pages_of(api) == [{}, {"page": "1"}, {"page": "2"}]


def test_pages_iter_pages_and_get_next_page(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "GET",
        FILES,
        json_reply(200, file_list("a", total=2)),
        json_reply(200, file_list("b", total=2)),
    )
    handle = both_clients()

    first = handle.client.files.list()
    pages = list(first.iter_pages())

    assert [[i.id for i in p.items] for p in pages] == [["a"], ["b"]]
    assert not pages[-1].has_next_page()
    with pytest.raises(RuntimeError, match="no next page"):
        pages[-1].get_next_page()


def test_pages_keep_options_and_move_extra_page(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "GET", FILES, json_reply(200, file_list("a", "b")), json_reply(200, file_list())
    )
    handle = both_clients()

    result = handle.client.files.list(
        extra_query={"page": 3, "tag": "x"}, extra_headers={"x-h": "1"}
    )
    assert [i.id for i in result] == ["a", "b"]

    assert pages_of(api) == [{"page": "3", "tag": "x"}, {"page": "4", "tag": "x"}]
    assert all(r.headers["x-h"] == "1" for r in api.requests)


def test_async_paginator_await_and_async_for(api: MockApi, clock: FakeClock) -> None:
    api.add(
        "GET",
        FILES,
        json_reply(200, file_list("a", total=2)),
        json_reply(200, file_list("a", total=2)),
        json_reply(200, file_list("b", total=2)),
    )

    async def run() -> tuple[list[str], list[str]]:
        client = make_async(api, clock)
        first = await client.files.list()
        ids = [item.id async for item in client.files.list()]
        await client._transport.http_client.aclose()
        return [i.id for i in first.items], ids

    first_ids, all_ids = anyio.run(run)

    assert first_ids == ["a"]
    assert all_ids == ["a", "b"]


def test_async_paginator_sends_nothing_until_used(
    api: MockApi, clock: FakeClock
) -> None:
    async def run() -> None:
        client = make_async(api, clock)
        client.files.list()
        await client._transport.http_client.aclose()

    anyio.run(run)

    assert api.requests == []


def test_pages_error_on_a_later_page_is_raised(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "GET",
        FILES,
        json_reply(200, file_list("a")),
        httpx2.Response(404, json={"message": "gone"}),
    )
    handle = both_clients(max_retries=0)

    with pytest.raises(NotFoundError, match="gone"):
        list(handle.client.files.list())


# ------------------------------------------------------------------ page attributes
def test_page_data_total_and_body(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    # Defect 7: `.data` raised AttributeError on paginated lists.
    api.add("GET", FILES, json_reply(200, file_list("a", "b", total=2)))
    handle = both_clients()

    first = handle.client.files.list()

    assert [i.id for i in first.data] == ["a", "b"]
    assert first.total == 2
    assert [i.id for i in first.body.data] == ["a", "b"]


def test_page_total_from_pagination_total_items_or_none() -> None:
    reported = SimpleNamespace(total=None, pagination={"total_items": 9})

    assert total_of(reported) == 9
    assert total_of(page()) is None


def test_page_page_is_a_deprecated_alias_of_body(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add("GET", FILES, json_reply(200, file_list("a")))
    handle = both_clients()
    first = handle.client.files.list()

    with pytest.warns(DeprecationWarning, match="page.body"):
        body = first.page

    assert body.data[0].id == "a"


# ------------------------------------------------------------------ paging styles
OFFSETS = Paging("offset", param="offset", size_param="limit")
CURSORS = Paging("cursor", param="cursor", size_param="limit", next_field="next")
TOKENS = Paging(
    "cursor", param="page_token", size_param="limit", next_field="meta.next_token"
)


def test_offset_paging_advances_by_the_items_seen() -> None:
    query = {"offset": 10, "limit": 5, "q": "x"}

    assert next_page_query(query, page(), count=5, offset=10, paging=OFFSETS) == {
        "offset": 15,
        "limit": 5,
        "q": "x",
    }


def test_offset_paging_stops_on_short_page_total_or_empty_page() -> None:
    assert (
        next_page_query({"limit": 5}, page(), count=4, offset=0, paging=OFFSETS) is None
    )
    assert (
        next_page_query({}, page(total=12), count=2, offset=10, paging=OFFSETS) is None
    )
    assert next_page_query({}, page(), count=0, offset=3, paging=OFFSETS) is None


def test_offset_paging_first_offset_is_the_query_offset() -> None:
    assert first_offset({"offset": 30, "limit": 10}, 10, OFFSETS) == 30
    assert first_offset({}, 10, OFFSETS) == 0


def test_cursor_paging_follows_the_next_cursor() -> None:
    body = {"data": [1, 2], "next": "c2"}

    assert next_page_query({"limit": 2}, body, count=2, offset=0, paging=CURSORS) == {
        "limit": 2,
        "cursor": "c2",
    }


def test_cursor_paging_reads_a_dotted_next_field() -> None:
    body = SimpleNamespace(meta=SimpleNamespace(next_token="t9"))

    assert next_page_query({}, body, count=1, offset=0, paging=TOKENS) == {
        "page_token": "t9"
    }


@pytest.mark.parametrize(
    "body",
    [
        {"next": None},
        {"next": ""},
        {},
        {"next": "c1"},  # the same cursor again would loop forever
        {"next": "c2", "has_more": False},
    ],
)
def test_cursor_paging_stops(body: dict[str, object]) -> None:
    query = {"cursor": "c1"}

    assert next_page_query(query, body, count=3, offset=0, paging=CURSORS) is None


def test_cursor_paging_short_page_does_not_end_the_list() -> None:
    # Cursor APIs may return fewer items than the limit before the end.
    body = {"next": "c2"}

    assert next_page_query({"limit": 10}, body, count=3, offset=0, paging=CURSORS) == {
        "limit": 10,
        "cursor": "c2",
    }


def test_page_query_moves_the_styles_parameters_out_of_extra_query() -> None:
    query, extra = page_query(
        {"limit": 5}, {"cursor": "c0", "tag": "x", "page": 1}, CURSORS
    )

    assert query == {"limit": 5, "cursor": "c0"}
    assert extra == {"tag": "x", "page": 1}


def test_offset_pages_through_a_resource(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "GET",
        VOICES,
        json_reply(200, voice_list("a", "b", total=3, limit=2)),
        json_reply(200, voice_list("c", total=3, offset=2, limit=2)),
    )
    handle = both_clients()

    first = handle.client.audio.voices.list(limit=2)

    assert [i.id for i in first] == ["a", "b", "c"]
    assert first.total == 3
    assert pages_of(api) == [{"limit": "2"}, {"limit": "2", "offset": "2"}]


def test_cursor_pages_through_a_resource(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "GET",
        REGISTRATIONS,
        json_reply(200, registration_list("a", next_cursor="c1")),
        json_reply(200, registration_list("b", next_cursor=None)),
    )
    handle = both_clients()

    first = handle.client.beta.workflows.list_registrations()
    pages = list(first.iter_pages())

    assert [[i.id for i in p.data] for p in pages] == [["a"], ["b"]]
    assert pages[0].total is None
    assert pages_of(api) == [{}, {"cursor": "c1"}]


def test_pages_counted_from_one_through_a_resource(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "GET",
        DATASETS,
        json_reply(200, dataset_list("a", count=3, next_page="/datasets?page=2")),
        json_reply(200, dataset_list("b", count=3, next_page="/datasets?page=3")),
        json_reply(200, dataset_list("c", count=3, next_page=None)),
    )
    handle = both_clients()

    first = handle.client.beta.observability.datasets.list(page_size=1)

    assert [i.id for i in first.data] == ["a"]
    assert [i.id for i in first] == ["a", "b", "c"]
    assert pages_of(api) == [
        {"page_size": "1"},
        {"page_size": "1", "page": "2"},
        {"page_size": "1", "page": "3"},
    ]


# ----------------------------------------------------------------------------- pages from 1
FROM_ONE = Paging(first=1, next_field="judges.next")


def test_next_page_query_counts_from_the_first_page_number() -> None:
    body = {"judges": {"results": [1, 2], "count": 5, "next": "/?page=2"}}

    assert next_page_query({}, body, count=2, offset=0, paging=FROM_ONE) == {"page": 2}


def test_next_page_query_ends_when_the_next_field_is_null() -> None:
    body = {"judges": {"results": [1, 2], "next": None}}

    assert (
        next_page_query({"page": 3}, body, count=2, offset=4, paging=FROM_ONE) is None
    )


def test_total_of_reads_the_paging_total_field() -> None:
    paging = Paging(first=1, next_field="judges.next", total_field="judges.count")
    body = {"judges": {"results": [1, 2], "count": 5, "next": "/?page=2"}}

    assert total_of(body, paging) == 5
    assert total_of(body) is None


def test_next_page_query_ends_at_the_total_field_count() -> None:
    paging = Paging(first=1, next_field="judges.next", total_field="judges.count")
    # A server that keeps a `next` link past the end must not make the list loop.
    body = {"judges": {"results": [1, 2], "count": 4, "next": "/?page=3"}}

    assert next_page_query({"page": 2}, body, count=2, offset=2, paging=paging) is None


def test_first_offset_of_the_first_page_is_zero_when_pages_count_from_one() -> None:
    assert first_offset({}, 10, FROM_ONE) == 0
    assert first_offset({"page": 3, "page_size": 10}, 10, FROM_ONE) == 20


def test_next_page_query_total_pages_when_pages_count_from_one() -> None:
    paging = Paging(first=1)
    body = {"data": [1], "pagination": {"total_pages": 2}}

    assert next_page_query({"page": 1}, body, count=1, offset=0, paging=paging) == {
        "page": 2
    }
    assert next_page_query({"page": 2}, body, count=1, offset=1, paging=paging) is None


# ----------------------------------------------------------------------------- single pages
SINGLE = Paging("single")


@pytest.mark.parametrize(
    "body",
    [
        {"data": [1, 2], "total": 10},  # a total beyond the page still ends it
        {"data": [1], "has_more": True},
        {"data": [1], "next": "c2", "page": 0},
    ],
)
def test_single_page_never_has_a_next_page(body: dict[str, object]) -> None:
    query = {"page": 0, "page_size": 1}

    assert next_page_query(query, body, count=2, offset=0, paging=SINGLE) is None
    assert first_offset(query, 2, SINGLE) == 0


def test_single_page_leaves_extra_query_as_given() -> None:
    # No parameter pages it: an extra `page` is the caller's own, sent once.
    query, extra = page_query({"provider": "mistral"}, {"page": 2}, SINGLE)

    assert query == {"provider": "mistral"}
    assert extra == {"page": 2}

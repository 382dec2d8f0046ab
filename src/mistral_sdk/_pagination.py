"""Auto-paginating lists: `SyncPage`, `AsyncPage` and `AsyncPaginator`.

The API's list operations take a `page` number (from 0) and a `page_size`. The
next page is the same request with `page + 1`; `next_page_query` decides whether
there is one, from what this page says about itself (a pure function).

A short page ends the list only when the caller chose `page_size`: without it the
server's default applies, and it differs between operations (100 for files, 20
for agents), so the list then ends on an empty page or on what the page reports
(`total`, `pagination.has_more`, `pagination.total_pages`).
"""

from __future__ import annotations

from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Mapping,
)
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from ._json import as_list, as_mapping
from ._types import NotGiven

__all__ = [
    "AsyncPage",
    "AsyncPaginator",
    "Paging",
    "SyncPage",
    "first_offset",
    "items_of",
    "next_page_query",
    "page_query",
]

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT")

_NO_NEXT = "there is no next page; check has_next_page() first"


def _field(value: object, name: str) -> object:
    mapping = as_mapping(value)
    return getattr(value, name, None) if mapping is None else mapping.get(name)


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


@dataclass(frozen=True)
class Paging:
    """How a list operation selects its pages (the generator emits it per operation).

    Attributes:
        style: "page" (page numbers), "offset" (item offsets) or "cursor" (a cursor or
            token the previous page returned).
        param: The query parameter selecting the page.
        size_param: The query parameter setting the page size.
        next_field: Cursor style: dotted path in the response body to the next cursor.
    """

    style: Literal["page", "offset", "cursor"] = "page"
    param: str = "page"
    size_param: str = "page_size"
    next_field: str = ""


def items_of(page: object, attribute: str) -> list[Any]:
    """Return the items of a parsed page; `attribute` "" means the page is the list.

    A dotted attribute (`judges.results`) walks nested objects.
    """
    value = page
    for name in attribute.split(".") if attribute else ():
        value = _field(value, name)
    return as_list(value) or []


def page_query(
    query: Mapping[str, object] | None, extra_query: Mapping[str, object] | None
) -> tuple[dict[str, object], dict[str, object]]:
    """Split a list call's query into the paginated query and the other extras.

    Unset values are dropped. `page` and `page_size` given in `extra_query` move
    into the query the paginator advances: left in `extra_query` they would
    override every later page, and the iteration would never end.
    """
    clean = {k: v for k, v in (query or {}).items() if not isinstance(v, NotGiven)}
    extra = dict(extra_query or {})
    for key in ("page", "page_size"):
        if key in extra:
            clean[key] = extra.pop(key)
    return clean, extra


def first_offset(query: Mapping[str, object], count: int) -> int:
    """Return how many items precede the first fetched page, never more than true.

    Without an explicit `page_size` the pages before are assumed no longer than
    this one, which can only make the `total` check below fetch one page too many.
    """
    page = _int(query.get("page")) or 0
    size = _int(query.get("page_size"))
    return page * (count if size is None else size)


def _after(
    query: Mapping[str, object], page: object, count: int, paging: Paging
) -> dict[str, object] | None:
    """The next query of an offset or cursor list (page numbers: `next_page_query`)."""
    if paging.style == "offset":
        size = _int(query.get(paging.size_param))
        if size is not None and count < size:
            return None
        start = _int(query.get(paging.param)) or 0
        return {**query, paging.param: start + count}
    cursor: object = page
    for name in paging.next_field.split("."):
        cursor = _field(cursor, name)
    if cursor is None or cursor == "" or cursor == query.get(paging.param):
        return None
    return {**query, paging.param: cursor}


def next_page_query(
    query: Mapping[str, object],
    page: object,
    *,
    count: int,
    offset: int,
    paging: Paging | None = None,
) -> dict[str, object] | None:
    """Return the query of the page after `page`, or None if `page` is the last.

    Args:
        query: The query that fetched `page` (without `NOT_GIVEN` values).
        page: The parsed page.
        count: How many items `page` holds.
        offset: How many items precede `page` (see `first_offset`).
        paging: How the operation selects pages (page numbers when None).
    """
    if count == 0:
        return None
    if paging is not None and paging.style != "page":
        return _after(query, page, count, paging)
    current = _int(query.get("page")) or 0
    size = _int(query.get("page_size"))
    if size is not None and count < size:
        return None
    pagination = _field(page, "pagination")
    if _field(pagination, "has_more") is False:
        return None
    total_pages = _int(_field(pagination, "total_pages"))
    if total_pages is not None and current + 1 >= total_pages:
        return None
    total = _int(_field(page, "total"))
    if total is None:
        total = _int(_field(pagination, "total_items"))
    if total is not None and offset + count >= total:
        return None
    return {**query, "page": current + 1}


class SyncPage(Generic[ItemT, PageT]):
    """One page of a list; iterating it yields the items of this and later pages.

    Attributes:
        page: The parsed response of this page (e.g. `ListFilesOut`, or the list
            itself for operations answering with a JSON array).
        items: The items on this page only.
    """

    def __init__(
        self,
        page: PageT,
        items: list[ItemT],
        *,
        query: Mapping[str, object],
        offset: int,
        fetch: Callable[[Mapping[str, object], int], SyncPage[ItemT, PageT]],
        paging: Paging | None = None,
    ) -> None:
        self.page = page
        self.items = items
        self._fetch = fetch
        self._offset = offset + len(items)
        self._next = next_page_query(
            query, page, count=len(items), offset=offset, paging=paging
        )

    def has_next_page(self) -> bool:
        """Tell whether another page follows this one."""
        return self._next is not None

    def get_next_page(self) -> SyncPage[ItemT, PageT]:
        """Fetch the next page.

        Raises:
            RuntimeError: This is the last page.
        """
        if self._next is None:
            raise RuntimeError(_NO_NEXT)
        return self._fetch(self._next, self._offset)

    def iter_pages(self) -> Iterator[SyncPage[ItemT, PageT]]:
        """Yield this page, then each following page, fetched as needed."""
        page = self
        yield page
        while page.has_next_page():
            page = page.get_next_page()
            yield page

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.iter_pages():
            yield from page.items

    def __repr__(self) -> str:
        return (
            f"SyncPage(items={len(self.items)}, has_next_page={self._next is not None})"
        )


class AsyncPage(Generic[ItemT, PageT]):
    """One page of a list; `async for` over it yields the items of all pages.

    Attributes:
        page: The parsed response of this page (e.g. `ListFilesOut`, or the list
            itself for operations answering with a JSON array).
        items: The items on this page only.
    """

    def __init__(
        self,
        page: PageT,
        items: list[ItemT],
        *,
        query: Mapping[str, object],
        offset: int,
        fetch: Callable[
            [Mapping[str, object], int], Awaitable[AsyncPage[ItemT, PageT]]
        ],
        paging: Paging | None = None,
    ) -> None:
        self.page = page
        self.items = items
        self._fetch = fetch
        self._offset = offset + len(items)
        self._next = next_page_query(
            query, page, count=len(items), offset=offset, paging=paging
        )

    def has_next_page(self) -> bool:
        """Tell whether another page follows this one."""
        return self._next is not None

    async def get_next_page(self) -> AsyncPage[ItemT, PageT]:
        """Fetch the next page.

        Raises:
            RuntimeError: This is the last page.
        """
        if self._next is None:
            raise RuntimeError(_NO_NEXT)
        return await self._fetch(self._next, self._offset)

    async def iter_pages(self) -> AsyncIterator[AsyncPage[ItemT, PageT]]:
        """Yield this page, then each following page, fetched as needed."""
        page = self
        yield page
        while page.has_next_page():
            page = await page.get_next_page()
            yield page

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.iter_pages():
            for item in page.items:
                yield item

    def __repr__(self) -> str:
        more = self._next is not None
        return f"AsyncPage(items={len(self.items)}, has_next_page={more})"


class AsyncPaginator(Generic[ItemT, PageT]):
    """What async list methods return: await it for the first page, or `async for`.

    `page = await client.batch.jobs.list()` gives the first `AsyncPage`;
    `async for job in client.batch.jobs.list()` walks every item of every page.
    Nothing is sent until one of the two happens; each does its own requests.
    """

    def __init__(self, first: Callable[[], Awaitable[AsyncPage[ItemT, PageT]]]) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPage[ItemT, PageT]]:
        return self._get().__await__()

    async def _get(self) -> AsyncPage[ItemT, PageT]:
        return await self._first()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        page = await self._first()
        async for item in page:
            yield item

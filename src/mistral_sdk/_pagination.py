"""Auto-paginating lists, sans-IO: paging styles, next-page queries, page state.

An operation pages in one of four `Paging` styles:
- "page": a page number (from 0) and a page size; the next page is `page + 1`;
- "offset": an item offset and a limit; the next page starts after this one;
- "cursor": an opaque cursor or token that the response names for the next page;
- "single": the operation has no paging parameter and answers the whole list at
  once (`models.list`): one page, never a next one, so that every list method
  returns a page whatever the API does.

`next_page_query` decides from what a page says about itself whether another
follows, and with which query (a pure function). A short page ends the list only
when the caller chose the page size: without it the server's default applies, and
it differs between operations (100 for files, 20 for agents), so the list then
ends on an empty page or on what the page reports (`total`,
`pagination.has_more`, `pagination.total_pages`).

`AsyncPage` (`_async/_pagination.py`) and its generated twin `SyncPage` add the
fetching; `AsyncPaginator` makes the first page of an async list awaitable and
async-iterable.
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Generic, Literal, Protocol, TypeVar

from ._json import as_list, as_mapping
from ._types import NotGiven

if TYPE_CHECKING:
    from ._async._pagination import AsyncPage

__all__ = [
    "NO_NEXT",
    "PAGE_NUMBERS",
    "AsyncPaginator",
    "PageState",
    "Paging",
    "first_offset",
    "items_of",
    "next_page_query",
    "page_query",
    "total_of",
]

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT")
_Parsed_co = TypeVar("_Parsed_co", covariant=True)

NO_NEXT: Final = "there is no next page; check has_next_page() first"
"""The message of the error `get_next_page()` raises on the last page."""


@dataclass(frozen=True)
class Paging:
    """How a list operation selects its pages.

    Attributes:
        style: "page" (page numbers), "offset" (item offsets), "cursor"
            (a cursor or token from the previous response) or "single" (the
            whole list in one answer, without paging parameters).
        param: The query parameter selecting the page ("page", "offset",
            "cursor", "next_page_token", ...); unused by "single".
        size_param: The query parameter of the page size ("page_size", "limit");
            unused by "single".
        next_field: Cursor style: the dotted path in the response body holding
            the next cursor (e.g. "next_cursor", "pagination.next"). Page
            style: a field that is null on the last page (e.g. "next").
        first: Page style: the number of the first page (the spec's default for
            `param`: 0 for the original lists, 1 for observability's).
        total_field: The dotted path in the response body of the whole list's
            item count, where it is not `total` (observability's
            `judges.count`).
    """

    style: Literal["page", "offset", "cursor", "single"] = "page"
    param: str = "page"
    size_param: str = "page_size"
    next_field: str = ""
    first: int = 0
    total_field: str = ""


PAGE_NUMBERS: Final = Paging()
"""The paging of the API's original list operations: `page` and `page_size`."""


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


def _path(value: object, dotted: str) -> object:
    for name in dotted.split("."):
        value = _field(value, name)
    return value


def total_of(page: object, paging: Paging = PAGE_NUMBERS) -> int | None:
    """Return the item count a page reports.

    From the paging's `total_field`, else `total` or `pagination.total_items`.
    """
    if paging.total_field:
        return _int(_path(page, paging.total_field))
    total = _int(_field(page, "total"))
    if total is None:
        total = _int(_field(_field(page, "pagination"), "total_items"))
    return total


def items_of(page: object, attribute: str) -> list[Any]:
    """Return the items of a parsed page; `attribute` "" means the page is the list.

    A dotted attribute (`judges.results`) walks nested objects.
    """
    return as_list(_path(page, attribute) if attribute else page) or []


def page_query(
    query: Mapping[str, object] | None,
    extra_query: Mapping[str, object] | None,
    paging: Paging = PAGE_NUMBERS,
) -> tuple[dict[str, object], dict[str, object]]:
    """Split a list call's query into the paginated query and the other extras.

    Unset values are dropped. The page and page-size parameters given in
    `extra_query` move into the query the paginator advances: left in
    `extra_query` they would override every later page, and the iteration would
    never end.
    """
    clean = {k: v for k, v in (query or {}).items() if not isinstance(v, NotGiven)}
    extra = dict(extra_query or {})
    if paging.style == "single":
        # No parameter pages it: an extra `page` is the caller's own, sent as given.
        return clean, extra
    for key in (paging.param, paging.size_param):
        if key in extra:
            clean[key] = extra.pop(key)
    return clean, extra


def first_offset(
    query: Mapping[str, object], count: int, paging: Paging = PAGE_NUMBERS
) -> int:
    """Return how many items precede the first fetched page, never more than true.

    Without an explicit page size the pages before are assumed no longer than
    this one, which can only make the `total` check below fetch one page too many.
    Cursor pages do not know (0); a single page has none before it.
    """
    if paging.style in ("cursor", "single"):
        return 0
    start = _int(query.get(paging.param))
    if paging.style == "offset":
        return start or 0
    before = (paging.first if start is None else start) - paging.first
    size = _int(query.get(paging.size_param))
    return max(before, 0) * (count if size is None else size)


def next_page_query(
    query: Mapping[str, object],
    page: object,
    *,
    count: int,
    offset: int,
    paging: Paging = PAGE_NUMBERS,
) -> dict[str, object] | None:
    """Return the query of the page after `page`, or None if `page` is the last.

    Args:
        query: The query that fetched `page` (without `NOT_GIVEN` values).
        page: The parsed page.
        count: How many items `page` holds.
        offset: How many items precede `page` (see `first_offset`).
        paging: The operation's paging style.
    """
    if count == 0 or paging.style == "single":
        return None
    size = _int(query.get(paging.size_param))
    pagination = _field(page, "pagination")
    if _field(pagination, "has_more") is False or _field(page, "has_more") is False:
        return None
    if paging.style == "cursor":
        # The server says where the next page starts; no cursor (or the same one
        # again, which would loop forever) ends the list.
        cursor = _path(page, paging.next_field) if paging.next_field else None
        if cursor is None or cursor == "" or cursor == query.get(paging.param):
            return None
        return {**query, paging.param: cursor}
    if size is not None and count < size:
        return None
    if paging.next_field and _path(page, paging.next_field) in (None, ""):
        return None
    total = total_of(page, paging)
    if total is not None and offset + count >= total:
        return None
    if paging.style == "offset":
        return {**query, paging.param: offset + count}
    current = _int(query.get(paging.param))
    current = paging.first if current is None else current
    total_pages = _int(_field(pagination, "total_pages"))
    if total_pages is not None and current - paging.first + 1 >= total_pages:
        return None
    return {**query, paging.param: current + 1}


class PageState(Generic[ItemT, PageT]):
    """What a page knows about itself (sans-IO): base of `SyncPage` and `AsyncPage`."""

    def __init__(
        self,
        body: PageT,
        items: list[ItemT],
        *,
        query: Mapping[str, object],
        offset: int,
        paging: Paging = PAGE_NUMBERS,
    ) -> None:
        self._body = body
        self._items = items
        self._paging = paging
        self._offset = offset + len(items)
        self._next = next_page_query(
            query, body, count=len(items), offset=offset, paging=paging
        )

    @property
    def data(self) -> list[ItemT]:
        """The items on this page only (iterate the page for every page's items)."""
        return self._items

    @property
    def items(self) -> list[ItemT]:
        """The items on this page only; the same as `data`."""
        return self._items

    @property
    def body(self) -> PageT:
        """The parsed response of this page.

        E.g. `ListFilesOut`, or the list itself for operations answering with a
        JSON array.
        """
        return self._body

    @property
    def page(self) -> PageT:
        """Deprecated: the parsed response of this page; use `body`."""
        warnings.warn(
            "`page.page` is deprecated; use `page.body`",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._body

    @property
    def total(self) -> int | None:
        """The number of items of the whole list, when the API reports it."""
        return total_of(self._body, self._paging)

    def has_next_page(self) -> bool:
        """Tell whether another page follows this one."""
        return self._next is not None

    def __repr__(self) -> str:
        more = self._next is not None
        return f"{type(self).__name__}(data={len(self._items)}, has_next_page={more})"


class _Parses(Protocol[_Parsed_co]):
    async def parse(self) -> _Parsed_co: ...


class AsyncPaginator(Generic[ItemT, PageT]):
    """What async list methods return: await it for the first page, or `async for`.

    `page = await client.batch.jobs.list()` gives the first `AsyncPage`;
    `async for job in client.batch.jobs.list()` walks every item of every page.
    Nothing is sent until one of the two happens; each does its own requests.
    """

    __slots__ = ("_first",)

    def __init__(
        self, first: Callable[[], Awaitable[_Parses[AsyncPage[ItemT, PageT]]]]
    ) -> None:
        self._first = first

    def __await__(self) -> Generator[Any, None, AsyncPage[ItemT, PageT]]:
        return self._get().__await__()

    async def _get(self) -> AsyncPage[ItemT, PageT]:
        response = await self._first()
        return await response.parse()

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        page = await self._get()
        async for item in page:
            yield item

"""`AsyncPage`: one page of a list, fetching the next ones on demand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Generic, Protocol, TypeVar

from mistral_sdk._pagination import NO_NEXT, PAGE_NUMBERS, PageState, Paging

__all__ = ["AsyncPage"]

ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT")


class _Fetch(Protocol[ItemT, PageT]):
    # Sends the query of the next page; `offset` items precede it.
    async def __call__(
        self, query: Mapping[str, object], offset: int, /
    ) -> AsyncPage[ItemT, PageT]: ...


class AsyncPage(PageState[ItemT, PageT], Generic[ItemT, PageT]):
    """One page of a list; iterating it yields the items of this and later pages.

    `data` holds this page's items, `body` the parsed response, `total` the
    list's length when the API reports it.
    """

    def __init__(
        self,
        body: PageT,
        items: list[ItemT],
        *,
        query: Mapping[str, object],
        offset: int,
        fetch: _Fetch[ItemT, PageT],
        paging: Paging = PAGE_NUMBERS,
    ) -> None:
        super().__init__(body, items, query=query, offset=offset, paging=paging)
        self._fetch = fetch

    async def get_next_page(self) -> AsyncPage[ItemT, PageT]:
        """Fetch the next page.

        Raises:
            RuntimeError: This is the last page.
        """
        if self._next is None:
            raise RuntimeError(NO_NEXT)
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
            for item in page.data:
                yield item

"""The paging styles of the newer list operations, over a list in memory.

Offset/limit (`offset`, `limit`), page numbers (`page`, `page_size`) and
opaque cursors or page tokens: a cursor is the decimal offset of the next item,
so the next page starts where the last one ended and a bad cursor is a 400.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ._errors import ApiError

__all__ = ["Window", "by_cursor", "by_offset", "by_page"]

T = TypeVar("T")


@dataclass(frozen=True)
class Window(Generic[T]):
    """One page of a list: its items and where the list goes on."""

    items: list[T]
    total: int
    next_cursor: str | None
    """The cursor or token of the next page; None on the last page."""
    page: int
    """The 1-based number of this page."""
    page_size: int

    @property
    def total_pages(self) -> int:
        """How many pages of `page_size` the whole list fills."""
        return math.ceil(self.total / self.page_size) if self.page_size else 0


def by_offset(items: Sequence[T], offset: int | None, limit: int | None) -> Window[T]:
    """Return the items from `offset`, at most `limit` of them."""
    start = max(offset or 0, 0)
    size = len(items) if limit is None else max(limit, 0)
    chosen = list(items[start : start + size])
    end = start + len(chosen)
    after = str(end) if end < len(items) else None
    page = start // size + 1 if size else 1
    return Window(chosen, len(items), after, page, size)


def by_page(
    items: Sequence[T], page: int | None, page_size: int | None, *, first: int = 1
) -> Window[T]:
    """Return page number `page` (counted from `first`) of `page_size` items."""
    size = page_size or len(items) or 1
    number = (page if page is not None else first) - first
    return by_offset(items, max(number, 0) * size, size)


def by_cursor(items: Sequence[T], cursor: str | None, limit: int | None) -> Window[T]:
    """Return the page starting at `cursor` (None or "" for the first page).

    Raises:
        ApiError: 400 for a cursor this list did not give.
    """
    if not cursor:
        return by_offset(items, 0, limit)
    if not cursor.isdigit() or int(cursor) > len(items):
        raise ApiError(400, f"invalid cursor: {cursor}")
    return by_offset(items, int(cursor), limit)

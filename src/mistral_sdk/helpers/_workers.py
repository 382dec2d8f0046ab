"""Run one call per input item on a bounded pool: tasks (async) or threads (sync).

The only part of `complete_many` / `create_many` that differs by more than
`await` between the twins; the unasync table renames `async_map` to `sync_map`.
Results come back in input order, whatever order the calls finish in.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["async_map", "sync_map"]

T = TypeVar("T")
R = TypeVar("R")


def _ordered(results: dict[int, R]) -> list[R]:
    return [results[index] for index in range(len(results))]


async def async_map(
    call: Callable[[int, T], Awaitable[R]], items: Iterable[T], concurrency: int
) -> list[R]:
    """Await `call(index, item)` for every item, at most `concurrency` at a time."""
    import anyio

    results: dict[int, R] = {}
    # One iterator shared by the workers: between two awaits only one of them
    # runs, so each item is taken once, lazily.
    source = enumerate(items)

    async def worker() -> None:
        for index, item in source:
            results[index] = await call(index, item)

    async with anyio.create_task_group() as group:
        for _ in range(max(concurrency, 1)):
            group.start_soon(worker)
    return _ordered(results)


def sync_map(
    call: Callable[[int, T], R], items: Iterable[T], concurrency: int
) -> list[R]:
    """Run `call(index, item)` for every item on at most `concurrency` threads."""
    results: dict[int, R] = {}
    source = enumerate(items)
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                taken = next(source, None)
            if taken is None:
                return
            results[taken[0]] = call(*taken)

    with ThreadPoolExecutor(max_workers=max(concurrency, 1)) as pool:
        running = [pool.submit(worker) for _ in range(max(concurrency, 1))]
        for future in running:
            future.result()
    return _ordered(results)

"""Run one call per input item on a bounded pool: tasks (async) or threads (sync).

The only part of `complete_many` / `create_many` that differs by more than
`await` between the twins; the unasync table renames `async_map` to `sync_map`.
Results come back in input order, whatever order the calls finish in. An
error that escapes a call (the caller's `on_progress`, a broken input) stops
both alike: the other workers take no further item, and the error is raised
as is.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from anyio.abc import TaskGroup

__all__ = ["async_map", "sync_map"]

T = TypeVar("T")
R = TypeVar("R")


def _ordered(results: dict[int, R]) -> list[R]:
    return [results[index] for index in range(len(results))]


async def async_map(
    call: Callable[[int, T], Awaitable[R]], items: Iterable[T], concurrency: int
) -> list[R]:
    """Await `call(index, item)` for every item, at most `concurrency` at a time.

    Raises:
        Exception: The first error a call (or the input) raised, as is (not in an
            exception group), once the other calls were cancelled.
    """
    import anyio

    results: dict[int, R] = {}
    # One iterator shared by the workers: between two awaits only one of them
    # runs, so each item is taken once, lazily.
    source = enumerate(items)
    errors: list[Exception] = []

    async def worker(group: TaskGroup) -> None:
        try:
            for index, item in source:
                # A cancellation lands only where a task yields to the loop: the
                # check stops the others even where their calls never do.
                if errors:
                    return
                results[index] = await call(index, item)
        except Exception as error:
            errors.append(error)
            group.cancel_scope.cancel()

    async with anyio.create_task_group() as group:
        for _ in range(max(concurrency, 1)):
            group.start_soon(worker, group)
    if errors:
        raise errors[0]
    return _ordered(results)


def sync_map(
    call: Callable[[int, T], R], items: Iterable[T], concurrency: int
) -> list[R]:
    """Run `call(index, item)` for every item on at most `concurrency` threads."""
    results: dict[int, R] = {}
    source = enumerate(items)
    lock = threading.Lock()
    # Set by the first worker that fails, so that the others stop taking items
    # (the async twin's task group cancels the other tasks likewise).
    failed = threading.Event()

    def worker() -> None:
        try:
            while not failed.is_set():
                with lock:
                    taken = next(source, None)
                if taken is None:
                    return
                results[taken[0]] = call(*taken)
        except BaseException:
            failed.set()
            raise

    with ThreadPoolExecutor(max_workers=max(concurrency, 1)) as pool:
        running = [pool.submit(worker) for _ in range(max(concurrency, 1))]
        for future in running:
            future.result()
    return _ordered(results)

"""How the calls of one step run: concurrently (async client) or in order (sync client).

The async run loops call `arun_each` and `acall_tool`; their generated sync twins
call `run_each` and `call_tool` (renamed by tools/codegen/unasync.py).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from ._function_tool import ToolFunction
from ._workers import async_map

__all__ = ["acall_tool", "arun_each", "call_tool", "run_each"]

T = TypeVar("T")


async def arun_each(jobs: Sequence[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run the jobs concurrently; return their results in the order of `jobs`."""
    return await async_map(lambda _index, job: job(), jobs, len(jobs))


def run_each(jobs: Sequence[Callable[[], T]]) -> list[T]:
    """Run the jobs one after the other; return their results."""
    return [job() for job in jobs]


async def acall_tool(tool: ToolFunction[..., Any], arguments: dict[str, Any]) -> Any:
    """Call a tool: await a coroutine function, run any other in a worker thread.

    A thread keeps a blocking function from stalling the event loop, and lets the
    calls of one step overlap.
    """
    if tool.is_coroutine:
        return await tool.func(**arguments)
    import anyio.to_thread

    return await anyio.to_thread.run_sync(functools.partial(tool.func, **arguments))


def call_tool(tool: ToolFunction[..., Any], arguments: dict[str, Any]) -> Any:
    """Call a tool in this thread (the sync toolbox holds no coroutine functions)."""
    return tool.func(**arguments)

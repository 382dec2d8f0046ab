"""The state of a tool run, and how its twins read it before it has finished.

A run is lazy: nothing is sent until it is iterated, awaited or read. Reading
differs between the twins, as a property cannot await:

- sync (`SyncRunView`): reading `.final` runs the rest of the run first; reading
  `.steps` or `.messages` of a run never iterated runs it all too;
- async (`AsyncRunView`): `run = await client.chat.run_tools(...)` (or
  `await run.until_done()`) runs it; `.final` raises until the run is done.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from typing_extensions import Self

from .tools import ToolStep

__all__ = ["AsyncRunView", "RunState", "SyncRunView"]

ResponseT = TypeVar("ResponseT")


@dataclass
class RunState(Generic[ResponseT]):
    """Where a run is: its steps so far, and the final response once it has one."""

    steps: list[ToolStep[ResponseT]] = field(default_factory=list)  # pyright: ignore[reportUnknownVariableType]
    final: ResponseT | None = None
    started: bool = False

    def finished(self) -> ResponseT:
        """Return the final response; raise if the run has not finished."""
        if self.final is None:
            raise RuntimeError(
                "the tool run has not finished: await it (or `await run.until_done()`)"
                " or iterate it to the end first"
            )
        return self.final


class SyncRunView(Generic[ResponseT]):
    """Reading a sync run: properties run what is needed first."""

    _state: RunState[ResponseT]

    def until_done(self) -> ResponseT:
        """Run the remaining steps; return the final response."""
        raise NotImplementedError

    def _settled(self) -> RunState[ResponseT]:
        if not self._state.started:
            self.until_done()
        return self._state

    def _settled_final(self) -> ResponseT:
        if self._state.final is None:
            return self.until_done()
        return self._state.final


class AsyncRunView(Generic[ResponseT]):
    """Reading an async run: `await` it first; properties never send anything."""

    _state: RunState[ResponseT]

    async def until_done(self) -> ResponseT:
        """Run the remaining steps; return the final response."""
        raise NotImplementedError

    def __await__(self) -> Generator[Any, None, Self]:
        """Run the remaining steps; give the finished run."""
        return self._finish().__await__()

    async def _finish(self) -> Self:
        await self.until_done()
        return self

    def _settled(self) -> RunState[ResponseT]:
        return self._state

    def _settled_final(self) -> ResponseT:
        return self._state.finished()

"""What the chat and conversation tool runs share: reading a run as it goes.

A run supplies `_events()`, which sends the remaining steps and gives the
model's text as it comes, then each step when it is done, until the final
response. Iterating the steps, `text_stream`, `until_done()`, `final` and
`steps` are written here once for both runs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TypeVar

from mistral_sdk.helpers._run_state import AsyncRunView
from mistral_sdk.helpers.tools import ToolStep

__all__ = ["AsyncToolRun"]

ResponseT = TypeVar("ResponseT")


class AsyncToolRun(AsyncRunView[ResponseT]):
    """A run that calls the model's tools until the model answers without calls."""

    # The one source of events every way of reading the run takes from, so that
    # a reader that stops early (a `break` out of `text_stream`) and another that
    # goes on (`until_done()`) continue the same step instead of sending it again.
    _source: AsyncIterator[ToolStep[ResponseT] | str] | None = None

    @property
    def final(self) -> ResponseT:
        """The last response: the model's answer without tool calls.

        On the sync client, reading it first runs what is left of the run; on
        the async client, await the run (or `until_done()`) before.
        """
        return self._settled_final()

    @property
    def steps(self) -> list[ToolStep[ResponseT]]:
        """Each response so far, with the results of the calls it asked for."""
        return self._settled().steps

    def __aiter__(self) -> AsyncIterator[ToolStep[ResponseT]]:
        """Send the remaining steps one by one, giving each when it is done."""
        return self._steps()

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """Run the remaining steps, giving the model's text as it comes.

        With `stream=True` each response is streamed, so the final answer arrives
        delta by delta; otherwise each response's text comes whole.
        """
        return self._texts()

    async def until_done(self) -> ResponseT:
        """Run the remaining steps; return the final response."""
        async for _ in self:
            pass
        return self._state.finished()

    async def _steps(self) -> AsyncIterator[ToolStep[ResponseT]]:
        async for event in self._shared():
            if isinstance(event, ToolStep):
                yield event

    async def _texts(self) -> AsyncIterator[str]:
        async for event in self._shared():
            if isinstance(event, str):
                yield event

    def _shared(self) -> AsyncIterator[ToolStep[ResponseT] | str]:
        if self._source is None:
            self._source = self._drive()
        return self._source

    async def _drive(self) -> AsyncIterator[ToolStep[ResponseT] | str]:
        try:
            async for event in self._events():
                yield event
        finally:
            # Ended, failed (max_steps, an API error) or closed: a later read
            # starts again from the run's state.
            self._source = None

    def _events(self) -> AsyncIterator[ToolStep[ResponseT] | str]:
        """Send the remaining steps: the text as it comes, then each step."""
        raise NotImplementedError

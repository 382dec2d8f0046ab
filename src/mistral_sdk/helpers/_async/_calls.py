"""Running the calls of one step: each prepared call, and all of a step together."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from mistral_sdk.helpers._concurrency import acall_tool, arun_each
from mistral_sdk.helpers._tool_box import Prepared
from mistral_sdk.helpers.tools import ToolResult

__all__ = ["run_calls"]


async def run_calls(calls: Sequence[Prepared | ToolResult]) -> list[ToolResult]:
    """Run the prepared calls of a step (all at once on the async client), in order."""
    return await arun_each([functools.partial(_run_call, call) for call in calls])


async def _run_call(call: Prepared | ToolResult) -> ToolResult:
    if isinstance(call, ToolResult):
        return call  # not run: unknown function, bad arguments or refused
    try:
        # Encoding the value too: one the model cannot read (not JSON) is an
        # error of this call, not of the run.
        return call.succeeded(await acall_tool(call.tool, call.arguments))
    except Exception as error:  # the model reads what went wrong
        return call.failed(error)

"""A batch run in its own process, for the test that kills it: prints `created`
once its job exists, then waits on its first poll interval until killed.

Usage: python _killed_run.py sync|async BASE_URL STATE_FILE COUNT
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from typing import Any

from mistral_sdk import AsyncMistral, Mistral


def questions(count: int) -> Iterator[dict[str, Any]]:
    for i in range(count):
        yield {"messages": [{"role": "user", "content": f"question {i}"}]}


def main(flavour: str, url: str, state_file: str, count: int) -> None:
    options: dict[str, Any] = {"api_key": "test-api-key", "base_url": url}
    if flavour == "sync":
        client = Mistral(**options)
        run = client.batch.run(
            questions(count),
            model="mistral-small-latest",
            state_file=state_file,
            poll_interval=600,
        )
        print("created", run.job_ids[0], flush=True)
        for _ in run.results():
            pass
        return

    async def go() -> None:
        client = AsyncMistral(**options)
        run = await client.batch.run(
            questions(count),
            model="mistral-small-latest",
            state_file=state_file,
            poll_interval=600,
        )
        print("created", run.job_ids[0], flush=True)
        async for _ in run.results():
            pass

    asyncio.run(go())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))

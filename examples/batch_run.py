"""Batch run: 100 requests through the Batch API in one call, resumable after a crash.

`client.batch.run` streams the requests into the upload, creates the job(s), polls
them and hands out one typed result per request. Kill this script while it waits
and run it again from the same directory: it resumes from `batch_run_state.json`
there instead of starting over.
"""

import os
from collections.abc import Iterator
from typing import Any

from mistral_sdk import Mistral
from mistral_sdk.helpers.batch_state import BatchProgress

# In the current directory, not a shared one: two runs at once (two terminals,
# two test processes) would otherwise resume each other's jobs.
STATE_FILE = "batch_run_state.json"


def questions(count: int) -> Iterator[dict[str, Any]]:
    """The requests, made one at a time: a generator of millions would do too."""
    for i in range(count):
        yield {
            "custom_id": f"square-{i}",
            "max_tokens": 16,
            "messages": [{"role": "user", "content": f"What is {i} squared?"}],
        }


def show(progress: BatchProgress) -> None:
    """Print the run's progress as it moves."""
    print(f"  {progress.phase:9} {progress.completed:3}/{progress.total} done")


def main() -> None:
    with Mistral() as client:
        if os.path.exists(STATE_FILE):
            print(f"resuming the run recorded in {STATE_FILE}")
            run = client.batch.resume(STATE_FILE, on_progress=show, poll_interval=0.5)
        else:
            run = client.batch.run(
                questions(100),
                model="mistral-small-latest",
                endpoint="/v1/chat/completions",
                state_file=STATE_FILE,
                on_progress=show,
                poll_interval=0.5,
            )
        print(f"jobs: {', '.join(run.job_ids)}")
        answered = failed = 0
        for result in run.results(order="input"):
            if result.ok:
                answered += 1
                if answered <= 3:
                    reply = result.response.choices[0].message.content
                    print(f"  {result.custom_id}: {reply!r}")
            else:
                failed += 1
                assert result.error is not None
                print(f"  {result.custom_id}: {result.error.message}")
        print(f"{answered} answered, {failed} failed")
    os.remove(STATE_FILE)


if __name__ == "__main__":
    main()

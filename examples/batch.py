"""Batch: upload requests, run them as a batch job, wait for it, read the results."""

import json
import time
from typing import Any

from mistral_sdk import Mistral
from mistral_sdk.types import ChatCompletionResponse

REQUESTS = b"".join(
    b'{"custom_id": "%d", "body": {"max_tokens": 32, "messages": '
    b'[{"role": "user", "content": "Say %d"}]}}\n' % (i, i)
    for i in range(3)
)


def describe(result: dict[str, Any]) -> str:
    """One line per batch result: its custom id and the answer or the error."""
    response: dict[str, Any] = result.get("response") or {}
    if response.get("status_code") != 200:
        return f"{result['custom_id']}: error {result.get('error') or response}"
    completion = ChatCompletionResponse.model_validate(response["body"])
    return f"{result['custom_id']}: {completion.choices[0].message.content!r}"


def main() -> None:
    with Mistral() as client:
        source = client.files.upload(file=("batch.jsonl", REQUESTS), purpose="batch")
        job = client.batch.jobs.create(
            input_files=[source.id],
            model="mistral-small-latest",
            endpoint="/v1/chat/completions",
            metadata={"example": "batch"},
        )
        print(f"job {job.id}: {job.status}")
        deadline = time.monotonic() + 600
        while job.status in ("QUEUED", "RUNNING") and time.monotonic() < deadline:
            time.sleep(1)
            job = client.batch.jobs.get(job.id)
            print(f"job {job.id}: {job.status}")
        if job.output_file:
            with client.files.download(job.output_file) as output:
                for line in output.read().decode().splitlines():
                    print(f"  {describe(json.loads(line))}")
        for listed in client.batch.jobs.list(page_size=5):
            print(f"  {listed.id} {listed.status}")


if __name__ == "__main__":
    main()

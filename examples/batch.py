"""Batch: upload requests, run them as a batch job, wait for it, read the results."""

import json
import time

from mistral_sdk import Mistral

REQUESTS = b"".join(
    b'{"custom_id": "%d", "body": {"max_tokens": 32, "messages": '
    b'[{"role": "user", "content": "Say %d"}]}}\n' % (i, i)
    for i in range(3)
)


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
                    result = json.loads(line)
                    body = (result.get("response") or {}).get("body") or {}
                    answer = (body.get("choices") or [{}])[0].get("message", {})
                    print(f"  {result['custom_id']}: {answer.get('content')!r}")
        for listed in client.batch.jobs.list(page_size=5):
            print(f"  {listed.id} {listed.status}")


if __name__ == "__main__":
    main()

"""`mistral batch run|status|results|cancel|list`: the Batch API from a JSONL file.

`batch run` reads INPUT.jsonl lazily (each line a request body, or
`{"custom_id": ..., "body": {...}}`), draws bars for the upload and the jobs,
and writes one JSONL line per result to OUT.jsonl: `custom_id`, `response`
(the response body) and `error` (`status`, `message`) or null. With `--state`,
running the same command again after a crash resumes the run and appends the
results OUT.jsonl does not hold yet.

With `--json`, `batch run` and `batch results -o FILE` print a JSON summary of
what they wrote on stdout instead of their note on stderr; the bars stay on
stderr, so stdout holds only the JSON. `batch results` without `-o` writes the
results themselves on stdout, already JSON lines, and nothing else there.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from typing import IO, Any

from mistral_sdk.cli._client import make_client
from mistral_sdk.cli._output import as_json, console, print_json, progress, table
from mistral_sdk.helpers.batch_jsonl import DEFAULT_MAX_REQUESTS, LineSplitter
from mistral_sdk.helpers.batch_results import BatchResult, parse_result_line
from mistral_sdk.helpers.batch_state import BatchProgress, load_state

__all__ = ["read_requests", "register", "result_line"]

DEFAULT_ENDPOINT = "/v1/chat/completions"


def register(commands: Any) -> None:
    """Add the `batch` commands."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "batch", help="run requests through the Batch API"
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    run = verbs.add_parser(
        "run",
        help="run INPUT.jsonl as batch jobs, write results",
        description="Run INPUT.jsonl as batch jobs and write every result to -o. "
        "Exits 0 once the run is over, even when some requests or jobs failed: "
        "their errors are in the output, counted in the summary (--json: "
        "'failed', 'failed_jobs'); a non-zero exit means the run itself failed.",
    )
    run.add_argument(
        "input", help="JSONL: one request body (or custom_id + body) a line"
    )
    run.add_argument("-m", "--model", required=True, help="the model of every request")
    run.add_argument(
        "-e",
        "--endpoint",
        default=DEFAULT_ENDPOINT,
        help=f"default: {DEFAULT_ENDPOINT}",
    )
    run.add_argument("-o", "--output", required=True, help="where to write results")
    run.add_argument(
        "--state", help="a state file: run the same command again to resume"
    )
    run.add_argument(
        "--order",
        choices=("completion", "input"),
        default="completion",
        help="the order of the results (default: as jobs complete)",
    )
    run.add_argument(
        "--poll-interval", type=float, default=5.0, help="seconds, at least (default 5)"
    )
    run.add_argument(
        "--max-requests-per-job",
        type=int,
        default=DEFAULT_MAX_REQUESTS,
        help=f"larger inputs are split over jobs (default {DEFAULT_MAX_REQUESTS})",
    )
    run.add_argument(
        "--retry-failed",
        action="store_true",
        help="resend the requests a job failed, once, as a new job",
    )
    run.add_argument(
        "--json",
        action="store_true",
        help="print a JSON summary on stdout: output, results, succeeded, failed, "
        "skipped (already in the output when resuming), job_ids, failed_jobs",
    )
    run.set_defaults(run=run_batch)

    status = verbs.add_parser("status", help="show a job")
    status.add_argument("job_id")
    status.add_argument("--json", action="store_true", help="print JSON")
    status.set_defaults(run=job_status)

    results = verbs.add_parser("results", help="write a finished job's results")
    results.add_argument("job_id")
    results.add_argument("-o", "--output", help="a JSONL file (default: stdout)")
    results.add_argument(
        "--json",
        action="store_true",
        help="with -o, print a JSON summary on stdout (job_id, status, results, "
        "output); without -o, stdout holds only the results, as JSON lines",
    )
    results.set_defaults(run=job_results)

    cancel = verbs.add_parser("cancel", help="cancel a job")
    cancel.add_argument("job_id")
    cancel.add_argument("--json", action="store_true", help="print JSON")
    cancel.set_defaults(run=cancel_job)

    listing = verbs.add_parser("list", help="list the jobs")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(run=list_jobs)


def read_requests(path: str) -> Iterator[dict[str, Any]]:
    """Yield the request bodies of a JSONL file, one line at a time.

    Raises:
        ValueError: A line is not a JSON object.
    """
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            data: object = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError(f"{path}:{number}: not a JSON object")
            record: dict[str, Any] = data  # pyright: ignore[reportUnknownVariableType]
            if isinstance(record.get("body"), dict):
                body: dict[str, Any] = dict(record["body"])
                if "custom_id" in record:
                    body["custom_id"] = record["custom_id"]
                yield body
            else:
                yield record


def _count_lines(path: str) -> int:
    with open(path, "rb") as file:
        return sum(1 for line in file if line.strip())


def result_line(result: BatchResult) -> str:
    """Return a result as one JSONL line."""
    error = (
        None
        if result.error is None
        else {"status": result.error.status, "message": result.error.message}
    )
    record = {
        "custom_id": result.custom_id,
        "response": as_json(result.response),
        "error": error,
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def _resuming(state: str | None) -> bool:
    if state is None or not os.path.exists(state):
        return False
    return bool(load_state(state).shards)


def _written_ids(path: str) -> set[str]:
    """Return the custom ids already in an output file, dropping a cut last line.

    A run killed while writing may leave half a line; resuming appends after the
    last whole one, and skips the results the file already holds.
    """
    if not os.path.exists(path):
        return set()
    found: set[str] = set()
    whole = 0
    with open(path, "rb") as file:
        for line in file:
            if not line.endswith(b"\n"):
                break
            found.add(str(json.loads(line)["custom_id"]))
            whole += len(line)
    os.truncate(path, whole)
    return found


def run_batch(args: argparse.Namespace) -> int:
    """Run the input through the Batch API and write every result."""
    total = _count_lines(args.input)
    resume = _resuming(args.state)
    already = _written_ids(args.output) if resume else set[str]()
    written = failed = 0
    with make_client() as client, progress() as bars:
        upload = bars.add_task("upload", total=total)
        jobs = bars.add_task("jobs", total=total)

        def on_progress(now: BatchProgress) -> None:
            bars.update(upload, completed=now.uploaded)
            bars.update(jobs, total=max(now.total, 1), completed=now.completed)

        if resume:
            run = client.batch.resume(
                args.state,
                requests=read_requests(args.input),
                on_progress=on_progress,
                poll_interval=args.poll_interval,
                # Given again, it turns retries on; absent, the run's setting holds.
                retry_failed=True if args.retry_failed else None,
            )
        else:
            run = client.batch.run(
                read_requests(args.input),
                model=args.model,
                endpoint=args.endpoint,
                state_file=args.state,
                on_progress=on_progress,
                poll_interval=args.poll_interval,
                max_requests_per_job=args.max_requests_per_job,
                retry_failed=args.retry_failed,
            )
        bars.update(upload, completed=total)
        # Line-buffered: each result is in the file before the run's state
        # counts it as handed out, so a kill loses no result on resume.
        with open(
            args.output, "a" if resume else "w", buffering=1, encoding="utf-8"
        ) as out:
            results = run.results(order=args.order)
            try:
                for result in results:
                    if result.custom_id in already:
                        continue
                    out.write(result_line(result))
                    written += 1
                    failed += not result.ok
            finally:
                results.close()
    if args.json:
        print_json(
            {
                "output": args.output,
                "results": written,
                "succeeded": written - failed,
                "failed": failed,
                "skipped": len(already),
                "job_ids": run.job_ids,
                "failed_jobs": [
                    {"job_id": s.job_id, "status": s.status, "failed": s.failed}
                    for s in run.failed_shards
                ],
            }
        )
        return 0
    note = console(stderr=True)
    for shard in run.failed_shards:
        note.print(f"job {shard.job_id} ended {shard.status} ({shard.failed} failed)")
    note.print(f"{written} results ({failed} failed) written to {args.output}")
    return 0


def job_status(args: argparse.Namespace) -> int:
    """Print a job's status and counters."""
    with make_client() as client:
        job = client.batch.jobs.get(args.job_id)
    if args.json:
        print_json(job)
        return 0
    table(
        ("id", "status", "model", "endpoint", "completed", "succeeded", "failed"),
        [
            (
                job.id,
                job.status,
                job.model,
                job.endpoint,
                f"{job.completed_requests}/{job.total_requests}",
                job.succeeded_requests,
                job.failed_requests,
            )
        ],
    )
    return 0


def _write_file_lines(
    client: Any, file_id: str | None, endpoint: str, out: IO[str]
) -> int:
    if file_id is None:
        return 0
    count = 0
    splitter = LineSplitter()
    with client.files.download(file_id) as body:
        for chunk in body.iter_bytes():
            for line in splitter.feed(chunk):
                out.write(result_line(parse_result_line(line, endpoint)))
                count += 1
    for line in splitter.end():
        out.write(result_line(parse_result_line(line, endpoint)))
        count += 1
    return count


def job_results(args: argparse.Namespace) -> int:
    """Write a job's results (output and error files) as JSONL."""
    with make_client() as client:
        job = client.batch.jobs.get(args.job_id)
        if job.output_file is None and job.error_file is None:
            raise ValueError(f"job {job.id} has no results yet (status {job.status})")
        out: IO[str] = (
            open(args.output, "w", encoding="utf-8")  # noqa: SIM115
            if args.output
            else sys.stdout
        )
        try:
            count = sum(
                _write_file_lines(client, file_id, job.endpoint, out)
                for file_id in (job.output_file, job.error_file)
            )
        finally:
            if out is not sys.stdout:
                out.close()
    if args.json and args.output:
        print_json(
            {
                "job_id": job.id,
                "status": job.status,
                "results": count,
                "output": args.output,
            }
        )
    else:
        # Without -o the results fill stdout (JSON lines even without --json).
        console(stderr=True).print(f"{count} results of job {job.id} ({job.status})")
    return 0


def cancel_job(args: argparse.Namespace) -> int:
    """Ask the API to cancel a job."""
    with make_client() as client:
        job = client.batch.jobs.cancel(args.job_id)
    if args.json:
        print_json(job)
    else:
        console().print(f"{job.id} {job.status}")
    return 0


def list_jobs(args: argparse.Namespace) -> int:
    """Print the batch jobs: a table, or JSON."""
    with make_client() as client:
        jobs = list(client.batch.jobs.list())
    if args.json:
        print_json(jobs)
        return 0
    table(
        ("id", "status", "model", "endpoint", "completed", "created"),
        (
            (
                j.id,
                j.status,
                j.model,
                j.endpoint,
                f"{j.completed_requests}/{j.total_requests}",
                j.created_at,
            )
            for j in jobs
        ),
    )
    return 0

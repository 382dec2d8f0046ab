"""`client.batch.run` and `client.batch.resume`: the Batch API end to end.

A run streams its requests as JSONL into one upload per shard (a shard is what
one job takes), creates a job per shard, polls them, and hands out each
request's `BatchResult` from the output and error files, streamed. With a
state file, each step is recorded before the next one starts, so `resume`
continues a crashed run without uploading or creating anything twice.

The per-call options given to `run` or `resume` (`timeout=`, `max_retries=`,
`extra_headers=`, `extra_query=`, `extra_body=`) apply to the requests the run
makes, as `_RunOptions` says; they are not recorded in the state file (headers
may hold secrets), so a `resume` takes them again.
"""

from __future__ import annotations

import tempfile
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Iterable,
    Mapping,
    Sequence,
)
from typing import IO, Any, Final, Literal, Protocol, cast

from typing_extensions import Unpack

from mistral_sdk._async._files import AsyncBinaryResponse
from mistral_sdk._async._resource import AsyncResource
from mistral_sdk._async._transport import AsyncTransport
from mistral_sdk._errors import APIConnectionError, APIError
from mistral_sdk._retries import RetryPolicy
from mistral_sdk._types import (
    NOT_GIVEN,
    FileInput,
    NotGiven,
    RequestOptions,
)
from mistral_sdk.helpers._call_options import checked_options
from mistral_sdk.helpers._error_retries import retry_delay
from mistral_sdk.helpers.batch_jsonl import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_REQUESTS,
    BatchLimits,
    InputLine,
    InputLines,
    LineSplitter,
    ShardReader,
)
from mistral_sdk.helpers.batch_results import (
    BatchResult,
    custom_id_of,
    not_run,
    parse_result_line,
)
from mistral_sdk.helpers.batch_state import (
    BatchProgress,
    ProgressCallback,
    RunState,
    ShardState,
    load_state,
    next_poll_delay,
    save_state,
)
from mistral_sdk.types.batch import BatchJobOut
from mistral_sdk.types.files import FileSchema, UploadFileOut

__all__ = ["AsyncBatchRun", "ProgressCallback", "resume", "run"]

Order = Literal["completion", "input"]

# The job creation's fields the run sets itself: `extra_body` may not replace
# them (the metadata carries the tags a resume finds the job by).
_JOB_FIELDS: Final = frozenset(
    {"input_files", "endpoint", "model", "metadata", "timeout_hours"}
)

CHECKPOINT_EVERY: Final = 1000
"""Results handed out between two saves of the state file while handing out."""
_UPLOAD_PROGRESS_EVERY: Final = 1000


def _transport_of(resource: AsyncResource) -> AsyncTransport:
    return resource._transport  # pyright: ignore[reportPrivateUsage]


# What a run calls on `client.files` and `client.batch.jobs`. The generated
# `client.batch.run` passes both namespaces in, so this module depends only on
# the layers below the resources. (`RequestOptions` is closed: an open one
# might hold a keyword such as `inline=`, and the methods would not match.)
class _Files(Protocol):
    """The part of `client.files` a run uses: upload, find and download files."""

    async def upload(
        self,
        *,
        file: FileInput,
        purpose: str,
        **options: Unpack[RequestOptions],
    ) -> UploadFileOut: ...

    def list(
        self,
        *,
        search: str,
        purpose: str,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterable[FileSchema]: ...

    async def download(
        self,
        file_id: str,
        **options: Unpack[RequestOptions],
    ) -> AsyncBinaryResponse: ...


class _Jobs(Protocol):
    """The part of `client.batch.jobs` a run uses: create, find, follow, cancel."""

    async def create(
        self,
        *,
        input_files: Sequence[str],
        endpoint: str,
        model: str | None,
        metadata: Mapping[str, str],
        timeout_hours: int | NotGiven,
        **options: Unpack[RequestOptions],
    ) -> BatchJobOut: ...

    def list(
        self,
        *,
        metadata: Mapping[str, str],
        page_size: int,
        **options: Unpack[RequestOptions],
    ) -> AsyncIterable[BatchJobOut]: ...

    async def get(
        self,
        job_id: str,
        **options: Unpack[RequestOptions],
    ) -> BatchJobOut: ...

    async def cancel(
        self,
        job_id: str,
        **options: Unpack[RequestOptions],
    ) -> BatchJobOut: ...


class _RunOptions:
    """The per-call options of a run, as each kind of request takes them.

    Every request gets `timeout`, `extra_headers` and `extra_query`. The
    uploads are never retried (a stream cannot be replayed), so `max_retries`
    applies to the others only. `extra_body` goes to the job creations only,
    the one JSON body a run writes; uploads (multipart), polls, lists,
    downloads and cancels carry none of the caller's fields.
    """

    def __init__(self, options: RequestOptions) -> None:
        # A job creation is never retried blindly either: one whose answer was
        # lost may have made the job, so the run looks for it before creating
        # again (`AsyncBatchRun._create_job`), within these retries.
        self.create_retries = options.get("max_retries")
        self.create = RequestOptions(**options)
        self.create["max_retries"] = 0
        self.other = RequestOptions(**options)
        self.other.pop("extra_body", None)
        self.upload = RequestOptions(**self.other)
        self.upload["max_retries"] = 0


class AsyncBatchRun:
    """A batch run: its jobs, their progress and their results.

    Made by `client.batch.run(...)` or `client.batch.resume(state_file)`;
    iterate `results()` to get every request's `BatchResult`.
    """

    def __init__(
        self,
        transport: AsyncTransport,
        state: RunState,
        *,
        files: _Files,
        jobs: _Jobs,
        state_file: str | None,
        on_progress: ProgressCallback | None,
        poll_interval: float,
        max_poll_interval: float,
        options: RequestOptions | None = None,
    ) -> None:
        self.state = state
        self.state_file = state_file
        self._files = files
        self._jobs = jobs
        self._options = _RunOptions(options or {})
        # The transport's sleep and clock: tests replace both with fakes.
        self._sleep = transport._sleep  # pyright: ignore[reportPrivateUsage]
        self._clock = transport._clock  # pyright: ignore[reportPrivateUsage]
        self._wall_clock = transport._wall_clock  # pyright: ignore[reportPrivateUsage]
        self._rng = transport._rng  # pyright: ignore[reportPrivateUsage]
        retries = self._options.create_retries
        self._create_policy = RetryPolicy(
            max_retries=transport.config.max_retries if retries is None else retries
        )
        # Responses are read as the client reads them: leniently unless strict.
        self._strict = transport.config.strict
        self._on_progress = on_progress
        self._poll_interval = poll_interval
        self._max_poll_interval = max_poll_interval
        self._uploaded = 0
        self._delay: float | None = None
        self._last_poll: tuple[float, int] | None = None
        self._polled = False
        # The newest `results()` iteration: an older one left suspended at a
        # yield (a `break`) ends when resumed, so no result comes out twice.
        self._generation = 0
        # Set while an iteration is running rather than suspended at a yield
        # (awaiting the API, or inside a progress callback): another one
        # started then could race it, e.g. resend a shard's failures twice.
        self._running = False

    # ----------------------------------------------------------------- reading
    @property
    def shards(self) -> list[ShardState]:
        """Every shard (job) of the run, retries last."""
        return list(self.state.shards)

    @property
    def job_ids(self) -> list[str]:
        """The ids of the run's jobs, in shard order."""
        return [s.job_id for s in self.state.shards if s.job_id is not None]

    @property
    def failed_shards(self) -> list[ShardState]:
        """Shards whose job ended other than SUCCESS, or with failed requests."""
        return [s for s in self.state.shards if s.incomplete]

    def progress(self, phase: str = "running") -> BatchProgress:
        """Return where the run stands, from its last poll."""
        return BatchProgress.of(self.state, phase, self._uploaded)

    # ------------------------------------------------------------------ saving
    def _save(self) -> None:
        if self.state_file is not None:
            save_state(self.state_file, self.state)

    def _report(self, phase: str) -> None:
        if self._on_progress is not None:
            self._on_progress(self.progress(phase))

    # --------------------------------------------------------------- uploading
    async def _submit(self, lines: InputLines) -> None:
        """Upload `lines` as shards and create their jobs."""
        limits = BatchLimits(self.state.max_requests, self.state.max_bytes)
        while not lines.at_end():
            shard = ShardState(index=len(self.state.shards), first=lines.position)
            reader = ShardReader(lines, limits, self._count_upload)
            await self._upload(shard, reader)
            self.state.next_input = lines.position
            self.state.input_done = lines.at_end()
            self._save()
            await self._create_job(shard)
        self.state.input_done = True
        self._save()
        self._report("running")

    def _count_upload(self, _line: InputLine) -> None:
        self._uploaded += 1
        if self._uploaded % _UPLOAD_PROGRESS_EVERY == 0:
            self._report("uploading")

    async def _upload(
        self, shard: ShardState, content: ShardReader | IO[bytes]
    ) -> None:
        """Upload a shard's input, or reuse an upload a crash left unrecorded.

        The name is recorded as unconfirmed before the upload starts and
        confirmed (with the file id) by the save that follows it, so no file
        is ever uploaded twice.
        """
        name = self.state.upload_name(shard)
        if name in self.state.unconfirmed_uploads:
            # The upload began before a crash: it may be on the server already.
            with tempfile.TemporaryFile() as spool:
                size = _copy(content, spool)
                file_id = await self._find_upload(name, size)
                if file_id is None:
                    spool.seek(0)
                    file_id = await self._send(name, spool)
        else:
            self.state.unconfirmed_uploads.append(name)
            self._save()
            file_id = await self._send(name, content)
        if isinstance(content, ShardReader):
            shard.first, shard.count, shard.size = (
                content.first,
                content.count,
                content.size,
            )
        shard.file_id = file_id
        self.state.unconfirmed_uploads.remove(name)
        self.state.shards.append(shard)

    async def _send(self, name: str, content: ShardReader | IO[bytes]) -> str:
        # Never retried: a stream cannot be replayed, and a retry after a lost
        # response would upload the file twice.
        uploaded = await self._files.upload(
            file=(name, cast("IO[bytes]", content), "application/jsonl"),
            purpose="batch",
            **self._options.upload,
        )
        return uploaded.id

    async def _find_upload(self, name: str, size: int) -> str | None:
        # `search` matches a part of the name: keep only the exact name, and
        # only a whole file (a size that differs is not this shard's input).
        async for found in self._files.list(
            search=name, purpose="batch", **self._options.other
        ):
            if found.filename == name and found.bytes == size:
                return found.id
        return None

    async def _create_job(self, shard: ShardState, *, look_first: bool = False) -> None:
        metadata = self.state.job_metadata(shard)
        # A crash may have come between creating the job and saving its id.
        job = await self._find_job(shard, metadata) if look_first else None
        retried = 0
        started = self._clock()
        while job is None:
            assert shard.file_id is not None
            try:
                job = await self._jobs.create(
                    input_files=[shard.file_id],
                    endpoint=self.state.endpoint,
                    model=self.state.model,
                    metadata=metadata,
                    timeout_hours=(
                        NOT_GIVEN
                        if self.state.timeout_hours is None
                        else self.state.timeout_hours
                    ),
                    **self._options.create,
                )
            except (APIError, APIConnectionError) as error:
                delay = self._create_delay(error, retried, started)
                if delay is None:
                    raise
                retried += 1
                await self._sleep(delay)
                # The request may have made the job before its answer was lost
                # (a timeout, a dropped connection, a 5xx from a proxy).
                job = await self._find_job(shard, metadata)
        shard.job_id = job.id
        _update(shard, job)
        self._save()

    async def _find_job(
        self, shard: ShardState, metadata: Mapping[str, str]
    ) -> BatchJobOut | None:
        async for found in self._jobs.list(
            metadata=metadata, page_size=10, **self._options.other
        ):
            if shard.file_id in found.input_files:
                return found
        return None

    def _create_delay(
        self, error: APIError | APIConnectionError, retried: int, started: float
    ) -> float | None:
        # The client's retry rules, applied here because the creation itself is
        # sent with its retries off.
        return retry_delay(
            self._create_policy,
            error,
            retried,
            elapsed=self._clock() - started,
            now=self._wall_clock(),
            random=self._rng(),
        )

    async def _continue(self, requests: Iterable[object] | None) -> None:
        """Finish what a crashed run left: uploads, jobs and the rest of the input."""
        state = self.state
        for shard in state.shards:
            if shard.job_id is None:
                await self._create_job(shard, look_first=True)
        if not state.input_done:
            if requests is None:
                raise ValueError(
                    "this run stopped before all of its input was uploaded: "
                    "pass the same requests to resume(..., requests=...)"
                )
            originals = [s for s in state.shards if s.retry_of is None]
            start = originals[-1].first + originals[-1].count if originals else 0
            self._uploaded = state.total
            await self._submit(InputLines.from_requests(requests, skip=start))
        self._uploaded = state.total

    # ----------------------------------------------------------------- polling
    async def _poll(self) -> None:
        """Read every unfinished job once, after waiting as the backoff says."""
        if self._polled:
            await self._sleep(self._next_delay())
        self._polled = True
        for shard in self.state.shards:
            if shard.job_id is not None and not shard.finished:
                _update(
                    shard, await self._jobs.get(shard.job_id, **self._options.other)
                )
        self._save()
        self._report("running")

    def _next_delay(self) -> float:
        now = self._clock()
        done = sum(s.completed for s in self.state.shards)
        remaining = sum(max(s.total - s.completed, 0) for s in self.state.shards)
        rate: float | None = None
        if self._last_poll is not None and now > self._last_poll[0]:
            moved = done - self._last_poll[1]
            rate = moved / (now - self._last_poll[0]) if moved > 0 else None
        self._last_poll = (now, done)
        self._delay = next_poll_delay(
            self._delay,
            poll_interval=self._poll_interval,
            max_interval=self._max_poll_interval,
            remaining=remaining,
            rate=rate,
        )
        return self._delay

    async def wait(self) -> None:
        """Poll until every job of the run ended."""
        while any(not s.finished for s in self.state.shards):
            await self._poll()

    async def cancel(self) -> None:
        """Ask the API to cancel every unfinished job of the run."""
        for shard in self.state.shards:
            if shard.job_id is not None and not shard.finished:
                _update(
                    shard, await self._jobs.cancel(shard.job_id, **self._options.other)
                )
        self._save()

    # ----------------------------------------------------------------- results
    async def results(
        self, *, order: Order = "completion"
    ) -> AsyncGenerator[BatchResult, None]:
        """Yield every request's `BatchResult` once, polling as needed.

        Args:
            order: "completion": each job's results as soon as it ends;
                "input": in the order of the input (only results that arrive
                before their predecessors are held in memory). Requests resent
                by `retry_failed` come last in either order. A job whose
                results were partly handed out before a resume keeps the order
                it began with.

        Each result is counted as handed out as it is yielded. The state file
        records that count when the iteration ends or is closed, and every
        `CHECKPOINT_EVERY` results: after a crash, `resume` hands out the
        rest, and at most the results since the last checkpoint come again
        (`aclose()` an iteration stopped early to record its count at once).

        A new iteration may start while an older one is suspended (left by a
        `break`): it hands out only what no earlier one did (nothing once all
        was), and the older one, if resumed, ends without yielding more.
        Starting one while another is running (awaiting the API from another
        task or thread, or from a progress callback) raises `RuntimeError`.
        """
        if self._running:
            raise RuntimeError(
                "this batch run's results() is being iterated by another consumer "
                "right now: iterate from one task at a time"
            )
        self._generation += 1
        generation = self._generation
        self._running = True
        try:
            while True:
                pending = [s for s in self.state.shards if not s.done]
                if not pending:
                    break
                ready = [s for s in pending if s.finished]
                shard = pending[0] if order == "input" else (ready or pending)[0]
                if not shard.finished:
                    await self._poll()
                    continue
                self._report("results")
                hand_out = self._hand_out(shard, order)
                try:
                    async for result in hand_out:
                        self._running = False
                        yield result
                        if self._generation != generation:
                            return  # a newer iteration took over while suspended
                        self._running = True
                finally:
                    # Closed early (the caller stopped): save what was taken.
                    await hand_out.aclose()
            self._report("done")
        finally:
            if self._generation == generation:
                self._running = False

    async def _hand_out(
        self, shard: ShardState, order: Order
    ) -> AsyncGenerator[BatchResult, None]:
        retry = (
            self.state.retry_failed
            and shard.incomplete
            and shard.retry_of is None
            and not shard.retried
            and shard.handed_out == 0
        )
        if retry:
            await self._resend_failures(shard)
        only_successes = shard.retried
        # `handed_out` counts results in the order the shard began with.
        if shard.handed_out == 0 or shard.order is None:
            shard.order = order
        produced = (
            self._in_input_order(shard, only_successes)
            if shard.order == "input"
            else self._in_file_order(shard, only_successes)
        )
        skip = saved = shard.handed_out
        try:
            async for result in produced:
                if skip > 0:
                    skip -= 1
                    continue
                # Saved before counting the next one, so the file never counts
                # a result the caller has not been given.
                if shard.handed_out - saved >= CHECKPOINT_EVERY:
                    saved = shard.handed_out
                    self._save()
                # Counted as it is yielded: `results()` passes it straight on,
                # and an iteration left suspended after it cannot give it again.
                shard.handed_out += 1
                yield result
            shard.done = True
        finally:
            self._save()

    async def _lines(self, file_id: str | None) -> AsyncIterator[bytes]:
        if file_id is None:
            return
        splitter = LineSplitter()
        async with await self._files.download(file_id, **self._options.other) as body:
            async for chunk in body.iter_bytes():
                for line in splitter.feed(chunk):
                    yield line
        for line in splitter.end():
            yield line

    async def _input_ids(self, shard: ShardState) -> AsyncIterator[str]:
        async for line in self._lines(shard.file_id):
            yield custom_id_of(line)

    def _parse(self, line: bytes, shard: ShardState) -> BatchResult:
        return parse_result_line(
            line, self.state.endpoint, shard=shard.index, strict=self._strict
        )

    def _unrun(self, shard: ShardState) -> bool:
        return shard.status != "SUCCESS" or shard.completed < shard.total

    async def _in_file_order(
        self, shard: ShardState, only_successes: bool
    ) -> AsyncIterator[BatchResult]:
        seen: set[str] | None = None if only_successes else set()
        async for line in self._lines(shard.output_file):
            result = self._parse(line, shard)
            if seen is not None:
                seen.add(result.custom_id)
            yield result
        if seen is None:
            return
        async for line in self._lines(shard.error_file):
            result = self._parse(line, shard)
            seen.add(result.custom_id)
            yield result
        if self._unrun(shard):
            async for custom_id in self._input_ids(shard):
                if custom_id not in seen:
                    yield not_run(custom_id, shard.status or "", shard=shard.index)

    async def _in_input_order(
        self, shard: ShardState, only_successes: bool
    ) -> AsyncIterator[BatchResult]:
        ids = [custom_id async for custom_id in self._input_ids(shard)]
        where = {custom_id: i for i, custom_id in enumerate(ids)}
        resent = await self._resent_ids(shard) if only_successes else set[str]()
        window: dict[int, BatchResult] = {}
        strays: list[BatchResult] = []  # ids the input does not hold: come last
        expected = 0
        # The error file first: it is usually the small one, so the outputs
        # after a failed request do not wait in the window for its error.
        files = [shard.error_file, shard.output_file]
        for file_id in files[1:] if only_successes else files:
            async for line in self._lines(file_id):
                result = self._parse(line, shard)
                position = where.get(result.custom_id)
                if position is None:
                    strays.append(result)
                    continue
                window[position] = result
                while expected < len(ids) and (
                    expected in window or ids[expected] in resent
                ):
                    if expected in window:
                        yield window.pop(expected)
                    expected += 1
        for position in range(expected, len(ids)):
            if position in window:
                yield window.pop(position)
            elif ids[position] not in resent:
                yield not_run(ids[position], shard.status or "", shard=shard.index)
        for stray in strays:
            yield stray

    async def _resent_ids(self, shard: ShardState) -> set[str]:
        retry = next(s for s in self.state.shards if s.retry_of == shard.index)
        return {custom_id async for custom_id in self._input_ids(retry)}

    async def _resend_failures(self, shard: ShardState) -> None:
        """Upload the requests of `shard` that got no response as a new job."""
        succeeded = set[str]()
        async for line in self._lines(shard.output_file):
            succeeded.add(custom_id_of(line))
        retry = ShardState(
            index=len(self.state.shards), first=shard.first, retry_of=shard.index
        )
        with tempfile.TemporaryFile() as spool:
            async for line in self._lines(shard.file_id):
                if custom_id_of(line) not in succeeded:
                    spool.write(line + b"\n")
                    retry.count += 1
            retry.size = spool.tell()
            spool.seek(0)
            if retry.count == 0:
                return
            await self._upload(retry, spool)
        shard.retried = True
        self._save()
        await self._create_job(retry)


def _copy(content: ShardReader | IO[bytes], spool: IO[bytes]) -> int:
    """Copy `content` to `spool`; return the bytes copied."""
    size = 0
    while chunk := content.read(1 << 20):
        spool.write(chunk)
        size += len(chunk)
    return size


def _update(shard: ShardState, job: BatchJobOut) -> None:
    shard.status = str(job.status)
    shard.total = job.total_requests or shard.count
    shard.completed = job.completed_requests or 0
    shard.succeeded = job.succeeded_requests or 0
    shard.failed = job.failed_requests or 0
    shard.output_file = job.output_file
    shard.error_file = job.error_file


async def run(
    resource: AsyncResource,
    requests: Iterable[Mapping[str, Any] | object],
    *,
    files: _Files,
    jobs: _Jobs,
    model: str,
    endpoint: str = "/v1/chat/completions",
    metadata: Mapping[str, str] | None = None,
    state_file: str | None = None,
    on_progress: ProgressCallback | None = None,
    poll_interval: float = 5.0,
    max_poll_interval: float = 60.0,
    max_requests_per_job: int = DEFAULT_MAX_REQUESTS,
    max_bytes_per_job: int = DEFAULT_MAX_BYTES,
    timeout_hours: int | None = None,
    retry_failed: bool = False,
    **options: Unpack[RequestOptions],
) -> AsyncBatchRun:
    """Upload `requests` as batch jobs and return the run (see `AsyncBatchRun`).

    Args:
        resource: Any resource of the client (its connection is used).
        files: The client's `files` namespace (uploads and downloads).
        jobs: The client's `batch.jobs` namespace.
        requests: Request bodies (dicts or models) for `endpoint`, each with an
            optional `custom_id` (else `request-<position>`); read lazily and
            streamed to the uploads, never held whole in memory.
        model: The model every job uses.
        endpoint: The API endpoint the requests go to.
        metadata: Metadata of the jobs (the run adds its own two keys).
        state_file: Where the run records each step, for `resume`.
        on_progress: Called with a `BatchProgress` as the run moves.
        poll_interval: The shortest wait between two polls, in seconds.
        max_poll_interval: The longest wait the backoff grows to.
        max_requests_per_job: Requests per job; more are split over jobs.
        max_bytes_per_job: Input bytes per job; more are split over jobs.
        timeout_hours: The jobs' timeout (the API's default when None).
        retry_failed: Resend the requests a job failed (or never ran) once,
            as a new job, before handing out their results.
        **options: The per-call options, for every request the run makes
            (uploads, job creations, polls, lists, downloads, cancels), now and
            in `results()`, `wait()` and `cancel()`: `timeout`, `extra_headers`
            and `extra_query` on all of them; `max_retries` on all but the
            uploads, which are never retried; `extra_body` on the job
            creations only (no other request has a JSON body of the run's).
            Not saved in the state file: give them to `resume` again.

    Raises:
        TypeError: An unknown keyword, an option of the wrong type, or an
            `extra_body` field the run sets itself (`metadata`, `model`, ...),
            before any request is sent.
        ConfigurationError: A timeout or retry count out of range (a
            `ValueError`), likewise.
    """
    checked = checked_options(options, _JOB_FIELDS)
    limits = BatchLimits(max_requests_per_job, max_bytes_per_job)
    state = RunState(
        endpoint=endpoint,
        model=model,
        metadata=dict(metadata) if metadata is not None else None,
        max_requests=limits.max_requests,
        max_bytes=limits.max_bytes,
        timeout_hours=timeout_hours,
        retry_failed=retry_failed,
    )
    batch_run = AsyncBatchRun(
        _transport_of(resource),
        state,
        files=files,
        jobs=jobs,
        state_file=state_file,
        on_progress=on_progress,
        poll_interval=poll_interval,
        max_poll_interval=max_poll_interval,
        options=checked,
    )
    batch_run._save()  # pyright: ignore[reportPrivateUsage]
    await batch_run._submit(  # pyright: ignore[reportPrivateUsage]
        InputLines.from_requests(requests)
    )
    return batch_run


async def resume(
    resource: AsyncResource,
    state_file: str,
    *,
    files: _Files,
    jobs: _Jobs,
    requests: Iterable[Mapping[str, Any] | object] | None = None,
    on_progress: ProgressCallback | None = None,
    poll_interval: float = 5.0,
    max_poll_interval: float = 60.0,
    retry_failed: bool | None = None,
    **options: Unpack[RequestOptions],
) -> AsyncBatchRun:
    """Continue the run recorded in `state_file`; nothing is uploaded or created twice.

    Args:
        resource: Any resource of the client.
        files: As for `run`.
        jobs: As for `run`.
        state_file: The file a `run(..., state_file=...)` wrote.
        requests: The same input again; needed only when the run stopped before
            all of it was uploaded (the part already sent is skipped).
        on_progress: As for `run`.
        poll_interval: As for `run`.
        max_poll_interval: As for `run`.
        retry_failed: Overrides the run's setting when given.
        **options: As for `run` (the state file does not hold the run's).

    Raises:
        TypeError: As for `run`.
    """
    checked = checked_options(options, _JOB_FIELDS)
    state = load_state(state_file)
    if retry_failed is not None:
        state.retry_failed = retry_failed
    batch_run = AsyncBatchRun(
        _transport_of(resource),
        state,
        files=files,
        jobs=jobs,
        state_file=state_file,
        on_progress=on_progress,
        poll_interval=poll_interval,
        max_poll_interval=max_poll_interval,
        options=checked,
    )
    await batch_run._continue(requests)  # pyright: ignore[reportPrivateUsage]
    return batch_run

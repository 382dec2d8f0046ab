"""The per-call options of the bulk helpers reach every request, on both clients.

`complete_many`, `create_many`, `batch.run` and `batch.resume` take `timeout=`,
`extra_headers=`, `extra_query=`, `extra_body=` (and `max_retries=`) like every
method; each request they send must carry them. The emulator logs what reached
it (headers, query, body); the timeout, which never reaches the wire, is read
from each request by a recording transport.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import anyio.from_thread
import httpx2
import pytest

from mistral_sdk import APIError, APITimeoutError, AsyncMistral, Mistral
from mistral_sdk.helpers._call_options import with_call_options
from mistral_sdk.helpers.batch_state import load_state, save_state
from mistral_sdk.testing import (
    BASE_URL,
    DEFAULT_API_KEY,
    AsyncEmulatorTransport,
    Emulator,
    EmulatorTransport,
    Request,
)

from .conftest import Blocking

MODEL = "mistral-small-latest"
HEADERS = {"X-Trace": "bulk-7"}
QUERY = {"trace": "q7"}
TIMEOUT = 12.5


@dataclass
class Wire:
    """A client of one flavour on an emulator, and the timeout of each request."""

    sdk: Any
    emulator: Emulator
    timeouts: list[object] = field(default_factory=list[object])

    def requests(self) -> list[Request]:
        return self.emulator.requests


class _Recording(EmulatorTransport):
    def __init__(self, emulator: Emulator, timeouts: list[object]) -> None:
        super().__init__(emulator)
        self.timeouts = timeouts

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        self.timeouts.append(request.extensions.get("timeout"))
        return super().handle_request(request)


class _AsyncRecording(AsyncEmulatorTransport):
    def __init__(self, emulator: Emulator, timeouts: list[object]) -> None:
        super().__init__(emulator)
        self.timeouts = timeouts

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        self.timeouts.append(request.extensions.get("timeout"))
        return await super().handle_async_request(request)


@pytest.fixture(params=["sync", "async"])
def wire(request: pytest.FixtureRequest) -> Iterator[Wire]:
    emulator = Emulator()
    timeouts: list[object] = []
    settings: dict[str, Any] = {
        "api_key": DEFAULT_API_KEY,
        "base_url": BASE_URL,
        "max_retries": 0,
        "strict": True,
    }
    if request.param == "sync":
        http = httpx2.Client(transport=_Recording(emulator, timeouts))
        with Mistral(http_client=http, **settings) as client:
            yield Wire(client, emulator, timeouts)
        return
    with anyio.from_thread.start_blocking_portal() as portal:
        async_http = httpx2.AsyncClient(transport=_AsyncRecording(emulator, timeouts))
        async_client = AsyncMistral(http_client=async_http, **settings)
        yield Wire(Blocking(async_client, portal), emulator, timeouts)
        portal.call(async_client.close)


def ask(i: int) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": f"question {i}"}]}


def body(request: Request) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(request.body)
    return parsed


def has_options(request: Request) -> bool:
    """Whether the call's headers and query reached this request."""
    return request.headers.get("x-trace") == "bulk-7" and ("trace", "q7") in (
        request.query
    )


def read_timeouts(wire: Wire) -> list[object]:
    """The read timeout of each request (httpx2 keeps them in a dict)."""
    return [cast("dict[str, object]", t)["read"] for t in wire.timeouts]


# ----------------------------------------------------------------- *_many
def test_complete_many_sends_the_options_with_every_request(wire: Wire) -> None:
    results = wire.sdk.chat.complete_many(
        [ask(i) for i in range(6)],
        model=MODEL,
        concurrency=3,
        timeout=TIMEOUT,
        extra_headers=HEADERS,
        extra_query=QUERY,
        extra_body={"random_seed": 7},
    )

    assert all(r.ok for r in results)
    sent = wire.requests()
    assert len(sent) == 6
    assert all(r.path == "/v1/chat/completions" for r in sent)
    assert all(has_options(r) for r in sent)
    assert all(body(r)["random_seed"] == 7 for r in sent)
    assert read_timeouts(wire) == [TIMEOUT] * 6


def test_create_many_sends_the_options_with_every_request(wire: Wire) -> None:
    results = wire.sdk.embeddings.create_many(
        [{"input": [f"text {i}"]} for i in range(4)],
        model="mistral-embed",
        timeout=TIMEOUT,
        extra_headers=HEADERS,
        extra_query=QUERY,
        extra_body={"output_dtype": "float"},
    )

    assert all(r.ok for r in results)
    sent = wire.requests()
    assert [r.path for r in sent] == ["/v1/embeddings"] * 4
    assert all(has_options(r) for r in sent)
    assert all(body(r)["output_dtype"] == "float" for r in sent)
    assert read_timeouts(wire) == [TIMEOUT] * 4


def test_a_requests_own_options_win_over_the_calls(wire: Wire) -> None:
    own = {
        **ask(1),
        "timeout": 60.0,
        "extra_headers": {"X-Trace": "mine", "X-Own": "1"},
        "extra_query": {"own": "yes"},
        "extra_body": {"random_seed": 9},
    }

    results = wire.sdk.chat.complete_many(
        [ask(0), own],
        model=MODEL,
        concurrency=1,
        timeout=TIMEOUT,
        extra_headers=HEADERS,
        extra_query=QUERY,
        extra_body={"random_seed": 7, "safe_prompt": True},
    )

    assert all(r.ok for r in results)
    shared, mine = wire.requests()
    assert has_options(shared)
    assert mine.headers.get("x-trace") == "mine"
    assert mine.headers.get("x-own") == "1"
    assert {("trace", "q7"), ("own", "yes")} <= set(mine.query)
    assert (body(shared)["random_seed"], body(mine)["random_seed"]) == (7, 9)
    assert body(mine)["safe_prompt"] is True  # merged: the call's other fields stay
    assert read_timeouts(wire) == [TIMEOUT, 60.0]


def test_the_timeout_ends_each_slow_request(wire: Wire) -> None:
    # The emulator's virtual latency is longer than the call's timeout: every
    # request times out, except the one that gives itself longer.
    wire.emulator.script.latency(30.0, on="POST /v1/chat/completions")

    results = wire.sdk.chat.complete_many(
        [ask(0), {**ask(1), "timeout": 60.0}, ask(2)],
        model=MODEL,
        timeout=5.0,
        max_retries=0,
    )

    assert isinstance(results[0].error, APITimeoutError)
    assert results[1].ok
    assert isinstance(results[2].error, APITimeoutError)


def test_a_requests_own_max_retries_is_its_retry_budget(wire: Wire) -> None:
    wire.emulator.script.error(503, on="POST /v1/chat/completions", times=1)

    results = wire.sdk.chat.complete_many(
        [{**ask(0), "max_retries": 1}], model=MODEL, max_retries=0
    )

    assert results[0].ok
    assert len(wire.requests()) == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"extra_headers": ["X-Trace"]}, "extra_headers must be a mapping"),
        ({"extra_headers": {"X-Trace": 7}}, "extra_headers['X-Trace'] must be str"),
        ({"extra_query": "trace=q7"}, "extra_query must be a mapping"),
        ({"extra_body": {1: "x"}}, "extra_body keys must be str"),
        ({"timeout": "5"}, "timeout must be seconds"),
        ({"max_retries": 1.5}, "max_retries must be an int"),
        ({"extra_header": HEADERS}, "unexpected keyword argument 'extra_header'"),
    ],
)
def test_a_bad_option_is_a_type_error_before_any_request(
    wire: Wire, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(TypeError, match=message.replace("[", r"\[")):
        wire.sdk.chat.complete_many([ask(0), ask(1)], model=MODEL, **options)
    with pytest.raises(TypeError, match=message.replace("[", r"\[")):
        wire.sdk.batch.run([ask(0)], model=MODEL, **options)

    assert wire.requests() == []


# -------------------------------------------------------------- batch.run
def test_batch_run_sends_the_options_with_every_request(wire: Wire) -> None:
    run = wire.sdk.batch.run(
        (ask(i) for i in range(5)),
        model=MODEL,
        poll_interval=0,
        max_requests_per_job=2,
        timeout=TIMEOUT,
        extra_headers=HEADERS,
        extra_query=QUERY,
        extra_body={"priority": "low"},
    )
    results = list(run.results(order="input"))

    assert [r.custom_id for r in results] == [f"request-{i}" for i in range(5)]
    assert all(r.ok for r in results)
    sent = wire.requests()
    kinds = {(r.method, r.path.split("/")[2]) for r in sent}
    assert {("POST", "files"), ("POST", "batch"), ("GET", "batch")} <= kinds
    assert any(r.path.endswith("/content") for r in sent)  # the downloads
    assert all(has_options(r) for r in sent)
    assert read_timeouts(wire) == [TIMEOUT] * len(sent)
    creations = [r for r in sent if (r.method, r.path) == ("POST", "/v1/batch/jobs")]
    assert len(creations) == 3
    assert all(body(r)["priority"] == "low" for r in creations)
    # The other requests carry no field of the caller's: uploads are multipart
    # with the file and its purpose only, the rest have no body.
    uploads = [r for r in sent if (r.method, r.path) == ("POST", "/v1/files")]
    assert len(uploads) == 3
    assert not any(b"priority" in r.body for r in uploads)
    assert all(r.body == b"" for r in sent if r.method == "GET")


def test_batch_cancel_sends_the_options(wire: Wire) -> None:
    run = wire.sdk.batch.run(
        [ask(0)], model=MODEL, poll_interval=0, extra_headers=HEADERS, extra_query=QUERY
    )

    run.cancel()

    cancels = [r for r in wire.requests() if r.path.endswith("/cancel")]
    assert len(cancels) == 1
    assert has_options(cancels[0])


def test_max_retries_retries_the_polls_of_a_run(wire: Wire) -> None:
    poll = "jobs_api_routes_batch_get_batch_job"
    wire.emulator.script.error(503, on=poll, times=1)

    run = wire.sdk.batch.run([ask(0)], model=MODEL, poll_interval=0, max_retries=1)
    results = list(run.results())

    assert [r.ok for r in results] == [True]

    wire.emulator.script.error(503, on=poll, times=1)
    again = wire.sdk.batch.run([ask(1)], model=MODEL, poll_interval=0)
    with pytest.raises(APIError):  # the client's setting (no retries) otherwise
        list(again.results())


def test_uploads_are_never_retried_whatever_max_retries_says(wire: Wire) -> None:
    wire.emulator.script.error(503, on="POST /v1/files", times=1)

    with pytest.raises(APIError):
        wire.sdk.batch.run([ask(0)], model=MODEL, max_retries=3)

    assert len([r for r in wire.requests() if r.path == "/v1/files"]) == 1


def test_resume_sends_its_own_options_with_every_request(
    wire: Wire, tmp_path: Path
) -> None:
    state_file = str(tmp_path / "run.json")
    wire.sdk.batch.run(
        [ask(i) for i in range(3)],
        model=MODEL,
        poll_interval=0,
        state_file=state_file,
        extra_headers={"X-Trace": "the first process"},
    )
    # As if the run died between creating its job and saving the job's id:
    # resume looks the job up (a list) before polling and downloading.
    state = load_state(state_file)
    state.shards[0].job_id = None
    save_state(state_file, state)
    before = len(wire.requests())

    run = wire.sdk.batch.resume(
        state_file, poll_interval=0, extra_headers=HEADERS, extra_query=QUERY
    )
    results = list(run.results())

    assert len(results) == 3
    sent = wire.requests()[before:]
    assert ("GET", "/v1/batch/jobs") in {(r.method, r.path) for r in sent}
    assert all(has_options(r) for r in sent)
    assert "the first process" not in Path(state_file).read_text()


# ----------------------------------------------------------------- merging, limits
def test_call_extra_body_does_not_replace_a_requests_own_fields(wire: Wire) -> None:
    results = wire.sdk.chat.complete_many(
        [{**ask(0), "random_seed": 9}, {**ask(1), "model": "mistral-large-latest"}],
        model=MODEL,
        concurrency=1,
        extra_body={"random_seed": 7, "model": "open-mistral-nemo"},
    )

    assert all(r.ok for r in results)
    first, second = (body(r) for r in wire.requests())
    assert (first["random_seed"], first["model"]) == (9, MODEL)
    assert (second["random_seed"], second["model"]) == (7, "mistral-large-latest")


def test_a_requests_header_replaces_the_calls_whatever_the_case(wire: Wire) -> None:
    own = {**ask(1), "extra_headers": {"x-trace": "mine"}}

    results = wire.sdk.chat.complete_many(
        [ask(0), own], model=MODEL, concurrency=1, extra_headers={"X-Trace": "call"}
    )

    assert all(r.ok for r in results)
    shared, mine = wire.requests()
    assert shared.headers.get("x-trace") == "call"
    assert mine.headers.get("x-trace") == "mine"  # one header, not two


def test_merging_keeps_one_header_per_name() -> None:
    merged = with_call_options(
        {"extra_headers": {"x-trace": "mine"}, "extra_query": None},
        {
            "extra_headers": {"X-Trace": "call", "X-Team": "a"},
            "extra_query": {"q": "1"},
        },
    )

    assert merged["extra_headers"] == {"X-Team": "a", "x-trace": "mine"}
    assert merged["extra_query"] == {"q": "1"}  # a request's None is not given


@pytest.mark.parametrize("field", ["metadata", "model", "input_files", "endpoint"])
def test_batch_run_refuses_extra_body_replacing_its_own_fields(
    wire: Wire, field: str
) -> None:
    with pytest.raises(TypeError, match=f"extra_body may not set '{field}'"):
        wire.sdk.batch.run([ask(0)], model=MODEL, extra_body={field: {"team": "a"}})

    assert wire.requests() == []


def test_a_job_creation_whose_answer_was_lost_is_not_made_twice(wire: Wire) -> None:
    # The creation reaches the emulator (the job exists) but its answer comes
    # after the timeout; the retry must find that job instead of making another.
    wire.emulator.script.latency(30.0, on="POST /v1/batch/jobs", times=1)

    run = wire.sdk.batch.run(
        [ask(0), ask(1)], model=MODEL, poll_interval=0, timeout=10.0, max_retries=1
    )
    results = list(run.results())

    creations = [
        r for r in wire.requests() if (r.method, r.path) == ("POST", "/v1/batch/jobs")
    ]
    with wire.emulator.client() as reader:
        jobs = [job.id for job in reader.batch.jobs.list()]
    assert len(creations) == 1
    assert jobs == run.job_ids  # the run holds the one job the server made
    assert len(results) == 2
    assert all(r.ok for r in results)

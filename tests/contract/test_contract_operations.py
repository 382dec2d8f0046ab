"""Every operation, called through the SDK against Prism, with the sync and the async client.

A call passes when every request it sent reached the operation the method claims
(`_operation_ids`), Prism found nothing wrong with it, its query holds only
declared parameters (JSON-content ones as valid JSON), every response was released,
and the SDK parsed what came back in its default lenient mode. Streams are the
exception on the response side: Prism cannot produce event streams, so a stream
call must end in the SDK's typed error for Prism's refusal (the parsing of events
is covered by test_contract_sse.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from . import _spec
from ._calls import CALLS, Call
from ._calls_latest import LATEST_CALLS
from ._calls_models import MODEL_CALLS
from ._recorder import Recorder

if TYPE_CHECKING:
    from mistral_sdk import AsyncMistral, Mistral

pytestmark = pytest.mark.contract

ALL_CALLS = CALLS + MODEL_CALLS + LATEST_CALLS

PAGE_ITEMS = 25
"""Items taken from a list: enough to make the paginator fetch, never endless."""


def _method(client: object, call: Call) -> Callable[..., Any]:
    resource = client
    for name in call.namespace.split("."):
        resource = getattr(resource, name)
    ids = getattr(type(resource), "_operation_ids", {})
    assert ids.get(call.method) == call.operation_id, (
        f"{type(resource).__name__}._operation_ids maps {call.method!r} to "
        f"{ids.get(call.method)!r}, the spec operation is {call.operation_id!r}"
    )
    method: Callable[..., Any] = getattr(resource, call.method)
    return method


def _verdict(
    call: Call, recorder: Recorder, result: object, error: BaseException | None
) -> None:
    """Fail with everything wrong about one call: Prism's findings come first."""
    assert recorder.exchanges, f"{call.name} sent no request (raised {error!r})"
    sse = call.kind == "stream"
    problems = [
        problem
        for exchange in recorder.exchanges
        for problem in exchange.problems({call.operation_id}, sse=sse)
    ]
    if sse:
        problems += _stream_error_problems(call, recorder, error)
    elif error is not None:
        problems.append(f"the SDK raised {error!r}")
    problems += [
        f"response to {e.request.method} {e.request.url} was left open"
        for e in recorder.exchanges
        if e.response is not None and not e.response.is_closed
    ]
    if not sse and error is None:
        problems += _result_problems(call, result)
    assert problems == [], f"{call.name}:\n" + "\n".join(problems)


def _result_problems(call: Call, result: object) -> list[str]:
    if call.kind != "json":
        return []
    declared = _spec.operations()[call.operation_id].responses
    status, media = next((s, m) for s, m in declared.items() if s.startswith("2"))
    if "application/json" in media and result is None and not _any_json(call, status):
        return ["returned None for a JSON answer"]
    return []


def _any_json(call: Call, status: str) -> bool:
    # `schema: {}` (workflow histories) allows any JSON, `null` included.
    answer = _spec.spec_operation(call.operation_id)["responses"][status]
    return not answer["content"]["application/json"].get("schema")


def _stream_error_problems(
    call: Call, recorder: Recorder, error: BaseException | None
) -> list[str]:
    # Prism refuses to produce an event stream: the SDK must raise the typed error
    # for the status it got, with the response attached.
    from mistral_sdk import APIError, InternalServerError

    status = recorder.exchanges[-1].status
    if not isinstance(error, APIError):
        return [f"expected the SDK's APIError for Prism's {status}, got {error!r}"]
    problems = []
    if error.status_code != status:
        problems.append(f"{error!r} carries status {error.status_code}, not {status}")
    if error.response is None:
        problems.append(f"{error!r} carries no response")
    if isinstance(error, InternalServerError) != (status >= 500):
        problems.append(f"{type(error).__name__} for status {status}")
    return problems


def _invoke(call: Call, method: Callable[..., Any]) -> object:
    if call.kind == "stream":
        with method(*call.args, **call.kwargs) as stream:
            return list(stream)
    if call.kind == "page":
        pages = method(*call.args, **call.kwargs)
        return [item for item, _ in zip(pages, range(PAGE_ITEMS), strict=False)]
    if call.kind == "download":
        with method(*call.args, **call.kwargs) as binary:
            return binary.read()
    return method(*call.args, **call.kwargs)


async def _ainvoke(call: Call, method: Callable[..., Any]) -> object:
    if call.kind == "stream":
        async with await method(*call.args, **call.kwargs) as stream:
            return [event async for event in stream]
    if call.kind == "page":
        items = []
        async for item in method(*call.args, **call.kwargs):
            items.append(item)
            if len(items) == PAGE_ITEMS:
                break
        return items
    if call.kind == "download":
        async with await method(*call.args, **call.kwargs) as binary:
            return await binary.read()
    return await method(*call.args, **call.kwargs)


@pytest.mark.parametrize("call", ALL_CALLS, ids=[call.id for call in ALL_CALLS])
def test_operation_sync(call: Call, client: Mistral, recorder: Recorder) -> None:
    method = _method(client, call)

    result: object = None
    error: Exception | None = None
    try:
        result = _invoke(call, method)
    except Exception as caught:  # judged with Prism's findings in _verdict
        error = caught

    _verdict(call, recorder, result, error)


@pytest.mark.anyio
@pytest.mark.parametrize("call", ALL_CALLS, ids=[call.id for call in ALL_CALLS])
async def test_operation_async(
    call: Call, async_client: AsyncMistral, recorder: Recorder
) -> None:
    method = _method(async_client, call)

    result: object = None
    error: Exception | None = None
    try:
        result = await _ainvoke(call, method)
    except Exception as caught:  # judged with Prism's findings in _verdict
        error = caught

    _verdict(call, recorder, result, error)


@pytest.mark.anyio
async def test_operation_async_list_is_awaitable_for_its_first_page(
    async_client: AsyncMistral, recorder: Recorder
) -> None:
    [call] = [c for c in CALLS if c.name == "files.list"]

    page = await _method(async_client, call)(**call.kwargs)

    assert isinstance(page.items, list)
    assert len(recorder.exchanges) == 1
    _verdict(call, recorder, page.items, None)

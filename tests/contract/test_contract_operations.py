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
from ._recorder import Recorder

if TYPE_CHECKING:
    from mistral_sdk import AsyncMistral, Mistral

pytestmark = pytest.mark.contract

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


def _check_exchanges(call: Call, recorder: Recorder) -> None:
    assert recorder.exchanges, f"{call.name} sent no request"
    problems = [
        problem
        for exchange in recorder.exchanges
        for problem in exchange.problems({call.operation_id}, sse=call.kind == "stream")
    ]
    assert problems == [], "\n".join(problems)
    leaked = [
        e.request.url
        for e in recorder.exchanges
        if e.response and not e.response.is_closed
    ]
    assert leaked == [], f"{call.name} left responses open"


def _check_result(call: Call, result: object) -> None:
    if call.kind != "json":
        return
    declared = _spec.operations()[call.operation_id].responses
    success = next(
        media for status, media in declared.items() if status.startswith("2")
    )
    if "application/json" in success:
        assert result is not None, f"{call.name} returned nothing for a JSON answer"


def _check_stream_error(recorder: Recorder, error: Exception) -> None:
    from mistral_sdk import APIError, InternalServerError

    status = recorder.exchanges[-1].status
    assert isinstance(error, APIError)
    assert error.status_code == status
    assert error.response is not None
    assert isinstance(error, InternalServerError) == (status >= 500)


def _drain(stream: Any) -> list[object]:
    with stream:
        return list(stream)


async def _adrain(opening: Any) -> list[object]:
    async with await opening as stream:
        return [event async for event in stream]


@pytest.mark.parametrize("call", CALLS, ids=[call.name for call in CALLS])
def test_operation_sync(call: Call, client: Mistral, recorder: Recorder) -> None:
    method = _method(client, call)

    result: object = None
    if call.kind == "stream":
        from mistral_sdk import APIError

        with pytest.raises(APIError) as caught:
            _drain(method(*call.args, **call.kwargs))
        _check_stream_error(recorder, caught.value)
    elif call.kind == "page":
        pages = method(*call.args, **call.kwargs)
        result = [item for item, _ in zip(pages, range(PAGE_ITEMS), strict=False)]
    elif call.kind == "download":
        with method(*call.args, **call.kwargs) as binary:
            result = binary.read()
    else:
        result = method(*call.args, **call.kwargs)

    _check_exchanges(call, recorder)
    _check_result(call, result)


@pytest.mark.anyio
@pytest.mark.parametrize("call", CALLS, ids=[call.name for call in CALLS])
async def test_operation_async(
    call: Call, async_client: AsyncMistral, recorder: Recorder
) -> None:
    method = _method(async_client, call)

    result: object = None
    if call.kind == "stream":
        from mistral_sdk import APIError

        with pytest.raises(APIError) as caught:
            await _adrain(method(*call.args, **call.kwargs))
        _check_stream_error(recorder, caught.value)
    elif call.kind == "page":
        items = []
        async for item in method(*call.args, **call.kwargs):
            items.append(item)
            if len(items) == PAGE_ITEMS:
                break
        result = items
    elif call.kind == "download":
        async with await method(*call.args, **call.kwargs) as binary:
            result = await binary.read()
    else:
        result = await method(*call.args, **call.kwargs)

    _check_exchanges(call, recorder)
    _check_result(call, result)

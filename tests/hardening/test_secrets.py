"""The API key leaks nowhere: reprs, exceptions, tracebacks, DEBUG logs of every library.

The calls fail in every way the fault server offers (errors that echo the key,
resets, timeouts, a stream cut midway), with the root logger at DEBUG so the logs
of httpx2 and its connection pool are searched too.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

import pytest
from factories import API_KEY

from hardening import payloads
from hardening.faultserver import Close, FaultServer, Pause, Reply, Reset
from hardening.support import (
    CHAT,
    MESSAGES,
    Sdk,
    json_reply,
    sse_events,
    sse_reply,
    transport_of,
)
from mistral_sdk import MistralError
from mistral_sdk._request import build_request
from mistral_sdk.resources.chat import (
    _CHAT_COMPLETE,  # pyright: ignore[reportPrivateUsage]
)

ECHO = {"message": f"Invalid API key: Bearer {API_KEY}", "key": API_KEY}


def texts_of(error: BaseException) -> list[str]:
    """Everything a user or a log handler might print of `error`."""
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    for name in ("message", "body", "request", "response", "errors", "detail"):
        value = getattr(error, name, None)
        if value is not None:
            texts += [repr(value), str(value)]
    request = getattr(error, "request", None) or getattr(
        getattr(error, "response", None), "request", None
    )
    if request is not None:
        texts += [repr(request.headers), str(request.url)]
    return texts


def collect(errors: list[BaseException], call: Any) -> None:
    try:
        call()
    except MistralError as exc:
        errors.append(exc)


def read_stream(sdk: Sdk) -> None:
    with sdk.client.chat.stream(model="m", messages=MESSAGES) as stream:
        for _ in stream:
            pass


def test_secrets_not_in_failing_calls(
    make_sdk: Any, fault: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    sdk = make_sdk(timeout=0.3)
    fault.script(
        "POST",
        CHAT,
        # complete(): 503 echoing the key, a reset, then a 401 echoing it again
        json_reply(ECHO, 503),
        Reply(before=(Reset(),)),
        json_reply(ECHO, 401),
        # complete(): stalls past the timeout three times
        *[Reply(before=(Pause(5),))] * 3,
        # stream(): an event, then the connection closes mid-event
        sse_reply(sse_events(payloads.chunk("a"), done=False) + b"data: {", Close()),
        # stream(): an error event echoing the key
        sse_reply(sse_events({"object": "error", "message": f"bad key {API_KEY}"})),
        # stream(): a 401 before the stream starts
        json_reply(ECHO, 401),
    )
    errors: list[BaseException] = []

    with caplog.at_level(logging.DEBUG):
        collect(errors, lambda: sdk.client.chat.complete(model="m", messages=MESSAGES))
        collect(errors, lambda: sdk.client.chat.complete(model="m", messages=MESSAGES))
        for _ in range(3):
            collect(errors, lambda: read_stream(sdk))

    assert [type(e).__name__ for e in errors] == [
        "AuthenticationError",
        "APITimeoutError",
        "APIConnectionError",
        "APIError",
        "AuthenticationError",
    ]
    for error in errors:
        for text in texts_of(error):
            assert API_KEY not in text
    assert {r.name.split(".")[0] for r in caplog.records} >= {"mistral_sdk", "httpx2"}
    for record in caplog.records:
        assert API_KEY not in record.getMessage()
        assert API_KEY not in repr(record.args)
        assert API_KEY not in (record.exc_text or "")
    assert all(
        r.headers["authorization"] == f"Bearer {API_KEY}" for r in fault.requests
    )


def test_secrets_not_in_the_locals_of_tracebacks(
    make_sdk: Any, fault: FaultServer
) -> None:
    # Error trackers and `pytest -l` print every frame's local variables; the
    # SDK's own objects must not show the key there. (Data the server echoes is
    # out of reach: it sits in the response as received.)
    sdk = make_sdk(timeout=0.3, max_retries=1)
    fault.script(
        "POST",
        CHAT,
        json_reply({"message": "Unauthorized"}, 401),
        Reply(before=(Reset(),)),
        Reply(before=(Reset(),)),
        Reply(before=(Pause(5),)),
        Reply(before=(Pause(5),)),
        sse_reply(sse_events(payloads.chunk("a"), done=False), Close()),
        sse_reply(sse_events({"object": "error", "message": "overloaded"})),
    )
    errors: list[BaseException] = []

    for _ in range(3):
        collect(errors, lambda: sdk.client.chat.complete(model="m", messages=MESSAGES))
    for _ in range(2):
        collect(errors, lambda: read_stream(sdk))

    assert len(errors) == 5
    for error in errors:
        trace = traceback.TracebackException.from_exception(error, capture_locals=True)
        assert API_KEY not in "".join(trace.format())


def test_secrets_not_in_client_config_or_options(
    make_sdk: Any, fault: FaultServer
) -> None:
    sdk = make_sdk(default_headers={"x-team": "a"})
    target = sdk.target
    transport: Any = transport_of(target)
    copy = target.with_options(timeout=3, max_retries=1)
    parts = build_request(
        transport.config,
        _CHAT_COMPLETE,
        body={"model": "m", "messages": MESSAGES},
        options={"timeout": 1.0, "extra_headers": {"x-trace": "1"}},
    )

    for value in (target, copy, transport.config, transport, parts, sdk.client):
        assert API_KEY not in repr(value)
        assert API_KEY not in str(value)
        assert API_KEY not in f"{value}"
    assert API_KEY not in repr(vars(parts) if hasattr(parts, "__dict__") else parts)

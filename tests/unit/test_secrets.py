"""The API key never appears in a message, a repr, a log line or an exception."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable

import httpx2
import pytest
from conftest import Handle, MockApi, json_reply
from factories import API_KEY, Chunks, chunk, event_response, sse

from mistral_sdk import MistralError
from mistral_sdk._config import ClientConfig

URL = "/v1/chat/completions"


def texts_of(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    for name in ("message", "body", "request", "response", "errors"):
        value = getattr(error, name, None)
        if value is not None:
            texts.append(repr(value))
            texts.append(
                json.dumps(value, default=repr) if name == "body" else str(value)
            )
    return texts


def test_secrets_not_in_failing_calls(
    both_clients: Callable[..., Handle], api: MockApi, caplog: pytest.LogCaptureFixture
) -> None:
    api.add(
        "POST",
        URL,
        json_reply(503, {"message": f"upstream rejected Bearer {API_KEY}"}),
        httpx2.ConnectError(f"failed with {API_KEY[:4]}"),
        json_reply(401, {"message": f"Invalid API key {API_KEY}", "key": API_KEY}),
        event_response(Chunks([sse(chunk("a"), done=False)], fail=True)),
        event_response(sse({"object": "error", "message": f"bad key {API_KEY}"})),
    )
    handle = both_clients(max_retries=2)
    errors: list[BaseException] = []

    with caplog.at_level(logging.DEBUG):
        try:
            handle.client.chat.complete(model="m", messages=[])
        except MistralError as exc:
            errors.append(exc)
        for _ in range(2):
            try:
                with handle.client.chat.stream(model="m", messages=[]) as stream:
                    list(stream)
            except MistralError as exc:
                errors.append(exc)

    assert len(errors) == 3
    for error in errors:
        for text in texts_of(error):
            assert API_KEY not in text
    assert caplog.records
    assert API_KEY not in caplog.text
    assert all(API_KEY not in str(r.args) for r in caplog.records)


def test_secrets_not_in_client_or_config_reprs(
    both_clients: Callable[..., Handle],
) -> None:
    handle = both_clients()
    client = getattr(handle.client, "target", handle.client)
    config = client._transport.config

    for text in (
        repr(client),
        str(client),
        repr(config),
        str(config),
        repr(client.with_options(timeout=1)),
    ):
        assert API_KEY not in text


def test_secrets_not_in_configuration_errors() -> None:
    with pytest.raises(MistralError) as caught:
        ClientConfig.create(api_key=API_KEY + " \n x")

    assert API_KEY not in str(caught.value)


def test_secrets_not_in_request_validation_errors(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    handle = both_clients()

    with pytest.raises(MistralError) as caught:
        handle.client.chat.complete(model=API_KEY[:0] or 5, messages=[])

    assert all(API_KEY not in text for text in texts_of(caught.value))

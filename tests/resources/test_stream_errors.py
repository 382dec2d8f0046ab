"""An error in the middle of a stream raises the class it names, on both clients."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import MockApi

from mistral_sdk import (
    APIError,
    AuthenticationError,
    InternalServerError,
    RateLimitError,
)

from . import payloads
from .conftest import sse

MESSAGES = [{"role": "user", "content": "Hi"}]


@pytest.mark.parametrize(
    ("error", "cls", "status"),
    [
        (
            {
                "object": "error",
                "message": "Requests rate limit exceeded",
                "type": "rate_limited",
                "param": None,
                "code": "1300",
            },
            RateLimitError,
            429,
        ),
        (
            {"object": "error", "message": "Requests rate limit exceeded", "code": 429},
            RateLimitError,
            429,
        ),
        (
            {
                "object": "error",
                "message": "Requests rate limit exceeded",
                "type": "unauthorized",
                "status": 401,
            },
            AuthenticationError,
            401,
        ),
        (
            {
                "object": "error",
                "message": "Requests rate limit exceeded",
                "type": "internal_error",
            },
            InternalServerError,
            500,
        ),
        (
            {"object": "error", "message": "Requests rate limit exceeded", "code": "3"},
            APIError,
            200,
        ),
    ],
)
def test_chat_stream_error_object_raises_the_class_it_names(
    sdk: Any, api: MockApi, error: dict[str, Any], cls: type[APIError], status: int
) -> None:
    api.add("POST", "/v1/chat/completions", sse(payloads.chunk("Hel"), error))
    seen: list[Any] = []

    with (
        pytest.raises(APIError, match="rate limit exceeded") as caught,
        sdk.chat.stream(model="m", messages=MESSAGES) as stream,
    ):
        seen.extend(stream)

    assert type(caught.value) is cls
    assert caught.value.status_code == status
    assert len(seen) == 1


def test_conversation_error_event_raises_the_class_its_code_names(
    sdk: Any, api: MockApi
) -> None:
    error = {
        "type": "conversation.response.error",
        "message": "too many requests",
        "code": 429,
    }
    api.add("POST", "/v1/conversations/conv-1", sse(error, done=False))

    with (
        pytest.raises(RateLimitError, match="too many requests") as caught,
        sdk.beta.conversations.append_stream("conv-1", inputs="x") as stream,
    ):
        list(stream)

    assert caught.value.status_code == 429

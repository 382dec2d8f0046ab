"""`chat.parse`, `chat.parse_stream` and `agents.parse` on both clients.

The happy paths run against the emulator (which answers a `json_schema` format
with an instance of the schema); the edge cases against the emulator's script
and against scripted fakes (`httpx2.MockTransport`) for what the emulator never
sends (a refusal, JSON of the wrong shape, a stream cut by the token limit).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import anyio
import httpx2
import pytest
from pydantic import BaseModel

from mistral_sdk import (
    AsyncMistral,
    ContentFilterFinishReasonError,
    LengthFinishReasonError,
    Mistral,
    OutputValidationError,
)
from mistral_sdk.helpers.structured import ParsedChatCompletion, ParseStreamEvent
from mistral_sdk.testing import Emulator

MODEL = "mistral-small-latest"
MESSAGES: Any = [{"role": "user", "content": "Paris"}]


class Street(BaseModel):
    name: str
    number: int


class City(BaseModel):
    name: str
    population: int
    size: Literal["big", "small"]
    streets: list[Street]
    mayor: str | None = None


PARIS = City(
    name="Paris",
    population=0,
    size="big",
    streets=[Street(name="Paris", number=0)],
    mayor="Paris",
)


@dataclass
class Clients:
    """How to make each flavour of client for one test."""

    sync: Callable[[], Mistral]
    async_: Callable[[], AsyncMistral]


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def emulator() -> Emulator:
    return Emulator()


@pytest.fixture
def on_emulator(emulator: Emulator) -> Clients:
    return Clients(
        lambda: emulator.client(strict=True), lambda: emulator.async_client(strict=True)
    )


def faked(handler: Callable[[httpx2.Request], httpx2.Response]) -> Clients:
    transport = httpx2.MockTransport(handler)
    return Clients(
        lambda: Mistral(
            api_key="k", max_retries=0, http_client=httpx2.Client(transport=transport)
        ),
        lambda: AsyncMistral(
            api_key="k",
            max_retries=0,
            http_client=httpx2.AsyncClient(transport=transport),
        ),
    )


def parse(
    clients: Clients, flavour: str, namespace: str = "chat", **arguments: Any
) -> ParsedChatCompletion[Any]:
    arguments = {"messages": MESSAGES, "response_format": City, **arguments}
    if flavour == "sync":
        with clients.sync() as client:
            result: ParsedChatCompletion[Any] = getattr(client, namespace).parse(
                **arguments
            )
            return result

    async def run() -> ParsedChatCompletion[Any]:
        async with clients.async_() as client:
            result: ParsedChatCompletion[Any] = await getattr(client, namespace).parse(
                **arguments
            )
            return result

    return anyio.run(run)


def parse_stream(
    clients: Clients, flavour: str, **arguments: Any
) -> tuple[list[ParseStreamEvent], ParsedChatCompletion[Any]]:
    arguments = {
        "model": MODEL,
        "messages": MESSAGES,
        "response_format": City,
        **arguments,
    }
    if flavour == "sync":
        with clients.sync() as client, client.chat.parse_stream(**arguments) as stream:
            events = list(stream)
            return events, stream.get_final_completion()

    async def run() -> tuple[list[ParseStreamEvent], ParsedChatCompletion[Any]]:
        async with (
            clients.async_() as client,
            client.chat.parse_stream(**arguments) as stream,
        ):
            events = [event async for event in stream]
            return events, await stream.get_final_completion()

    return anyio.run(run)


def sent(emulator: Emulator) -> Any:
    return json.loads(emulator.log[-1].request.body)


# ---------------------------------------------------------------- emulator
def test_parse_sends_a_strict_json_schema_and_parses_the_reply(
    on_emulator: Clients, emulator: Emulator, flavour: str
) -> None:
    completion = parse(on_emulator, flavour, model=MODEL, temperature=0)

    assert completion.choices[0].message.parsed == PARIS
    body = sent(emulator)
    assert body["temperature"] == 0
    fmt = body["response_format"]
    assert (fmt["type"], fmt["json_schema"]["name"], fmt["json_schema"]["strict"]) == (
        "json_schema",
        "City",
        True,
    )
    assert fmt["json_schema"]["schema"]["additionalProperties"] is False


def test_parse_of_an_agent_completion(
    on_emulator: Clients, emulator: Emulator, flavour: str
) -> None:
    with emulator.client() as client:
        agent = client.beta.agents.create(model=MODEL, name="Geographer")

    completion = parse(on_emulator, flavour, namespace="agents", agent_id=agent.id)

    assert completion.choices[0].message.parsed == PARIS
    assert sent(emulator)["response_format"]["json_schema"]["name"] == "City"


def test_parse_stream_events_build_the_value_and_end_with_the_parsed_completion(
    on_emulator: Clients, flavour: str
) -> None:
    events, final = parse_stream(on_emulator, flavour)

    text = "".join(e.delta for e in events)
    assert City.model_validate_json(text) == PARIS
    assert events[-1].snapshot == text
    assert events[-1].parsed == PARIS.model_dump()
    partial = [e.parsed for e in events if e.parsed]
    assert partial[0] != partial[-1]  # the value grew chunk by chunk
    assert final.choices[0].message.parsed == PARIS
    assert final.choices[0].finish_reason == "stop"
    assert final.usage.completion_tokens > 0


def test_parse_stream_text_stream_and_until_done(
    on_emulator: Clients, flavour: str
) -> None:
    arguments: Any = {"model": MODEL, "messages": MESSAGES, "response_format": City}
    if flavour == "sync":
        with (
            on_emulator.sync() as client,
            client.chat.parse_stream(**arguments) as stream,
        ):
            text = "".join(stream.text_stream)
            stream.until_done()
            final = stream.get_final_completion()
    else:

        async def run() -> tuple[str, ParsedChatCompletion[City]]:
            async with (
                on_emulator.async_() as client,
                client.chat.parse_stream(**arguments) as stream,
            ):
                text = "".join([t async for t in stream.text_stream])
                await stream.until_done()
                return text, await stream.get_final_completion()

        text, final = anyio.run(run)

    assert City.model_validate_json(text) == PARIS
    assert final.choices[0].message.parsed == PARIS


def test_parse_cut_by_max_tokens_raises_length_error(
    on_emulator: Clients, flavour: str
) -> None:
    with pytest.raises(LengthFinishReasonError) as caught:
        parse(on_emulator, flavour, model=MODEL, max_tokens=3)

    assert caught.value.content.startswith('{"name":')
    assert caught.value.completion.choices[0].finish_reason == "length"


def test_parse_stream_cut_by_max_tokens_raises_at_the_end(
    on_emulator: Clients, flavour: str
) -> None:
    with pytest.raises(LengthFinishReasonError):
        parse_stream(on_emulator, flavour, max_tokens=3)


def test_parse_content_filter_raises(
    on_emulator: Clients, emulator: Emulator, flavour: str
) -> None:
    emulator.script.reply("", finish_reason="content_filter")

    with pytest.raises(ContentFilterFinishReasonError):
        parse(on_emulator, flavour, model=MODEL)


def test_parse_invalid_json_raises_with_the_raw_content(
    on_emulator: Clients, emulator: Emulator, flavour: str
) -> None:
    emulator.script.reply("Paris is big.")

    with pytest.raises(OutputValidationError) as caught:
        parse(on_emulator, flavour, model=MODEL)

    assert caught.value.invalid_json is True
    assert caught.value.content == "Paris is big."


# ---------------------------------------------------------------- scripted fakes
def answer(message: dict[str, Any], finish_reason: str = "stop") -> httpx2.Response:
    return httpx2.Response(
        200,
        json={
            "id": "cmpl-1",
            "object": "chat.completion",
            "model": MODEL,
            "created": 1,
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
            "choices": [
                {
                    "index": 0,
                    "finish_reason": finish_reason,
                    "message": {"role": "assistant", **message},
                }
            ],
        },
    )


def chunks(*pieces: str, finish_reason: str = "stop") -> httpx2.Response:
    events = [
        {
            "id": "c",
            "model": MODEL,
            "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}],
        }
        for p in pieces
    ]
    events.append(
        {
            "id": "c",
            "model": MODEL,
            "choices": [
                {"index": 0, "delta": {"content": ""}, "finish_reason": finish_reason}
            ],
        }
    )
    body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
    return httpx2.Response(
        200, content=body.encode(), headers={"content-type": "text/event-stream"}
    )


def test_parse_refusal_gives_none_and_the_reason(flavour: str) -> None:
    clients = faked(
        lambda _: answer({"content": None, "refusal": "I can't share that."})
    )

    completion = parse(clients, flavour, model=MODEL)

    message = completion.choices[0].message
    assert message.parsed is None
    assert message.refusal == "I can't share that."


def test_parse_schema_mismatch_raises_with_the_raw_content(flavour: str) -> None:
    content = '{"name": "Paris", "population": "lots"}'
    clients = faked(lambda _: answer({"content": content}))

    with pytest.raises(OutputValidationError) as caught:
        parse(clients, flavour, model=MODEL)

    error = caught.value
    assert error.invalid_json is False
    assert error.content == content
    assert {e["loc"] for e in error.errors} >= {("population",), ("size",)}


def test_parse_stream_cut_output_raises_length_error_with_the_partial_text(
    flavour: str,
) -> None:
    clients = faked(lambda _: chunks('{"name": ', '"Par', finish_reason="length"))

    with pytest.raises(LengthFinishReasonError) as caught:
        parse_stream(clients, flavour)

    assert caught.value.content == '{"name": "Par'


def test_parse_stream_invalid_json_raises_at_the_end(flavour: str) -> None:
    clients = faked(lambda _: chunks("Sorry, ", "no JSON today."))

    with pytest.raises(OutputValidationError) as caught:
        parse_stream(clients, flavour)

    assert caught.value.content == "Sorry, no JSON today."


def test_parse_stream_sends_the_format_with_stream_true(flavour: str) -> None:
    seen: list[Any] = []
    valid = PARIS.model_dump_json()

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content))
        return chunks(valid[:10], valid[10:])

    events, final = parse_stream(faked(handler), flavour, temperature=0.5)

    assert seen[0]["stream"] is True
    assert seen[0]["temperature"] == 0.5
    assert seen[0]["response_format"]["json_schema"]["name"] == "City"
    assert [e.delta for e in events] == [valid[:10], valid[10:], ""]
    assert final.choices[0].message.parsed == PARIS


def test_parse_with_an_unsupported_type_fails_before_sending(flavour: str) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        raise AssertionError("nothing may be sent")

    with pytest.raises(TypeError, match="pydantic model, dataclass or TypedDict"):
        parse(faked(handler), flavour, model=MODEL, response_format=int)


def stream_target(emulator: Emulator, namespace: str) -> dict[str, Any]:
    """The arguments naming what answers: a model, or an agent made for the test."""
    if namespace == "chat":
        return {"model": MODEL}
    with emulator.client() as client:
        return {"agent_id": client.beta.agents.create(model=MODEL, name="G").id}


@pytest.mark.parametrize("namespace", ["chat", "agents"])
def test_awaiting_an_async_parse_stream_gives_it_open(
    emulator: Emulator, namespace: str
) -> None:
    arguments = {
        **stream_target(emulator, namespace),
        "messages": MESSAGES,
        "response_format": City,
    }

    async def run() -> tuple[int, ParsedChatCompletion[Any]]:
        async with emulator.async_client(strict=True) as client:
            stream = await getattr(client, namespace).parse_stream(**arguments)
            status = stream.response.status_code  # sent by the await itself
            final: ParsedChatCompletion[Any] = await stream.get_final_completion()
            await stream.close()
            return status, final

    status, final = anyio.run(run)

    assert status == 200
    assert final.choices[0].message.parsed == PARIS
    assert len(emulator.log) == 1 + (namespace == "agents")


@pytest.mark.parametrize("namespace", ["chat", "agents"])
def test_parse_stream_as_a_context_manager_on_both_clients(
    emulator: Emulator, flavour: str, namespace: str
) -> None:
    arguments = {
        **stream_target(emulator, namespace),
        "messages": MESSAGES,
        "response_format": City,
    }
    if flavour == "sync":
        with (
            emulator.client(strict=True) as client,
            getattr(client, namespace).parse_stream(**arguments) as stream,
        ):
            final: ParsedChatCompletion[Any] = stream.get_final_completion()
    else:

        async def run() -> ParsedChatCompletion[Any]:
            async with (
                emulator.async_client(strict=True) as client,
                getattr(client, namespace).parse_stream(**arguments) as stream,
            ):
                result: ParsedChatCompletion[Any] = await stream.get_final_completion()
                return result

        final = anyio.run(run)

    assert final.choices[0].message.parsed == PARIS


def test_parse_stream_exposes_the_response_once_entered(on_emulator: Clients) -> None:
    with on_emulator.sync() as client:
        stream = client.chat.parse_stream(
            model=MODEL, messages=MESSAGES, response_format=City
        )
        with pytest.raises(RuntimeError, match="not open yet"):
            _ = stream.response
        with stream:
            assert stream.response.status_code == 200
            assert stream.request_id is not None
            assert (
                stream.request_id == stream.response.headers["mistral-correlation-id"]
            )


def test_parse_stream_twins_expose_the_same_names_and_parameters() -> None:
    from mistral_sdk.helpers._async.parse import AsyncParseStream
    from mistral_sdk.helpers._sync.parse import ParseStream

    def shape(cls: type) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name in dir(cls):
            member = getattr(cls, name)
            if name.startswith("_") and name != "__init__":
                continue
            function = member.fget if isinstance(member, property) else member
            if callable(function):
                found[name] = list(inspect.signature(function).parameters)
        return found

    assert shape(ParseStream) == shape(AsyncParseStream)
    assert {
        "get_final_completion",
        "until_done",
        "text_stream",
        "close",
        "response",
    } <= set(shape(ParseStream))

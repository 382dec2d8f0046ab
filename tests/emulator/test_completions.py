"""The echo model: deterministic, yet it honours the fields callers rely on."""

from __future__ import annotations

import json
from typing import Any

from mistral_sdk import Mistral
from mistral_sdk.testing import Emulator, Prompt
from mistral_sdk.types import UserMessageParam

from ._narrow import present

MODEL = "mistral-small-latest"
WEATHER: Any = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
        },
    },
}


def ask(client: Mistral, text: str, **options: Any) -> Any:
    messages: list[UserMessageParam] = [{"role": "user", "content": text}]
    return client.chat.complete(model=MODEL, messages=messages, **options).choices[0]


def test_echo_answers_the_last_user_message(client: Mistral) -> None:
    messages: Any = [
        {"role": "system", "content": "Be kind."},
        {"role": "user", "content": "First"},
        {"role": "assistant", "content": "Reply"},
        {"role": "user", "content": [{"type": "text", "text": "Second"}]},
    ]

    reply = client.chat.complete(model=MODEL, messages=messages)

    assert reply.choices[0].message.content == "Second"
    assert reply.model == MODEL


def test_echo_answers_a_tool_result(client: Mistral) -> None:
    messages: Any = [
        {"role": "user", "content": "Weather?"},
        {"role": "tool", "tool_call_id": "c1", "name": "w", "content": "21°C"},
    ]

    reply = client.chat.complete(model=MODEL, messages=messages)

    assert reply.choices[0].message.content == "21°C"


def test_echo_is_deterministic_across_emulators() -> None:
    first, second = Emulator(), Emulator()

    with first.client() as a, second.client() as b:
        one = a.chat.complete(model=MODEL, messages=[{"role": "user", "content": "x"}])
        two = b.chat.complete(model=MODEL, messages=[{"role": "user", "content": "x"}])

    assert one.model_dump() == two.model_dump()


def test_echo_max_tokens_truncates_with_length(client: Mistral) -> None:
    choice = ask(client, "one two three four", max_tokens=2)

    assert (choice.message.content, choice.finish_reason) == ("one two", "length")


def test_echo_stop_sequence_cuts(client: Mistral) -> None:
    choice = ask(client, "keep this. drop that", stop=["."])

    assert (choice.message.content, choice.finish_reason) == ("keep this", "stop")


def test_echo_n_choices(client: Mistral) -> None:
    reply = client.chat.complete(
        model=MODEL, messages=[{"role": "user", "content": "x"}], n=3
    )

    assert [c.index for c in reply.choices] == [0, 1, 2]


def test_echo_usage_counts_tokens(client: Mistral) -> None:
    reply = client.chat.complete(
        model=MODEL, messages=[{"role": "user", "content": "a b c"}]
    )

    assert reply.usage.completion_tokens == 3
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + 3


def test_echo_tool_choice_any_calls_the_tool(client: Mistral) -> None:
    choice = ask(client, "Lyon", tools=[WEATHER], tool_choice="any")

    call = (choice.message.tool_calls or [])[0]
    assert choice.finish_reason == "tool_calls"
    assert call.function.name == "get_weather"
    assert json.loads(str(call.function.arguments)) == {"city": "Lyon", "days": 0}


def test_echo_tool_choice_auto_answers_in_text_when_told(
    client: Mistral, emulator: Emulator
) -> None:
    # By default "auto" calls a tool on the first user turn (tests/tools/ covers it).
    emulator.script.auto_tool_calls("never")

    choice = ask(client, "Lyon", tools=[WEATHER], tool_choice="auto")

    assert choice.message.tool_calls is None
    assert choice.message.content == "Lyon"


def test_echo_json_schema_response_format(client: Mistral) -> None:
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string"}, "score": {"type": "number"}},
    }
    response_format: Any = {
        "type": "json_schema",
        "json_schema": {"name": "out", "schema": schema},
    }

    choice = ask(client, "yes", response_format=response_format)

    assert json.loads(choice.message.content) == {"answer": "yes", "score": 0.0}


def test_echo_json_object_response_format(client: Mistral) -> None:
    choice = ask(client, "yes", response_format={"type": "json_object"})

    assert json.loads(choice.message.content) == {"answer": "yes"}


def test_fim_echoes_the_prompt(client: Mistral) -> None:
    reply = client.fim.complete(
        model="codestral-latest", prompt="def f():", suffix="return 1"
    )

    assert reply.choices[0].message.content == "def f():"


def test_fim_needs_a_fim_model(emulator: Emulator) -> None:
    response = emulator.handle(
        "POST",
        "/v1/fim/completions",
        headers={"authorization": "Bearer test-api-key"},
        body=json.dumps({"model": MODEL, "prompt": "x"}).encode(),
    )

    assert response.json()["type"] == "invalid_model"


def test_agents_completion_uses_the_agent(emulator: Emulator, client: Mistral) -> None:
    agent = client.beta.agents.create(
        model="mistral-large-latest", name="Bot", instructions="Answer briefly."
    )
    seen: list[Prompt] = []

    def respond(prompt: Prompt) -> str:
        seen.append(prompt)
        return "ok"

    emulator.script.respond_with(respond)

    reply = client.agents.complete(
        agent_id=agent.id, messages=[{"role": "user", "content": "Hi"}]
    )

    assert reply.choices[0].message.content == "ok"
    assert seen[0].model == "mistral-large-latest"
    assert seen[0].messages[0] == {"role": "system", "content": "Answer briefly."}


def test_embeddings_deterministic_unit_vectors(client: Mistral) -> None:
    first = client.embeddings.create(model="mistral-embed", input=["cat", "dog"])
    again = client.embeddings.create(model="mistral-embed", input="cat")

    vectors = [present(d.embedding) for d in first.data]
    assert [len(v) for v in vectors] == [1024, 1024]
    assert vectors[0] == again.data[0].embedding
    assert vectors[0] != vectors[1]
    assert abs(sum(x * x for x in vectors[0]) - 1.0) < 1e-4


def test_embeddings_dimension_and_dtype(client: Mistral) -> None:
    small = client.embeddings.create(
        model="codestral-embed", input="x", output_dimension=256
    )
    packed = client.embeddings.create(
        model="codestral-embed", input="x", output_dtype="binary"
    )

    assert len(present(small.data[0].embedding)) == 256
    bits = present(packed.data[0].embedding)
    assert len(bits) == 1536 // 8
    assert all(-128 <= v <= 127 for v in bits)


def test_embeddings_need_an_embedding_model(emulator: Emulator) -> None:
    response = emulator.handle(
        "POST",
        "/v1/embeddings",
        headers={"authorization": "Bearer test-api-key"},
        body=json.dumps({"model": MODEL, "input": "x"}).encode(),
    )

    assert response.status == 400

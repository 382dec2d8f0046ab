"""Conversations: entries with ids, restart from an entry, handoffs, events."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mistral_sdk import InternalServerError, Mistral, NotFoundError
from mistral_sdk.testing import Emulator, Prompt
from mistral_sdk.types import (
    AgentConversation,
    AgentHandoffEntry,
    FunctionCallEntry,
    MessageOutputEntry,
    MessageOutputEvent,
)

from ._narrow import of, present, text

MODEL = "mistral-medium-latest"


def text_of(response: Any) -> str:
    outputs = [o for o in response.outputs if isinstance(o, MessageOutputEntry)]
    return "".join(text(o.content) for o in outputs)


def test_conversation_start_append_history(client: Mistral) -> None:
    conversations = client.beta.conversations

    started = conversations.start(model=MODEL, inputs="Hello", name="greeting")
    appended = conversations.append(started.conversation_id, inputs="Again")
    history = conversations.get_history(started.conversation_id)

    assert (text_of(started), text_of(appended)) == ("Hello", "Again")
    assert [e.type for e in history.entries] == [
        "message.input",
        "message.output",
        "message.input",
        "message.output",
    ]
    assert len({e.id for e in history.entries}) == 4
    assert history.entries[1].id == started.outputs[0].id
    assert conversations.get(started.conversation_id).name == "greeting"


def test_conversation_restart_from_an_entry(client: Mistral) -> None:
    conversations = client.beta.conversations
    first = conversations.start(model=MODEL, inputs="One")
    conversations.append(first.conversation_id, inputs="Two")
    entries = conversations.get_history(first.conversation_id).entries

    restarted = conversations.restart(
        first.conversation_id, from_entry_id=present(entries[1].id), inputs="Three"
    )
    history = conversations.get_history(restarted.conversation_id)

    assert restarted.conversation_id != first.conversation_id
    assert [e.id for e in history.entries[:2]] == [e.id for e in entries[:2]]
    assert [
        m.content
        for m in conversations.get_messages(restarted.conversation_id).messages
    ] == [
        "One",
        "One",
        "Three",
        "Three",
    ]
    assert len(conversations.get_history(first.conversation_id).entries) == 4


def test_conversation_restart_from_an_unknown_entry(client: Mistral) -> None:
    started = client.beta.conversations.start(model=MODEL, inputs="One")

    with pytest.raises(NotFoundError):
        client.beta.conversations.restart(
            started.conversation_id, from_entry_id="msg_x"
        )


def test_conversation_function_call_and_result(
    emulator: Emulator, client: Mistral
) -> None:
    conversations = client.beta.conversations
    emulator.script.tool_call("get_weather", {"city": "Lyon"}, id="call_7")

    called = conversations.start(model=MODEL, inputs="Weather in Lyon?")
    answered = conversations.append(
        called.conversation_id,
        inputs=[
            {"type": "function.result", "tool_call_id": "call_7", "result": "Sunny"}
        ],
    )

    call = of(FunctionCallEntry, called.outputs[0])
    assert (call.name, call.tool_call_id) == ("get_weather", "call_7")
    assert json.loads(str(call.arguments)) == {"city": "Lyon"}
    assert text_of(answered) == "Sunny"


def test_conversation_with_an_agent_version_and_handoff(
    emulator: Emulator, client: Mistral
) -> None:
    agents = client.beta.agents
    expert = agents.create(model="mistral-small-latest", name="Weather expert")
    planner = agents.create(model=MODEL, name="Travel planner", handoffs=[expert.id])
    emulator.script.handoff(expert.id, then="Sunny all week.")

    response = client.beta.conversations.start(agent_id=planner.id, inputs="Weather?")

    handoff = of(AgentHandoffEntry, response.outputs[0])
    message = of(MessageOutputEntry, response.outputs[1])
    assert (handoff.previous_agent_name, handoff.next_agent_name) == (
        "Travel planner",
        "Weather expert",
    )
    assert (message.agent_id, message.model, message.content) == (
        expert.id,
        "mistral-small-latest",
        "Sunny all week.",
    )
    conversation = client.beta.conversations.get(response.conversation_id)
    assert of(AgentConversation, conversation).agent_id == planner.id


def test_conversation_pins_an_agent_alias(emulator: Emulator, client: Mistral) -> None:
    agents = client.beta.agents
    agent = agents.create(model=MODEL, name="Bot")
    agents.update(agent.id, model="mistral-large-latest")
    agents.create_version_alias(agent.id, alias="stable", version=0)
    seen: list[str] = []

    def respond(prompt: Prompt) -> str:
        seen.append(prompt.model)
        return "ok"

    emulator.script.respond_with(respond)

    client.beta.conversations.start(
        agent_id=agent.id, agent_version="stable", inputs="x"
    )
    client.beta.conversations.start(agent_id=agent.id, inputs="x")

    assert seen == [MODEL, "mistral-large-latest"]


def test_conversation_stream_events(emulator: Emulator, client: Mistral) -> None:
    emulator.script.reply("Two words")

    with client.beta.conversations.start_stream(model=MODEL, inputs="Hi") as stream:
        events = list(stream)

    assert [e.type for e in events] == [
        "conversation.response.started",
        "message.output.delta",
        "message.output.delta",
        "conversation.response.done",
    ]
    deltas = [of(MessageOutputEvent, e) for e in events[1:3]]
    assert "".join(text(d.content) for d in deltas) == "Two words"
    assert deltas[0].id == deltas[1].id
    raw = emulator.log[-1].response.content().decode()
    assert raw.startswith("event: conversation.response.started\ndata: {")
    assert "[DONE]" not in raw


def test_conversation_stream_interrupted(emulator: Emulator, client: Mistral) -> None:
    emulator.script.reply("a b c", interrupt_after=1)

    with (
        pytest.raises(InternalServerError),
        client.beta.conversations.start_stream(model=MODEL, inputs="Hi") as stream,
    ):
        list(stream)


def test_conversation_store_false_keeps_nothing(client: Mistral) -> None:
    response = client.beta.conversations.start(model=MODEL, inputs="x", store=False)

    with pytest.raises(NotFoundError):
        client.beta.conversations.get(response.conversation_id)


def test_conversation_list_and_delete(client: Mistral) -> None:
    conversations = client.beta.conversations
    kept = conversations.start(model=MODEL, inputs="x", metadata={"user": "ann"})
    gone = conversations.start(model=MODEL, inputs="y")

    conversations.delete(gone.conversation_id)

    assert [c.id for c in conversations.list()] == [kept.conversation_id]
    assert [c.id for c in conversations.list(metadata={"user": "bob"})] == []


def test_agent_versions_and_aliases(client: Mistral) -> None:
    agents = client.beta.agents
    agent = agents.create(model=MODEL, name="Bot")

    updated = agents.update(agent.id, instructions="Be nice.", version_message="tone")
    agents.create_version_alias(agent.id, alias="old", version=0)

    assert (updated.version, updated.versions) == (1, [0, 1])
    assert agents.get(agent.id).instructions == "Be nice."
    assert agents.get(agent.id, agent_version="old").instructions is None
    assert agents.get_version(agent.id, "1").version_message == "tone"
    with pytest.raises(NotFoundError):
        agents.get_version(agent.id, "missing")

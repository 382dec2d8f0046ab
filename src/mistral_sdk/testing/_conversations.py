"""Conversations: start, append, restart, get, list, delete, history, messages.

Each turn is answered whole or streamed. Restarting makes a new conversation from
an entry of an old one.

A conversation talks to a model or to an agent (as of a version or alias). A
scripted handoff (`emulator.script.handoff(agent_id)`) passes the turn to another
agent, which then answers.
"""

from __future__ import annotations

from typing import Any, Final

from ._agents import agent_version
from ._catalogue import require_model
from ._completions import chat_prompt
from ._context import Call, Handler, World, json_response, no_content, sse_response
from ._entries import Turn, as_messages, input_entries, output_entries, stream_events
from ._errors import ApiError
from ._generation import Settings, generate
from ._http import Response
from ._json import array, obj

__all__ = ["HANDLERS"]

_MODEL_FIELDS: Final = ("instructions", "tools", "completion_args", "guardrails")
_SHARED_FIELDS: Final = ("name", "description", "metadata")


def _public(conversation: dict[str, Any]) -> dict[str, Any]:
    common = {k: conversation.get(k) for k in _SHARED_FIELDS}
    common |= {
        "object": "conversation",
        "id": conversation["id"],
        "created_at": conversation["created_at"],
        "updated_at": conversation["updated_at"],
    }
    if conversation.get("agent_id"):
        return {
            **common,
            "agent_id": conversation["agent_id"],
            "agent_version": conversation.get("agent_version"),
        }
    fields = {k: conversation.get(k) for k in _MODEL_FIELDS}
    fields["tools"] = fields["tools"] or []
    fields["completion_args"] = fields["completion_args"] or {}
    return {**fields, **common, "model": conversation["model"]}


def _turn(world: World, conversation: dict[str, Any]) -> tuple[Turn, dict[str, Any]]:
    """Return who answers, and the settings (instructions, tools, args) in force."""
    if conversation.get("agent_id"):
        agent = agent_version(
            world, conversation["agent_id"], conversation.get("agent_version")
        )
        return Turn(agent["model"], agent), agent
    require_model(world, conversation["model"], ["completion_chat"])
    return Turn(conversation["model"]), conversation


def _run(
    call: Call, conversation: dict[str, Any], inputs: list[dict[str, Any]], store: bool
) -> Response:
    world, body = call.world, call.json
    turn, config = _turn(world, conversation)
    messages = as_messages([*conversation["entries"], *inputs])
    if config.get("instructions"):
        messages.insert(0, {"role": "system", "content": config["instructions"]})
    tools = [t for t in array(config.get("tools")) if obj(t).get("type") == "function"]
    prompt = chat_prompt(call.op.operation_id, turn.model, messages, tools)
    args: dict[str, Any] = {
        **(config.get("completion_args") or {}),
        **(body.get("completion_args") or {}),
    }
    completion = generate(world.script, world.ids, prompt, Settings.of(args))
    handoff = None
    if completion.reply.handoff:
        target = agent_version(world, completion.reply.handoff)
        handoff = Turn(target["model"], target)
    outputs = output_entries(world, turn, completion, handoff)
    if store:
        conversation["entries"] += inputs + outputs
        conversation["updated_at"] = world.now_iso()
        world.store.put("conversation", conversation["id"], conversation)
    if call.op.streaming:
        return sse_response(
            stream_events(world, conversation["id"], outputs, completion)
        )
    usage = {**completion.usage, "connector_tokens": None, "connectors": None}
    return json_response(
        {
            "object": "conversation.response",
            "conversation_id": conversation["id"],
            "outputs": outputs,
            "usage": usage,
        }
    )


def start(call: Call) -> Response:
    """POST /v1/conversations (`stream: true` for events)."""
    world, body = call.world, call.json
    if bool(body.get("agent_id")) == bool(body.get("model")):
        raise ApiError(400, "Exactly one of model and agent_id must be provided")
    now = world.now_iso()
    conversation: dict[str, Any] = {
        "id": world.ids.prefixed("conv"),
        "created_at": now,
        "updated_at": now,
        "model": body.get("model"),
        "agent_id": body.get("agent_id"),
        "agent_version": body.get("agent_version"),
        **{k: body.get(k) for k in (*_MODEL_FIELDS, *_SHARED_FIELDS)},
        "entries": [],
    }
    if conversation["agent_id"]:
        agent_version(world, conversation["agent_id"], conversation["agent_version"])
    inputs = input_entries(world, body["inputs"])
    return _run(call, conversation, inputs, body.get("store") is not False)


def _conversation(call: Call) -> dict[str, Any]:
    return call.world.require(
        "conversation", call.path["conversation_id"], "Conversation"
    )


def append(call: Call) -> Response:
    """POST /v1/conversations/{conversation_id}."""
    conversation = _conversation(call)
    for confirmation in array(call.json.get("tool_confirmations")):
        for entry in conversation["entries"]:
            if (
                entry.get("tool_call_id") == confirmation["tool_call_id"]
                and entry["type"] == "function.call"
            ):
                entry["confirmation_status"] = (
                    "allowed" if confirmation["confirmation"] == "allow" else "denied"
                )
    inputs = input_entries(call.world, call.json.get("inputs"))
    return _run(call, conversation, inputs, call.json.get("store", True))


def restart(call: Call) -> Response:
    """POST /v1/conversations/{conversation_id}/restart: a new conversation.

    It keeps the entries up to and including `from_entry_id`, then the inputs.
    """
    world, body = call.world, call.json
    original = _conversation(call)
    ids = [entry["id"] for entry in original["entries"]]
    if body["from_entry_id"] not in ids:
        raise ApiError.not_found("Entry", body["from_entry_id"])
    now = world.now_iso()
    conversation: dict[str, Any] = {
        **original,
        "id": world.ids.prefixed("conv"),
        "created_at": now,
        "updated_at": now,
        "entries": original["entries"][: ids.index(body["from_entry_id"]) + 1],
    }
    for key in ("agent_version", "metadata", "guardrails"):
        if body.get(key) is not None:
            conversation[key] = body[key]
    inputs = input_entries(world, body.get("inputs"))
    return _run(call, conversation, inputs, body.get("store", True))


def get(call: Call) -> Response:
    """GET /v1/conversations/{conversation_id}."""
    return json_response(_public(_conversation(call)))


def list_conversations(call: Call) -> Response:
    """GET /v1/conversations: newest first, filtered by metadata, paged."""
    q = call.query
    found = list(reversed(call.world.store.all("conversation")))
    wanted = obj(q.get("metadata"))
    found = [
        c
        for c in found
        if all(obj(c.get("metadata")).get(k) == v for k, v in wanted.items())
    ]
    start_at = q["page"] * q["page_size"]
    return json_response(
        [_public(c) for c in found[start_at : start_at + q["page_size"]]]
    )


def delete(call: Call) -> Response:
    """DELETE /v1/conversations/{conversation_id}."""
    call.world.store.delete("conversation", _conversation(call)["id"])
    return no_content()


def history(call: Call) -> Response:
    """GET /v1/conversations/{conversation_id}/history: every entry."""
    conversation = _conversation(call)
    return json_response(
        {
            "object": "conversation.history",
            "conversation_id": conversation["id"],
            "entries": conversation["entries"],
        }
    )


def messages(call: Call) -> Response:
    """GET /v1/conversations/{conversation_id}/messages: the message entries."""
    conversation = _conversation(call)
    kept = [
        e
        for e in conversation["entries"]
        if e["type"] in ("message.input", "message.output")
    ]
    return json_response(
        {
            "object": "conversation.messages",
            "conversation_id": conversation["id"],
            "messages": kept,
        }
    )


HANDLERS: dict[str, Handler] = {
    "agents_api_v1_conversations_start": start,
    "agents_api_v1_conversations_start_stream": start,
    "agents_api_v1_conversations_append": append,
    "agents_api_v1_conversations_append_stream": append,
    "agents_api_v1_conversations_restart": restart,
    "agents_api_v1_conversations_restart_stream": restart,
    "agents_api_v1_conversations_get": get,
    "agents_api_v1_conversations_list": list_conversations,
    "agents_api_v1_conversations_delete": delete,
    "agents_api_v1_conversations_history": history,
    "agents_api_v1_conversations_messages": messages,
}

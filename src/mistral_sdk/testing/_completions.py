"""Chat, FIM and agents completions, whole or streamed token by token.

A stream has the API's shape: a first chunk with the assistant role, one chunk
per token, a last chunk with `finish_reason` and `usage`, then `data: [DONE]`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._agents import agent_version
from ._catalogue import require_model
from ._context import Call, Handler, json_response, sse_response
from ._errors import error_body
from ._generation import Completion, Settings, generate, message_text, pieces
from ._http import Response, sse_data
from ._replies import Prompt

__all__ = ["HANDLERS", "chat_prompt"]


def chat_prompt(
    endpoint: str,
    model: str,
    messages: Sequence[Mapping[str, Any]],
    tools: Sequence[Mapping[str, Any]] | None = None,
) -> Prompt:
    """Return the prompt of chat messages.

    The echo model answers the last user message, or the last tool result when
    the conversation ends with one (so a tool's answer flows back to the user).
    """
    said = [m for m in messages if m.get("role") in ("user", "tool")]
    text = message_text(said[-1].get("content")) if said else ""
    return Prompt(endpoint, model, list(messages), text, list(tools or []))


def _answer(call: Call, prompt: Prompt, body: Mapping[str, Any]) -> Response:
    world = call.world
    count = body.get("n") or 1
    completion = generate(world.script, world.ids, prompt, Settings.of(body))
    meta: dict[str, Any] = {
        "id": world.ids.hex("completion"),
        "created": world.now(),
        "model": prompt.model,
    }
    if body.get("stream"):
        chunks, broken = stream_chunks(meta, completion, count)
        return sse_response(chunks, disconnect=broken)
    message: dict[str, Any] = {
        "role": "assistant",
        "content": completion.text,
        "tool_calls": completion.tool_calls or None,
        "prefix": False,
    }
    return json_response(
        {
            "id": meta["id"],
            "object": "chat.completion",
            "model": meta["model"],
            "usage": completion.usage,
            "created": meta["created"],
            "choices": [
                {
                    "index": i,
                    "message": message,
                    "finish_reason": completion.finish_reason,
                }
                for i in range(count)
            ],
        }
    )


def stream_chunks(
    meta: Mapping[str, Any], completion: Completion, count: int = 1
) -> tuple[list[bytes], bool]:
    """Return the SSE chunks of a streamed completion, and whether it breaks."""

    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> bytes:
        choices = [
            {"index": i, "delta": delta, "finish_reason": finish} for i in range(count)
        ]
        return sse_data(
            {"object": "chat.completion.chunk", **meta, "choices": choices, **extra}
        )

    reply = completion.reply
    chunks = [chunk({"role": "assistant", "content": ""})]
    for index, piece in enumerate(pieces(completion.text)):
        if reply.interrupt_after is not None and index >= reply.interrupt_after:
            # The status goes in `code`, so that a client can type the failure.
            failure = {**error_body(500, "Internal server error"), "code": "500"}
            chunks.append(sse_data(failure))
            break
        chunks.append(chunk({"content": piece}))
    else:
        last = (
            {"tool_calls": completion.tool_calls}
            if completion.tool_calls
            else {"content": ""}
        )
        chunks.append(chunk(last, completion.finish_reason, usage=completion.usage))
        chunks.append(sse_data("[DONE]"))
    if reply.disconnect_after is not None:
        return chunks[: reply.disconnect_after], True
    return chunks, False


def chat(call: Call) -> Response:
    """POST /v1/chat/completions."""
    body = call.json
    require_model(call.world, body["model"], ["completion_chat"])
    prompt = chat_prompt(
        call.op.operation_id, body["model"], body["messages"], body.get("tools")
    )
    return _answer(call, prompt, body)


def fim(call: Call) -> Response:
    """POST /v1/fim/completions: the echo model answers with the prompt."""
    body = call.json
    require_model(call.world, body["model"], ["completion_fim"])
    messages = [{"role": "user", "content": body["prompt"]}]
    if body.get("suffix"):
        messages.append({"role": "user", "content": body["suffix"]})
    prompt = Prompt(call.op.operation_id, body["model"], messages, body["prompt"])
    return _answer(call, prompt, body)


def agents(call: Call) -> Response:
    """POST /v1/agents/completions: the agent's model, instructions and tools."""
    body = call.json
    agent = agent_version(call.world, body["agent_id"])
    messages = list(body["messages"])
    if agent.get("instructions"):
        messages.insert(0, {"role": "system", "content": agent["instructions"]})
    tools = [t for t in agent.get("tools", []) if t.get("type") == "function"]
    tools += body.get("tools") or []
    prompt = chat_prompt(call.op.operation_id, agent["model"], messages, tools)
    settings = {**agent.get("completion_args", {}), **body}
    return _answer(call, prompt, settings)


HANDLERS: dict[str, Handler] = {
    "chat_completion_v1_chat_completions_post": chat,
    "fim_completion_v1_fim_completions_post": fim,
    "agents_completion_v1_agents_completions_post": agents,
}

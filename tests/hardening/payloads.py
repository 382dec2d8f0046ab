"""JSON payloads shaped like the API's, with room for the parts it may add later."""

from __future__ import annotations

from typing import Any

USAGE = {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}
CREATED = 1_700_000_000


def completion(
    content: Any = "Hello!", finish_reason: Any = "stop", **extra: Any
) -> dict[str, Any]:
    """A chat completion with one choice."""
    message = {"role": "assistant", "content": content, "tool_calls": None}
    return {
        "id": "cmpl-1",
        "object": "chat.completion",
        "model": "mistral-small-latest",
        "created": CREATED,
        "usage": USAGE,
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": message}],
        **extra,
    }


def chunk(content: str | None, finish_reason: str | None = None) -> dict[str, Any]:
    """One streamed chat chunk."""
    return {
        "id": "cmpl-1",
        "object": "chat.completion.chunk",
        "model": "mistral-small-latest",
        "created": CREATED,
        "choices": [
            {"index": 0, "delta": {"content": content}, "finish_reason": finish_reason}
        ],
    }


def started(conversation_id: str = "conv-1") -> dict[str, Any]:
    """`conversation.response.started`."""
    return {
        "type": "conversation.response.started",
        "created_at": "2026-01-02T03:04:05Z",
        "conversation_id": conversation_id,
    }


def delta(text: str, index: int = 0) -> dict[str, Any]:
    """`message.output.delta`."""
    return {
        "type": "message.output.delta",
        "created_at": "2026-01-02T03:04:05Z",
        "output_index": 0,
        "id": "msg-1",
        "content_index": index,
        "model": "mistral-small-latest",
        "role": "assistant",
        "content": text,
    }


def done() -> dict[str, Any]:
    """`conversation.response.done`."""
    return {
        "type": "conversation.response.done",
        "created_at": "2026-01-02T03:04:05Z",
        "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7},
    }


def message_output(text: str, entry_id: str = "msg-1") -> dict[str, Any]:
    """A `message.output` conversation entry."""
    return {
        "object": "entry",
        "type": "message.output",
        "id": entry_id,
        "created_at": "2026-01-02T03:04:05Z",
        "role": "assistant",
        "model": "mistral-small-latest",
        "content": text,
    }


def message_input(text: str, entry_id: str = "msg-0") -> dict[str, Any]:
    """A `message.input` conversation entry."""
    return {
        "object": "entry",
        "type": "message.input",
        "id": entry_id,
        "created_at": "2026-01-02T03:04:05Z",
        "role": "user",
        "content": text,
    }


def agent(*tools: dict[str, Any]) -> dict[str, Any]:
    """An agent with the given tools."""
    return {
        "object": "agent",
        "id": "ag-1",
        "name": "helper",
        "model": "mistral-small-latest",
        "tools": list(tools),
        "version": 1,
        "versions": [1],
        "created_at": "2026-01-02T03:04:05Z",
        "updated_at": "2026-01-02T03:04:05Z",
        "deployment_chat": False,
        "source": "api",
    }


def model_card(model_id: str, card_type: str = "base") -> dict[str, Any]:
    """A model card of the given type."""
    return {
        "id": model_id,
        "object": "model",
        "created": CREATED,
        "owned_by": "mistralai",
        "type": card_type,
        "capabilities": {"completion_chat": True, "function_calling": True},
        "max_context_length": 32768,
    }


def batch_job(job_id: str = "b-1", status: str = "QUEUED") -> dict[str, Any]:
    """A batch job."""
    return {
        "id": job_id,
        "object": "batch",
        "input_files": ["f-1"],
        "endpoint": "/v1/chat/completions",
        "errors": [],
        "status": status,
        "created_at": CREATED,
        "total_requests": 3,
        "completed_requests": 0,
        "succeeded_requests": 0,
        "failed_requests": 0,
    }


def fine_tuning_job(job_id: str = "ft-1", status: str = "QUEUED") -> dict[str, Any]:
    """A completion fine-tuning job, as `client.fine_tuning.jobs.get` returns it."""
    return {
        "id": job_id,
        "auto_start": False,
        "model": "open-mistral-7b",
        "status": status,
        "created_at": CREATED,
        "modified_at": CREATED,
        "training_files": ["f-1"],
        "object": "job",
        "job_type": "completion",
        "hyperparameters": {"training_steps": 10, "learning_rate": 0.0001},
    }


def document_status(status: str = "done") -> dict[str, Any]:
    """A library document's processing status."""
    return {
        "document_id": "doc-1",
        "process_status": status,
        "processing_status": status,
    }

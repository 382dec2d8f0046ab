"""JSON payloads shaped like the API's answers, for the resource tests."""

from __future__ import annotations

from typing import Any

USAGE = {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}


def completion(content: Any = "Hello!", finish_reason: str = "stop") -> dict[str, Any]:
    """A chat completion with one choice."""
    return {
        "id": "cmpl-1",
        "object": "chat.completion",
        "model": "mistral-small-latest",
        "created": 1_700_000_000,
        "usage": USAGE,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {
                    "role": "assistant",
                    "content": content,
                    "tool_calls": None,
                },
            }
        ],
    }


def chunk(content: str | None, finish_reason: str | None = None) -> dict[str, Any]:
    """One streamed chat chunk."""
    return {
        "id": "cmpl-1",
        "object": "chat.completion.chunk",
        "model": "mistral-small-latest",
        "created": 1_700_000_000,
        "choices": [
            {"index": 0, "delta": {"content": content}, "finish_reason": finish_reason}
        ],
    }


def model_card(model_id: str, card_type: str = "base") -> dict[str, Any]:
    """A model card of the given type."""
    return {
        "id": model_id,
        "object": "model",
        "created": 1_700_000_000,
        "owned_by": "mistralai",
        "type": card_type,
        "capabilities": {"completion_chat": True, "function_calling": True},
        "max_context_length": 32768,
    }


def file_out(file_id: str, filename: str = "data.jsonl") -> dict[str, Any]:
    """An uploaded file's metadata."""
    return {
        "id": file_id,
        "object": "file",
        "bytes": 12,
        "created_at": 1_700_000_000,
        "filename": filename,
        "purpose": "batch",
        "sample_type": "batch_request",
        "source": "upload",
    }


def batch_job(job_id: str, status: str = "QUEUED") -> dict[str, Any]:
    """A batch job."""
    return {
        "id": job_id,
        "object": "batch",
        "input_files": ["f-1"],
        "endpoint": "/v1/chat/completions",
        "errors": [],
        "status": status,
        "created_at": 1_700_000_000,
        "total_requests": 3,
        "completed_requests": 0,
        "succeeded_requests": 0,
        "failed_requests": 0,
    }


def conversation_response(*outputs: dict[str, Any]) -> dict[str, Any]:
    """A conversation response with the given output entries."""
    return {
        "object": "conversation.response",
        "conversation_id": "conv-1",
        "outputs": list(outputs),
        "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7},
    }


def message_output(text: str, entry_id: str = "msg-1") -> dict[str, Any]:
    """A `message.output` conversation entry."""
    return {
        "object": "entry",
        "type": "message.output",
        "id": entry_id,
        "created_at": "2026-11-23T10:00:00Z",
        "role": "assistant",
        "model": "mistral-small-latest",
        "content": text,
    }

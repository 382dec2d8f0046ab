"""Narrowing the SDK's unions in assertions (what a typed test must do)."""

from __future__ import annotations

from typing import TypeVar

from mistral_sdk import Mistral
from mistral_sdk.types import (
    ClassifierJobOut,
    CompletionJobOut,
    CreateFineTuningJobResponse,
)

T = TypeVar("T")


def text(content: object) -> str:
    """Return content that must be plain text."""
    assert isinstance(content, str)
    return content


def present(value: T | None) -> T:
    """Return a value that must not be None."""
    assert value is not None
    return value


def job(created: CreateFineTuningJobResponse) -> CompletionJobOut | ClassifierJobOut:
    """Return a created fine-tuning job (not a dry run's estimate)."""
    assert isinstance(created, CompletionJobOut | ClassifierJobOut)
    return created


def model_ids(client: Mistral) -> list[str]:
    """Return the ids of every model the client lists."""
    return [m.id for m in present(client.models.list().data)]


def of(kind: type[T], value: object) -> T:
    """Return `value`, which must be a `kind`."""
    assert isinstance(value, kind)
    return value

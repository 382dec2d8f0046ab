"""Fixtures: an emulator whose every response is checked against the spec."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.testing import Emulator
from mistral_sdk.testing.pytest_plugin import (
    async_mistral_client,
    mistral_client,
    mistral_emulator,
)

from ._spec_check import exchange_problems

# The plugin's fixtures, for test_user_sample.py (see its docstring).
__all__ = ["async_mistral_client", "mistral_client", "mistral_emulator"]


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A fresh emulator; at teardown, every response it gave must fit the spec."""
    emulator = Emulator()
    yield emulator
    found = [
        f"{x.request.method} {x.request.path}: {p}"
        for x in emulator.log
        for p in exchange_problems(x)
    ]
    assert found == []


@pytest.fixture
def client(emulator: Emulator) -> Iterator[Mistral]:
    """A strict `Mistral` on the emulator: a departure from the spec raises."""
    with emulator.client(strict=True) as sdk:
        yield sdk


@pytest.fixture
def async_client(emulator: Emulator) -> AsyncMistral:
    """A strict `AsyncMistral` on the emulator."""
    return emulator.async_client(strict=True)

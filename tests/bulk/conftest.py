"""Fixtures: an emulator and strict clients of both flavours on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.testing import Emulator


@pytest.fixture
def emulator() -> Emulator:
    return Emulator()


@pytest.fixture
def client(emulator: Emulator) -> Iterator[Mistral]:
    with emulator.client(strict=True) as sdk:
        yield sdk


@pytest.fixture
def async_client(emulator: Emulator) -> AsyncMistral:
    return emulator.async_client(strict=True)

"""pytest fixtures for apps built on mistral-sdk (registered as a `pytest11` plugin).

```python
def test_my_bot(mistral_emulator):
    mistral_emulator.script.reply("Bonjour !")
    bot = MyBot(client=mistral_emulator.client())
    assert bot.greet() == "Bonjour !"
```

Fixtures: `mistral_emulator` (a fresh `Emulator` per test), `mistral_client` (a
`Mistral` on it) and `async_mistral_client` (an `AsyncMistral` on it, usable
under any async test runner). Loading this plugin imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from mistral_sdk import AsyncMistral, Mistral

    from ._emulator import Emulator

__all__ = ["async_mistral_client", "mistral_client", "mistral_emulator"]


@pytest.fixture
def mistral_emulator() -> Emulator:
    """A fresh, empty emulator of the Mistral API (virtual clock, seed 0)."""
    from ._emulator import Emulator

    return Emulator()


@pytest.fixture
def mistral_client(mistral_emulator: Emulator) -> Iterator[Mistral]:
    """A `Mistral` client on `mistral_emulator` (no retries)."""
    with mistral_emulator.client() as client:
        yield client


@pytest.fixture
def async_mistral_client(mistral_emulator: Emulator) -> AsyncMistral:
    """An `AsyncMistral` client on `mistral_emulator` (no retries).

    A plain fixture so that it works with anyio, pytest-asyncio or trio alike; it
    holds no connection, so there is nothing to close.
    """
    return mistral_emulator.async_client()

"""What a user of the SDK writes: the pytest plugin's fixtures in a bot's tests.

The fixtures come from `mistral_sdk.testing.pytest_plugin`, which the package
registers as a pytest plugin (this directory's conftest also imports them, for
a checkout installed before the plugin was registered).
"""

from __future__ import annotations

import pytest

from mistral_sdk import AsyncMistral, Mistral, RateLimitError
from mistral_sdk.testing import Emulator


class SupportBot:
    """The app under test: answers customers, escalates when the model asks to."""

    def __init__(self, client: Mistral) -> None:
        self.client = client

    def answer(self, question: str) -> str:
        reply = self.client.chat.complete(
            model="mistral-small-latest",
            messages=[
                {"role": "system", "content": "You are a support agent."},
                {"role": "user", "content": question},
            ],
        )
        message = reply.choices[0].message
        if message.tool_calls:
            return f"escalated: {message.tool_calls[0].function.name}"
        return str(message.content)


def test_my_bot(mistral_emulator: Emulator) -> None:
    mistral_emulator.script.reply("Your order ships tomorrow.")
    bot = SupportBot(mistral_emulator.client())
    assert bot.answer("Where is my order?") == "Your order ships tomorrow."


def test_my_bot_escalates(mistral_emulator: Emulator, mistral_client: Mistral) -> None:
    mistral_emulator.script.tool_call("escalate_to_human", {"reason": "angry"})

    assert SupportBot(mistral_client).answer("!!!") == "escalated: escalate_to_human"


def test_my_bot_sees_rate_limits(
    mistral_emulator: Emulator, mistral_client: Mistral
) -> None:
    mistral_emulator.script.rate_limit()

    with pytest.raises(RateLimitError):
        SupportBot(mistral_client).answer("Hello?")


def test_my_bot_sent_the_system_prompt(
    mistral_emulator: Emulator, mistral_client: Mistral
) -> None:
    SupportBot(mistral_client).answer("Hi")

    sent = mistral_emulator.requests[-1].json()
    assert sent["messages"][0] == {
        "role": "system",
        "content": "You are a support agent.",
    }


@pytest.mark.anyio
async def test_my_async_bot(
    mistral_emulator: Emulator, async_mistral_client: AsyncMistral
) -> None:
    mistral_emulator.script.reply("Bonjour !")

    reply = await async_mistral_client.chat.complete(
        model="mistral-small-latest", messages=[{"role": "user", "content": "Salut"}]
    )

    assert reply.choices[0].message.content == "Bonjour !"

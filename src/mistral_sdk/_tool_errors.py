"""Errors of the tool runs: `client.chat.run_tools`, `client.beta.conversations.run`.

```
MistralError
└── ToolRunError                 a tool run could not go on
    └── MaxStepsExceededError    still calling tools after `max_steps` responses
```

A function that raises, or arguments the model got wrong, are not errors of the
run: the model receives the error text as the tool's result and may try again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from ._errors import MistralError

if TYPE_CHECKING:
    from .helpers._async.conversation_run import AsyncConversationRun
    from .helpers._async.run_tools import AsyncChatToolRun
    from .helpers._sync.conversation_run import ConversationRun
    from .helpers._sync.run_tools import ChatToolRun

    AnyToolRun: TypeAlias = (
        ChatToolRun | AsyncChatToolRun | ConversationRun | AsyncConversationRun
    )

__all__ = ["MaxStepsExceededError", "ToolRunError"]


class ToolRunError(MistralError):
    """A tool run stopped before the model gave its answer."""

    def __init__(self, message: str, run: AnyToolRun) -> None:
        super().__init__(message)
        self.run: AnyToolRun = run
        """The run so far: its `steps`, and `messages` (or `entries`) to continue."""


class MaxStepsExceededError(ToolRunError):
    """The model asked for tools in each of the `max_steps` responses of a run.

    The calls of the last response were run, so `run.messages` ends with their
    results: send it again (with a higher limit) to let the model go on.
    """

    def __init__(self, max_steps: int, run: AnyToolRun) -> None:
        super().__init__(
            f"the model still called tools after {max_steps} responses (max_steps)",
            run,
        )
        self.max_steps = max_steps
        """The limit that was reached."""

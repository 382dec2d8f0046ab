"""Hand-written behaviour beyond the wire, reached through methods on the resources.

The methods (`client.chat.parse`, `run_tools`, `complete_many`, `client.batch.run`,
...) live on the clients; this package names what they hand back, for
annotations and `isinstance` checks:

```python
from mistral_sdk.helpers import BatchResult, CallResult, ParsedChatCompletion
```

Each name is imported on first use, so `import mistral_sdk` stays light (the
structured-output and run types load pydantic and the resources).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from ._async.batch_run import AsyncBatchRun
    from ._async.conversation_run import AsyncConversationRun
    from ._async.parse import AsyncParseStream
    from ._async.run_tools import AsyncChatToolRun
    from ._function_tool import ToolFunction
    from ._sync.batch_run import BatchRun
    from ._sync.conversation_run import ConversationRun
    from ._sync.parse import ParseStream
    from ._sync.run_tools import ChatToolRun
    from .batch_results import BatchRequestError, BatchResult
    from .batch_state import BatchProgress, JobProgress, ProgressCallback
    from .call_options import ManyRequestOptions
    from .many_results import CallResult, ManyProgress, ManyProgressCallback
    from .structured import (
        ParsedAssistantMessage,
        ParsedChatCompletion,
        ParsedChatCompletionChoice,
        ParseStreamEvent,
    )
    from .tools import (
        PendingToolCall,
        ToolDecision,
        ToolResult,
        ToolStep,
        function_tool,
    )

__all__ = [
    "AsyncBatchRun",
    "AsyncChatToolRun",
    "AsyncConversationRun",
    "AsyncParseStream",
    "BatchProgress",
    "BatchRequestError",
    "BatchResult",
    "BatchRun",
    "CallResult",
    "ChatToolRun",
    "ConversationRun",
    "JobProgress",
    "ManyProgress",
    "ManyProgressCallback",
    "ManyRequestOptions",
    "ParseStream",
    "ParseStreamEvent",
    "ParsedAssistantMessage",
    "ParsedChatCompletion",
    "ParsedChatCompletionChoice",
    "PendingToolCall",
    "ProgressCallback",
    "ToolDecision",
    "ToolFunction",
    "ToolResult",
    "ToolStep",
    "function_tool",
]

# Public name -> the module (below this package) that defines it.
_HOMES: Final = {
    "AsyncBatchRun": "._async.batch_run",
    "AsyncChatToolRun": "._async.run_tools",
    "AsyncConversationRun": "._async.conversation_run",
    "AsyncParseStream": "._async.parse",
    "BatchProgress": ".batch_state",
    "BatchRequestError": ".batch_results",
    "BatchResult": ".batch_results",
    "BatchRun": "._sync.batch_run",
    "CallResult": ".many_results",
    "ChatToolRun": "._sync.run_tools",
    "ConversationRun": "._sync.conversation_run",
    "JobProgress": ".batch_state",
    "ManyProgress": ".many_results",
    "ManyProgressCallback": ".many_results",
    "ManyRequestOptions": ".call_options",
    "ParseStream": "._sync.parse",
    "ParseStreamEvent": ".structured",
    "ParsedAssistantMessage": ".structured",
    "ParsedChatCompletion": ".structured",
    "ParsedChatCompletionChoice": ".structured",
    "PendingToolCall": ".tools",
    "ProgressCallback": ".batch_state",
    "ToolDecision": ".tools",
    "ToolFunction": "._function_tool",
    "ToolResult": ".tools",
    "ToolStep": ".tools",
    "function_tool": ".tools",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value: object = getattr(importlib.import_module(home, __name__), name)
    globals()[name] = value  # found once; later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

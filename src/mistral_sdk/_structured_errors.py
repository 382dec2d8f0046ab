"""Errors of structured outputs (`client.chat.parse`, `parse_stream`, `agents.parse`).

```
MistralError
└── StructuredOutputError              the reply holds no value of the requested type
    ├── LengthFinishReasonError        cut by the token limit (max_tokens, context)
    ├── ContentFilterFinishReasonError stopped by a content filter
    └── OutputValidationError          not JSON, or JSON that does not fit the type
```

Each carries the completion as the API sent it (`completion`) and the text of the
choice at fault (`content`), so nothing the model wrote is lost. A model that
declines to answer is not an error: its choice's `message.parsed` is None and
`message.refusal` says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._errors import MistralError

if TYPE_CHECKING:
    from .types.common_completions import ChatCompletionResponse

__all__ = [
    "ContentFilterFinishReasonError",
    "LengthFinishReasonError",
    "OutputValidationError",
    "StructuredOutputError",
]


class StructuredOutputError(MistralError):
    """A structured reply could not give a value of the `response_format` type."""

    def __init__(
        self, message: str, *, completion: ChatCompletionResponse, content: str
    ) -> None:
        super().__init__(message)
        self.completion: ChatCompletionResponse = completion
        """The completion as the API sent it (the choices unparsed)."""
        self.content: str = content
        """The text of the choice at fault, as the model wrote it."""


class LengthFinishReasonError(StructuredOutputError):
    """The output was cut by the token limit before the JSON value was complete.

    Raise `max_tokens` (or shorten the prompt) and ask again; `content` holds the
    part the model wrote.
    """

    def __init__(self, *, completion: ChatCompletionResponse, content: str) -> None:
        usage = getattr(completion, "usage", None)
        tokens = getattr(usage, "completion_tokens", None)
        spent = f" after {tokens} completion tokens" if tokens is not None else ""
        super().__init__(
            f"the output was cut by the token limit{spent}, so it cannot be parsed;"
            " raise max_tokens",
            completion=completion,
            content=content,
        )


class ContentFilterFinishReasonError(StructuredOutputError):
    """The output was stopped by a content filter, so it cannot be parsed."""

    def __init__(self, *, completion: ChatCompletionResponse, content: str) -> None:
        super().__init__(
            "the output was stopped by a content filter, so it cannot be parsed",
            completion=completion,
            content=content,
        )


class OutputValidationError(StructuredOutputError):
    """The output is not JSON, or is JSON that does not fit the `response_format` type.

    The cause (`__cause__`) is the underlying pydantic error; `errors` lists what
    did not fit, in pydantic's format (`loc`, `msg`, `type`).
    """

    def __init__(
        self,
        *,
        completion: ChatCompletionResponse,
        content: str,
        type_name: str,
        errors: Sequence[dict[str, Any]],
    ) -> None:
        self.errors: list[dict[str, Any]] = list(errors)
        """What did not fit, as pydantic reports it."""
        self.invalid_json: bool = any(e.get("type") == "json_invalid" for e in errors)
        """True when the output is not even JSON."""
        if self.invalid_json:
            message = f"the output is not valid JSON for {type_name}"
        else:
            where = "; ".join(_describe(e) for e in self.errors[:3])
            more = f" (+{len(self.errors) - 3} more)" if len(self.errors) > 3 else ""
            message = f"the output does not fit {type_name}: {where}{more}"
        super().__init__(message, completion=completion, content=content)


def _describe(error: dict[str, Any]) -> str:
    place = ".".join(str(part) for part in error.get("loc", ())) or "(root)"
    return f"{place}: {error.get('msg')}"

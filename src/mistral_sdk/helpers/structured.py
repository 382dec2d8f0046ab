"""Structured outputs: replies parsed into your own types (sans-IO, for both clients).

`client.chat.parse(..., response_format=City)` sends the strict `json_schema`
response format built from `City` and returns a `ParsedChatCompletion[City]`:
the completion, whose choices' messages also carry `parsed` (a `City`, or None
when the model declined or called a tool instead). `client.chat.parse_stream`
yields a `ParseStreamEvent` per chunk (the text delta and a partial parse of the
text so far) and ends with the same `ParsedChatCompletion`.

`response_format` may be a pydantic model class, a dataclass or a TypedDict.
Errors (`mistral_sdk.StructuredOutputError` and its subclasses) carry the raw
completion and text.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar

import pydantic
import pydantic_core

from mistral_sdk._accumulate import CompletionAccumulator, text_of
from mistral_sdk._structured_errors import (
    ContentFilterFinishReasonError,
    LengthFinishReasonError,
    OutputValidationError,
)
from mistral_sdk.types.common import AssistantMessage
from mistral_sdk.types.common_completions import (
    ChatCompletionChoice,
    ChatCompletionResponse,
)

from ._structured_schema import adapter_for, response_format_for, type_name

if TYPE_CHECKING:
    from mistral_sdk.types.common_completions import CompletionChunk

__all__ = [
    "CompletionParser",
    "JSONValue",
    "ParseStreamEvent",
    "ParsedAssistantMessage",
    "ParsedChatCompletion",
    "ParsedChatCompletionChoice",
    "ResponseFormatT",
    "parse_completion",
    "response_format_for",
]

ResponseFormatT = TypeVar("ResponseFormatT")
"""The type a reply is parsed into: a pydantic model, a dataclass or a TypedDict."""

_M = TypeVar("_M", bound=pydantic.BaseModel)

JSONValue: TypeAlias = (
    "dict[str, JSONValue] | list[JSONValue] | str | int | float | bool | None"
)
"""A value parsed from JSON."""

_LENGTH = frozenset({"length", "model_length"})
_FILTERED = frozenset({"content_filter"})


class ParsedAssistantMessage(AssistantMessage, Generic[ResponseFormatT]):
    """An assistant message with its content parsed into the `response_format` type."""

    parsed: ResponseFormatT | None = None
    """The content as a `response_format` value; None when the model declined (see
    `refusal`) or answered with tool calls instead."""

    refusal: str | None = None
    """The model's reason for declining, when it sent one instead of the value."""


class ParsedChatCompletionChoice(ChatCompletionChoice, Generic[ResponseFormatT]):
    """A choice whose message carries the parsed value."""

    message: ParsedAssistantMessage[ResponseFormatT]  # pyright: ignore[reportIncompatibleVariableOverride]


class ParsedChatCompletion(ChatCompletionResponse, Generic[ResponseFormatT]):
    """A `ChatCompletionResponse` whose choices carry `message.parsed`."""

    choices: list[ParsedChatCompletionChoice[ResponseFormatT]]  # type: ignore[assignment]  # pyright: ignore[reportIncompatibleVariableOverride]


def _finish_models() -> None:
    # The fields these models inherit are annotated with names of the generated
    # types modules, which pydantic looks up in this module: hand it theirs.
    namespace: dict[str, Any] = {}
    for base in (AssistantMessage, ChatCompletionChoice, ChatCompletionResponse):
        namespace.update(vars(sys.modules[base.__module__]))
    namespace.update(globals())
    for model in (
        ParsedAssistantMessage,
        ParsedChatCompletionChoice,
        ParsedChatCompletion,
    ):
        model.model_rebuild(_types_namespace=namespace)


_finish_models()


def parse_completion(
    completion: ChatCompletionResponse, response_format: type[ResponseFormatT]
) -> ParsedChatCompletion[ResponseFormatT]:
    """Parse every choice of `completion` into `response_format`.

    Raises:
        LengthFinishReasonError: a choice was cut by the token limit.
        ContentFilterFinishReasonError: a choice was stopped by a content filter.
        OutputValidationError: a choice's text is not JSON, or does not fit the type.
    """
    choices: list[ParsedChatCompletionChoice[ResponseFormatT]] = []
    for choice in completion.choices:
        text = text_of(choice.message.content)
        if choice.finish_reason in _LENGTH:
            raise LengthFinishReasonError(completion=completion, content=text)
        if choice.finish_reason in _FILTERED:
            raise ContentFilterFinishReasonError(completion=completion, content=text)
        refusal = _refusal_of(choice.message)
        parsed: ResponseFormatT | None = None
        # A reply made only of tool calls has nothing to parse.
        if refusal is None and (text.strip() or not choice.message.tool_calls):
            parsed = _validate(completion, text, response_format)
        # `Model[ResponseFormatT]` is the class itself at run time (pydantic returns
        # a generic class unchanged for its own parameters); type checkers see it bound.
        message = _rebuild(
            ParsedAssistantMessage[ResponseFormatT],
            choice.message,
            parsed=parsed,
            refusal=refusal,
        )
        choices.append(
            _rebuild(
                ParsedChatCompletionChoice[ResponseFormatT], choice, message=message
            )
        )
    return _rebuild(ParsedChatCompletion[ResponseFormatT], completion, choices=choices)


def _rebuild(cls: type[_M], source: pydantic.BaseModel, **changes: Any) -> _M:
    # Attributes, not a dump: nested models stay the same objects, nothing is
    # validated twice, and the fields the API sent stay the only ones "set", so
    # dumps with `exclude_unset` still look like the API's answer (plus `parsed`).
    values = {name: getattr(source, name) for name in type(source).model_fields}
    values.update(source.model_extra or {})
    values.update(changes)
    fields_set = set(source.model_fields_set)
    fields_set.update(k for k, v in changes.items() if v is not None or k == "parsed")
    return cls.model_construct(_fields_set=fields_set, **values)


def _refusal_of(message: AssistantMessage) -> str | None:
    # The API documents no refusal field today; OpenAI-compatible servers send one,
    # and an unknown field the API adds later lands in `model_extra`.
    refusal = (message.model_extra or {}).get("refusal")
    return refusal if isinstance(refusal, str) and refusal else None


def _validate(
    completion: ChatCompletionResponse,
    text: str,
    response_format: type[ResponseFormatT],
) -> ResponseFormatT:
    from pydantic import ValidationError

    try:
        value: ResponseFormatT = adapter_for(response_format).validate_json(text)
    except ValidationError as error:
        errors = [dict(e) for e in error.errors(include_url=False)]
        raise OutputValidationError(
            completion=completion,
            content=text,
            type_name=type_name(response_format),
            errors=errors,
        ) from error
    return value


@dataclass(frozen=True)
class ParseStreamEvent:
    """One chunk of a `parse_stream()`, with what it adds to the structured value."""

    chunk: CompletionChunk
    """The chunk as received."""
    delta: str
    """The text this chunk adds to choice 0 ("" if none)."""
    snapshot: str
    """The text of choice 0 so far."""
    parsed: JSONValue
    """The text so far parsed as partial JSON (dicts, lists, strings cut where the
    text stops): the value being built, before it can be validated; None until
    the first brace."""


class CompletionParser(Generic[ResponseFormatT]):
    """Turns the chunks of a structured-output stream into events and a final parse.

    The stream objects of both clients feed it; it does no I/O.
    """

    def __init__(self, response_format: type[ResponseFormatT]) -> None:
        self.response_format = response_format
        self._accumulator = CompletionAccumulator()
        self._text: list[str] = []
        self._parsed: JSONValue = None

    def feed(self, chunk: CompletionChunk) -> ParseStreamEvent:
        """Merge one chunk; return its event."""
        delta = self._accumulator.add(chunk)
        if delta:
            self._text.append(delta)
            snapshot = "".join(self._text)
            # Not JSON (yet): keep the last value that was.
            with contextlib.suppress(ValueError):
                self._parsed = pydantic_core.from_json(
                    snapshot, allow_partial="trailing-strings"
                )
        return ParseStreamEvent(chunk, delta, "".join(self._text), self._parsed)

    def final(self) -> ParsedChatCompletion[ResponseFormatT]:
        """Return the parsed completion of the chunks fed so far.

        Raises:
            LengthFinishReasonError: the output was cut by the token limit.
            ContentFilterFinishReasonError: the output was stopped by a content filter.
            OutputValidationError: the output is not JSON, or does not fit the type.
        """
        return parse_completion(self._accumulator.final(), self.response_format)

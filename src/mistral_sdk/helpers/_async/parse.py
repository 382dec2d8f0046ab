"""`parse` and `parse_stream` of `client.chat` and `client.agents`.

The generated resource methods call these with the resource and every argument.
They send the strict `json_schema` response format built from `response_format`
and parse the reply with `mistral_sdk.helpers.structured`; this module only
moves requests and chunks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Generic

from typing_extensions import Self

from mistral_sdk.helpers._opening import AsyncOpenOnAwait
from mistral_sdk.helpers.structured import (
    CompletionParser,
    ParsedChatCompletion,
    ParseStreamEvent,
    ResponseFormatT,
    parse_completion,
    response_format_for,
)

if TYPE_CHECKING:
    import httpx2

    from mistral_sdk._async._streaming import AsyncStream
    from mistral_sdk.resources.agents import AsyncAgents
    from mistral_sdk.resources.chat import AsyncChat
    from mistral_sdk.types.common_completions import CompletionChunk

__all__ = ["AsyncParseStream", "parse", "parse_stream"]


async def parse(
    resource: AsyncChat | AsyncAgents,
    *,
    response_format: type[ResponseFormatT],
    **arguments: Any,
) -> ParsedChatCompletion[ResponseFormatT]:
    """Ask for a reply in the JSON schema of `response_format`; return it parsed."""
    completion = await resource.complete(
        response_format=response_format_for(response_format), **arguments
    )
    return parse_completion(completion, response_format)


def parse_stream(
    resource: AsyncChat | AsyncAgents,
    *,
    response_format: type[ResponseFormatT],
    **arguments: Any,
) -> AsyncParseStream[ResponseFormatT]:
    """Return a stream of the reply, parsed as it comes (sent on entering it)."""
    # Built now, so that a type without an object schema fails at the call.
    body = {"response_format": response_format_for(response_format), **arguments}
    return AsyncParseStream(resource, body, response_format)


class AsyncParseStream(AsyncOpenOnAwait, Generic[ResponseFormatT]):
    """A structured-output stream: events with the partial value, then the parsed reply.

    Use it as a context manager: the request is sent on entering and the
    connection released on leaving. Iterate it for `ParseStreamEvent`s, or call
    `get_final_completion()` for the `ParsedChatCompletion`.
    """

    def __init__(
        self,
        resource: AsyncChat | AsyncAgents,
        body: dict[str, Any],
        response_format: type[ResponseFormatT],
    ) -> None:
        self._resource = resource
        self._body = body
        self._parser = CompletionParser(response_format)
        self._stream: AsyncStream[CompletionChunk] | None = None
        self._events: AsyncIterator[ParseStreamEvent] | None = None

    async def __aenter__(self) -> Self:
        await self._open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _open(self) -> AsyncStream[CompletionChunk]:
        if self._stream is None:
            self._stream = await self._resource.stream(**self._body)
        return self._stream

    def __aiter__(self) -> AsyncIterator[ParseStreamEvent]:
        if self._events is None:
            self._events = self._read()
        return self._events

    async def _read(self) -> AsyncIterator[ParseStreamEvent]:
        stream = await self._open()
        async for chunk in stream:
            yield self._parser.feed(chunk)

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """The text deltas of choice 0 (events without text are skipped)."""
        return self._texts()

    async def _texts(self) -> AsyncIterator[str]:
        async for event in self:
            if event.delta:
                yield event.delta

    async def until_done(self) -> None:
        """Read the stream to its end."""
        async for _ in self:
            pass

    async def get_final_completion(self) -> ParsedChatCompletion[ResponseFormatT]:
        """Read the stream to its end and return the parsed completion.

        Raises:
            LengthFinishReasonError: the output was cut by the token limit.
            ContentFilterFinishReasonError: the output was stopped by a content filter.
            OutputValidationError: the output is not JSON, or does not fit the type.
        """
        await self.until_done()
        return self._parser.final()

    @property
    def response(self) -> httpx2.Response:
        """The HTTP response of the stream (the request is sent on entering)."""
        return self._opened().response

    @property
    def request_id(self) -> str | None:
        """The request id the API gave the stream, for support requests."""
        return self._opened().request_id

    def _opened(self) -> AsyncStream[CompletionChunk]:
        if self._stream is None:
            raise RuntimeError("the stream is not open yet: enter it first")
        return self._stream

    async def close(self) -> None:
        """Stop reading and release the connection."""
        if self._stream is not None:
            await self._stream.close()

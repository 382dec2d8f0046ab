"""`AsyncStream`: the events of a streamed response, read as they arrive.

Decoding is sans-IO (`mistral_sdk._streaming.EventReader`); this module only
moves bytes into it and releases the connection.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx2
from typing_extensions import Self

from mistral_sdk._async._response import AsyncCloseable, release
from mistral_sdk._errors import connection_error
from mistral_sdk._response import AsyncGen, AsyncGuard, HeldResponse, parse_response
from mistral_sdk._streaming import (
    DRAIN_BYTES,
    EventReader,
    Recorder,
    async_drain_scope,
    is_event_stream,
    not_a_stream,
)

if TYPE_CHECKING:
    from mistral_sdk._accumulate import CompletionAccumulator, ConversationAccumulator

    # The event types appear as strings in base classes below, which ruff does
    # not count as uses; the types modules load only when a stream is used.
    from mistral_sdk.types.common_completions import (
        ChatCompletionResponse,
        CompletionChunk,  # noqa: F401
    )
    from mistral_sdk.types.conversation_events import ConversationEvent  # noqa: F401
    from mistral_sdk.types.conversations import ConversationResponse

__all__ = ["AsyncCompletionStream", "AsyncConversationStream", "AsyncStream"]

T = TypeVar("T")
R = TypeVar("R")


async def _events(
    response: httpx2.Response, reader: EventReader, guard: AsyncGuard | None
) -> AsyncGen[Any]:
    try:
        if not is_event_stream(response):
            await response.aread()
            raise not_a_stream(response)
        chunks = response.aiter_bytes()
        async for chunk in chunks:
            for value in reader.feed(chunk):
                yield value
            if reader.done:
                await _drain(chunks)
                return
        for value in reader.end():
            yield value
    except httpx2.HTTPError as exc:
        raise connection_error(exc, response.request) from exc
    finally:
        await release(response, guard)


async def _drain(chunks: AsyncIterator[bytes]) -> None:
    # Reading the body to its end is what returns the connection to the pool;
    # a server that keeps sending after [DONE] only costs a new connection, and
    # a failure here only loses the connection: the stream itself is complete.
    left = DRAIN_BYTES
    try:
        with async_drain_scope():
            async for chunk in chunks:
                left -= len(chunk)
                if left < 0:
                    return
    except httpx2.HTTPError:
        return


class AsyncStream(HeldResponse, AsyncCloseable, Generic[T]):
    """An iterator over the events of a streamed response.

    Use it as a context manager, or iterate it to the end, or close it: each
    releases the connection. One dropped unread or half read is closed when it
    is garbage-collected (async: by the event loop's async-generator finalizer).
    A stream whose server sends SSE ids (workflow events) can be resumed from
    `last_event_id`.
    """

    def __init__(
        self,
        response: httpx2.Response,
        *,
        cast_to: Any,
        strict: bool,
        guard: AsyncGuard | None = None,
    ) -> None:
        super().__init__(response)
        self._guard = guard
        # The generator gets no reference to `self`: a stream dropped without
        # `close()` is then freed at once, not at the next garbage collection, and
        # freeing it releases the connection. The reader (no reference to `self`
        # either) is shared so that `last_event_id` can read it.
        self._reader = EventReader(
            cast_to, strict=strict, response=response, record=self._record()
        )
        self._iterator: AsyncGen[T] = _events(response, self._reader, guard)

    def _record(self) -> list[bytes] | None:
        # Accumulating streams record what they hand out; plain streams do not.
        return None

    @property
    def last_event_id(self) -> str | None:
        """The SSE id of the stream as of the last event handed out, to resume it.

        The latest `id` the server sent up to that event (in it or before it),
        as the SSE specification defines an event's last event ID; `None` if
        the stream never sent one, or reset it with an empty `id`. Pass it as
        the `last_event_id=` of the same stream method to get only the events
        that follow.
        """
        return self._reader.last_event_id or None

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def close(self) -> None:
        """Stop reading and release the connection; later iteration yields nothing."""
        await self._iterator.aclose()
        await super().close()


class _AsyncAccumulatingStream(AsyncStream[T], Generic[T, R]):
    # A stream that records its events, to fold them into the whole response.
    def __init__(
        self,
        response: httpx2.Response,
        *,
        cast_to: Any,
        strict: bool,
        guard: AsyncGuard | None = None,
    ) -> None:
        self._recorder: Recorder[T, R] = Recorder(
            self._accumulator(),
            lambda data: parse_response(cast_to, data, strict=strict),
        )
        super().__init__(response, cast_to=cast_to, strict=strict, guard=guard)

    def _record(self) -> list[bytes] | None:
        return self._recorder.data

    def _accumulator(self) -> Any:
        raise NotImplementedError

    @property
    def text_stream(self) -> AsyncIterator[str]:
        """The text each remaining event adds (empty deltas skipped), as they arrive.

        Iterating it consumes the stream; the events still count for the final
        response.
        """
        return self._texts()

    async def _texts(self) -> AsyncIterator[str]:
        async for _ in self:
            text = self._recorder.fold()
            if text:
                yield text

    async def until_done(self) -> Self:
        """Read the stream to its end (the connection is then released)."""
        async for _ in self:
            pass
        return self


class AsyncCompletionStream(
    _AsyncAccumulatingStream["CompletionChunk", "ChatCompletionResponse"]
):
    """The stream of a chat, FIM or agents completion, with accumulation.

    Iterate it for the `CompletionChunk`s, or `text_stream` for the text only;
    `get_final_completion()` gives the `ChatCompletionResponse` the chunks make.
    """

    def _accumulator(self) -> CompletionAccumulator:
        # Loaded with the first accumulating stream, not with `import mistral_sdk`.
        from mistral_sdk._accumulate import CompletionAccumulator

        return CompletionAccumulator()

    async def get_final_completion(self) -> ChatCompletionResponse:
        """Read the rest of the stream; return the whole `ChatCompletionResponse`.

        Content is concatenated per choice, tool-call deltas are merged by index
        into complete calls, finish reason and usage come from the last chunks.
        """
        await self.until_done()
        return self._recorder.final()


class AsyncConversationStream(
    _AsyncAccumulatingStream["ConversationEvent", "ConversationResponse"]
):
    """The stream of a conversation, with accumulation.

    Iterate it for the typed events, or `text_stream` for the message text only;
    `get_final_response()` gives the `ConversationResponse` the events make.
    """

    def _accumulator(self) -> ConversationAccumulator:
        from mistral_sdk._accumulate import ConversationAccumulator

        return ConversationAccumulator()

    async def get_final_response(self) -> ConversationResponse:
        """Read the rest of the stream; return the whole `ConversationResponse`.

        Its outputs are the entries the stream produced, with the usage and the
        conversation id the stream reported.
        """
        await self.until_done()
        return self._recorder.final()

"""User-style calls on `Mistral` and `AsyncMistral`, checked by mypy --strict and pyright.

Never run: pytest does not collect `tests/typing`. Negative cases end in
`# type: ignore[<code>]`; mypy's `warn_unused_ignores` fails the check if the error
they expect goes away, and pyright reports an unnecessary ignore the same way.
"""

from __future__ import annotations

from typing_extensions import assert_type

from mistral_sdk import (
    APIResponse,
    AsyncAPIResponse,
    AsyncCompletionStream,
    AsyncMistral,
    AsyncPage,
    BinaryResponse,
    CompletionStream,
    Mistral,
    RawResponse,
    SyncPage,
)
from mistral_sdk.types import (
    AgentAliasResponse,
    BaseFieldDefinition,
    BatchJobOut,
    BatchJobsOut,
    ChatCompletionFields,
    ChatCompletionResponse,
    CompletionChunk,
    ConversationEvent,
    ConversationResponse,
    EmbeddingResponse,
    Function,
    LibraryOut,
    ListLibraryOut,
    ModelCard,
    ModelList,
    TextChunk,
    Tool,
    UploadFileOut,
    UserMessage,
)


def chat_with_dict_literals(client: Mistral) -> None:
    response = client.chat.complete(
        model="mistral-small-latest",
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": [{"type": "text", "text": "Hi"}]},
        ],
        tools=[
            {
                "type": "function",
                "function": {"name": "f", "parameters": {"type": "object"}},
            }
        ],
        tool_choice="auto",
        response_format={"type": "json_object"},
        temperature=0.2,
        max_tokens=None,
        timeout=5.0,
        extra_headers={"x-trace": "1"},
    )
    assert_type(response, ChatCompletionResponse)
    finish = response.choices[0].finish_reason
    if finish == "tool_calls":
        print(response.choices[0].message.tool_calls)


def chat_with_models(client: Mistral) -> None:
    response = client.chat.complete(
        model="mistral-small-latest",
        messages=[
            UserMessage(content=[TextChunk(text="Hi")]),
            {"role": "user", "content": "x"},
        ],
        tools=[Tool(function=Function(name="f", parameters={}))],
    )
    assert_type(response, ChatCompletionResponse)


def streaming(client: Mistral) -> None:
    with client.chat.stream(
        model="m", messages=[{"role": "user", "content": "Hi"}]
    ) as stream:
        assert_type(stream, CompletionStream)
        assert_type(stream.get_final_completion(), ChatCompletionResponse)
        for text in stream.text_stream:
            assert_type(text, str)
        for chunk in stream:
            assert_type(chunk, CompletionChunk)
        print(stream.request_id)
    with client.beta.conversations.start_stream(model="m", inputs="Hi") as events:
        for event in events:
            assert_type(event, ConversationEvent)
            print(event.type)


def other_namespaces(client: Mistral) -> None:
    assert_type(
        client.embeddings.create(model="mistral-embed", input=["a"]), EmbeddingResponse
    )
    assert_type(client.models.list(), SyncPage[ModelCard, ModelList])
    assert_type(client.models.retrieve("mistral-small-latest"), ModelCard)
    uploaded = client.files.upload(file=("a.jsonl", b"{}\n"), purpose="batch")
    assert_type(uploaded, UploadFileOut)
    assert_type(client.files.download(uploaded.id), BinaryResponse)
    started = client.beta.conversations.start(
        model="m", inputs=[{"role": "user", "content": "Hi"}]
    )
    assert_type(started, ConversationResponse)


def pagination(client: Mistral) -> None:
    jobs = client.batch.jobs.list(page_size=10, status=["RUNNING"])
    assert_type(jobs, SyncPage[BatchJobOut, BatchJobsOut])
    assert_type(jobs.body, BatchJobsOut)
    assert_type(jobs.data, list[BatchJobOut])
    assert_type(jobs.total, int | None)
    for job in jobs:
        assert_type(job, BatchJobOut)


def single_pages(client: Mistral) -> None:
    # Lists the API answers whole are pages too: the items, and the old body in `.body`.
    models = client.models.list()
    assert_type(models.data, list[ModelCard])
    assert_type(models.body, ModelList)
    assert_type(models.body.data, list[ModelCard] | None)
    for card in models:
        assert_type(card, ModelCard)
    aliases = client.beta.agents.list_version_aliases("ag_1")
    assert_type(aliases, SyncPage[AgentAliasResponse, list[AgentAliasResponse]])
    assert_type(aliases.body, list[AgentAliasResponse])
    libraries = client.beta.libraries.with_raw_response.list().parse()
    assert_type(libraries, SyncPage[LibraryOut, ListLibraryOut])
    fields = client.beta.observability.chat_completion_events.fields.list()
    assert_type(fields, SyncPage[BaseFieldDefinition, ChatCompletionFields])


def raw_responses(client: Mistral) -> None:
    raw = client.chat.with_raw_response.complete(
        model="m", messages=[{"role": "user", "content": "Hi"}]
    )
    assert_type(raw, APIResponse[ChatCompletionResponse])
    assert_type(raw, RawResponse[ChatCompletionResponse])
    print(raw.status_code, raw.request_id, raw.parse().choices)
    with client.chat.with_raw_response.stream(model="m", messages=[]) as raw_stream:
        assert_type(raw_stream.parse(), CompletionStream)
    with client.chat.with_streaming_response.complete(
        model="m", messages=[]
    ) as response:
        assert_type(response, APIResponse[ChatCompletionResponse])
        for line in response.iter_lines():
            assert_type(line, str)
    with client.files.with_streaming_response.download("f") as download:
        assert_type(download.read(), bytes)
    raw_page = client.batch.jobs.with_raw_response.list()
    assert_type(raw_page.parse(), SyncPage[BatchJobOut, BatchJobsOut])


async def async_client(client: AsyncMistral) -> None:
    response = await client.chat.complete(
        model="m", messages=[{"role": "user", "content": "Hi"}]
    )
    assert_type(response, ChatCompletionResponse)
    stream = await client.chat.stream(
        model="m", messages=[{"role": "user", "content": "Hi"}]
    )
    assert_type(stream, AsyncCompletionStream)
    async with stream:
        async for chunk in stream:
            assert_type(chunk, CompletionChunk)
    async with client.chat.stream(model="m", messages=[]) as entered:
        assert_type(entered, AsyncCompletionStream)
        assert_type(await entered.get_final_completion(), ChatCompletionResponse)
        async for chunk in entered:
            assert_type(chunk, CompletionChunk)
    async with client.beta.conversations.start_stream(model="m", inputs="Hi") as events:
        async for event in events:
            assert_type(event, ConversationEvent)
        assert_type(await events.get_final_response(), ConversationResponse)
    page = await client.batch.jobs.list()
    assert_type(page, AsyncPage[BatchJobOut, BatchJobsOut])
    assert_type(page.data, list[BatchJobOut])
    async for job in client.batch.jobs.list(page_size=5):
        assert_type(job, BatchJobOut)
    models = await client.models.list()
    assert_type(models, AsyncPage[ModelCard, ModelList])
    assert_type(models.body, ModelList)
    async for card in client.models.list():
        assert_type(card, ModelCard)
    raw_models = await client.models.with_raw_response.list()
    assert_type(await raw_models.parse(), AsyncPage[ModelCard, ModelList])
    raw = await client.chat.with_raw_response.complete(model="m", messages=[])
    assert_type(raw, AsyncAPIResponse[ChatCompletionResponse])
    assert_type(await raw.parse(), ChatCompletionResponse)
    raw_stream = await client.chat.with_raw_response.stream(model="m", messages=[])
    assert_type(await raw_stream.parse(), AsyncCompletionStream)
    async with client.chat.with_streaming_response.complete(
        model="m", messages=[]
    ) as streamed:
        assert_type(streamed, AsyncAPIResponse[ChatCompletionResponse])
        async for line in streamed.iter_lines():
            assert_type(line, str)


def negative_cases(client: Mistral) -> None:
    client.chat.complete(model="m", messages=[{"role": "user", "content": 42}])  # type: ignore[list-item]
    client.chat.complete(messages=[])  # type: ignore[call-arg]
    client.files.retrieve(file_id=1)  # type: ignore[arg-type]

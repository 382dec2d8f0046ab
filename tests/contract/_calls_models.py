"""Calls whose request objects are model instances instead of dicts.

API.md promises both forms; these variants check that models serialise to what
the spec expects, tags (`role`, `type`) included, unset optional fields left out.
They import `mistral_sdk.types`, unlike `_calls.py`, which stays SDK-free.
"""

from __future__ import annotations

from dataclasses import replace

from mistral_sdk.types import (
    AssistantMessage,
    CompletionArgs,
    DocumentURLChunk,
    Function,
    FunctionCall,
    FunctionResultEntry,
    FunctionTool,
    ImageURL,
    ImageURLChunk,
    InstructRequest,
    JsonSchema,
    MessageInputEntry,
    ResponseFormat,
    SystemMessage,
    TextChunk,
    Tool,
    ToolCall,
    ToolMessage,
    TrainingFile,
    UserMessage,
    WebSearchTool,
)

from ._calls import CALLS, FILE_ID, Call

WEATHER = Function(
    name="get_weather",
    description="Current weather in a city.",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
)
MESSAGES = [
    SystemMessage(content="You are a concise travel assistant."),
    UserMessage(
        content=[
            TextChunk(text="What is the weather like where this was taken?"),
            ImageURLChunk(image_url=ImageURL(url="https://example.com/lyon.jpg")),
        ]
    ),
    AssistantMessage(
        content=None,
        tool_calls=[
            ToolCall(
                id="call_1",
                function=FunctionCall(name="get_weather", arguments='{"city": "Lyon"}'),
            )
        ],
    ),
    ToolMessage(tool_call_id="call_1", name="get_weather", content="21°C, sunny"),
]


def _variant(name: str, **kwargs: object) -> Call:
    [base] = [call for call in CALLS if call.name == name]
    return replace(base, kwargs={**base.kwargs, **kwargs}, variant="models")


MODEL_CALLS: tuple[Call, ...] = (
    _variant(
        "chat.complete",
        messages=MESSAGES,
        tools=[Tool(function=WEATHER)],
        response_format=ResponseFormat(
            type="json_schema",
            json_schema=JsonSchema(name="weather", schema_={"type": "object"}),
        ),
    ),
    _variant("chat.stream", messages=MESSAGES, tools=[Tool(function=WEATHER)]),
    _variant(
        "classifiers.classify_chat",
        input=InstructRequest(messages=[UserMessage(content="My parcel never came.")]),
    ),
    _variant(
        "ocr.process",
        document=DocumentURLChunk(document_url="https://arxiv.org/pdf/2201.04234"),
    ),
    _variant("fine_tuning.jobs.create", training_files=[TrainingFile(file_id=FILE_ID)]),
    _variant(
        "beta.conversations.start",
        inputs=[MessageInputEntry(role="user", content="Plan a two-day trip to Lyon.")],
        tools=[WebSearchTool(), FunctionTool(function=WEATHER)],
        completion_args=CompletionArgs(temperature=0.3, max_tokens=512),
    ),
    _variant(
        "beta.conversations.append",
        inputs=[FunctionResultEntry(tool_call_id="call_1", result="21°C, sunny")],
    ),
    _variant(
        "beta.agents.create",
        tools=[WebSearchTool(), FunctionTool(function=WEATHER)],
        completion_args=CompletionArgs(temperature=0.3, top_p=0.9),
    ),
)

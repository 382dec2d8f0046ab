"""One realistic call per SDK method, used for both the sync and the async client.

Names follow ../shared/API.md (namespace and method) and the spec (keyword names);
path parameters are positional. Arguments are what a user would plausibly send,
with optional fields filled in so that their serialisation is checked too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

Kind = Literal["json", "stream", "page", "download"]


@dataclass(frozen=True)
class Call:
    """A method of the client, the operation it must reach and how to call it."""

    namespace: str
    method: str
    operation_id: str
    args: tuple[object, ...] = ()
    kwargs: Mapping[str, object] = field(default_factory=dict)
    kind: Kind = "json"
    variant: str = ""
    """Tells apart several calls of one method (test ids)."""

    @property
    def name(self) -> str:
        """Return the dotted name under the client, as in `beta.agents.get`."""
        return f"{self.namespace}.{self.method}"

    @property
    def id(self) -> str:
        """Return the test id: the name, and the variant if any."""
        return f"{self.name}[{self.variant}]" if self.variant else self.name


# Identifiers shaped like the real ones (the spec wants UUIDs for several of them).
MODEL_ID = "ft:open-mistral-7b:587a6b29:20240514:7e773925"
CONVERSATION_ID = "conv_0681f3b2c47e7a2b80003e2b5c2f1a9d"
ENTRY_ID = "msg_0681f3b3a1d27c5e8000a6f1e3b9c4d2"
AGENT_ID = "ag_0681f3a9d8e47b1d8000c2b7f5e6a3c1"
FILE_ID = "d56b5e34-6a6b-4a33-9e7f-8c5f2c3a1b10"
FILE_ID_2 = "0f0c8e0e-2b6d-4f5e-8a3d-7c9b1e2f4a60"
JOB_ID = "7ad642c1-fc6f-4e07-a9c7-5d1d0d8a4b2e"
LIBRARY_ID = "3f7c2a18-5b9e-4d61-a2f0-8e4b6c1d9a75"
DOCUMENT_ID = "b1e4d7c2-9a3f-4e68-8d15-2c7a0f6b3e94"
USER_ID = "5c9a1e7f-3d2b-4a86-b0e4-f1d8c6a2b937"
ORG_ID = "e2a7f4c9-1b6d-4f3a-8c05-9d7e2b4a6f18"

JSONL = (
    b'{"messages": [{"role": "user", "content": "Where is my order?"}, '
    b'{"role": "assistant", "content": "Let me check that for you."}]}\n'
)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + bytes(64)

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}
MESSAGES = [
    {"role": "system", "content": "You are a concise travel assistant."},
    {
        "role": "user",
        "content": [
            {"type": "text", "text": "What is the weather like where this was taken?"},
            {"type": "image_url", "image_url": {"url": "https://example.com/lyon.jpg"}},
        ],
    },
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city": "Lyon"}'},
            }
        ],
    },
    {
        "role": "tool",
        "tool_call_id": "call_1",
        "name": "get_weather",
        "content": "21°C, sunny",
    },
]
CHAT_ARGS: Mapping[str, object] = {
    "model": "mistral-small-latest",
    "messages": MESSAGES,
    "temperature": 0.3,
    "top_p": 0.95,
    "max_tokens": 256,
    "stop": ["\n\n"],
    "random_seed": 42,
    "response_format": {"type": "json_object"},
    "tools": [WEATHER_TOOL],
    "tool_choice": "auto",
    "presence_penalty": 0.1,
    "frequency_penalty": 0.1,
    "n": 1,
    "parallel_tool_calls": True,
    "safe_prompt": False,
    "metadata": {"session": "contract-test"},
}
FIM_ARGS: Mapping[str, object] = {
    "model": "codestral-latest",
    "prompt": "def fibonacci(n: int) -> int:\n",
    "suffix": "\n\nprint(fibonacci(10))\n",
    "temperature": 0.2,
    "max_tokens": 64,
    "min_tokens": 1,
    "stop": ["\n\n\n"],
    "random_seed": 7,
}
AGENT_COMPLETION_ARGS: Mapping[str, object] = {
    "agent_id": AGENT_ID,
    "messages": [{"role": "user", "content": "Summarise my last three orders."}],
    "max_tokens": 300,
    "tool_choice": "auto",
    "response_format": {
        "type": "json_schema",
        "json_schema": {
            "name": "orders",
            "schema": {"type": "object", "properties": {"summary": {"type": "string"}}},
            "strict": True,
        },
    },
}
CONVERSATION_START_ARGS: Mapping[str, object] = {
    "inputs": [{"role": "user", "content": "Plan a two-day trip to Lyon."}],
    "model": "mistral-medium-latest",
    "instructions": "Answer in bullet points.",
    "tools": [{"type": "web_search"}, WEATHER_TOOL],
    "completion_args": {"temperature": 0.3, "max_tokens": 512, "tool_choice": "auto"},
    "store": True,
    "name": "Lyon trip",
    "description": "Trip planning",
    "metadata": {"team": "travel"},
}
CONVERSATION_APPEND_ARGS: Mapping[str, object] = {
    "inputs": "And what should I eat there?",
    "store": True,
    "handoff_execution": "server",
    "completion_args": {"temperature": 0.2},
}
CONVERSATION_RESTART_ARGS: Mapping[str, object] = {
    "inputs": [{"role": "user", "content": "Make it a three-day trip instead."}],
    "from_entry_id": ENTRY_ID,
    "store": False,
    "metadata": {"team": "travel"},
}
TRANSCRIPTION_ARGS: Mapping[str, object] = {
    "model": "voxtral-mini-latest",
    "file": ("hello.mp3", MP3, "audio/mpeg"),
    "language": "en",
    "temperature": 0.0,
    "timestamp_granularities": ["segment"],
    "context_bias": ["Voxtral", "Mistral"],
    "diarize": True,
}

CALLS: tuple[Call, ...] = (
    # ------------------------------------------------------------------ models
    Call("models", "list", "list_models_v1_models_get", kind="page"),
    Call("models", "retrieve", "retrieve_model_v1_models__model_id__get", (MODEL_ID,)),
    Call("models", "delete", "delete_model_v1_models__model_id__delete", (MODEL_ID,)),
    Call(
        "models",
        "update",
        "jobs_api_routes_fine_tuning_update_fine_tuned_model",
        (MODEL_ID,),
        {"name": "support-bot-v2", "description": "Answers order questions."},
    ),
    Call(
        "models",
        "archive",
        "jobs_api_routes_fine_tuning_archive_fine_tuned_model",
        (MODEL_ID,),
    ),
    Call(
        "models",
        "unarchive",
        "jobs_api_routes_fine_tuning_unarchive_fine_tuned_model",
        (MODEL_ID,),
    ),
    # ------------------------------------------------------------------ chat, fim, agents
    Call(
        "chat", "complete", "chat_completion_v1_chat_completions_post", kwargs=CHAT_ARGS
    ),
    Call(
        "chat",
        "stream",
        "chat_completion_v1_chat_completions_post",
        kwargs=CHAT_ARGS,
        kind="stream",
    ),
    Call("fim", "complete", "fim_completion_v1_fim_completions_post", kwargs=FIM_ARGS),
    Call(
        "fim",
        "stream",
        "fim_completion_v1_fim_completions_post",
        kwargs=FIM_ARGS,
        kind="stream",
    ),
    Call(
        "agents",
        "complete",
        "agents_completion_v1_agents_completions_post",
        kwargs=AGENT_COMPLETION_ARGS,
    ),
    Call(
        "agents",
        "stream",
        "agents_completion_v1_agents_completions_post",
        kwargs=AGENT_COMPLETION_ARGS,
        kind="stream",
    ),
    # ------------------------------------------------------------------ embeddings, classifiers, ocr
    Call(
        "embeddings",
        "create",
        "embeddings_v1_embeddings_post",
        kwargs={
            "model": "mistral-embed",
            "input": ["Embed this sentence.", "As well as this one."],
            "output_dtype": "float",
            "encoding_format": "float",
        },
    ),
    Call(
        "classifiers",
        "moderate",
        "moderations_v1_moderations_post",
        kwargs={
            "model": "mistral-moderation-latest",
            "input": ["You are a wonderful person.", "Buy cheap pills now!"],
        },
    ),
    Call(
        "classifiers",
        "moderate_chat",
        "chat_moderations_v1_chat_moderations_post",
        kwargs={
            "model": "mistral-moderation-latest",
            "input": [
                {"role": "user", "content": "How do I pick a lock?"},
                {"role": "assistant", "content": "Call a locksmith."},
            ],
        },
    ),
    Call(
        "classifiers",
        "classify",
        "classifications_v1_classifications_post",
        kwargs={
            "model": "ft:classifier:ministral-3b-latest:5f0b2c1e:20250101:a1b2c3d4",
            "input": "Refund please",
        },
    ),
    Call(
        "classifiers",
        "classify_chat",
        "chat_classifications_v1_chat_classifications_post",
        kwargs={
            "model": "ft:classifier:ministral-3b-latest:5f0b2c1e:20250101:a1b2c3d4",
            "input": {
                "messages": [{"role": "user", "content": "My parcel never came."}]
            },
        },
    ),
    Call(
        "ocr",
        "process",
        "ocr_v1_ocr_post",
        kwargs={
            "model": "mistral-ocr-latest",
            "document": {
                "type": "document_url",
                "document_url": "https://arxiv.org/pdf/2201.04234",
                "document_name": "paper.pdf",
            },
            "pages": [0, 1],
            "include_image_base64": False,
            "image_limit": 4,
            "image_min_size": 64,
            "table_format": "markdown",
            "extract_header": True,
        },
    ),
    # ------------------------------------------------------------------ files
    Call(
        "files",
        "upload",
        "files_api_routes_upload_file",
        kwargs={
            "file": ("orders.jsonl", JSONL, "application/jsonl"),
            "purpose": "fine-tune",
        },
    ),
    Call(
        "files",
        "list",
        "files_api_routes_list_files",
        kwargs={
            "page": 0,
            "page_size": 20,
            "include_total": True,
            "sample_type": ["instruct", "pretrain"],
            "source": ["upload"],
            "search": "orders",
            "purpose": "fine-tune",
            "mimetypes": ["application/jsonl"],
        },
        kind="page",
    ),
    Call("files", "retrieve", "files_api_routes_retrieve_file", (FILE_ID,)),
    Call("files", "delete", "files_api_routes_delete_file", (FILE_ID,)),
    Call(
        "files",
        "download",
        "files_api_routes_download_file",
        (FILE_ID,),
        kind="download",
    ),
    Call(
        "files",
        "get_signed_url",
        "files_api_routes_get_signed_url",
        (FILE_ID,),
        {"expiry": 2},
    ),
    # ------------------------------------------------------------------ fine-tuning jobs
    Call(
        "fine_tuning.jobs",
        "create",
        "jobs_api_routes_fine_tuning_create_fine_tuning_job",
        kwargs={
            "model": "open-mistral-7b",
            "training_files": [{"file_id": FILE_ID, "weight": 1.0}],
            "validation_files": [FILE_ID_2],
            "hyperparameters": {"training_steps": 10, "learning_rate": 0.0001},
            "suffix": "support-bot",
            "auto_start": False,
            "integrations": [
                {"type": "wandb", "project": "support-bot", "api_key": "a" * 40}
            ],
            "dry_run": False,
        },
    ),
    Call(
        "fine_tuning.jobs",
        "list",
        "jobs_api_routes_fine_tuning_get_fine_tuning_jobs",
        kwargs={
            "page": 0,
            "page_size": 10,
            "model": "open-mistral-7b",
            "created_after": datetime(2025, 1, 1, tzinfo=timezone.utc),
            "created_by_me": True,
            "status": "RUNNING",
            "suffix": "support-bot",
        },
        kind="page",
    ),
    Call(
        "fine_tuning.jobs",
        "get",
        "jobs_api_routes_fine_tuning_get_fine_tuning_job",
        (JOB_ID,),
    ),
    Call(
        "fine_tuning.jobs",
        "cancel",
        "jobs_api_routes_fine_tuning_cancel_fine_tuning_job",
        (JOB_ID,),
    ),
    Call(
        "fine_tuning.jobs",
        "start",
        "jobs_api_routes_fine_tuning_start_fine_tuning_job",
        (JOB_ID,),
    ),
    # ------------------------------------------------------------------ batch jobs
    Call(
        "batch.jobs",
        "create",
        "jobs_api_routes_batch_create_batch_job",
        kwargs={
            "input_files": [FILE_ID],
            "endpoint": "/v1/chat/completions",
            "model": "mistral-small-latest",
            "metadata": {"job_type": "nightly"},
            "timeout_hours": 12,
        },
    ),
    Call(
        "batch.jobs",
        "list",
        "jobs_api_routes_batch_get_batch_jobs",
        kwargs={
            "page": 0,
            "page_size": 10,
            "model": "mistral-small-latest",
            "created_after": datetime(2025, 1, 1, tzinfo=timezone.utc),
            "created_by_me": False,
            "status": ["RUNNING", "QUEUED"],
            "order_by": "-created",
        },
        kind="page",
    ),
    Call(
        "batch.jobs",
        "get",
        "jobs_api_routes_batch_get_batch_job",
        (JOB_ID,),
        {"inline": False},
    ),
    Call("batch.jobs", "cancel", "jobs_api_routes_batch_cancel_batch_job", (JOB_ID,)),
    # ------------------------------------------------------------------ audio
    Call(
        "audio.transcriptions",
        "complete",
        "audio_api_v1_transcriptions_post",
        kwargs=TRANSCRIPTION_ARGS,
    ),
    Call(
        "audio.transcriptions",
        "stream",
        "audio_api_v1_transcriptions_post_stream",
        kwargs=TRANSCRIPTION_ARGS,
        kind="stream",
    ),
    # ------------------------------------------------------------------ beta.conversations
    Call(
        "beta.conversations",
        "start",
        "agents_api_v1_conversations_start",
        kwargs=CONVERSATION_START_ARGS,
    ),
    Call(
        "beta.conversations",
        "start_stream",
        "agents_api_v1_conversations_start_stream",
        kwargs=CONVERSATION_START_ARGS,
        kind="stream",
    ),
    Call(
        "beta.conversations",
        "append",
        "agents_api_v1_conversations_append",
        (CONVERSATION_ID,),
        CONVERSATION_APPEND_ARGS,
    ),
    Call(
        "beta.conversations",
        "append_stream",
        "agents_api_v1_conversations_append_stream",
        (CONVERSATION_ID,),
        CONVERSATION_APPEND_ARGS,
        kind="stream",
    ),
    Call(
        "beta.conversations",
        "restart",
        "agents_api_v1_conversations_restart",
        (CONVERSATION_ID,),
        CONVERSATION_RESTART_ARGS,
    ),
    Call(
        "beta.conversations",
        "restart_stream",
        "agents_api_v1_conversations_restart_stream",
        (CONVERSATION_ID,),
        CONVERSATION_RESTART_ARGS,
        kind="stream",
    ),
    Call(
        "beta.conversations",
        "get",
        "agents_api_v1_conversations_get",
        (CONVERSATION_ID,),
    ),
    Call(
        "beta.conversations",
        "list",
        "agents_api_v1_conversations_list",
        kwargs={"page": 0, "page_size": 20, "metadata": {"team": "travel"}},
        kind="page",
    ),
    Call(
        "beta.conversations",
        "delete",
        "agents_api_v1_conversations_delete",
        (CONVERSATION_ID,),
    ),
    Call(
        "beta.conversations",
        "get_history",
        "agents_api_v1_conversations_history",
        (CONVERSATION_ID,),
    ),
    Call(
        "beta.conversations",
        "get_messages",
        "agents_api_v1_conversations_messages",
        (CONVERSATION_ID,),
    ),
    # ------------------------------------------------------------------ beta.agents
    Call(
        "beta.agents",
        "create",
        "agents_api_v1_agents_create",
        kwargs={
            "model": "mistral-medium-latest",
            "name": "Travel planner",
            "description": "Plans short city trips.",
            "instructions": "Answer in bullet points.",
            "tools": [{"type": "web_search"}, WEATHER_TOOL],
            "completion_args": {"temperature": 0.3, "top_p": 0.9},
            "metadata": {"team": "travel"},
            "version_message": "First version",
        },
    ),
    Call(
        "beta.agents",
        "list",
        "agents_api_v1_agents_list",
        kwargs={
            "page": 0,
            "page_size": 20,
            "deployment_chat": False,
            "sources": ["api", "playground"],
            "name": "Travel planner",
            "search": "travel",
            "metadata": {"team": "travel"},
        },
        kind="page",
    ),
    Call(
        "beta.agents",
        "get",
        "agents_api_v1_agents_get",
        (AGENT_ID,),
        {"agent_version": 2},
    ),
    Call(
        "beta.agents",
        "update",
        "agents_api_v1_agents_update",
        (AGENT_ID,),
        {
            "instructions": "Answer in at most five bullet points.",
            "tools": [{"type": "web_search"}],
            "deployment_chat": True,
            "version_message": "Shorter answers",
        },
    ),
    Call("beta.agents", "delete", "agents_api_v1_agents_delete", (AGENT_ID,)),
    Call(
        "beta.agents",
        "update_version",
        "agents_api_v1_agents_update_version",
        (AGENT_ID,),
        {"version": 2},
    ),
    Call(
        "beta.agents",
        "list_versions",
        "agents_api_v1_agents_list_versions",
        (AGENT_ID,),
        {"page": 0, "page_size": 10},
        kind="page",
    ),
    Call(
        "beta.agents",
        "get_version",
        "agents_api_v1_agents_get_version",
        (AGENT_ID, "2"),
    ),
    Call(
        "beta.agents",
        "create_version_alias",
        "agents_api_v1_agents_create_or_update_alias",
        (AGENT_ID,),
        {"alias": "production", "version": 2},
    ),
    Call(
        "beta.agents",
        "list_version_aliases",
        "agents_api_v1_agents_list_version_aliases",
        (AGENT_ID,),
        kind="page",
    ),
    Call(
        "beta.agents",
        "delete_version_alias",
        "agents_api_v1_agents_delete_alias",
        (AGENT_ID,),
        {"alias": "production"},
    ),
    # ------------------------------------------------------------------ beta.libraries
    Call(
        "beta.libraries",
        "create",
        "libraries_create_v1",
        kwargs={
            "name": "Support handbook",
            "description": "Policies",
            "chunk_size": 1024,
        },
    ),
    Call("beta.libraries", "list", "libraries_list_v1", kind="page"),
    Call("beta.libraries", "get", "libraries_get_v1", (LIBRARY_ID,)),
    Call(
        "beta.libraries",
        "update",
        "libraries_update_v1",
        (LIBRARY_ID,),
        {"name": "Support handbook 2025", "description": "Current policies"},
    ),
    Call("beta.libraries", "delete", "libraries_delete_v1", (LIBRARY_ID,)),
    # ------------------------------------------------------------------ beta.libraries.documents
    Call(
        "beta.libraries.documents",
        "upload",
        "libraries_documents_upload_v1",
        (LIBRARY_ID,),
        {"file": ("refunds.pdf", PDF, "application/pdf")},
    ),
    Call(
        "beta.libraries.documents",
        "list",
        "libraries_documents_list_v1",
        (LIBRARY_ID,),
        {
            "search": "refund",
            "page_size": 20,
            "page": 0,
            "sort_by": "created_at",
            "sort_order": "desc",
        },
        kind="page",
    ),
    Call(
        "beta.libraries.documents",
        "get",
        "libraries_documents_get_v1",
        (LIBRARY_ID, DOCUMENT_ID),
    ),
    Call(
        "beta.libraries.documents",
        "update",
        "libraries_documents_update_v1",
        (LIBRARY_ID, DOCUMENT_ID),
        {
            "name": "Refund policy",
            "attributes": {"department": "support", "reviewed": True},
        },
    ),
    Call(
        "beta.libraries.documents",
        "delete",
        "libraries_documents_delete_v1",
        (LIBRARY_ID, DOCUMENT_ID),
    ),
    Call(
        "beta.libraries.documents",
        "text_content",
        "libraries_documents_get_text_content_v1",
        (LIBRARY_ID, DOCUMENT_ID),
    ),
    Call(
        "beta.libraries.documents",
        "status",
        "libraries_documents_get_status_v1",
        (LIBRARY_ID, DOCUMENT_ID),
    ),
    Call(
        "beta.libraries.documents",
        "get_signed_url",
        "libraries_documents_get_signed_url_v1",
        (LIBRARY_ID, DOCUMENT_ID),
    ),
    Call(
        "beta.libraries.documents",
        "extracted_text_signed_url",
        "libraries_documents_get_extracted_text_signed_url_v1",
        (LIBRARY_ID, DOCUMENT_ID),
    ),
    Call(
        "beta.libraries.documents",
        "reprocess",
        "libraries_documents_reprocess_v1",
        (LIBRARY_ID, DOCUMENT_ID),
    ),
    # ------------------------------------------------------------------ beta.libraries.accesses
    Call(
        "beta.libraries.accesses",
        "list",
        "libraries_share_list_v1",
        (LIBRARY_ID,),
        kind="page",
    ),
    Call(
        "beta.libraries.accesses",
        "update_or_create",
        "libraries_share_create_v1",
        (LIBRARY_ID,),
        {
            "level": "Viewer",
            "share_with_uuid": USER_ID,
            "share_with_type": "User",
            "org_id": ORG_ID,
        },
    ),
    Call(
        "beta.libraries.accesses",
        "delete",
        "libraries_share_delete_v1",
        (LIBRARY_ID,),
        {
            "share_with_uuid": USER_ID,
            "share_with_type": "User",
            "org_id": ORG_ID,
            # Declared by a patch in tools/codegen/overrides.toml: the spec requires
            # `level` without declaring it.
            "level": "Viewer",
        },
    ),
)

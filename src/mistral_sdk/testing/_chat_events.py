"""Chat-completion events: every chat or agents completion the emulator answers.

Each answered completion (whole or streamed) is recorded with its request and
response messages, its token counts and its correlation id (the response's
`mistral-correlation-id`). Search filters them on the fields listed by the
fields route, pages by cursor, and a live judge can rate any of them.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, Final

from ._context import Call, Handler, World, json_response
from ._generation import message_text
from ._http import Request, Response
from ._json import array, obj
from ._observability import matches, observability_error, stored_or_404, verdict
from ._paging import by_cursor

__all__ = ["COMPLETION_OPERATIONS", "HANDLERS", "event", "record_completion"]

COMPLETION_OPERATIONS: Final = frozenset(
    {
        "chat_completion_v1_chat_completions_post",
        "agents_completion_v1_agents_completions_post",
    }
)
"""The operations whose answers (whole or streamed) become events."""

_TEXT: Final = [
    "eq",
    "neq",
    "contains",
    "icontains",
    "notcontains",
    "inotcontains",
    "startswith",
    "istartswith",
    "endswith",
    "iendswith",
    "matches",
    "isnull",
]
_ORDERED: Final = ["eq", "neq", "lt", "lte", "gt", "gte", "isnull"]
_CHOICE: Final = ["eq", "neq", "isnull"]
_ARRAY: Final = ["includes", "excludes", "len_eq", "isnull"]
# name -> (label, type, group, operators)
FIELDS: Final[dict[str, tuple[str, str, str, list[str]]]] = {
    "model": ("Model", "ENUM", "request", _CHOICE),
    "correlation_id": ("Correlation id", "TEXT", "request", _TEXT),
    "created_at": ("Created at", "TIMESTAMP", "request", _ORDERED),
    "stream": ("Streamed", "BOOL", "request", _CHOICE),
    "temperature": ("Temperature", "FLOAT", "request", _ORDERED),
    "tools": ("Enabled tools", "ARRAY", "request", _ARRAY),
    "last_user_message": ("Last user message", "TEXT", "request", _TEXT),
    "nb_messages": ("Messages", "INT", "request", _ORDERED),
    "finish_reason": ("Finish reason", "ENUM", "response", _CHOICE),
    "response_text": ("Response text", "TEXT", "response", _TEXT),
    "nb_input_tokens": ("Input tokens", "INT", "usage", _ORDERED),
    "nb_output_tokens": ("Output tokens", "INT", "usage", _ORDERED),
}
_GROUPS: Final = {"request": "Request", "response": "Response", "usage": "Usage"}
_KNOWN: Final = {name: spec[3] for name, spec in FIELDS.items()}


def _streamed(response: Response) -> tuple[str, str | None, dict[str, Any]]:
    text, finish = "", None
    usage: dict[str, Any] = {}
    for chunk in response.chunks or []:
        line = chunk.decode().strip()
        if not line.startswith("data:") or line.endswith("[DONE]"):
            continue
        data = obj(json.loads(line[5:]))
        for choice in array(data.get("choices"))[:1]:
            delta = obj(obj(choice).get("delta"))
            text += message_text(delta.get("content"))
            finish = obj(choice).get("finish_reason") or finish
        usage = obj(data.get("usage")) or usage
    return text, finish, usage


def record_completion(
    world: World, request: Request, response: Response, correlation_id: str
) -> None:
    """Keep an answered completion as a chat-completion event."""
    body = obj(json.loads(request.body or b"{}"))
    if response.streaming:
        text, finish, usage = _streamed(response)
        answer: dict[str, Any] = {"role": "assistant", "content": text}
    else:
        data = obj(response.json())
        choice = obj(array(data.get("choices"))[0] if data.get("choices") else {})
        answer = obj(choice.get("message"))
        text, finish = message_text(answer.get("content")), choice.get("finish_reason")
        usage = obj(data.get("usage"))
    messages = [obj(m) for m in array(body.get("messages"))]
    users = [m for m in messages if m.get("role") == "user"]
    tools = [obj(obj(t).get("function")).get("name") for t in array(body.get("tools"))]
    last_user = message_text(users[-1].get("content")) if users else None
    stored: dict[str, Any] = {
        "event_id": world.ids.uuid("chat_completion_event"),
        "correlation_id": correlation_id,
        "created_at": world.now_iso(),
        "request_messages": messages,
        "response_messages": [answer],
        "enabled_tools": [obj(t) for t in array(body.get("tools"))],
        "fields": {
            "model": body.get("model") or body.get("agent_id"),
            "stream": bool(body.get("stream")),
            "temperature": body.get("temperature"),
            "tools": [str(t) for t in tools if t],
            "last_user_message": last_user,
            "nb_messages": len(messages) + 1,
            "finish_reason": finish,
            "response_text": text,
            "nb_input_tokens": int(usage.get("prompt_tokens", 0)),
            "nb_output_tokens": int(usage.get("completion_tokens", 0)),
        },
    }
    world.store.put("chat_completion_event", stored["event_id"], stored)


def _flat(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        **stored["fields"],
        "correlation_id": stored["correlation_id"],
        "created_at": stored["created_at"],
    }


def _preview(stored: dict[str, Any], extra: list[str]) -> dict[str, Any]:
    flat = _flat(stored)
    return {
        "event_id": stored["event_id"],
        "correlation_id": stored["correlation_id"],
        "created_at": stored["created_at"],
        "extra_fields": {name: flat[name] for name in extra if name in flat},
        "nb_input_tokens": flat["nb_input_tokens"],
        "nb_output_tokens": flat["nb_output_tokens"],
    }


def event(world: World, event_id: str) -> dict[str, Any]:
    """Return a stored event, or raise the service's 404."""
    return stored_or_404(
        world, "chat_completion_event", event_id, "SEARCH_NOT_FOUND", "Event"
    )


def search_events(world: World, search_params: Any) -> list[dict[str, Any]]:
    """Return the stored events a `FilterPayload` selects, newest first."""
    filters = obj(search_params).get("filters")
    found = [
        e
        for e in world.store.all("chat_completion_event")
        if matches(filters, _flat(e), _KNOWN)
    ]
    return list(reversed(found))


def preview(stored: dict[str, Any]) -> dict[str, Any]:
    """Return the `ChatCompletionEventPreview` of a stored event."""
    return _preview(stored, [])


def search(call: Call) -> Response:
    """POST .../chat-completion-events/search: newest first, by cursor."""
    body = call.json
    found = search_events(call.world, body["search_params"])
    extra = [str(name) for name in array(body.get("extra_fields"))]
    window = by_cursor(found, call.query["cursor"], call.query["page_size"])
    after = window.next_cursor
    path = "/v1/observability/chat-completion-events/search"
    return json_response(
        {
            "completion_events": {
                "results": [_preview(e, extra) for e in window.items],
                "next": None if after is None else call.url(f"{path}?cursor={after}"),
                "cursor": after,
            }
        }
    )


def search_ids(call: Call) -> Response:
    """POST .../chat-completion-events/search-ids: every matching id."""
    found = search_events(call.world, call.json["search_params"])
    return json_response({"completion_event_ids": [e["event_id"] for e in found]})


def get(call: Call) -> Response:
    """GET .../chat-completion-events/{event_id}: the whole event."""
    stored = event(call.world, call.path["event_id"])
    flat = _flat(stored)
    return json_response(
        {
            **_preview(stored, list(flat)),
            "enabled_tools": stored["enabled_tools"],
            "request_messages": stored["request_messages"],
            "response_messages": stored["response_messages"],
            "nb_messages": flat["nb_messages"],
            "chat_transcription_events": [],
        }
    )


def similar(call: Call) -> Response:
    """GET .../{event_id}/similar-events: the others of the same model."""
    stored = event(call.world, call.path["event_id"])
    model = stored["fields"]["model"]
    others = [
        _preview(e, ["model"])
        for e in reversed(call.world.store.all("chat_completion_event"))
        if e["fields"]["model"] == model and e["event_id"] != stored["event_id"]
    ]
    return json_response(
        {"completion_events": {"results": others, "next": None, "cursor": None}}
    )


def fields(_: Call) -> Response:
    """GET .../chat-completion-fields: what search can filter on."""
    definitions = [
        {
            "name": name,
            "label": label,
            "type": kind,
            "group": group,
            "supported_operators": operators,
        }
        for name, (label, kind, group, operators) in FIELDS.items()
    ]
    groups = [{"name": k, "label": v} for k, v in _GROUPS.items()]
    return json_response({"field_definitions": definitions, "field_groups": groups})


def _field(name: str) -> tuple[str, str, str, list[str]]:
    found = FIELDS.get(name)
    if found is None:
        raise observability_error(404, "FIELDS_NOT_FOUND", f"Field {name} not found")
    return found


def options(call: Call) -> Response:
    """GET .../{field_name}/options: the values seen, for choice fields."""
    name = call.path["field_name"]
    _, kind, _, operators = _field(name)
    if kind not in ("ENUM", "BOOL") or call.query["operator"] not in operators:
        return json_response({"options": None})
    seen = [e["fields"][name] for e in call.world.store.all("chat_completion_event")]
    return json_response({"options": sorted(set(seen), key=str)})


def option_counts(call: Call) -> Response:
    """POST .../{field_name}/options-counts: events per value, filtered."""
    name = call.path["field_name"]
    _field(name)
    found = search_events(call.world, call.json.get("filter_params"))
    counts = Counter(str(_flat(e)[name]) for e in found)
    return json_response(
        {"counts": [{"value": v, "count": n} for v, n in counts.most_common()]}
    )


def judge_event(call: Call) -> Response:
    """POST .../{event_id}/live-judging: a judge definition rates the event."""
    stored = event(call.world, call.path["event_id"])
    messages = stored["request_messages"] + stored["response_messages"]
    return json_response(verdict(call.world, call.json["judge_definition"], messages))


HANDLERS: dict[str, Handler] = {
    "get_chat_completion_events_v1_observability_chat_completion_events_search_post": search,  # noqa: E501
    "get_chat_completion_event_ids_v1_observability_chat_completion_events_search_ids_post": search_ids,  # noqa: E501
    "get_chat_completion_event_v1_observability_chat_completion_events__event_id__get": get,  # noqa: E501
    "get_similar_chat_completion_events_v1_observability_chat_completion_events__event_id__similar_events_get": similar,  # noqa: E501
    "get_chat_completion_fields_v1_observability_chat_completion_fields_get": fields,
    "get_chat_completion_field_options_v1_observability_chat_completion_fields__field_name__options_get": options,  # noqa: E501
    "get_chat_completion_field_options_counts_v1_observability_chat_completion_fields__field_name__options_counts_post": option_counts,  # noqa: E501
    "judge_chat_completion_event_v1_observability_chat_completion_events__event_id__live_judging_post": judge_event,  # noqa: E501
}

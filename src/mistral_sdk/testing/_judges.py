"""Judges (LLM-as-a-judge definitions) and campaigns that apply them.

A judge rates a conversation with a class or a score (see `verdict`). A campaign
selects up to `max_nb_events` chat-completion events matching its search at
creation; it reads RUNNING once, then COMPLETED (one step per status read, like
jobs; `Emulator.settle()` finishes it).
"""

from __future__ import annotations

from typing import Any, Final

from ._chat_events import preview, search_events
from ._context import Call, Handler, World, json_response, no_content
from ._http import Response
from ._observability import observability_error, paginated, stored_or_404, verdict

__all__ = ["HANDLERS", "campaign", "settle"]

_JUDGE_FIELDS: Final = (
    "name",
    "description",
    "model_name",
    "output",
    "instructions",
    "tools",
)


def _judge(world: World, judge_id: str) -> dict[str, Any]:
    return stored_or_404(world, "judge", judge_id, "JUDGE_NOT_FOUND", "Judge")


def _unique_name(world: World, name: str, judge_id: str | None = None) -> None:
    for other in world.store.all("judge"):
        if other["name"] == name and other["id"] != judge_id:
            raise observability_error(
                409, "JUDGE_NAME_ALREADY_EXISTS", f"A judge is named {name}"
            )


def _definition(body: dict[str, Any]) -> dict[str, Any]:
    output = dict(body["output"])
    if output.get("type", "CLASSIFICATION") == "REGRESSION":
        output = {"type": "REGRESSION", "min": 0, "max": 1, **output}
    else:
        output["type"] = "CLASSIFICATION"
    return {**{k: body[k] for k in _JUDGE_FIELDS}, "output": output}


def create_judge(call: Call) -> Response:
    """POST /v1/observability/judges (201)."""
    world = call.world
    _unique_name(world, call.json["name"])
    now = world.now_iso()
    judge: dict[str, Any] = {
        "id": world.ids.uuid("judge"),
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
        "owner_id": world.user_id,
        "workspace_id": world.workspace_id,
        **_definition(call.json),
        "up_revision": None,
        "down_revision": None,
        "base_revision": None,
    }
    world.store.put("judge", judge["id"], judge)
    return json_response(judge, 201)


def list_judges(call: Call) -> Response:
    """GET /v1/observability/judges: by page, filtered by type, model, name."""
    query = call.query
    types, models = query["type_filter"], query["model_filter"]
    text = (query["q"] or "").lower()
    found = [
        j
        for j in call.world.store.all("judge")
        if (types is None or j["output"]["type"] in types)
        and (models is None or j["model_name"] in models)
        and text in f"{j['name']} {j['description']}".lower()
    ]
    page = paginated(call, found, "/v1/observability/judges")
    return json_response({"judges": page})


def get_judge(call: Call) -> Response:
    """GET /v1/observability/judges/{judge_id}."""
    return json_response(_judge(call.world, call.path["judge_id"]))


def update_judge(call: Call) -> Response:
    """PUT /v1/observability/judges/{judge_id} (204): a new definition."""
    world = call.world
    judge = _judge(world, call.path["judge_id"])
    definition = _definition(call.json)
    if all(judge[k] == v for k, v in definition.items()):
        raise observability_error(400, "JUDGE_DID_NOT_CHANGE", "Nothing to change")
    _unique_name(world, definition["name"], judge["id"])
    judge.update(definition, updated_at=world.now_iso())
    world.store.put("judge", judge["id"], judge)
    return no_content()


def delete_judge(call: Call) -> Response:
    """DELETE /v1/observability/judges/{judge_id} (204)."""
    judge = _judge(call.world, call.path["judge_id"])
    call.world.store.delete("judge", judge["id"])
    return no_content()


def judge_conversation(call: Call) -> Response:
    """POST /v1/observability/judges/{judge_id}/live-judging."""
    judge = _judge(call.world, call.path["judge_id"])
    return json_response(verdict(call.world, judge, call.json["messages"]))


def campaign(world: World, campaign_id: str) -> dict[str, Any]:
    """Return a stored campaign, or raise the service's 404."""
    return stored_or_404(
        world, "campaign", campaign_id, "CAMPAIGN_NOT_FOUND", "Campaign"
    )


def _campaign_out(stored: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in stored.items() if k not in ("status", "event_ids")}


def create_campaign(call: Call) -> Response:
    """POST /v1/observability/campaigns (201): select the events to judge."""
    world, body = call.world, call.json
    judge = _judge(world, body["judge_id"])
    selected = search_events(world, body["search_params"])[: body["max_nb_events"]]
    now = world.now_iso()
    stored: dict[str, Any] = {
        "id": world.ids.uuid("campaign"),
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
        "name": body["name"],
        "description": body["description"],
        "owner_id": world.user_id,
        "workspace_id": world.workspace_id,
        "max_nb_events": body["max_nb_events"],
        "search_params": body["search_params"],
        "judge": judge,
        "status": "RUNNING",
        "event_ids": [e["event_id"] for e in selected],
    }
    world.store.put("campaign", stored["id"], stored)
    return json_response(_campaign_out(stored), 201)


def list_campaigns(call: Call) -> Response:
    """GET /v1/observability/campaigns: by page, searched by name."""
    text = (call.query["q"] or "").lower()
    found = [
        _campaign_out(c)
        for c in call.world.store.all("campaign")
        if text in f"{c['name']} {c['description']}".lower()
    ]
    return json_response(
        {"campaigns": paginated(call, found, "/v1/observability/campaigns")}
    )


def get_campaign(call: Call) -> Response:
    """GET /v1/observability/campaigns/{campaign_id}."""
    return json_response(_campaign_out(campaign(call.world, call.path["campaign_id"])))


def delete_campaign(call: Call) -> Response:
    """DELETE /v1/observability/campaigns/{campaign_id} (204)."""
    stored = campaign(call.world, call.path["campaign_id"])
    call.world.store.delete("campaign", stored["id"])
    return no_content()


def campaign_status(call: Call) -> Response:
    """GET .../campaigns/{campaign_id}/status: a read moves it one step."""
    stored = campaign(call.world, call.path["campaign_id"])
    status = stored["status"]
    stored["status"] = "COMPLETED"
    call.world.store.put("campaign", stored["id"], stored)
    return json_response({"status": status})


def selected_events(call: Call) -> Response:
    """GET .../campaigns/{campaign_id}/selected-events: by page."""
    world = call.world
    stored = campaign(world, call.path["campaign_id"])
    events = [world.store.get("chat_completion_event", i) for i in stored["event_ids"]]
    found = [preview(e) for e in events if e is not None]
    path = f"/v1/observability/campaigns/{stored['id']}/selected-events"
    return json_response({"completion_events": paginated(call, found, path)})


def settle(world: World) -> None:
    """Finish every campaign."""
    for stored in world.store.all("campaign"):
        stored["status"] = "COMPLETED"
        world.store.put("campaign", stored["id"], stored)


HANDLERS: dict[str, Handler] = {
    "create_judge_v1_observability_judges_post": create_judge,
    "get_judges_v1_observability_judges_get": list_judges,
    "get_judge_by_id_v1_observability_judges__judge_id__get": get_judge,
    "update_judge_v1_observability_judges__judge_id__put": update_judge,
    "delete_judge_v1_observability_judges__judge_id__delete": delete_judge,
    "judge_conversation_v1_observability_judges__judge_id__live_judging_post": judge_conversation,  # noqa: E501
    "create_campaign_v1_observability_campaigns_post": create_campaign,
    "get_campaigns_v1_observability_campaigns_get": list_campaigns,
    "get_campaign_by_id_v1_observability_campaigns__campaign_id__get": get_campaign,
    "delete_campaign_v1_observability_campaigns__campaign_id__delete": delete_campaign,
    "get_campaign_status_by_id_v1_observability_campaigns__campaign_id__status_get": campaign_status,  # noqa: E501
    "get_campaign_selected_events_v1_observability_campaigns__campaign_id__selected_events_get": selected_events,  # noqa: E501
}

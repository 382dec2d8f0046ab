"""Agents: create, list, get, update (a new version each time), versions, aliases."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ._context import Call, Handler, World, json_response, no_content
from ._errors import ApiError
from ._http import Response
from ._json import obj

__all__ = ["HANDLERS", "agent_version"]

_FIELDS: Final = (
    "instructions",
    "tools",
    "completion_args",
    "guardrails",
    "model",
    "name",
    "description",
    "handoffs",
    "metadata",
    "deployment_chat",
    "version_message",
)


def _stored(world: World, agent_id: str) -> dict[str, Any]:
    return world.require("agent", agent_id, "Agent")


def _public(agent: dict[str, Any], version: int) -> dict[str, Any]:
    snapshot = next((v for v in agent["versions"] if v["version"] == version), None)
    if snapshot is None:
        raise ApiError.not_found("Agent version", f"{agent['id']}@{version}")
    return {**snapshot, "versions": [v["version"] for v in agent["versions"]]}


def _version_of(agent: dict[str, Any], wanted: object) -> int:
    # A version is a number or an alias ("production"); digits are a number.
    if isinstance(wanted, int):
        return wanted
    text = str(wanted)
    if text.isdigit():
        return int(text)
    alias = agent["aliases"].get(text)
    if alias is None:
        raise ApiError.not_found("Agent alias", text)
    return int(alias["version"])


def agent_version(
    world: World, agent_id: str, version: object = None
) -> dict[str, Any]:
    """Return an agent as of a version or alias (the current one by default)."""
    agent = _stored(world, agent_id)
    number = agent["current"] if version is None else _version_of(agent, version)
    return _public(agent, number)


def create(call: Call) -> Response:
    """POST /v1/agents: version 0 of a new agent."""
    world = call.world
    now = world.now_iso()
    snapshot: dict[str, Any] = {
        "instructions": None,
        "tools": [],
        "completion_args": {},
        "guardrails": None,
        "description": None,
        "handoffs": None,
        "metadata": None,
        "version_message": None,
        **call.json,
        "object": "agent",
        "id": world.ids.prefixed("ag"),
        "version": 0,
        "created_at": now,
        "updated_at": now,
        "deployment_chat": False,
        "source": "api",
    }
    agent: dict[str, Any] = {
        "id": snapshot["id"],
        "current": 0,
        "versions": [snapshot],
        "aliases": {},
    }
    world.store.put("agent", agent["id"], agent)
    return json_response(_public(agent, 0))


def _matches(agent: dict[str, Any], query: Mapping[str, Any]) -> bool:
    checks = (
        query.get("name") in (None, agent["name"]),
        query.get("id") in (None, agent["id"]),
        query.get("search") is None
        or query["search"].lower() in f"{agent['name']} {agent['id']}".lower(),
        query.get("sources") is None or agent["source"] in query["sources"],
        query.get("deployment_chat") in (None, agent["deployment_chat"]),
        all(
            obj(agent.get("metadata")).get(k) == v
            for k, v in obj(query.get("metadata")).items()
        ),
    )
    return all(checks)


def list_agents(call: Call) -> Response:
    """GET /v1/agents: current versions, newest first, filtered and paged."""
    q = call.query
    agents = [_public(a, a["current"]) for a in call.world.store.all("agent")]
    agents = [a for a in reversed(agents) if _matches(a, q)]
    start = q["page"] * q["page_size"]
    return json_response(agents[start : start + q["page_size"]])


def get(call: Call) -> Response:
    """GET /v1/agents/{agent_id}, optionally `?agent_version=` (number or alias)."""
    version = call.query.get("agent_version")
    return json_response(agent_version(call.world, call.path["agent_id"], version))


def update(call: Call) -> Response:
    """PATCH /v1/agents/{agent_id}: a new version, which becomes current."""
    agent = _stored(call.world, call.path["agent_id"])
    current = _public(agent, agent["current"])
    changes = {k: v for k, v in call.json.items() if k in _FIELDS}
    for required in ("model", "name", "deployment_chat"):
        if changes.get(required, ...) is None:
            del changes[required]
    number = max(v["version"] for v in agent["versions"]) + 1
    snapshot = {
        **current,
        **changes,
        "version": number,
        "updated_at": call.world.now_iso(),
    }
    snapshot.pop("versions")
    agent["versions"].append(snapshot)
    agent["current"] = number
    call.world.store.put("agent", agent["id"], agent)
    return json_response(_public(agent, number))


def delete(call: Call) -> Response:
    """DELETE /v1/agents/{agent_id}."""
    _stored(call.world, call.path["agent_id"])
    call.world.store.delete("agent", call.path["agent_id"])
    return no_content()


def update_version(call: Call) -> Response:
    """PATCH /v1/agents/{agent_id}/version?version=N: make N current."""
    agent = _stored(call.world, call.path["agent_id"])
    public = _public(agent, call.query["version"])
    agent["current"] = public["version"]
    call.world.store.put("agent", agent["id"], agent)
    return json_response(public)


def list_versions(call: Call) -> Response:
    """GET /v1/agents/{agent_id}/versions: newest first, paged."""
    agent = _stored(call.world, call.path["agent_id"])
    versions = [_public(agent, v["version"]) for v in reversed(agent["versions"])]
    start = call.query["page"] * call.query["page_size"]
    return json_response(versions[start : start + call.query["page_size"]])


def get_version(call: Call) -> Response:
    """GET /v1/agents/{agent_id}/versions/{version} (number or alias)."""
    version = call.path["version"]
    return json_response(agent_version(call.world, call.path["agent_id"], version))


def create_or_update_alias(call: Call) -> Response:
    """PUT /v1/agents/{agent_id}/aliases?alias=...&version=N."""
    agent = _stored(call.world, call.path["agent_id"])
    _public(agent, call.query["version"])
    now = call.world.now_iso()
    previous = agent["aliases"].get(call.query["alias"], {})
    alias: dict[str, Any] = {
        "alias": call.query["alias"],
        "version": call.query["version"],
        "created_at": previous.get("created_at", now),
        "updated_at": now,
    }
    agent["aliases"][alias["alias"]] = alias
    call.world.store.put("agent", agent["id"], agent)
    return json_response(alias)


def list_aliases(call: Call) -> Response:
    """GET /v1/agents/{agent_id}/aliases."""
    agent = _stored(call.world, call.path["agent_id"])
    return json_response(list(agent["aliases"].values()))


def delete_alias(call: Call) -> Response:
    """DELETE /v1/agents/{agent_id}/aliases?alias=..."""
    agent = _stored(call.world, call.path["agent_id"])
    if agent["aliases"].pop(call.query["alias"], None) is None:
        raise ApiError.not_found("Agent alias", call.query["alias"])
    call.world.store.put("agent", agent["id"], agent)
    return no_content()


HANDLERS: dict[str, Handler] = {
    "agents_api_v1_agents_create": create,
    "agents_api_v1_agents_list": list_agents,
    "agents_api_v1_agents_get": get,
    "agents_api_v1_agents_update": update,
    "agents_api_v1_agents_delete": delete,
    "agents_api_v1_agents_update_version": update_version,
    "agents_api_v1_agents_list_versions": list_versions,
    "agents_api_v1_agents_get_version": get_version,
    "agents_api_v1_agents_create_or_update_alias": create_or_update_alias,
    "agents_api_v1_agents_list_version_aliases": list_aliases,
    "agents_api_v1_agents_delete_alias": delete_alias,
}

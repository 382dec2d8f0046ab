"""Libraries and their accesses (sharing with users, workspaces, the org)."""

from __future__ import annotations

from typing import Any

from ._context import Call, Handler, World, json_response
from ._errors import ApiError
from ._http import Response

__all__ = ["HANDLERS", "library"]


def library(world: World, library_id: str) -> dict[str, Any]:
    """Return a stored library, or raise the API's 404."""
    return world.require("library", library_id, "Library")


def _public(world: World, lib: dict[str, Any]) -> dict[str, Any]:
    docs = [d for d in world.store.all("document") if d["library_id"] == lib["id"]]
    out = {k: v for k, v in lib.items() if k != "shares"}
    out["nb_documents"] = len(docs)
    out["total_size"] = sum(d["size"] or 0 for d in docs)
    return out


def create(call: Call) -> Response:
    """POST /v1/libraries (201)."""
    world, body = call.world, call.json
    now = world.now_iso()
    lib: dict[str, Any] = {
        "id": world.ids.uuid("library"),
        "name": body["name"],
        "created_at": now,
        "updated_at": now,
        "owner_id": world.user_id,
        "owner_type": "User",
        "total_size": 0,
        "nb_documents": 0,
        "chunk_size": body.get("chunk_size"),
        "emoji": None,
        "description": body.get("description"),
        "generated_description": None,
        "explicit_user_members_count": 0,
        "explicit_workspace_members_count": 0,
        "org_sharing_role": None,
        "generated_name": None,
        "shares": [],
    }
    world.store.put("library", lib["id"], lib)
    return json_response(_public(world, lib), 201)


def list_libraries(call: Call) -> Response:
    """GET /v1/libraries."""
    libs = call.world.store.all("library")
    return json_response({"data": [_public(call.world, lib) for lib in libs]})


def get(call: Call) -> Response:
    """GET /v1/libraries/{library_id}."""
    return json_response(
        _public(call.world, library(call.world, call.path["library_id"]))
    )


def update(call: Call) -> Response:
    """PUT /v1/libraries/{library_id}: name and description."""
    lib = library(call.world, call.path["library_id"])
    for key in ("name", "description"):
        if call.json.get(key) is not None:
            lib[key] = call.json[key]
    lib["updated_at"] = call.world.now_iso()
    call.world.store.put("library", lib["id"], lib)
    return json_response(_public(call.world, lib))


def delete(call: Call) -> Response:
    """DELETE /v1/libraries/{library_id}: the library and its documents."""
    world = call.world
    lib = library(world, call.path["library_id"])
    answer = _public(world, lib)
    for doc in world.store.all("document"):
        if doc["library_id"] == lib["id"]:
            world.store.delete("document", doc["id"])
            world.store.delete_blob(f"document:{doc['id']}")
            world.store.delete_blob(f"document-text:{doc['id']}")
    world.store.delete("library", lib["id"])
    return json_response(answer)


def _owner_access(world: World, lib: dict[str, Any]) -> dict[str, Any]:
    return {
        "library_id": lib["id"],
        "user_id": lib["owner_id"],
        "org_id": world.org_id,
        "role": "Owner",
        "share_with_type": "User",
        "share_with_uuid": lib["owner_id"],
    }


def list_accesses(call: Call) -> Response:
    """GET /v1/libraries/{library_id}/share: the owner, then every share."""
    lib = library(call.world, call.path["library_id"])
    return json_response({"data": [_owner_access(call.world, lib), *lib["shares"]]})


def _same_grantee(share: dict[str, Any], body: dict[str, Any]) -> bool:
    return bool(
        share["share_with_type"] == body["share_with_type"]
        and share["share_with_uuid"] == body["share_with_uuid"]
    )


def share(call: Call) -> Response:
    """PUT /v1/libraries/{library_id}/share: grant or change an access."""
    world, body = call.world, call.json
    lib = library(world, call.path["library_id"])
    access: dict[str, Any] = {
        "library_id": lib["id"],
        "user_id": body["share_with_uuid"]
        if body["share_with_type"] == "User"
        else None,
        "org_id": body.get("org_id") or world.org_id,
        "role": body["level"],
        "share_with_type": body["share_with_type"],
        "share_with_uuid": body["share_with_uuid"],
    }
    lib["shares"] = [s for s in lib["shares"] if not _same_grantee(s, body)] + [access]
    world.store.put("library", lib["id"], lib)
    return json_response(access)


def unshare(call: Call) -> Response:
    """DELETE /v1/libraries/{library_id}/share: revoke an access."""
    world, body = call.world, call.json
    lib = library(world, call.path["library_id"])
    removed = [s for s in lib["shares"] if _same_grantee(s, body)]
    if not removed:
        raise ApiError.not_found("Access", body["share_with_uuid"])
    lib["shares"] = [s for s in lib["shares"] if not _same_grantee(s, body)]
    world.store.put("library", lib["id"], lib)
    return json_response(removed[0])


HANDLERS: dict[str, Handler] = {
    "libraries_create_v1": create,
    "libraries_list_v1": list_libraries,
    "libraries_get_v1": get,
    "libraries_update_v1": update,
    "libraries_delete_v1": delete,
    "libraries_share_list_v1": list_accesses,
    "libraries_share_create_v1": share,
    "libraries_share_delete_v1": unshare,
}

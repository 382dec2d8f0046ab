"""Models: list, retrieve, delete, and the fine-tuned models' update and archive."""

from __future__ import annotations

from typing import Any

from ._catalogue import cards, find_base, find_card
from ._context import Call, Handler, World, json_response
from ._errors import ApiError
from ._http import Response

__all__ = ["HANDLERS", "ft_model_out"]


def ft_model_out(model: dict[str, Any]) -> dict[str, Any]:
    """Return a stored fine-tuned model as `CompletionFTModelOut` / `Classifier...`."""
    classifier = model["model_type"] == "classifier"
    out: dict[str, Any] = {
        "id": model["id"],
        "object": "model",
        "created": model["created"],
        "owned_by": model["owned_by"],
        "workspace_id": model["workspace_id"],
        "root": model["root"],
        "root_version": model["root_version"],
        "archived": model["archived"],
        "name": model.get("name"),
        "description": model.get("description"),
        "capabilities": {
            "completion_chat": not classifier,
            "completion_fim": False,
            "function_calling": False,
            "fine_tuning": False,
            "classification": classifier,
        },
        "max_context_length": 32768,
        "aliases": [],
        "job": model["job"],
        "model_type": model["model_type"],
    }
    if classifier:
        out["classifier_targets"] = model["classifier_targets"]
    return out


def _fine_tuned(world: World, model_id: str) -> dict[str, Any]:
    model = world.store.get("ft_model", model_id)
    if model is None:
        if find_base(model_id) is not None:
            raise ApiError(403, f"Model {model_id} is not a fine-tuned model")
        raise ApiError.not_found("Model", model_id)
    return model


def list_models(call: Call) -> Response:
    """GET /v1/models: `provider` filters on the owner, `model` on id or alias."""
    provider, model = call.query["provider"], call.query["model"]
    found = [
        card
        for card in cards(call.world)
        if provider in (None, card["owned_by"])
        and (model is None or model == card["id"] or model in card["aliases"])
    ]
    return json_response({"object": "list", "data": found})


def retrieve_model(call: Call) -> Response:
    """GET /v1/models/{model_id}."""
    card = find_card(call.world, call.path["model_id"])
    if card is None:
        raise ApiError.not_found("Model", call.path["model_id"])
    return json_response(card)


def delete_model(call: Call) -> Response:
    """DELETE /v1/models/{model_id}: only fine-tuned models can go."""
    model = _fine_tuned(call.world, call.path["model_id"])
    call.world.store.delete("ft_model", model["id"])
    return json_response({"id": model["id"], "object": "model", "deleted": True})


def update_model(call: Call) -> Response:
    """PATCH /v1/fine_tuning/models/{model_id}: rename, describe."""
    model = _fine_tuned(call.world, call.path["model_id"])
    for key in ("name", "description"):
        if key in call.json:
            model[key] = call.json[key]
    call.world.store.put("ft_model", model["id"], model)
    return json_response(ft_model_out(model))


def _set_archived(call: Call, archived: bool) -> Response:
    model = _fine_tuned(call.world, call.path["model_id"])
    model["archived"] = archived
    call.world.store.put("ft_model", model["id"], model)
    return json_response({"id": model["id"], "object": "model", "archived": archived})


def archive_model(call: Call) -> Response:
    """POST /v1/fine_tuning/models/{model_id}/archive."""
    return _set_archived(call, True)


def unarchive_model(call: Call) -> Response:
    """DELETE /v1/fine_tuning/models/{model_id}/archive."""
    return _set_archived(call, False)


HANDLERS: dict[str, Handler] = {
    "list_models_v1_models_get": list_models,
    "retrieve_model_v1_models__model_id__get": retrieve_model,
    "delete_model_v1_models__model_id__delete": delete_model,
    "jobs_api_routes_fine_tuning_update_fine_tuned_model": update_model,
    "jobs_api_routes_fine_tuning_archive_fine_tuned_model": archive_model,
    "jobs_api_routes_fine_tuning_unarchive_fine_tuned_model": unarchive_model,
}

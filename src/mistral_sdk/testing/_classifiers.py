"""Moderation and classification with scripted (else near-zero) scores.

Unscripted scores are small numbers derived from a hash of the text, so nothing
is flagged unless a test says so with `emulator.script.moderation(...)` or
`emulator.script.classification(...)`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, Final

from ._catalogue import require_model
from ._context import Call, Handler, World, json_response
from ._errors import ApiError
from ._generation import message_text
from ._http import Response
from ._json import is_array

__all__ = ["CATEGORIES", "HANDLERS"]

CATEGORIES: Final = (
    "sexual",
    "hate_and_discrimination",
    "violence_and_threats",
    "dangerous_and_criminal_content",
    "selfharm",
    "health",
    "financial",
    "law",
    "pii",
)
_THRESHOLD: Final = 0.5


def _noise(text: str, name: str, scale: float) -> float:
    digest = hashlib.sha256(f"{name}\x00{text}".encode()).digest()
    return round(int.from_bytes(digest[:4], "big") / 2**32 * scale, 6)


def _moderation(
    texts: Sequence[str], scripted: Mapping[str, float] | None
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for text in texts:
        scores = {c: _noise(text, c, 0.01) for c in CATEGORIES}
        scores.update(scripted or {})
        categories = {c: s >= _THRESHOLD for c, s in scores.items()}
        results.append({"categories": categories, "category_scores": scores})
    return results


def _texts(value: object) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]  # type: ignore[attr-defined]


def _conversations(value: list[Any]) -> list[str]:
    # One conversation (a list of messages) or several (a list of lists).
    conversations = value if value and is_array(value[0]) else [value]
    return ["\n".join(message_text(m.get("content")) for m in c) for c in conversations]


def _answer(world: World, model: str, results: list[dict[str, Any]]) -> Response:
    return json_response(
        {"id": world.ids.hex("classification"), "model": model, "results": results}
    )


def moderate(call: Call) -> Response:
    """POST /v1/moderations."""
    body = call.json
    require_model(call.world, body["model"], ["moderation"])
    scripted = call.world.script.next_result("moderation")
    return _answer(
        call.world, body["model"], _moderation(_texts(body["input"]), scripted)
    )


def moderate_chat(call: Call) -> Response:
    """POST /v1/chat/moderations: one result per conversation."""
    body = call.json
    require_model(call.world, body["model"], ["moderation"])
    scripted = call.world.script.next_result("moderation")
    texts = _conversations(body["input"])
    return _answer(call.world, body["model"], _moderation(texts, scripted))


def _targets(world: World, model: str) -> list[dict[str, Any]]:
    require_model(world, model, ["classification"])
    stored = world.store.get("ft_model", model)
    if stored is None or stored["model_type"] != "classifier":
        raise ApiError.invalid_model(model)
    targets: list[dict[str, Any]] = stored["classifier_targets"]
    return targets


def _classify(world: World, model: str, texts: Sequence[str]) -> Response:
    targets = _targets(world, model)
    scripted: Mapping[str, Mapping[str, float]] = (
        world.script.next_result("classification") or {}
    )
    results: list[dict[str, Any]] = []
    for text in texts:
        result: dict[str, Any] = {}
        for target in targets:
            raw = {label: 0.05 + _noise(text, label, 1.0) for label in target["labels"]}
            total = sum(raw.values())
            scores = {label: round(v / total, 6) for label, v in raw.items()}
            scores.update(scripted.get(target["name"], {}))
            result[target["name"]] = {"scores": scores}
        results.append(result)
    return _answer(world, model, results)


def classify(call: Call) -> Response:
    """POST /v1/classifications (a fine-tuned classifier model)."""
    return _classify(call.world, call.json["model"], _texts(call.json["input"]))


def classify_chat(call: Call) -> Response:
    """POST /v1/chat/classifications: one result per conversation."""
    raw = call.json["input"]
    requests: list[Any] = raw if is_array(raw) else [raw]
    texts = _conversations([r["messages"] for r in requests])
    return _classify(call.world, call.json["model"], texts)


HANDLERS: dict[str, Handler] = {
    "moderations_v1_moderations_post": moderate,
    "chat_moderations_v1_chat_moderations_post": moderate_chat,
    "classifications_v1_classifications_post": classify,
    "chat_classifications_v1_chat_classifications_post": classify_chat,
}

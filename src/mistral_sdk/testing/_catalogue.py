"""The models the emulator serves: a built-in catalogue and fine-tuned models.

The catalogue mirrors the shape of the real one: dated model ids, `-latest`
aliases listed as models of their own, capabilities per model. Fine-tuned models
appear when a fine-tuning job succeeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from ._context import World
from ._errors import ApiError

__all__ = ["CATALOGUE", "BaseModel", "cards", "find_card", "require_model"]

_CREATED: Final = 1_735_689_600


@dataclass(frozen=True)
class BaseModel:
    """One built-in model."""

    id: str
    aliases: tuple[str, ...]
    capabilities: frozenset[str]
    context: int
    description: str
    temperature: float | None = 0.3
    dimensions: int = 0
    """Embedding models: the default vector size."""


_CHAT = frozenset({"completion_chat", "function_calling"})
_VISION = _CHAT | {"vision"}

CATALOGUE: Final[tuple[BaseModel, ...]] = (
    BaseModel(
        "mistral-large-2411",
        ("mistral-large-latest",),
        _CHAT | {"fine_tuning"},
        131072,
        "Top-tier reasoning for high-complexity tasks.",
        0.7,
    ),
    BaseModel(
        "mistral-medium-2508",
        ("mistral-medium-latest", "mistral-medium"),
        _VISION,
        131072,
        "Frontier-class multimodal model.",
        0.3,
    ),
    BaseModel(
        "mistral-small-2506",
        ("mistral-small-latest",),
        _VISION | {"fine_tuning"},
        131072,
        "Efficient multimodal model for everyday tasks.",
        0.3,
    ),
    BaseModel(
        "magistral-medium-2509",
        ("magistral-medium-latest",),
        _VISION,
        131072,
        "Reasoning model.",
        0.7,
    ),
    BaseModel(
        "ministral-8b-2410",
        ("ministral-8b-latest",),
        _CHAT | {"fine_tuning"},
        131072,
        "Small model for on-device use.",
        0.3,
    ),
    BaseModel(
        "ministral-3b-2410",
        ("ministral-3b-latest",),
        _CHAT | {"fine_tuning"},
        131072,
        "Smallest edge model.",
        0.3,
    ),
    BaseModel(
        "open-mistral-nemo-2407",
        ("open-mistral-nemo",),
        _CHAT | {"fine_tuning"},
        131072,
        "Multilingual open model.",
        0.3,
    ),
    BaseModel(
        "pixtral-large-2411",
        ("pixtral-large-latest",),
        _VISION,
        131072,
        "Multimodal model for images and documents.",
        0.7,
    ),
    BaseModel(
        "codestral-2508",
        ("codestral-latest",),
        _CHAT | {"completion_fim", "fine_tuning"},
        256000,
        "Code generation and fill-in-the-middle.",
        0.3,
    ),
    BaseModel(
        "devstral-medium-2507",
        ("devstral-medium-latest",),
        _CHAT,
        131072,
        "Agentic coding model.",
        0.3,
    ),
    BaseModel(
        "mistral-embed",
        ("mistral-embed-2312",),
        frozenset(),
        8192,
        "Text embeddings.",
        None,
        1024,
    ),
    BaseModel(
        "codestral-embed-2505",
        ("codestral-embed",),
        frozenset(),
        8192,
        "Code embeddings.",
        None,
        1536,
    ),
    BaseModel(
        "mistral-moderation-2411",
        ("mistral-moderation-latest",),
        frozenset({"moderation"}),
        8192,
        "Content moderation.",
        None,
    ),
    BaseModel(
        "mistral-ocr-2505",
        ("mistral-ocr-latest",),
        frozenset({"ocr"}),
        32768,
        "Document understanding and OCR.",
        None,
    ),
    BaseModel(
        "voxtral-mini-2507",
        ("voxtral-mini-latest",),
        _CHAT | {"audio", "audio_transcription"},
        32768,
        "Speech understanding and transcription.",
        0.2,
    ),
    BaseModel(
        "voxtral-mini-tts-2603",
        ("voxtral-mini-tts-latest",),
        frozenset({"audio_speech"}),
        8192,
        "Text to speech.",
        None,
    ),
    BaseModel(
        "voxtral-small-2507",
        ("voxtral-small-latest",),
        _CHAT | {"audio"},
        32768,
        "Speech understanding.",
        0.2,
    ),
)
_CAPABILITIES: Final = (
    "completion_chat",
    "function_calling",
    "completion_fim",
    "fine_tuning",
    "vision",
    "ocr",
    "classification",
    "moderation",
    "audio",
    "audio_transcription",
)
_EMBEDDINGS: Final = frozenset({"mistral-embed", "codestral-embed-2505"})


def _base_card(model: BaseModel, name: str) -> dict[str, Any]:
    aliases = [n for n in (model.id, *model.aliases) if n != name]
    return {
        "id": name,
        "object": "model",
        "created": _CREATED,
        "owned_by": "mistralai",
        "capabilities": {c: c in model.capabilities for c in _CAPABILITIES},
        "name": model.id,
        "description": model.description,
        "max_context_length": model.context,
        "aliases": aliases,
        "deprecation": None,
        "deprecation_replacement_model": None,
        "default_model_temperature": model.temperature,
        "type": "base",
    }


def ft_card(model: dict[str, Any]) -> dict[str, Any]:
    """Return the `FTModelCard` of a stored fine-tuned model."""
    classifier = model["model_type"] == "classifier"
    capabilities = {c: False for c in _CAPABILITIES}
    capabilities["completion_chat"] = not classifier
    capabilities["classification"] = classifier
    return {
        "id": model["id"],
        "object": "model",
        "created": model["created"],
        "owned_by": model["owned_by"],
        "capabilities": capabilities,
        "name": model.get("name"),
        "description": model.get("description"),
        "max_context_length": 32768,
        "aliases": [],
        "deprecation": None,
        "deprecation_replacement_model": None,
        "default_model_temperature": None,
        "type": "fine-tuned",
        "job": model["job"],
        "root": model["root"],
        "archived": model["archived"],
    }


def cards(world: World) -> list[dict[str, Any]]:
    """Return every model card, built-in ones first."""
    found = [
        _base_card(model, name)
        for model in CATALOGUE
        for name in (model.id, *model.aliases)
    ]
    return found + [ft_card(m) for m in world.store.all("ft_model")]


def find_base(name: str) -> BaseModel | None:
    """Return the built-in model called `name` (or aliased so)."""
    return next((m for m in CATALOGUE if name == m.id or name in m.aliases), None)


def find_card(world: World, name: str) -> dict[str, Any] | None:
    """Return the card of a model by id or alias, fine-tuned ones included."""
    base = find_base(name)
    if base is not None:
        return _base_card(base, name)
    stored = world.store.get("ft_model", name)
    return None if stored is None else ft_card(stored)


def require_model(world: World, name: str, needs: Sequence[str]) -> dict[str, Any]:
    """Return a model's card, or the API's 400 if it lacks a needed capability.

    An empty `needs` means "an embedding model".
    """
    card = find_card(world, name)
    if card is None:
        raise ApiError.invalid_model(name)
    if not needs:
        base = find_base(name)
        if base is None or base.id not in _EMBEDDINGS:
            raise ApiError.invalid_model(name)
    elif not any(card["capabilities"].get(need) for need in needs):
        raise ApiError.invalid_model(name)
    return card

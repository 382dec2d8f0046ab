"""Embeddings: deterministic unit vectors from a hash of model and text."""

from __future__ import annotations

import hashlib
import math
import struct
from typing import Any

from ._catalogue import find_base, require_model
from ._context import Call, Handler, json_response
from ._generation import count_tokens
from ._http import Response

__all__ = ["HANDLERS", "vector"]


def vector(model: str, text: str, size: int) -> list[float]:
    """Return a unit vector of `size` floats, the same for the same model and text."""
    values: list[float] = []
    block = 0
    while len(values) < size:
        digest = hashlib.sha256(f"{model}\x00{block}\x00{text}".encode()).digest()
        values += [(v / 32767.5) - 1.0 for v in struct.unpack("<16H", digest)]
        block += 1
    values = values[:size]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [round(v / norm, 6) for v in values]


def _encode(values: list[float], dtype: str) -> list[Any]:
    if dtype == "int8":
        return [max(-128, min(127, round(v * 127))) for v in values]
    if dtype == "uint8":
        return [max(0, min(255, round((v + 1) * 127.5))) for v in values]
    if dtype in ("binary", "ubinary"):
        packed: list[int] = []
        for start in range(0, len(values), 8):
            byte = sum(
                1 << (7 - i) for i, v in enumerate(values[start : start + 8]) if v > 0
            )
            packed.append(byte - 128 if dtype == "binary" else byte)
        return packed
    return values


def create(call: Call) -> Response:
    """POST /v1/embeddings."""
    body = call.json
    model = body["model"]
    require_model(call.world, model, [])
    base = find_base(model)
    size = body.get("output_dimension") or (base.dimensions if base else 1024)
    texts = [body["input"]] if isinstance(body["input"], str) else body["input"]
    dtype = body.get("output_dtype") or "float"
    root = base.id if base else model
    data = [
        {
            "object": "embedding",
            "embedding": _encode(vector(root, t, size), dtype),
            "index": i,
        }
        for i, t in enumerate(texts)
    ]
    tokens = sum(count_tokens(t) for t in texts)
    return json_response(
        {
            "id": call.world.ids.hex("embedding"),
            "object": "list",
            "data": data,
            "model": model,
            "usage": {
                "prompt_tokens": tokens,
                "completion_tokens": 0,
                "total_tokens": tokens,
            },
        }
    )


HANDLERS: dict[str, Handler] = {"embeddings_v1_embeddings_post": create}

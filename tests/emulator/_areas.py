"""The API areas the latest spec added to the seed spec's 72 operations."""

from __future__ import annotations

from typing import Final

NEW_AREAS: Final = (
    "/v1/audio/speech",
    "/v1/audio/voices",
    "/v1/workflows",
    "/v1/observability",
)
"""Path prefixes of the added operations (toured over plain HTTP)."""

"""The single version constant of mistral-sdk."""

from __future__ import annotations

from typing import Final

# hatchling reads the version from this exact line: keep it unannotated.
__version__ = "0.1.0"
VERSION: Final[str] = __version__

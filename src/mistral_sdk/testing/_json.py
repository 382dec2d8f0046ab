"""The emulator's JSON type guards: defined once, in `mistral_sdk._json`."""

from __future__ import annotations

from mistral_sdk._json import array, is_array, is_object, obj

__all__ = ["array", "is_array", "is_object", "obj"]

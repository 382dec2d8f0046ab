"""Type guards for JSON values (what `json.loads` returns is `Any`)."""

from __future__ import annotations

from typing import Any, TypeGuard

__all__ = ["array", "is_array", "is_object", "obj"]


def is_object(value: object) -> TypeGuard[dict[str, Any]]:
    """Tell whether a JSON value is an object."""
    return isinstance(value, dict)


def is_array(value: object) -> TypeGuard[list[Any]]:
    """Tell whether a JSON value is an array."""
    return isinstance(value, list)


def array(value: object) -> list[Any]:
    """Return a JSON array, or an empty one for anything else (null...)."""
    return value if is_array(value) else []


def obj(value: object) -> dict[str, Any]:
    """Return a JSON object, or an empty one for anything else (null...)."""
    return value if is_object(value) else {}

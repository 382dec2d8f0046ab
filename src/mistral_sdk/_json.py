"""Typed views of decoded JSON values (what `json.loads` returns is `Any`).

A leaf module (standard library only) so that every layer, the emulator included,
reads JSON through the same few helpers:

- `as_mapping` / `as_list`: the value typed as a JSON object / array, or None;
- `is_object` / `is_array`: the same as type guards, for a decoded `dict` / `list`;
- `obj` / `array`: the value, or an empty object / array for anything else (null...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeGuard, cast

__all__ = ["array", "as_list", "as_mapping", "is_array", "is_object", "obj"]


def as_mapping(value: object) -> Mapping[str, Any] | None:
    """Return `value` typed as a decoded JSON object, or None if it is not one."""
    return cast("Mapping[str, Any]", value) if isinstance(value, Mapping) else None


def as_list(value: object) -> list[Any] | None:
    """Return `value` typed as a decoded JSON array (list or tuple), or None."""
    return list(cast("list[Any]", value)) if isinstance(value, list | tuple) else None


def is_object(value: object) -> TypeGuard[dict[str, Any]]:
    """Tell whether a decoded JSON value is an object."""
    return isinstance(value, dict)


def is_array(value: object) -> TypeGuard[list[Any]]:
    """Tell whether a decoded JSON value is an array."""
    return isinstance(value, list)


def array(value: object) -> list[Any]:
    """Return a JSON array, or an empty one for anything else (null...)."""
    return value if is_array(value) else []


def obj(value: object) -> dict[str, Any]:
    """Return a JSON object, or an empty one for anything else (null...)."""
    return value if is_object(value) else {}

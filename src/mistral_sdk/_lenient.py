"""Best-effort validation of bodies that depart from the spec (`validate_lenient`).

The real API omits fields its spec requires and sends `null` where the spec says
integer (the spec's own examples do both). This module rebuilds such a body
piece by piece: every part that validates is validated (models, lists, mappings,
unions routed by their tag), an absent required field is set to `None`, and a
value that does not fit its annotation is kept exactly as received. Each of
those places is reported as a `Departure` so the caller can log it once per
shape. It sits above `_model_base` (whose models and open unions it walks) and
is imported by the response parser on first use, i.e. only after a fast-path
validation failed, so the fast path pays nothing for it.
"""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Union, cast, get_args, get_origin

import pydantic

from mistral_sdk._json import as_mapping
from mistral_sdk._model_base import (
    Departure,
    OpenUnion,
    UnknownModel,
    validate_python,
)

__all__ = ["validate_lenient"]

Loc = tuple[str | int, ...]
Shape = tuple[str, ...]

_UNION_ORIGINS: tuple[object, ...] = (Union, types.UnionType)
_LIST_ORIGINS: tuple[object, ...] = (list, tuple, Sequence)
_MAPPING_ORIGINS: tuple[object, ...] = (dict, Mapping)


def validate_lenient(tp: Any, obj: object) -> tuple[Any, tuple[Departure, ...]]:
    """Build the best-effort value of `obj` as `tp` and list where it departs.

    What validates is validated, an absent required field becomes `None`, a value
    that does not fit is kept as received, and each such place is reported as a
    `Departure`. Never raises. Call it after `validate_json`/`validate_python` failed.
    """
    found: list[Departure] = []
    value = _Walk(found).visit(tp, obj, (), ())
    return value, tuple(found)


class _Walk:
    """One lenient validation; collects departures in `found`."""

    def __init__(self, found: list[Departure]) -> None:
        self.found = found

    def visit(self, tp: Any, obj: object, loc: Loc, shape: Shape) -> Any:
        """Return `obj` validated as `tp` where possible, recording what is not."""
        try:
            return validate_python(tp, obj)
        except pydantic.ValidationError as error:
            failure = error
        except Exception as error:
            # A type pydantic cannot handle must not make the lenient path raise.
            return self._keep(obj, loc, shape, "invalid", str(error))
        origin = get_origin(tp)
        payload = as_mapping(obj)
        if origin is Annotated:
            return self._annotated(tp, obj, loc, shape)
        if origin in _UNION_ORIGINS:
            return self._union(get_args(tp), obj, loc, shape, failure)
        if _is_model(tp) and payload is not None:
            return self._model(tp, payload, loc, shape)
        if origin in _LIST_ORIGINS and isinstance(obj, list):
            args = get_args(tp)
            item: Any = args[0] if args else Any
            items = cast("list[object]", obj)
            return [
                self.visit(item, value, (*loc, i), (*shape, "*"))
                for i, value in enumerate(items)
            ]
        if origin in _MAPPING_ORIGINS and payload is not None:
            args = get_args(tp)
            item = args[1] if len(args) == 2 else Any
            return {
                key: self.visit(item, value, (*loc, key), (*shape, "*"))
                for key, value in payload.items()
            }
        return self._mismatch(obj, loc, shape, failure)

    def _annotated(self, tp: Any, obj: object, loc: Loc, shape: Shape) -> Any:
        inner, *metadata = get_args(tp)
        payload = as_mapping(obj)
        for marker in metadata:
            if isinstance(marker, OpenUnion) and payload is not None:
                known, unknown = marker.members(inner)
                tag = marker.tag_of(payload)
                member = known.get(tag, unknown) if isinstance(tag, str) else unknown
                return self.visit(member, obj, loc, shape)
        return self.visit(inner, obj, loc, shape)

    def _union(
        self,
        members: tuple[Any, ...],
        obj: object,
        loc: Loc,
        shape: Shape,
        failure: pydantic.ValidationError,
    ) -> Any:
        # Only a member of the payload's JSON kind can partly fit; among those,
        # the one departing least wins, the first on a tie (smart-union order).
        best: tuple[Any, list[Departure]] | None = None
        for member in members:
            if not _same_kind(member, obj):
                continue
            trial: list[Departure] = []
            value = _Walk(trial).visit(member, obj, loc, shape)
            if best is None or len(trial) < len(best[1]):
                best = (value, trial)
        if best is None:
            return self._mismatch(obj, loc, shape, failure)
        self.found.extend(best[1])
        return best[0]

    def _model(
        self,
        tp: type[pydantic.BaseModel],
        payload: Mapping[str, object],
        loc: Loc,
        shape: Shape,
    ) -> pydantic.BaseModel:
        values: dict[str, Any] = {}
        extra = dict(payload)
        for name, info in tp.model_fields.items():
            wire = info.validation_alias
            key = wire if isinstance(wire, str) else info.alias or name
            if key not in extra and name in extra:
                key = name
            annotation: Any = info.annotation
            if info.metadata:
                # Top-level `Annotated` metadata (e.g. an OpenUnion) lives apart.
                parts = (annotation, *info.metadata)
                annotation = cast("Any", Annotated)[parts]
            if key in extra:
                raw = extra.pop(key)
                values[name] = self.visit(annotation, raw, (*loc, key), (*shape, key))
            elif info.is_required():
                where, at = (*loc, key), (*shape, key)
                self.found.append(
                    _departure(where, at, "missing", "required field is absent")
                )
                values[name] = None
        model = tp.model_construct(_fields_set=set(values), **values, **extra)
        if isinstance(model, UnknownModel):
            # Validation records the order of the keys; construction does not.
            model._key_order = tuple(payload)  # pyright: ignore[reportPrivateUsage]
        return model

    def _mismatch(
        self, obj: object, loc: Loc, shape: Shape, failure: pydantic.ValidationError
    ) -> object:
        if obj is None:
            reason = "null where the spec does not allow it"
            return self._keep(obj, loc, shape, "null", reason)
        errors = failure.errors(include_url=False, include_input=False)
        reason = "; ".join(dict.fromkeys(str(e["msg"]) for e in errors[:3]))
        return self._keep(obj, loc, shape, "invalid", reason or "does not fit")

    def _keep(
        self, obj: object, loc: Loc, shape: Shape, kind: str, message: str
    ) -> object:
        self.found.append(_departure(loc, shape, kind, message))
        return obj


def _departure(loc: Loc, shape: Shape, kind: str, message: str) -> Departure:
    return Departure(loc=loc, kind=kind, message=message, shape=".".join(shape))


def _is_model(tp: object) -> bool:
    return isinstance(tp, type) and issubclass(tp, pydantic.BaseModel)


def _same_kind(tp: Any, obj: object) -> bool:
    """Whether `tp` could hold a value of the JSON kind of `obj` (object or array)."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _same_kind(get_args(tp)[0], obj)
    if origin in _UNION_ORIGINS:
        return any(_same_kind(member, obj) for member in get_args(tp))
    if isinstance(obj, Mapping):
        return _is_model(tp) or origin in _MAPPING_ORIGINS
    if isinstance(obj, list):
        return origin in _LIST_ORIGINS
    return False

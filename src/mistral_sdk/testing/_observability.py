"""What the observability areas share: errors, pages, filters and the judge.

- Errors are the service's `{"detail": {"message", "error_code"}}`.
- Lists page by number and answer `PaginatedResult` (`count`, `next` and
  `previous` as URLs of the neighbouring pages).
- Filters (`FilterPayload`) are evaluated on flat records of field values.
- The emulated judge is deterministic: a classification picks an option and a
  regression a score from a hash of what it judges, and explains the choice.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlencode

from ._context import Call, World
from ._errors import ApiError
from ._json import array, is_array, obj
from ._paging import by_page

__all__ = [
    "matches",
    "observability_error",
    "paginated",
    "stored_or_404",
    "verdict",
]

Record = Mapping[str, Any]


def observability_error(status: int, code: str, message: str) -> ApiError:
    """Return an error with the observability services' body."""
    body = {"detail": {"message": message, "error_code": code}}
    return ApiError(status, message, body=body)


def stored_or_404(
    world: World, kind: str, item_id: str, code: str, label: str
) -> dict[str, Any]:
    """Return a stored `kind` item, or raise the service's 404 naming `code`."""
    found = world.store.get(kind, item_id)
    if found is None:
        raise observability_error(404, code, f"{label} {item_id} not found")
    return found


def paginated(call: Call, items: Sequence[Any], path: str) -> dict[str, Any]:
    """Return `PaginatedResult` of the page the query asks for."""
    page, size = call.query.get("page") or 1, call.query.get("page_size")
    window = by_page(items, page, size)
    others = {k: v for k, v in call.request.query if k not in ("page", "page_size")}

    def link(number: int) -> str:
        query = {**others, "page": number, "page_size": window.page_size}
        return call.url(f"{path}?{urlencode(query)}")

    return {
        "results": window.items,
        "count": window.total,
        "next": link(page + 1) if window.next_cursor is not None else None,
        "previous": link(page - 1) if page > 1 and window.total else None,
    }


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _ordered(found: object, wanted: object) -> tuple[Any, Any]:
    """Return two values that compare: numbers as numbers, the rest as text."""
    numbers = (int, float)
    if isinstance(found, numbers) and isinstance(wanted, numbers):
        return found, wanted
    return _text(found), _text(wanted)


def _compare(op: str) -> Callable[[Any, Any], bool]:
    def check(found: Any, wanted: Any) -> bool:
        if found is None:
            return False
        left, right = _ordered(found, wanted)
        outcomes = {
            "lt": left < right,
            "lte": left <= right,
            "gt": left > right,
            "gte": left >= right,
        }
        return bool(outcomes[op])

    return check


def _items(value: object) -> list[str]:
    return [str(v) for v in array(value)]


def _length(value: object) -> int | None:
    return len(array(value)) if is_array(value) else None


_OPERATORS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "eq": lambda found, wanted: found == wanted,
    "neq": lambda found, wanted: found != wanted,
    "lt": _compare("lt"),
    "lte": _compare("lte"),
    "gt": _compare("gt"),
    "gte": _compare("gte"),
    "startswith": lambda f, w: _text(f).startswith(_text(w)),
    "istartswith": lambda f, w: _text(f).lower().startswith(_text(w).lower()),
    "endswith": lambda f, w: _text(f).endswith(_text(w)),
    "iendswith": lambda f, w: _text(f).lower().endswith(_text(w).lower()),
    "contains": lambda f, w: _text(w) in _text(f),
    "icontains": lambda f, w: _text(w).lower() in _text(f).lower(),
    "notcontains": lambda f, w: _text(w) not in _text(f),
    "inotcontains": lambda f, w: _text(w).lower() not in _text(f).lower(),
    "matches": lambda f, w: re.search(_text(w), _text(f)) is not None,
    "isnull": lambda f, w: (f is None) == bool(w),
    "includes": lambda f, w: str(w) in _items(f),
    "excludes": lambda f, w: str(w) not in _items(f),
    "len_eq": lambda f, w: _length(f) == w,
}


def matches(
    filters: Mapping[str, Any] | None,
    record: Record,
    known: Mapping[str, Sequence[str]],
) -> bool:
    """Return whether `record` passes a filter group or condition.

    `known` maps each field to the operators it supports.

    Raises:
        ApiError: 400 for an unknown field or an unsupported operator.
    """
    if not filters:
        return True
    if "field" in filters:
        field, op = filters["field"], filters["op"]
        if field not in known or op not in known[field]:
            raise observability_error(
                400, "SEARCH_BAD_REQUEST", f"cannot filter {field} with {op}"
            )
        return _OPERATORS[op](record.get(field), filters["value"])
    every = all(matches(obj(f), record, known) for f in array(filters.get("AND")))
    some = array(filters.get("OR"))
    return every and (not some or any(matches(obj(f), record, known) for f in some))


def _fraction(*parts: object) -> float:
    text = json.dumps(parts, sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def verdict(
    world: World, judge: Mapping[str, Any], messages: Sequence[Any]
) -> dict[str, Any]:
    """Return the emulated judge's `JudgeOutput` on a conversation."""
    output = judge["output"]
    draw = _fraction(world.seed, judge["name"], judge["instructions"], messages)
    answer: str | float
    if output.get("type", "CLASSIFICATION") == "CLASSIFICATION":
        options = output["options"] or [{"value": "unknown"}]
        answer = str(options[int(draw * len(options))]["value"])
    else:
        low, high = float(output.get("min", 0)), float(output.get("max", 1))
        answer = round(low + draw * (high - low), 2)
    analysis = (
        f"The emulated judge {judge['name']} read {len(messages)} messages "
        f"and answered {answer}."
    )
    return {"analysis": analysis, "answer": answer}

"""Workflow schedules firing: interval schedules start executions as time passes.

`Emulator.settle()` starts one execution of the scheduled workflow for every
interval occurrence between the schedule's creation (or `start_at`) and now,
up to `end_at`, each starting at its occurrence time; on a virtual clock,
advance the clock, then settle. Cron expressions and calendars are kept and
listed but do not fire.
"""

from __future__ import annotations

import re
from typing import Any, Final

from ._clock import parse_iso
from ._context import World
from ._executions import begin
from ._json import array, obj

__all__ = ["fire_schedules", "seconds_of"]

_DURATION: Final = re.compile(
    r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
_MAX_FIRINGS: Final = 1000
"""Per schedule and settle: a system clock years ahead must not hang a test."""


def seconds_of(duration: str) -> float | None:
    """Return the seconds of an ISO 8601 duration (`P1D`, `PT1H30M`), or None."""
    found = _DURATION.match(duration)
    if found is None or duration in ("P", "PT"):
        return None
    days, hours, minutes, secs = (float(part or 0) for part in found.groups())
    return days * 86400 + hours * 3600 + minutes * 60 + secs


def _due(schedule: dict[str, Any], now: float) -> list[float]:
    definition = schedule["definition"]
    start = schedule["created"]
    if definition.get("start_at"):
        start = max(start, parse_iso(definition["start_at"]))
    end = parse_iso(definition["end_at"]) if definition.get("end_at") else now
    times: list[float] = []
    for interval in map(obj, array(definition.get("intervals"))):
        every = seconds_of(str(interval.get("every", "")))
        if not every:
            continue
        offset = seconds_of(str(interval.get("offset") or "PT0S")) or 0.0
        moment = start + offset + every
        while moment <= min(now, end) and len(times) < _MAX_FIRINGS:
            times.append(moment)
            moment += every
    return sorted(times)


def fire_schedules(world: World) -> None:
    """Start the executions every schedule owes since it last fired."""
    now = world.clock.now()
    for schedule in world.store.all("workflow_schedule"):
        due = _due(schedule, now)[schedule["fired"] :]
        workflow = world.store.get("workflow", schedule["workflow_id"])
        if workflow is None or workflow["archived"]:
            continue
        for moment in due:
            begin(world, workflow, schedule["definition"].get("input") or {}, at=moment)
        schedule["fired"] += len(due)
        world.store.put(
            "workflow_schedule", schedule["definition"]["schedule_id"], schedule
        )

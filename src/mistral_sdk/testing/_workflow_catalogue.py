"""The workflows the emulator's worker runs: a small, fixed catalogue.

Workflows are deployed by workers, not created over the API, so the emulator
ships three, each showing one behaviour a client must handle:

- `echo`: one activity, then completes with `{"echo": <input>}`.
- `approval`: waits for the signal `decide` (`{"approved": bool}`); the query
  `status` and the update `add_note` (`{"note": str}`) work while it waits. A
  rejection fails the execution.
- `report`: a custom task streaming its text in `sections` JSON-patch progress
  events (like tokens), then completes with the whole text.

A plan is the list of events an execution emits given its input and the signals
it received; `WAIT` ends a plan that needs a signal before it can go on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = ["CATALOGUE", "WAIT", "Definition", "Step", "definition"]

Step = tuple[str, dict[str, Any]]
"""An event to emit: its `event_type` and its attributes."""
WAIT: Final[Step] = ("WAIT", {})
"""The marker ending a plan that waits for a signal."""


def _json(value: object) -> dict[str, Any]:
    return {"type": "json", "value": value}


def _echo(inputs: Mapping[str, Any], _: Sequence[Mapping[str, Any]]) -> list[Step]:
    task = {"task_id": "echo-1", "activity_name": "echo"}
    return [
        ("ACTIVITY_TASK_STARTED", {**task, "input": _json(dict(inputs))}),
        ("ACTIVITY_TASK_COMPLETED", {**task, "result": _json(dict(inputs))}),
        ("WORKFLOW_EXECUTION_COMPLETED", {"result": _json({"echo": dict(inputs)})}),
    ]


def _approval(
    inputs: Mapping[str, Any], signals: Sequence[Mapping[str, Any]]
) -> list[Step]:
    task = {"custom_task_id": "approval-1", "custom_task_type": "approval"}
    steps: list[Step] = [
        ("CUSTOM_TASK_STARTED", {**task, "payload": _json(dict(inputs))})
    ]
    decision = next((s["input"] for s in signals if s["name"] == "decide"), None)
    if decision is None:
        return [*steps, WAIT]
    approved = bool(decision.get("approved"))
    steps.append(("CUSTOM_TASK_COMPLETED", {**task, "payload": _json(decision)}))
    if not approved:
        failure = {"message": "the request was rejected"}
        return [*steps, ("WORKFLOW_EXECUTION_FAILED", {"failure": failure})]
    result = {"approved": True, "comment": decision.get("comment")}
    return [*steps, ("WORKFLOW_EXECUTION_COMPLETED", {"result": _json(result)})]


def _report(inputs: Mapping[str, Any], _: Sequence[Mapping[str, Any]]) -> list[Step]:
    task = {"custom_task_id": "report-1", "custom_task_type": "report"}
    count = int(inputs.get("sections", 3))
    topic = str(inputs.get("topic", "the emulator"))
    parts = [f"Section {n} on {topic}. " for n in range(1, count + 1)]
    steps: list[Step] = [
        ("CUSTOM_TASK_STARTED", {**task, "payload": _json({"text": ""})})
    ]
    for part in parts:
        patch = [{"op": "append", "path": "/text", "value": part}]
        payload = {"type": "json_patch", "value": patch}
        steps.append(("CUSTOM_TASK_IN_PROGRESS", {**task, "payload": payload}))
    text = "".join(parts)
    steps.append(("CUSTOM_TASK_COMPLETED", {**task, "payload": _json({"text": text})}))
    steps.append(("WORKFLOW_EXECUTION_COMPLETED", {"result": _json({"text": text})}))
    return steps


def _object(properties: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": dict(properties)}


@dataclass(frozen=True)
class Definition:
    """A workflow of the catalogue: its name, code definition and plan."""

    name: str
    display_name: str
    plan: Callable[[Mapping[str, Any], Sequence[Mapping[str, Any]]], list[Step]]
    input_schema: dict[str, Any]
    signals: dict[str, dict[str, Any]] = field(
        default_factory=dict[str, dict[str, Any]]
    )
    queries: tuple[str, ...] = ("status",)
    updates: dict[str, dict[str, Any]] = field(
        default_factory=dict[str, dict[str, Any]]
    )

    def code(self) -> dict[str, Any]:
        """Return the `WorkflowCodeDefinition` of this workflow."""
        return {
            "input_schema": self.input_schema,
            "output_schema": None,
            "signals": [
                {"name": n, "input_schema": s} for n, s in self.signals.items()
            ],
            "queries": [{"name": n, "input_schema": _object({})} for n in self.queries],
            "updates": [
                {"name": n, "input_schema": s, "output_schema": None}
                for n, s in self.updates.items()
            ],
            "enforce_determinism": True,
            "execution_timeout": 3600.0,
        }


CATALOGUE: Final[tuple[Definition, ...]] = (
    Definition("echo", "Echo", _echo, {"type": "object"}),
    Definition(
        "approval",
        "Approval",
        _approval,
        _object({"request": {"type": "string"}}),
        signals={
            "decide": _object(
                {"approved": {"type": "boolean"}, "comment": {"type": "string"}}
            )
        },
        updates={"add_note": _object({"note": {"type": "string"}})},
    ),
    Definition(
        "report",
        "Report",
        _report,
        _object({"topic": {"type": "string"}, "sections": {"type": "integer"}}),
    ),
)


def definition(name: str) -> Definition | None:
    """Return the catalogue's workflow called `name`, or None."""
    return next((d for d in CATALOGUE if d.name == name), None)

"""Finishing everything that is under way (`Emulator.settle()`)."""

from __future__ import annotations

from ._context import World

__all__ = ["settle_all"]


def settle_all(world: World) -> None:
    """Run every job, document, execution, campaign and import as far as it goes.

    Due workflow schedules fire first; executions waiting for a signal keep
    waiting.

    Fine-tuning first: a batch job may use the model a fine-tuning job creates.
    """
    from . import (
        _batch,
        _datasets,
        _documents,
        _executions,
        _fine_tuning,
        _judges,
        _schedules,
    )

    _fine_tuning.settle(world)
    _documents.settle(world)
    _batch.settle(world)
    _schedules.fire_schedules(world)
    _executions.settle(world)
    _judges.settle(world)
    _datasets.settle(world)

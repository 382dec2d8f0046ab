"""Finishing everything that is under way (`Emulator.settle()`)."""

from __future__ import annotations

from ._context import World

__all__ = ["settle_all"]


def settle_all(world: World) -> None:
    """Run batch jobs, fine-tuning jobs and document processing to their ends.

    Fine-tuning first: a batch job may use the model a fine-tuning job creates.
    """
    from . import _batch, _documents, _fine_tuning

    _fine_tuning.settle(world)
    _documents.settle(world)
    _batch.settle(world)

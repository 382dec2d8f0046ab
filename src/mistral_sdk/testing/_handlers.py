"""Every operation's handler, by operationId (one module per API area)."""

from __future__ import annotations

import functools

from ._context import Handler

__all__ = ["handlers"]


@functools.cache
def handlers() -> dict[str, Handler]:
    """Return the handlers of all operations (area modules load on first use)."""
    from . import (
        _agents,
        _audio,
        _batch,
        _chat_events,
        _classifiers,
        _completions,
        _conversations,
        _datasets,
        _documents,
        _embeddings,
        _executions,
        _files,
        _fine_tuning,
        _judges,
        _libraries,
        _models,
        _ocr,
        _speech,
        _voices,
        _workflow_streams,
        _workflows,
    )

    areas = (
        _models,
        _completions,
        _embeddings,
        _classifiers,
        _ocr,
        _files,
        _fine_tuning,
        _batch,
        _audio,
        _agents,
        _conversations,
        _libraries,
        _documents,
        _speech,
        _voices,
        _workflows,
        _executions,
        _workflow_streams,
        _chat_events,
        _judges,
        _datasets,
    )
    found: dict[str, Handler] = {}
    for area in areas:
        found.update(area.HANDLERS)
    return found

"""Output of the `mistral` command: JSON for scripts, tables and bars for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

__all__ = ["as_json", "console", "print_json", "progress", "table"]

_PIPE_WIDTH = 1000


def console(*, stderr: bool = False) -> Console:
    """Return a rich console on stdout (or stderr, for bars and notes)."""
    from rich.console import Console

    shown = Console(stderr=stderr, highlight=False)
    if not shown.is_terminal:
        # Piped output: no terminal width to fit, so ids are never cut.
        shown = Console(stderr=stderr, highlight=False, width=_PIPE_WIDTH)
    return shown


def as_json(value: Any) -> Any:
    """Return a model (or a list of them) as plain JSON data."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]  # pyright: ignore[reportUnknownVariableType]
    return value


def print_json(value: Any) -> None:
    """Write `value` as indented JSON on stdout."""
    sys.stdout.write(json.dumps(as_json(value), indent=2, ensure_ascii=False) + "\n")


def table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Print a table on stdout."""
    from rich.table import Table

    shown = Table(*columns, box=None, header_style="bold")
    for row in rows:
        shown.add_row(*("" if cell is None else str(cell) for cell in row))
    console().print(shown)


def progress() -> Progress:
    """Return progress bars drawn on stderr (stdout stays clean for data)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=False,
    )

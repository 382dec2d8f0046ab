"""Reading a function's docstring: its summary and the description of each argument.

Google style (an `Args:` / `Arguments:` / `Parameters:` section of `name: text`
lines, continuation lines indented deeper) and NumPy style (a `Parameters` title
underlined with dashes, `name : type` lines followed by indented text) are read;
anything else leaves the arguments undescribed. Standard library only.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Final

__all__ = ["Docstring", "parse_docstring"]

_GOOGLE_ARGS: Final = frozenset({"args", "arguments", "parameters", "params"})
# Section titles that end the arguments section in either style.
_SECTIONS: Final = frozenset(
    {
        "args",
        "arguments",
        "parameters",
        "params",
        "returns",
        "return",
        "yields",
        "raises",
        "examples",
        "example",
        "notes",
        "note",
        "attributes",
        "see also",
        "references",
        "warnings",
        "warns",
        "other parameters",
        "keyword args",
        "keyword arguments",
    }
)
_GOOGLE_ITEM: Final = re.compile(r"^\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_NUMPY_ITEM: Final = re.compile(r"^\*{0,2}(\w+)\s*(?::.*)?$")


@dataclass(frozen=True)
class Docstring:
    """What a docstring says: the summary paragraph and per-argument descriptions."""

    summary: str = ""
    arguments: dict[str, str] = field(default_factory=dict[str, str])


def parse_docstring(text: str | None) -> Docstring:
    """Return the summary and argument descriptions of a docstring (or of None)."""
    lines = inspect.cleandoc(text or "").splitlines()
    summary: list[str] = []
    for index, line in enumerate(lines):
        if not line.strip() or _opens_section(lines, index):
            break
        summary.append(line.strip())
    return Docstring(" ".join(summary), _google(lines) or _numpy(lines))


def _opens_section(lines: list[str], index: int) -> bool:
    """Return whether `lines[index]` is a section title, in either style."""
    stripped = lines[index].strip()
    if stripped.endswith(":") and stripped[:-1].lower() in _SECTIONS:
        return True
    underline = lines[index + 1].strip() if index + 1 < len(lines) else ""
    return stripped.lower() in _SECTIONS and bool(underline) and set(underline) == {"-"}


def _google(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    inside = False
    base: int | None = None
    current: str | None = None
    for line in lines:
        stripped = line.strip()
        if not line.startswith((" ", "\t")) and stripped.endswith(":"):
            inside = stripped[:-1].lower() in _GOOGLE_ARGS
            base, current = None, None
            continue
        if not inside or not stripped:
            continue
        indent = len(line) - len(line.lstrip())
        if base is None:
            base = indent
        if indent <= 0:
            inside = False
            continue
        match = _GOOGLE_ITEM.match(stripped)
        if indent == base and match:
            current = str(match.group(1))
            found[current] = match.group(2).strip()
        elif current is not None and indent > base:
            found[current] = f"{found[current]} {stripped}".strip()
    return found


def _numpy(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    current: str | None = None
    inside = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        following = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if following and set(following) == {"-"} and stripped:
            inside = stripped.lower() in ("parameters", "other parameters")
            current = None
            continue
        if not inside or not stripped or set(stripped) == {"-"}:
            continue
        if not line.startswith((" ", "\t")):
            match = _NUMPY_ITEM.match(stripped)
            current = match.group(1) if match else None
            if current is not None:
                found.setdefault(current, "")
        elif current is not None:
            found[current] = f"{found[current]} {stripped}".strip()
    return found

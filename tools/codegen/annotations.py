"""How a generated method writes a parameter: its Python name and its annotation.

Shared by the generated operation methods (emit_resources) and the helper
delegations (emit_helpers), so that both write the same signature for the same
spec parameter.
"""

from __future__ import annotations

import keyword
import re

from tools.codegen.ir import Parameter

__all__ = ["LIST", "STD_NAMES", "in_class", "py_name", "with_not_given"]

LIST = re.compile(r"(?<![\w.])list\[")
"""A bare `list[` in an annotation (not `builtins.list[` or `x.list[`)."""

STD_NAMES = {
    "Any": "typing",
    "Literal": "typing",
    "Sequence": "collections.abc",
    "Mapping": "collections.abc",
    "datetime": "datetime",
    "date": "datetime",
}
"""Standard-library names a parameter's annotation may use, and their modules."""


def py_name(p: Parameter) -> str:
    """The parameter's Python name: the spec's, with `_` after a keyword (`from_`)."""
    return p.name + "_" if keyword.iskeyword(p.name) else p.name


def in_class(annotation: str) -> str:
    """Qualify `list[...]` inside a class body, where a method named `list` shadows the builtin."""
    return LIST.sub("builtins.list[", annotation)


def with_not_given(annotation: str) -> str:
    """Add `NotGiven` to an annotation, keeping `None` last as ruff's RUF036 wants."""
    if annotation.endswith(" | None"):
        return annotation.removesuffix(" | None") + " | NotGiven | None"
    return annotation + " | NotGiven"

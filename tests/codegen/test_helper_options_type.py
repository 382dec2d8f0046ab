"""`options` of a `[[helper]]` table: true, false, or the TypedDict the method unpacks."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from tools.codegen.spec import SpecError

from .test_helpers import analyse, method_of, rendered

MANY = {
    "namespace": "asks",
    "name": "ask_many",
    "module": "many",
    "doc": "Ask many.",
    "params": ["requests: list[str]", "*", "max_retries: int | None = None"],
    "returns": "list[str]",
    "options": "ManyOptions",
    "imports": ["mistral_sdk.helpers.many:ManyOptions"],
}


def test_a_named_typeddict_is_what_the_method_unpacks() -> None:
    (helper,) = analyse(MANY).helpers
    source = rendered(analyse(MANY))

    method = method_of(source, "Asks", "ask_many")

    assert helper.options == "ManyOptions"
    assert method.args.kwarg is not None
    assert method.args.kwarg.annotation is not None
    assert ast.unparse(method.args.kwarg.annotation) == "Unpack[ManyOptions]"
    assert ast.unparse(method.body[-1]).endswith("max_retries=max_retries, **options)")
    assert "from mistral_sdk.helpers.many import ManyOptions" in source


@pytest.mark.parametrize(
    ("value", "expected"), [(True, "RequestOptions"), (False, None)]
)
def test_true_and_false_keep_their_meaning(value: bool, expected: str | None) -> None:
    (helper,) = analyse({**MANY, "options": value}).helpers

    assert helper.options == expected


@pytest.mark.parametrize("value", ["Many Options", 3, ""])
def test_anything_else_is_refused(value: Any) -> None:
    with pytest.raises(SpecError, match="options must be true, false or a TypedDict"):
        analyse({**MANY, "options": value})

"""Delegations: `[[helper]]` tables become methods calling `mistral_sdk.helpers` (C4)."""

from __future__ import annotations

import ast
from typing import Any

import pytest

from tools.codegen import emit_resources
from tools.codegen.analyse import Overrides, analyse_spec
from tools.codegen.ir import Api
from tools.codegen.spec import Spec, SpecError

SCHEMAS = {
    "Ask": {
        "type": "object",
        "properties": {
            "model": {"type": "string", "description": "Model to use."},
            "prompt": {"type": "string"},
            "format": {"$ref": "#/components/schemas/Format"},
            "temperature": {"type": "number"},
            "stream": {"type": "boolean", "default": False},
        },
        "required": ["model", "prompt"],
    },
    "Format": {"type": "object", "properties": {"kind": {"type": "string"}}},
    "Answer": {"type": "object", "properties": {"text": {"type": "string"}}},
}
PATHS = {
    "/asks/{space}": {
        "post": {
            "operationId": "ask",
            "parameters": [
                {
                    "name": "space",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "requestBody": {
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Ask"}}
                }
            },
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Answer"}
                        }
                    },
                }
            },
        }
    }
}
METHODS = [
    {
        "operation": "ask",
        "namespace": "asks",
        "name": "create",
        "hidden": {"stream": False},
    }
]
PARSE = {
    "namespace": "asks",
    "name": "parse",
    "module": "parse",
    "doc": "Ask and parse the answer.\n\nMore words.",
    "wraps": "ask",
    "exclude": ["temperature"],
    "params": ["format: type[T]", "strict: bool = True"],
    "args": {"format": "The type to parse into."},
    "returns": "Parsed[T]",
    "imports": [
        "mistral_sdk.helpers.structured:Parsed",
        "mistral_sdk.helpers.structured:T",
    ],
}


def analyse(*helpers: dict[str, Any]) -> Api:
    spec = Spec({"paths": PATHS, "components": {"schemas": SCHEMAS}})
    _, api = analyse_spec(spec, Overrides.parse({}), METHODS, list(helpers))
    return api


def rendered(api: Api) -> str:
    return emit_resources.render(api)[f"{emit_resources.ROOT}/asks.py"]


def method_of(
    source: str, cls: str, name: str
) -> ast.FunctionDef | ast.AsyncFunctionDef:
    tree = ast.parse(source)
    body = next(
        n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls
    ).body
    return next(
        n
        for n in body
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name
    )


def returns(method: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    assert method.returns is not None
    return ast.unparse(method.returns)


def test_helper_signature_is_the_wrapped_parameters_plus_its_own() -> None:
    (helper,) = analyse(PARSE).helpers

    assert [p.name for p in helper.path_params] == ["space"]
    # `stream` is hidden by the wrapped method, `temperature` excluded, `format` replaced.
    assert [p.name for p in helper.wrapped_params] == ["model", "prompt"]
    assert helper.keywords == ("format: type[T]", "strict: bool = True")
    assert helper.type_names == frozenset()


def test_helper_sync_method_calls_the_sync_twin_with_every_argument() -> None:
    source = rendered(analyse(PARSE))

    method = method_of(source, "Asks", "parse")

    assert isinstance(method, ast.FunctionDef)
    assert [a.arg for a in method.args.args] == ["self", "space"]
    assert [a.arg for a in method.args.kwonlyargs] == [
        "model",
        "prompt",
        "format",
        "strict",
    ]
    assert method.args.kwarg is not None
    assert method.args.kwarg.arg == "options"
    assert returns(method) == "Parsed[T]"
    body = [ast.unparse(s) for s in method.body[1:]]
    assert body == [
        "from mistral_sdk.helpers._sync import parse as _helper",
        "return _helper.parse(self, space=space, model=model, prompt=prompt, format=format, strict=strict, **options)",
    ]


def test_helper_async_method_awaits_the_async_module() -> None:
    method = method_of(rendered(analyse(PARSE)), "AsyncAsks", "parse")

    assert isinstance(method, ast.AsyncFunctionDef)
    assert ast.unparse(method.body[-1]).startswith(
        "return await _helper.parse(self, space=space"
    )
    assert (
        ast.unparse(method.body[1])
        == "from mistral_sdk.helpers._async import parse as _helper"
    )


def test_helper_not_a_coroutine_returns_the_async_object_as_is() -> None:
    entry = PARSE | {"name": "parse_stream", "function": "stream", "coroutine": False}
    entry |= {"returns": "Manager[T]", "async_returns": "AsyncManager[T]"}

    source = rendered(analyse(entry))
    method = method_of(source, "AsyncAsks", "parse_stream")

    assert isinstance(method, ast.FunctionDef)
    assert returns(method) == "AsyncManager[T]"
    assert ast.unparse(method.body[-1]).startswith("return _helper.stream(self,")
    assert returns(method_of(source, "Asks", "parse_stream")) == "Manager[T]"


def test_helper_docstring_documents_wrapped_and_own_arguments() -> None:
    method = method_of(rendered(analyse(PARSE)), "Asks", "parse")

    doc = ast.get_docstring(method) or ""

    assert doc.startswith("Ask and parse the answer.\n\nMore words.\n\nArgs:")
    assert "    model: Model to use." in doc
    assert "    format: The type to parse into." in doc


def test_helper_imports_its_names_for_type_checkers_only() -> None:
    source = rendered(analyse(PARSE))

    tree = ast.parse(source)
    guarded = next(
        n
        for n in tree.body
        if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING"
    )

    imported = {
        (n.module, alias.name)
        for n in guarded.body
        if isinstance(n, ast.ImportFrom)
        for alias in n.names
    }
    assert {
        ("mistral_sdk.helpers.structured", "Parsed"),
        ("mistral_sdk.helpers.structured", "T"),
    } <= imported
    top = [ast.unparse(n) for n in tree.body if isinstance(n, ast.ImportFrom)]
    assert not any("mistral_sdk.helpers" in line for line in top)


def test_helper_without_wraps_takes_only_its_own_parameters() -> None:
    entry = {
        "namespace": "asks",
        "name": "resume",
        "module": "runs",
        "doc": "Resume a run.",
        "params": ["state_file: str", "*", "poll: float = 1.0"],
        "returns": "Run",
        "options": False,
        "imports": ["mistral_sdk.helpers.runs:Run"],
    }

    method = method_of(rendered(analyse(entry)), "Asks", "resume")

    assert [a.arg for a in method.args.args] == ["self", "state_file"]
    assert [a.arg for a in method.args.kwonlyargs] == ["poll"]
    assert method.args.kwarg is None
    assert (
        ast.unparse(method.body[-1])
        == "return _helper.resume(self, state_file=state_file, poll=poll)"
    )


def test_helper_module_compiles_and_keeps_the_generated_methods() -> None:
    source = rendered(analyse(PARSE))

    compile(source, "asks.py", "exec")
    assert method_of(source, "Asks", "create").name == "create"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"wraps": "nope"}, "wraps unknown operation 'nope'"),
        ({"exclude": ["nothing"]}, "exclude names no parameter"),
        ({"name": "create"}, "already has that method"),
        ({"namespace": "elsewhere"}, "no namespace 'elsewhere'"),
        ({"colour": "red"}, "unknown keys"),
        ({"params": ["???"]}, "cannot read the parameter"),
        ({"namespaces": {"files": "nowhere"}}, "names no namespace 'nowhere'"),
        ({"namespaces": {"space": "asks"}}, "bad namespace argument name 'space'"),
    ],
)
def test_helper_table_mistakes_fail_generation(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(SpecError, match=message):
        analyse(PARSE | change)


def test_helper_missing_keys_fail_generation() -> None:
    entry = {k: v for k, v in PARSE.items() if k != "returns"}

    with pytest.raises(SpecError, match=r"missing keys \['returns'\]"):
        analyse(entry)


def test_two_helpers_with_one_name_fail_generation() -> None:
    with pytest.raises(SpecError, match="already has that method"):
        analyse(PARSE, PARSE)


def test_helpers_are_listed_in_the_reference() -> None:
    from tools.codegen import emit_reference

    api = analyse(PARSE | {"async_returns": "AsyncParsed[T]"})

    text = emit_reference.render(api)[emit_reference.PATH]

    assert "## Helpers" in text
    assert "### `client.asks.parse(space, model, prompt, format, …)`" in text
    assert "Ask and parse the answer. Wraps operation `ask`." in text
    assert "Returns `Parsed[T] / AsyncParsed[T]`." in text


def test_no_helpers_no_reference_section() -> None:
    from tools.codegen import emit_reference

    text = emit_reference.render(analyse())[emit_reference.PATH]

    assert "## Helpers" not in text


def _listing(operation_id: str) -> dict[str, Any]:
    answer = {"$ref": "#/components/schemas/Answer"}
    content = {"application/json": {"schema": answer}}
    return {
        "get": {
            "operationId": operation_id,
            "responses": {"200": {"description": "ok", "content": content}},
        }
    }


def test_helper_passes_the_namespaces_it_drives_as_resources() -> None:
    paths = PATHS | {"/answers": _listing("answer"), "/asks/jobs": _listing("job")}
    methods: list[dict[str, Any]] = [
        *METHODS,
        {"operation": "answer", "namespace": "answers", "name": "get"},
        {"operation": "job", "namespace": "asks.jobs", "name": "get"},
    ]
    entry = {
        "namespace": "asks",
        "name": "resume",
        "module": "runs",
        "doc": "Resume a run.",
        "params": ["state_file: str"],
        "namespaces": {"answers": "answers", "jobs": "asks.jobs"},
        "returns": "Run",
        "options": False,
    }
    spec = Spec({"paths": paths, "components": {"schemas": SCHEMAS}})
    _, api = analyse_spec(spec, Overrides.parse({}), methods, [entry])

    method = method_of(rendered(api), "AsyncAsks", "resume")

    # Another module's class is imported on the first call; the same module's is at hand.
    assert [ast.unparse(s) for s in method.body[1:]] == [
        "from mistral_sdk.helpers._async import runs as _helper",
        "from mistral_sdk.resources.answers import AsyncAnswers",
        "return await _helper.resume(self, answers=AsyncAnswers(self._transport), "
        "jobs=AsyncAsksJobs(self._transport), state_file=state_file)",
    ]

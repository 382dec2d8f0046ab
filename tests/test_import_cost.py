"""`import mistral_sdk` loads the core only; types, resources and the emulator come
on first use."""

from __future__ import annotations

import json
import subprocess
import sys


def loaded_after(code: str) -> list[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    modules: list[str] = json.loads(result.stdout.splitlines()[-1])
    return modules


def test_import_cost_no_types_or_resources() -> None:
    modules = loaded_after("import mistral_sdk")

    assert [m for m in modules if m.startswith("mistral_sdk.types.")] == []
    assert [m for m in modules if m.startswith("mistral_sdk.resources")] == []


def test_import_cost_no_pydantic() -> None:
    modules = loaded_after("import mistral_sdk")

    assert [
        m for m in modules if m.split(".")[0] in ("pydantic", "pydantic_core")
    ] == []


def test_import_cost_constructing_a_client_stays_light() -> None:
    modules = loaded_after(
        "import mistral_sdk\nmistral_sdk.Mistral(api_key='k').close()"
    )

    assert [
        m
        for m in modules
        if m.startswith(("mistral_sdk.types", "mistral_sdk.resources", "pydantic"))
    ] == []


# ------------------------------------------------------------------ the emulator
def test_import_cost_no_emulator() -> None:
    modules = loaded_after("import mistral_sdk")

    assert [m for m in modules if m.startswith("mistral_sdk.testing")] == []


def test_import_cost_pytest_plugin_is_light() -> None:
    modules = loaded_after("import mistral_sdk.testing.pytest_plugin")

    assert "yaml" not in modules
    assert "mistral_sdk.testing._emulator" not in modules


def test_import_cost_emulator_reads_no_spec_until_used() -> None:
    modules = loaded_after("from mistral_sdk.testing import Emulator")

    assert "yaml" not in modules
    assert "mistral_sdk.testing._conversations" not in modules


# ------------------------------------------------------------------ the helpers
def test_import_cost_chat_resource_loads_no_helper() -> None:
    modules = loaded_after("import mistral_sdk\nmistral_sdk.Mistral(api_key='k').chat")

    assert [m for m in modules if m.startswith("mistral_sdk.helpers")] == []


def test_import_cost_import_loads_only_the_client_transport_and_errors() -> None:
    # Resource modules hold both flavours, so a namespace's first use loads the
    # async twins; `import mistral_sdk` and a sync client alone do not.
    modules = loaded_after("import mistral_sdk\nmistral_sdk.Mistral(api_key='k')")

    assert [
        m
        for m in modules
        if m.startswith(("mistral_sdk._async", "mistral_sdk.helpers"))
    ] == []
    # Streams, pages and responses load with the first call that returns one,
    # the errors of the structured-output and tool helpers with those helpers.
    assert {
        "mistral_sdk._response",
        "mistral_sdk._streaming",
        "mistral_sdk._pagination",
        "mistral_sdk._sse",
        "mistral_sdk._structured_errors",
        "mistral_sdk._tool_errors",
    }.isdisjoint(modules)


def test_import_cost_function_tool_and_tool_errors_load_no_pydantic() -> None:
    modules = loaded_after(
        "from mistral_sdk import MaxStepsExceededError, function_tool"
    )

    assert [m for m in modules if m.split(".")[0] == "pydantic"] == []


def test_import_cost_structured_errors_load_no_pydantic() -> None:
    modules = loaded_after("from mistral_sdk import LengthFinishReasonError")

    assert [m for m in modules if m.split(".")[0] == "pydantic"] == []


# ------------------------------------------------------------------ the latest spec's areas
def test_import_cost_chat_loads_no_workflow_or_observability_module() -> None:
    modules = loaded_after(
        "import mistral_sdk\n"
        "client = mistral_sdk.Mistral(api_key='k')\n"
        "client.chat.complete, client.chat.with_raw_response\n"
        "from mistral_sdk.types import ChatCompletionResponse, CompletionChunk\n"
        "client.close()"
    )

    assert "mistral_sdk.resources.chat" in modules
    assert [
        m
        for m in modules
        if m.startswith(("mistral_sdk.types.", "mistral_sdk.resources."))
        and any(area in m for area in ("workflow", "observability", "connectors"))
    ] == []
    # Guardrails have their own module: a chat call creates no agent tool models.
    assert "mistral_sdk.types.common_agents" not in modules
    assert "mistral_sdk.types.common_guardrails" in modules


def test_import_cost_beta_namespace_loads_its_areas_on_first_use() -> None:
    modules = loaded_after(
        "import mistral_sdk\n"
        "client = mistral_sdk.Mistral(api_key='k')\n"
        "client.beta.conversations.start\n"
        "client.close()"
    )

    assert "mistral_sdk.resources.beta.conversations" in modules
    assert "mistral_sdk.resources.beta.workflows" not in modules
    assert "mistral_sdk.resources.beta.observability" not in modules


def test_import_cost_helpers_package_is_light() -> None:
    modules = loaded_after("import mistral_sdk.helpers")

    assert [
        m for m in modules if m.split(".")[0] in ("pydantic", "pydantic_core")
    ] == []

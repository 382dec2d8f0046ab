"""`import mistral_sdk` loads the core only; types and resources come on first use."""

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

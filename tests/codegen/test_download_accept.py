"""A download's `Accept` header comes from the media types its spec answer lists."""

from __future__ import annotations

from typing import Any

import pytest

from tools.codegen import emit_resources
from tools.codegen.analyse import Overrides, analyse_spec
from tools.codegen.spec import Spec

ROUTE = "/v1/voices/{voice_id}/sample"


def _download(content: dict[str, Any]) -> dict[str, Any]:
    return {
        "operationId": "op",
        "tags": ["beta.voices"],
        "parameters": [
            {"name": "voice_id", "in": "path", "required": True, "schema": {}}
        ],
        "responses": {
            "200": {"description": "ok", "content": content},
            "422": {"description": "bad", "content": {"application/json": {}}},
        },
    }


@pytest.mark.parametrize(
    ("content", "accept"),
    [
        # The voice sample: JSON or WAV; a download asks for the file.
        (
            {"application/json": {"schema": {"type": "string"}}, "audio/wav": {}},
            "audio/wav",
        ),
        ({"application/octet-stream": {}}, "application/octet-stream"),
        ({"image/png": {}, "image/jpeg": {}}, "image/png, image/jpeg"),
        # Made a download by operations.toml, with no file type in the spec.
        ({"application/json": {"schema": {"type": "string"}}}, "*/*"),
    ],
)
def test_a_download_accepts_the_media_types_of_its_file(
    content: dict[str, Any], accept: str
) -> None:
    spec = Spec({"paths": {ROUTE: {"get": _download(content)}}, "components": {}})
    entry = {"operation": "op", "namespace": "beta.voices", "name": "get_sample"}

    _, api = analyse_spec(spec, Overrides.parse({}), [{**entry, "kind": "download"}])

    [method] = api.methods
    assert method.accept == accept
    rendered = emit_resources.render(api)["src/mistral_sdk/resources/beta/voices.py"]
    assert rendered.count(f'accept="{accept}"') == 4  # sync, async; each raw too


def test_other_kinds_send_no_accept_argument() -> None:
    content = {"application/json": {"schema": {"type": "string"}}}
    spec = Spec({"paths": {ROUTE: {"get": _download(content)}}, "components": {}})
    entry = {"operation": "op", "namespace": "beta.voices", "name": "get_sample"}

    _, api = analyse_spec(spec, Overrides.parse({}), [entry])

    [method] = api.methods
    assert method.accept is None
    rendered = emit_resources.render(api)["src/mistral_sdk/resources/beta/voices.py"]
    assert "accept=" not in rendered

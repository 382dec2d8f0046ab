"""What current clients send is accepted; what the emulator cannot answer is JSON.

Unknown routes get FastAPI's 404, known routes with another method its 405
(with `Allow`), an operation without a handler 404 and a failing handler the
API's 500: never a Python exception through the transport.
"""

from __future__ import annotations

import pytest

from mistral_sdk import Mistral
from mistral_sdk.testing import Emulator
from mistral_sdk.testing._context import Call
from mistral_sdk.testing._handlers import handlers
from mistral_sdk.testing._http import Response
from mistral_sdk.testing._spec import router

from ._raw import ok, raw_client

MODELS = "list_models_v1_models_get"
KEY = {"authorization": "Bearer test-api-key"}


def test_unknown_route_is_the_api_404(emulator: Emulator) -> None:
    with raw_client(emulator) as http:
        response = http.get("/v1/no-such-thing")

    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


def test_known_route_other_method_is_405_with_allow(emulator: Emulator) -> None:
    with raw_client(emulator) as http:
        response = http.delete("/v1/models")

    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert response.headers["allow"] == "GET"


def test_operation_without_handler_is_404(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(handlers(), MODELS)

    with raw_client(emulator) as http:
        response = http.get("/v1/models")

    assert (response.status_code, response.json()) == (404, {"detail": "Not Found"})


def test_failing_handler_is_the_api_500(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(call: Call) -> Response:
        raise KeyError("lost")

    monkeypatch.setitem(handlers(), MODELS, broken)

    with raw_client(emulator) as http:
        response = http.get("/v1/models")

    assert response.status_code == 500
    assert response.json()["type"] == "internal_server_error"
    assert "KeyError" in response.json()["message"]


def test_ocr_accepts_include_blocks_and_checks_its_type(
    emulator: Emulator, client: Mistral
) -> None:
    uploaded = client.files.upload(file=("a.txt", b"Alpha"), purpose="ocr")
    body = {
        "model": "mistral-ocr-latest",
        "document": {"type": "file", "file_id": uploaded.id},
        "include_blocks": True,
    }
    with raw_client(emulator) as http:
        accepted = http.post("/v1/ocr", json=body)
        refused = http.post("/v1/ocr", json={**body, "include_blocks": "many"})

    assert ok(accepted)["pages"][0]["markdown"] == "Alpha"
    assert refused.status_code == 422
    assert [e["loc"] for e in refused.json()["detail"]] == [["body", "include_blocks"]]


def test_libraries_and_documents_take_patch(
    emulator: Emulator, client: Mistral
) -> None:
    library = client.beta.libraries.create(name="Docs")
    doc = client.beta.libraries.documents.upload(library.id, file=("a.txt", b"Alpha"))
    with raw_client(emulator) as http:
        renamed = ok(http.patch(f"/v1/libraries/{library.id}", json={"name": "New"}))
        path = f"/v1/libraries/{library.id}/documents/{doc.id}"
        document = ok(http.patch(path, json={"name": "b.txt"}))
        allow = http.delete("/v1/libraries/x/documents/y/status").headers["allow"]

    assert renamed["name"] == "New"
    assert client.beta.libraries.get(library.id).name == "New"
    assert document["name"] == "b.txt"
    assert allow == "GET"


def test_transcription_takes_an_urlencoded_form(
    emulator: Emulator, client: Mistral
) -> None:
    emulator.script.transcription("Bonjour.", language="fr")
    uploaded = client.files.upload(file=("a.mp3", b"\x00\x01"))
    form = {"model": "voxtral-mini-latest", "file_id": uploaded.id}
    with raw_client(emulator) as http:
        result = ok(http.post("/v1/audio/transcriptions", data=form))
        missing = http.post("/v1/audio/transcriptions", data={"file_id": "x"})

    assert (result["text"], result["language"]) == ("Bonjour.", "fr")
    assert [e["loc"] for e in missing.json()["detail"]] == [["body", "model"]]


def test_urlencoded_stream_field_picks_the_stream_variant(emulator: Emulator) -> None:
    form = {"model": "voxtral-mini-latest", "file_url": "https://x.invalid/a.mp3"}
    with raw_client(emulator) as http:
        response = http.post(
            "/v1/audio/transcriptions", data={**form, "stream": "true"}
        )

    assert response.headers["content-type"].startswith("text/event-stream")
    assert "transcription.done" in response.text


def test_models_list_filters_by_provider_and_model(emulator: Emulator) -> None:
    with raw_client(emulator) as http:
        mistral = ok(http.get("/v1/models", params={"provider": "mistralai"}))
        other = ok(http.get("/v1/models", params={"provider": "someone-else"}))
        small = ok(http.get("/v1/models", params={"model": "mistral-small-latest"}))

    assert mistral["data"]
    assert other["data"] == []
    assert {m["id"] for m in small["data"]} == {
        "mistral-small-latest",
        "mistral-small-2506",
    }


def test_a_failure_before_any_handler_is_the_api_500(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(method: str, path: str) -> None:
        raise RuntimeError("router down")

    monkeypatch.setattr(type(router()), "match", lambda self, m, p: broken(m, p))

    response = emulator.handle("GET", "/v1/models", headers=KEY)

    assert response.status == 500
    assert "RuntimeError: router down" in response.json()["message"]
    assert response.header("mistral-correlation-id")

"""Two ways in: the ASGI app (any server) and real HTTP through uvicorn."""

from __future__ import annotations

import base64
import io
import json
import socket
import subprocess
import sys
import wave
from collections.abc import Iterator

import httpx2
import pytest

from mistral_sdk import APIConnectionError, Mistral
from mistral_sdk.testing import Emulator, RunningServer, serve
from mistral_sdk.testing._cli import main

from ._narrow import text

KEY = {"authorization": "Bearer test-api-key"}


@pytest.mark.anyio
async def test_asgi_app_serves_requests_without_a_server(emulator: Emulator) -> None:
    transport = httpx2.ASGITransport(app=emulator.asgi_app())
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as http:
        models = await http.get("/v1/models", headers=KEY)
        stream = await http.post(
            "/v1/chat/completions",
            headers=KEY,
            json={
                "model": "mistral-small-latest",
                "stream": True,
                "messages": [{"role": "user", "content": "Hi"}],
            },
        )

    assert models.status_code == 200
    assert stream.headers["content-type"] == "text/event-stream"
    assert stream.text.endswith("data: [DONE]\n\n")


@pytest.mark.anyio
async def test_asgi_app_signed_urls_point_at_the_host_used(emulator: Emulator) -> None:
    transport = httpx2.ASGITransport(app=emulator.asgi_app())
    async with httpx2.AsyncClient(
        transport=transport, base_url="http://api.test:9"
    ) as http:
        uploaded = await http.post(
            "/v1/files", headers=KEY, files={"file": ("a.txt", b"abc")}
        )
        url = (
            await http.get(f"/v1/files/{uploaded.json()['id']}/url", headers=KEY)
        ).json()["url"]
        fetched = await http.get(url)

    assert url.startswith("http://api.test:9/_emulator/blobs/")
    assert fetched.content == b"abc"


@pytest.fixture
def server(emulator: Emulator) -> Iterator[RunningServer]:
    pytest.importorskip("uvicorn")
    with serve(emulator) as running:
        yield running


def test_server_real_http_for_any_client(server: RunningServer) -> None:
    with httpx2.Client(base_url=server.url) as http:
        models = http.get("/v1/models", headers=KEY)
        unauthorized = http.get("/v1/models")

    assert server.url.startswith("http://127.0.0.1:")
    assert models.status_code == 200
    assert unauthorized.json()["message"] == "Unauthorized"


def test_server_sdk_over_http_streams(
    emulator: Emulator, server: RunningServer
) -> None:
    emulator.script.reply("Over the wire")

    with Mistral(api_key="test-api-key", base_url=server.url, max_retries=0) as client:
        with client.chat.stream(
            model="mistral-small-latest", messages=[{"role": "user", "content": "Hi"}]
        ) as stream:
            said = "".join(text(c.choices[0].delta.content or "") for c in stream)
        uploaded = client.files.upload(file=("a.bin", bytes(range(256))))
        downloaded = client.files.download(uploaded.id).read()

    assert said == "Over the wire"
    assert downloaded == bytes(range(256))


def test_server_scripted_disconnect_breaks_the_connection(
    emulator: Emulator, server: RunningServer
) -> None:
    emulator.script.reply("a b c d", disconnect_after=2)

    with (
        Mistral(api_key="test-api-key", base_url=server.url, max_retries=0) as client,
        pytest.raises(APIConnectionError),
        client.chat.stream(
            model="mistral-small-latest", messages=[{"role": "user", "content": "Hi"}]
        ) as stream,
    ):
        list(stream)


def test_server_control_routes_script_from_any_language(
    emulator: Emulator, server: RunningServer
) -> None:
    with httpx2.Client(base_url=server.url, headers=KEY) as http:
        scripted = http.post("/_emulator/script/reply", json={"text": "From curl"})
        reply = http.post(
            "/v1/chat/completions",
            json={
                "model": "mistral-small-latest",
                "messages": [{"role": "user", "content": "x"}],
            },
        )
        unknown = http.post("/_emulator/nothing", json={})

    assert scripted.status_code == 200
    assert reply.json()["choices"][0]["message"]["content"] == "From curl"
    assert unknown.status_code == 404


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_cli_serves_until_stopped() -> None:
    pytest.importorskip("uvicorn")
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "mistral_sdk.testing",
        "serve",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stderr is not None
        # uvicorn logs this line once it accepts connections.
        for line in process.stderr:
            if "Uvicorn running on" in line:
                break
        response = httpx2.get(
            f"http://127.0.0.1:{port}/v1/models",
            headers={"authorization": "Bearer any"},
        )
    finally:
        process.terminate()
        process.communicate(timeout=10)

    assert response.status_code == 200
    assert json.loads(response.text)["object"] == "list"


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--help"])

    assert exited.value.code == 0
    assert "--database" in capsys.readouterr().out


def test_serve_without_an_emulator_accepts_any_key() -> None:
    pytest.importorskip("uvicorn")

    with serve() as running, httpx2.Client(base_url=running.url) as http:
        response = http.get("/v1/models", headers={"authorization": "Bearer whatever"})

    assert response.status_code == 200


def test_server_workflow_stream_resumes_with_the_last_event_id_header(
    server: RunningServer,
) -> None:
    with httpx2.Client(base_url=server.url, headers=KEY) as http:
        started = http.post("/v1/workflows/report/execute", json={}).json()
        path = f"/v1/workflows/executions/{started['execution_id']}/stream"
        first = http.get(path).text
        ids = [line[4:] for line in first.splitlines() if line.startswith("id: ")]
        resumed = http.get(path, headers={"Last-Event-ID": ids[3]}).text

    assert [line[4:] for line in resumed.splitlines() if line.startswith("id: ")] == (
        ids[4:]
    )


@pytest.mark.anyio
async def test_asgi_app_serves_speech_as_a_wav_file(emulator: Emulator) -> None:
    transport = httpx2.ASGITransport(app=emulator.asgi_app())
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as http:
        answer = await http.post(
            "/v1/audio/speech",
            headers=KEY,
            json={"input": "Over the wire", "response_format": "wav"},
        )

    audio = base64.b64decode(answer.json()["audio_data"])
    with wave.open(io.BytesIO(audio)) as reader:
        assert reader.getnframes() > 0

"""State: deterministic identifiers, SQLite persistence, reset."""

from __future__ import annotations

from pathlib import Path

from mistral_sdk.testing import Emulator


def _ids(emulator: Emulator) -> list[str]:
    with emulator.client() as client:
        file_id = client.files.upload(file=("a.txt", b"x")).id
        agent_id = client.beta.agents.create(model="mistral-small-latest", name="A").id
        conv_id = client.beta.conversations.start(
            agent_id=agent_id, inputs="x"
        ).conversation_id
    return [file_id, agent_id, conv_id]


def test_state_same_seed_same_ids() -> None:
    assert _ids(Emulator(seed=7)) == _ids(Emulator(seed=7))
    assert _ids(Emulator(seed=7)) != _ids(Emulator(seed=8))


def test_state_ids_have_the_apis_shapes() -> None:
    file_id, agent_id, conv_id = _ids(Emulator())

    assert len(file_id) == 36
    assert file_id[14] == "4"
    assert agent_id.startswith("ag_")
    assert len(agent_id) == 35
    assert conv_id.startswith("conv_")


def test_state_sqlite_survives_a_restart(tmp_path: Path) -> None:
    database = tmp_path / "emulator.sqlite"
    first = Emulator(database=database)
    with first.client() as client:
        uploaded = client.files.upload(file=("a.bin", b"\x00\x01"))
        agent = client.beta.agents.create(model="mistral-small-latest", name="Kept")
        client.beta.agents.update(agent.id, description="v1")

    second = Emulator(database=database)
    with second.client() as client:
        assert client.files.download(uploaded.id).read() == b"\x00\x01"
        assert client.beta.agents.get(agent.id).description == "v1"
        new_file = client.files.upload(file=("b.txt", b"y"))

    assert new_file.id != uploaded.id
    assert [f.id for f in second.client().files.list()] == [new_file.id, uploaded.id]


def test_state_reset_forgets_everything(emulator: Emulator) -> None:
    with emulator.client() as client:
        client.files.upload(file=("a.txt", b"x"))
        emulator.script.reply("pending")

        emulator.reset()

        assert emulator.script.pending == []
        assert list(client.files.list()) == []


def test_state_log_records_requests(emulator: Emulator) -> None:
    with emulator.client() as client:
        client.chat.complete(
            model="mistral-small-latest", messages=[{"role": "user", "content": "Hi"}]
        )

    request = emulator.requests[-1]
    assert (request.method, request.path) == ("POST", "/v1/chat/completions")
    assert request.json()["messages"][0]["content"] == "Hi"
    assert emulator.log[-1].operation_id == "chat_completion_v1_chat_completions_post"

"""Every SDK method against the emulator, in the order an app would use them.

The tour runs on the strict client (a response that departs from the spec
raises) and the emulator fixture checks every response with jsonschema; the
last assertion is that every operation of the seed spec's areas was answered
with 2xx. The areas the latest spec added (speech and voices, workflows,
observability) are toured over plain HTTP in test_new_areas_tour.py.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from mistral_sdk import AsyncMistral, Mistral
from mistral_sdk.testing import Emulator
from mistral_sdk.testing._spec import router

from ._areas import NEW_AREAS
from ._narrow import job as job_of
from ._narrow import model_ids, present, text

TRAINING = b'{"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}\n'
CLASSIFIER_DATA = b'{"text": "great product", "labels": {"sentiment": "positive"}}\n'
BATCH = (
    b'{"custom_id": "1", "body": {"messages": [{"role": "user", "content": "One"}]}}\n'
)
USER = "5c9a1e7f-3d2b-4a86-b0e4-f1d8c6a2b937"
MESSAGES: Any = [{"role": "user", "content": "Hello emulator"}]


def _models_and_generation(client: Mistral) -> None:
    assert model_ids(client)
    assert client.models.retrieve("mistral-small-latest").id == "mistral-small-latest"
    assert client.chat.complete(model="mistral-small-latest", messages=MESSAGES).choices
    with client.chat.stream(model="mistral-small-latest", messages=MESSAGES) as stream:
        assert list(stream)
    assert client.fim.complete(model="codestral-latest", prompt="def f():").choices
    with client.fim.stream(model="codestral-latest", prompt="def f():") as stream:
        assert list(stream)
    assert client.embeddings.create(model="mistral-embed", input="x").data
    assert client.classifiers.moderate(
        model="mistral-moderation-latest", input="x"
    ).results
    assert client.classifiers.moderate_chat(
        model="mistral-moderation-latest", input=MESSAGES
    ).results


def _files_and_ocr(client: Mistral) -> str:
    uploaded = client.files.upload(
        file=("notes.txt", b"Page one\fPage two"), purpose="ocr"
    )
    assert client.files.retrieve(uploaded.id).filename == "notes.txt"
    assert [f.id for f in client.files.list(purpose="ocr")] == [uploaded.id]
    assert client.files.download(uploaded.id).read() == b"Page one\fPage two"
    assert client.files.get_signed_url(uploaded.id).url.startswith("http")
    pages = client.ocr.process(
        model="mistral-ocr-latest", document={"type": "file", "file_id": uploaded.id}
    ).pages
    assert [p.markdown for p in pages] == ["Page one", "Page two"]
    spoken = client.files.upload(file=("talk.txt", b"Hello there."), purpose="batch")
    assert (
        client.audio.transcriptions.complete(
            model="voxtral-mini-latest", file_id=spoken.id
        ).text
        == "Hello there."
    )
    with client.audio.transcriptions.stream(
        model="voxtral-mini-latest", file=("a.mp3", b"\xff\xfb\x90")
    ) as stream:
        assert list(stream)
    assert client.files.delete(uploaded.id).deleted
    return spoken.id


def _fine_tuning(client: Mistral, emulator: Emulator) -> None:
    data = client.files.upload(file=("train.jsonl", TRAINING))
    job = job_of(
        client.fine_tuning.jobs.create(
            model="open-mistral-nemo",
            training_files=[{"file_id": data.id}],
            hyperparameters={"training_steps": 10},
            auto_start=False,
        )
    )
    while client.fine_tuning.jobs.get(job.id).status != "VALIDATED":
        pass
    client.fine_tuning.jobs.start(job.id)
    model = client.fine_tuning.jobs.get(job.id).fine_tuned_model
    assert model is not None
    assert [j.id for j in client.fine_tuning.jobs.list()] == [job.id]
    assert client.models.update(model, name="support bot").name == "support bot"
    assert client.models.archive(model).archived
    assert not client.models.unarchive(model).archived
    other = job_of(
        client.fine_tuning.jobs.create(
            model="open-mistral-nemo",
            training_files=[{"file_id": data.id}],
            hyperparameters={"training_steps": 10},
        )
    )
    assert client.fine_tuning.jobs.cancel(other.id).status == "CANCELLATION_REQUESTED"
    labelled = client.files.upload(file=("labels.jsonl", CLASSIFIER_DATA))
    client.fine_tuning.jobs.create(
        model="ministral-3b-latest",
        job_type="classifier",
        training_files=[{"file_id": labelled.id}],
        hyperparameters={"training_steps": 10},
        classifier_targets=[{"name": "sentiment", "labels": ["positive", "negative"]}],
    )
    emulator.settle()
    classifier = next(m for m in model_ids(client) if m.startswith("ft:ministral"))
    assert client.classifiers.classify(model=classifier, input="nice").results
    assert client.classifiers.classify_chat(
        model=classifier, input={"messages": MESSAGES}
    ).results
    assert client.models.delete(model).deleted


def _batch(client: Mistral) -> None:
    source = client.files.upload(file=("in.jsonl", BATCH), purpose="batch")
    job = client.batch.jobs.create(
        input_files=[source.id],
        endpoint="/v1/chat/completions",
        model="mistral-small-latest",
    )
    assert [j.id for j in client.batch.jobs.list()] == [job.id]
    while client.batch.jobs.get(job.id).status != "SUCCESS":
        pass
    other = client.batch.jobs.create(
        requests=[{"body": {"input": "x"}}],
        endpoint="/v1/embeddings",
        model="mistral-embed",
    )
    assert client.batch.jobs.cancel(other.id).status == "CANCELLATION_REQUESTED"


def _agents_and_conversations(client: Mistral) -> None:
    agents = client.beta.agents
    agent = agents.create(
        model="mistral-medium-latest", name="Planner", instructions="Be brief."
    )
    assert agents.update(agent.id, description="v1").version == 1
    assert agents.update_version(agent.id, version=0).version == 0
    assert [a.version for a in agents.list_versions(agent.id)] == [1, 0]
    assert agents.create_version_alias(agent.id, alias="prod", version=1).version == 1
    assert agents.get_version(agent.id, "prod").version == 1
    assert agents.get(agent.id, agent_version="prod").description == "v1"
    assert [a.alias for a in agents.list_version_aliases(agent.id)] == ["prod"]
    agents.delete_version_alias(agent.id, alias="prod")
    assert [a.id for a in agents.list()] == [agent.id]
    conversations = client.beta.conversations
    started = conversations.start(agent_id=agent.id, inputs="Plan a trip")
    conv_id = started.conversation_id
    with conversations.start_stream(
        model="mistral-small-latest", inputs="Hi"
    ) as stream:
        assert list(stream)
    conversations.append(conv_id, inputs="Two days")
    with conversations.append_stream(conv_id, inputs="In Lyon") as stream:
        assert list(stream)
    entry = present(conversations.get_history(conv_id).entries[1].id)
    assert conversations.restart(conv_id, from_entry_id=entry, inputs="Paris").outputs
    with conversations.restart_stream(conv_id, from_entry_id=entry) as stream:
        assert list(stream)
    assert conversations.get(conv_id).id == conv_id
    assert len(conversations.get_messages(conv_id).messages) == 6
    assert len(list(conversations.list())) == 4
    conversations.delete(conv_id)
    assert client.agents.complete(agent_id=agent.id, messages=MESSAGES).choices
    with client.agents.stream(agent_id=agent.id, messages=MESSAGES) as stream:
        assert list(stream)
    agents.delete(agent.id)


def _libraries(client: Mistral) -> None:
    libraries = client.beta.libraries
    library = libraries.create(name="Manuals")
    assert [lib.id for lib in libraries.list().data] == [library.id]
    assert libraries.update(library.id, description="How-tos").description == "How-tos"
    documents = libraries.documents
    doc = documents.upload(library.id, file=("guide.txt", b"Press the red button."))
    while documents.status(library.id, doc.id).process_status != "done":
        pass
    assert documents.get(library.id, doc.id).number_of_pages == 1
    assert [d.id for d in documents.list(library.id)] == [doc.id]
    assert documents.update(library.id, doc.id, name="Guide").name == "Guide"
    assert documents.text_content(library.id, doc.id).text == "Press the red button."
    assert documents.get_signed_url(library.id, doc.id).startswith("http")
    assert documents.extracted_text_signed_url(library.id, doc.id).startswith("http")
    documents.reprocess(library.id, doc.id)
    documents.delete(library.id, doc.id)
    accesses = libraries.accesses
    accesses.update_or_create(
        library.id, level="Viewer", share_with_uuid=USER, share_with_type="User"
    )
    assert len(accesses.list(library.id).data) == 2
    accesses.delete(
        library.id, level="Viewer", share_with_uuid=USER, share_with_type="User"
    )
    assert libraries.get(library.id).nb_documents == 0
    assert libraries.delete(library.id).id == library.id


def test_tour_every_operation_through_the_sdk(
    emulator: Emulator, client: Mistral
) -> None:
    _models_and_generation(client)
    _files_and_ocr(client)
    _fine_tuning(client, emulator)
    _batch(client)
    _agents_and_conversations(client)
    _libraries(client)

    answered = {x.operation_id for x in emulator.log if x.response.status < 300}
    seed_areas = {
        op_id
        for op_id, op in router().operations.items()
        if not op.path.startswith(NEW_AREAS)
    }
    assert answered == seed_areas
    assert [x.operation_id for x in emulator.log if x.response.status >= 300] == []


@pytest.mark.anyio
async def test_tour_async_client_streams_and_uploads(
    emulator: Emulator, async_client: AsyncMistral
) -> None:
    chunks = []
    async with await async_client.chat.stream(
        model="mistral-small-latest", messages=MESSAGES
    ) as stream:
        async for chunk in stream:
            chunks.append(text(chunk.choices[0].delta.content or ""))
    uploaded = await async_client.files.upload(file=("a.txt", b"abc"))
    download = await async_client.files.download(uploaded.id)

    assert "".join(chunks) == "Hello emulator"
    assert await download.read() == b"abc"
    await anyio.lowlevel.checkpoint()

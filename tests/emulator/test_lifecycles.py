"""Jobs and documents move one step per read, and really do their work."""

from __future__ import annotations

import json
from typing import Any

from mistral_sdk import Mistral
from mistral_sdk.testing import Emulator, VirtualClock
from mistral_sdk.types import FTModelCard

from ._narrow import job as job_of
from ._narrow import model_ids, of

MODEL = "mistral-small-latest"


def jsonl(*lines: Any) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def chat_line(custom_id: str, text: str) -> dict[str, Any]:
    return {
        "custom_id": custom_id,
        "body": {"messages": [{"role": "user", "content": text}]},
    }


def test_batch_end_to_end(emulator: Emulator, client: Mistral) -> None:
    emulator.script.reply("Scripted answer")
    source = client.files.upload(
        file=(
            "requests.jsonl",
            jsonl(chat_line("a", "First"), chat_line("b", "Second")),
        ),
        purpose="batch",
    )
    job = client.batch.jobs.create(
        input_files=[source.id], endpoint="/v1/chat/completions", model=MODEL
    )

    statuses = [job.status]
    while statuses[-1] in ("QUEUED", "RUNNING"):
        job = client.batch.jobs.get(job.id)
        statuses.append(job.status)

    assert statuses == ["QUEUED", "RUNNING", "SUCCESS"]
    assert (job.total_requests, job.succeeded_requests, job.failed_requests) == (
        2,
        2,
        0,
    )
    assert job.error_file is None
    assert job.output_file is not None
    output = client.files.retrieve(job.output_file)
    assert (output.sample_type, output.purpose) == ("batch_result", "batch")
    lines = [
        json.loads(line)
        for line in client.files.download(job.output_file).read().splitlines()
    ]
    answers = {
        line["custom_id"]: line["response"]["body"]["choices"][0]["message"]["content"]
        for line in lines
    }
    assert answers == {"a": "Scripted answer", "b": "Second"}
    assert all(line["response"]["status_code"] == 200 for line in lines)


def test_batch_failed_lines_go_to_the_error_file(
    emulator: Emulator, client: Mistral
) -> None:
    bad = {"custom_id": "bad", "body": {"messages": [], "temperature": "hot"}}
    source = client.files.upload(
        file=("in.jsonl", jsonl(chat_line("ok", "Hi"), bad) + b"not json\n"),
        purpose="batch",
    )
    job = client.batch.jobs.create(
        input_files=[source.id], endpoint="/v1/chat/completions", model=MODEL
    )

    emulator.settle()
    job = client.batch.jobs.get(job.id)

    assert job.status == "SUCCESS"
    assert (job.succeeded_requests, job.failed_requests) == (1, 2)
    assert sorted(e.message for e in job.errors) == [
        "Input should be a valid number",
        "Invalid JSON line",
    ]
    assert job.error_file is not None
    failed = client.files.download(job.error_file).read().splitlines()
    assert json.loads(failed[0])["response"]["status_code"] == 422


def test_batch_fails_when_every_line_fails(emulator: Emulator, client: Mistral) -> None:
    job = client.batch.jobs.create(
        requests=[{"body": {"messages": []}}],
        endpoint="/v1/chat/completions",
        model="no-such-model",
    )

    emulator.settle()

    assert client.batch.jobs.get(job.id).status == "FAILED"


def test_batch_inline_requests_and_outputs(emulator: Emulator, client: Mistral) -> None:
    job = client.batch.jobs.create(
        requests=[{"custom_id": "e", "body": {"input": "hello"}}],
        endpoint="/v1/embeddings",
        model="mistral-embed",
    )

    emulator.settle()
    done = client.batch.jobs.get(job.id, inline=True)

    assert done.outputs is not None
    assert done.outputs[0]["custom_id"] == "e"
    assert len(done.outputs[0]["response"]["body"]["data"][0]["embedding"]) == 1024


def test_batch_cancel(client: Mistral) -> None:
    job = client.batch.jobs.create(
        requests=[{"body": {"input": "x"}}],
        endpoint="/v1/embeddings",
        model="mistral-embed",
    )

    cancelled = client.batch.jobs.cancel(job.id)

    assert cancelled.status == "CANCELLATION_REQUESTED"
    assert client.batch.jobs.get(job.id).status == "CANCELLED"


def test_batch_timeout_on_the_clock(emulator: Emulator, client: Mistral) -> None:
    job = client.batch.jobs.create(
        requests=[{"body": {"input": "x"}}],
        endpoint="/v1/embeddings",
        model="mistral-embed",
        timeout_hours=1,
    )
    assert isinstance(emulator.clock, VirtualClock)
    emulator.clock.advance(3601)

    assert client.batch.jobs.get(job.id).status == "TIMEOUT_EXCEEDED"


def test_batch_list_filters(emulator: Emulator, client: Mistral) -> None:
    first = client.batch.jobs.create(
        requests=[{"body": {"input": "x"}}],
        endpoint="/v1/embeddings",
        model="mistral-embed",
        metadata={"team": "a"},
    )
    client.batch.jobs.create(
        requests=[{"body": {"input": "x"}}],
        endpoint="/v1/embeddings",
        model="codestral-embed",
    )

    by_model = [j.id for j in client.batch.jobs.list(model="mistral-embed")]
    by_metadata = [j.id for j in client.batch.jobs.list(metadata={"team": "a"})]
    oldest_first = [j.model for j in client.batch.jobs.list(order_by="created")]

    assert by_model == by_metadata == [first.id]
    assert oldest_first == ["mistral-embed", "codestral-embed"]


def _training_file(client: Mistral, content: bytes) -> str:
    return client.files.upload(file=("train.jsonl", content)).id


def test_fine_tuning_lifecycle_creates_a_usable_model(
    emulator: Emulator, client: Mistral
) -> None:
    data = _training_file(
        client, jsonl({"messages": [{"role": "user", "content": "Hi"}]})
    )
    job = job_of(
        client.fine_tuning.jobs.create(
            model="open-mistral-nemo",
            training_files=[{"file_id": data}],
            hyperparameters={"epochs": 2},
            suffix="bot",
        )
    )

    statuses = [job.status]
    while statuses[-1] not in ("SUCCESS", "FAILED", "FAILED_VALIDATION"):
        statuses.append(client.fine_tuning.jobs.get(job.id).status)
    detail = client.fine_tuning.jobs.get(job.id)

    assert statuses == ["QUEUED", "VALIDATING", "VALIDATED", "RUNNING", "SUCCESS"]
    assert [e.data["status"] for e in detail.events if e.data] == statuses
    assert len(detail.checkpoints) == 3
    model = detail.fine_tuned_model
    assert model is not None
    assert model.startswith("ft:open-mistral-nemo-2407:")
    card = of(FTModelCard, client.models.retrieve(model))
    assert (card.type, card.job, card.root) == (
        "fine-tuned",
        job.id,
        "open-mistral-nemo-2407",
    )
    reply = client.chat.complete(
        model=model, messages=[{"role": "user", "content": "Hi"}]
    )
    assert reply.choices[0].message.content == "Hi"


def test_fine_tuning_invalid_data_fails_validation(
    emulator: Emulator, client: Mistral
) -> None:
    data = _training_file(client, b"this is not jsonl\n")
    job = job_of(
        client.fine_tuning.jobs.create(
            model="open-mistral-nemo",
            training_files=[{"file_id": data}],
            hyperparameters={},
        )
    )

    emulator.settle()

    assert client.fine_tuning.jobs.get(job.id).status == "FAILED_VALIDATION"


def test_fine_tuning_dry_run_estimates_only(client: Mistral) -> None:
    data = _training_file(client, jsonl({"messages": []}))

    estimate = client.fine_tuning.jobs.create(
        dry_run=True,
        model="open-mistral-nemo",
        training_files=[{"file_id": data}],
        hyperparameters={},
    )

    assert getattr(estimate, "object", None) == "job.metadata"
    assert list(client.fine_tuning.jobs.list()) == []


def test_fine_tuning_waits_for_start_without_auto_start(
    emulator: Emulator, client: Mistral
) -> None:
    data = _training_file(client, jsonl({"messages": []}))
    job = job_of(
        client.fine_tuning.jobs.create(
            model="open-mistral-nemo",
            training_files=[{"file_id": data}],
            hyperparameters={},
            auto_start=False,
        )
    )

    emulator.settle()
    held = client.fine_tuning.jobs.get(job.id).status
    started = client.fine_tuning.jobs.start(job.id).status
    final = client.fine_tuning.jobs.get(job.id).status

    assert (held, started, final) == ("VALIDATED", "RUNNING", "SUCCESS")


def test_fine_tuning_classifier_model_classifies(
    emulator: Emulator, client: Mistral
) -> None:
    data = _training_file(client, jsonl({"text": "good", "labels": {"mood": "happy"}}))
    client.fine_tuning.jobs.create(
        model="ministral-3b-latest",
        job_type="classifier",
        training_files=[{"file_id": data}],
        hyperparameters={},
        classifier_targets=[{"name": "mood", "labels": ["happy", "sad"]}],
    )
    emulator.settle()
    model = next(m for m in model_ids(client) if m.startswith("ft:"))
    emulator.script.classification({"mood": {"happy": 0.9, "sad": 0.1}})

    scripted = client.classifiers.classify(model=model, input="great").results[0]
    default = client.classifiers.classify(model=model, input="great").results[0]

    assert scripted["mood"].scores == {"happy": 0.9, "sad": 0.1}
    assert abs(sum(default["mood"].scores.values()) - 1.0) < 1e-4


def test_documents_processing_to_text(emulator: Emulator, client: Mistral) -> None:
    library = client.beta.libraries.create(name="Docs")
    doc = client.beta.libraries.documents.upload(
        library.id, file=("a.txt", b"Alpha\fBeta")
    )

    statuses = [doc.process_status]
    while statuses[-1] != "done":
        statuses.append(
            client.beta.libraries.documents.status(library.id, doc.id).process_status
        )
    done = client.beta.libraries.documents.get(library.id, doc.id)
    text = client.beta.libraries.documents.text_content(library.id, doc.id).text

    assert statuses == ["todo", "in_progress", "done"]
    assert (done.number_of_pages, done.processing_status) == (2, "Completed")
    assert text == "Alpha\n\nBeta"
    assert done.tokens_processing_total > 0


def test_documents_text_is_not_ready_before_processing(
    emulator: Emulator, client: Mistral
) -> None:
    library = client.beta.libraries.create(name="Docs")
    doc = client.beta.libraries.documents.upload(library.id, file=("a.txt", b"Alpha"))

    response = emulator.handle(
        "GET",
        f"/v1/libraries/{library.id}/documents/{doc.id}/text_content",
        headers={"authorization": "Bearer test-api-key"},
    )

    assert response.status == 404


def test_documents_reprocess_starts_over(emulator: Emulator, client: Mistral) -> None:
    library = client.beta.libraries.create(name="Docs")
    doc = client.beta.libraries.documents.upload(library.id, file=("a.txt", b"Alpha"))
    emulator.settle()

    client.beta.libraries.documents.reprocess(library.id, doc.id)

    assert (
        client.beta.libraries.documents.status(library.id, doc.id).process_status
        == "in_progress"
    )


def test_settle_finishes_everything(emulator: Emulator, client: Mistral) -> None:
    library = client.beta.libraries.create(name="Docs")
    doc = client.beta.libraries.documents.upload(library.id, file=("a.txt", b"x"))
    job = client.batch.jobs.create(
        requests=[{"body": {"input": "x"}}],
        endpoint="/v1/embeddings",
        model="mistral-embed",
    )

    emulator.settle()

    assert client.batch.jobs.get(job.id).status == "SUCCESS"
    assert (
        client.beta.libraries.documents.get(library.id, doc.id).process_status == "done"
    )

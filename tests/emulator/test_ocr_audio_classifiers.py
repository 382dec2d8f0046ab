"""OCR echoes text-bearing documents; transcriptions and scores are scripted."""

from __future__ import annotations

import base64
from typing import Any

from mistral_sdk import Mistral
from mistral_sdk.testing import Emulator
from mistral_sdk.types import (
    DocumentURLChunkParam,
    ImageURLChunkParam,
    TranscriptionStreamDone,
    UserMessageParam,
)

from ._narrow import of, present

OCR = "mistral-ocr-latest"
VOXTRAL = "voxtral-mini-latest"
MODERATION = "mistral-moderation-latest"


def pdf(*pages: str) -> bytes:
    """Return a minimal PDF whose pages draw `pages` with Tj."""
    parts = [b"%PDF-1.4\n"]
    for number, text in enumerate(pages):
        content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        parts.append(f"{number * 2 + 1} 0 obj << /Type /Page >> endobj\n".encode())
        parts.append(
            f"{number * 2 + 2} 0 obj << /Length {len(content)} >>\nstream\n".encode()
            + content
            + b"\nendstream\nendobj\n"
        )
    parts.append(b"%%EOF\n")
    return b"".join(parts)


def ocr(client: Mistral, document: Any, **options: Any) -> list[str]:
    pages = client.ocr.process(model=OCR, document=document, **options).pages
    return [p.markdown for p in pages]


def test_ocr_pdf_pages(client: Mistral) -> None:
    uploaded = client.files.upload(
        file=("doc.pdf", pdf("Page one", "Page (two)")), purpose="ocr"
    )

    assert ocr(client, {"type": "file", "file_id": uploaded.id}) == [
        "Page one",
        "Page (two)",
    ]


def test_ocr_selected_pages_and_usage(client: Mistral) -> None:
    data = base64.b64encode(b"A\fB\fC").decode()
    document: DocumentURLChunkParam = {
        "type": "document_url",
        "document_url": f"data:text/plain;base64,{data}",
    }

    response = client.ocr.process(model=OCR, document=document, pages=[2, 0])

    assert [(p.index, p.markdown) for p in response.pages] == [(2, "C"), (0, "A")]
    assert response.usage_info.pages_processed == 2


def test_ocr_image_is_one_page_with_the_image(client: Mistral) -> None:
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(16)).decode()
    document: ImageURLChunkParam = {
        "type": "image_url",
        "image_url": f"data:image/png;base64,{png}",
    }

    page = client.ocr.process(
        model=OCR, document=document, include_image_base64=True
    ).pages[0]

    assert page.markdown == "![img-0.jpeg](img-0.jpeg)"
    assert page.images[0].image_base64 is not None


def test_ocr_remote_url_is_not_fetched(client: Mistral) -> None:
    document = {"type": "document_url", "document_url": "https://example.com/a.pdf"}

    assert "offline" in ocr(client, document)[0]


def test_ocr_signed_url_of_an_upload(client: Mistral) -> None:
    uploaded = client.files.upload(file=("a.txt", b"From a URL"), purpose="ocr")
    url = client.files.get_signed_url(uploaded.id).url

    assert ocr(client, {"type": "document_url", "document_url": url}) == ["From a URL"]


def test_transcription_scripted(emulator: Emulator, client: Mistral) -> None:
    emulator.script.transcription("Bonjour tout le monde.", language="fr")

    result = client.audio.transcriptions.complete(
        model=VOXTRAL,
        file=("a.mp3", b"\xff\xfb\x90\x00"),
        timestamp_granularities=["segment"],
    )

    assert (result.text, result.language) == ("Bonjour tout le monde.", "fr")
    assert [(s.start, s.end) for s in present(result.segments)] == [(0.0, 1.6)]


def test_transcription_of_real_audio_names_the_file(client: Mistral) -> None:
    result = client.audio.transcriptions.complete(
        model=VOXTRAL, file=("call.mp3", b"\xff\xfb")
    )

    assert result.text == "This is an emulated transcription of call.mp3."
    assert result.usage.prompt_audio_seconds is not None


def test_transcription_stream_events(client: Mistral) -> None:
    with client.audio.transcriptions.stream(
        model=VOXTRAL,
        file=("a.txt", b"One. Two."),
        timestamp_granularities=["segment"],
        diarize=True,
    ) as stream:
        events = list(stream)

    kinds = [e.type for e in events]
    assert kinds[0] == "transcription.language"
    assert kinds.count("transcription.segment") == 2
    assert kinds[-1] == "transcription.done"
    assert of(TranscriptionStreamDone, events[-1]).text == "One. Two."


def test_moderation_default_flags_nothing(client: Mistral) -> None:
    result = client.classifiers.moderate(model=MODERATION, input=["a", "b"]).results

    assert len(result) == 2
    assert not any(present(result[0].categories).values())
    assert all(s < 0.01 for s in present(result[0].category_scores).values())


def test_moderation_scripted_scores(emulator: Emulator, client: Mistral) -> None:
    emulator.script.moderation(violence_and_threats=0.97)

    result = client.classifiers.moderate_chat(
        model=MODERATION, input=[UserMessageParam(role="user", content="...")]
    ).results[0]

    categories = present(result.categories)
    assert categories["violence_and_threats"] is True
    assert present(result.category_scores)["violence_and_threats"] == 0.97
    assert categories["pii"] is False

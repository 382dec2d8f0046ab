"""Files (same bytes back, signed URLs on the emulator) and libraries."""

from __future__ import annotations

import pytest

from mistral_sdk import Mistral, NotFoundError
from mistral_sdk.testing import Emulator, VirtualClock

BINARY = bytes(range(256)) * 4 + b"\r\n--boundary\r\n"


def test_files_download_returns_the_same_bytes(client: Mistral) -> None:
    uploaded = client.files.upload(file=("blob.bin", BINARY))

    assert client.files.download(uploaded.id).read() == BINARY
    assert uploaded.bytes == len(BINARY)


def test_files_list_filters_and_pages(client: Mistral) -> None:
    ids = [
        client.files.upload(file=(f"f{i}.jsonl", b"{}\n"), purpose="batch").id
        for i in range(3)
    ]
    client.files.upload(file=("other.txt", b"x"), purpose="ocr")

    page = client.files.list(purpose="batch", page_size=2)

    assert [f.id for f in page.items] == [ids[2], ids[1]]
    assert page.body.total == 3
    assert [f.filename for f in client.files.list(search="OTHER")] == ["other.txt"]


def test_files_deleted_is_gone(client: Mistral) -> None:
    uploaded = client.files.upload(file=("a.txt", b"x"))

    client.files.delete(uploaded.id)

    with pytest.raises(NotFoundError):
        client.files.retrieve(uploaded.id)


def test_signed_url_serves_bytes_until_it_expires(
    emulator: Emulator, client: Mistral
) -> None:
    uploaded = client.files.upload(file=("a.bin", BINARY))
    url = client.files.get_signed_url(uploaded.id, expiry=1).url

    with emulator.http_client() as http:
        fresh = http.get(url)
        tampered = http.get(url.replace("signature=", "signature=0"))
        assert isinstance(emulator.clock, VirtualClock)
        emulator.clock.advance(3601)
        expired = http.get(url)

    assert (fresh.status_code, fresh.content) == (200, BINARY)
    assert "a.bin" in fresh.headers["content-disposition"]
    assert (tampered.status_code, expired.status_code) == (403, 403)


def test_libraries_and_accesses(client: Mistral) -> None:
    libraries = client.beta.libraries
    library = libraries.create(name="Manuals", description="All of them")
    libraries.documents.upload(library.id, file=("a.txt", b"abc"))
    user = "0f0c8e0e-2b6d-4f5e-8a3d-7c9b1e2f4a60"

    shared = libraries.accesses.update_or_create(
        library.id, level="Editor", share_with_uuid=user, share_with_type="User"
    )
    accesses = libraries.accesses.list(library.id).data

    assert libraries.get(library.id).nb_documents == 1
    assert libraries.get(library.id).total_size == 3
    assert (shared.role, shared.user_id) == ("Editor", user)
    assert [a.role for a in accesses] == ["Owner", "Editor"]
    libraries.delete(library.id)
    with pytest.raises(NotFoundError):
        libraries.get(library.id)


def test_documents_list_search_sort_and_pages(client: Mistral) -> None:
    library = client.beta.libraries.create(name="Docs")
    for name in ("beta.txt", "alpha.txt", "gamma.md"):
        client.beta.libraries.documents.upload(library.id, file=(name, b"x"))

    page = client.beta.libraries.documents.list(
        library.id, sort_by="name", sort_order="asc", page_size=2
    )
    found = client.beta.libraries.documents.list(library.id, search="gam")

    assert [d.name for d in page.items] == ["alpha.txt", "beta.txt"]
    pagination = page.body.pagination
    assert (pagination.total_items, pagination.has_more) == (3, True)
    assert [d.name for d in found] == ["gamma.md"]
    assert [d.name for d in page] == ["alpha.txt", "beta.txt", "gamma.md"]


def test_documents_signed_urls(emulator: Emulator, client: Mistral) -> None:
    library = client.beta.libraries.create(name="Docs")
    doc = client.beta.libraries.documents.upload(library.id, file=("a.txt", b"Hi"))
    emulator.settle()

    raw = client.beta.libraries.documents.get_signed_url(library.id, doc.id)
    text = client.beta.libraries.documents.extracted_text_signed_url(library.id, doc.id)

    with emulator.http_client() as http:
        assert http.get(raw).content == b"Hi"
        assert http.get(text).text == "Hi"

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx2
import pytest
from conftest import Handle, MockApi, json_reply
from factories import Chunks, file_object

from mistral_sdk import APIConnectionError, BinaryResponse
from mistral_sdk._files import open_upload

UPLOADED = file_object("file-1")


def test_upload_from_path(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(b"{}\n")

    with ExitStack() as stack:
        name, content, mime = open_upload(str(path), stack)
        assert isinstance(content, io.BufferedReader)
        assert content.read() == b"{}\n"

    assert name == "train.jsonl"
    assert mime == "application/octet-stream" or mime.endswith("jsonl")
    assert content.closed


def test_upload_from_pathlike(tmp_path: Path) -> None:
    path = tmp_path / "speech.mp3"
    path.write_bytes(b"ID3")

    with ExitStack() as stack:
        name, _, mime = open_upload(path, stack)

    assert (name, mime) == ("speech.mp3", "audio/mpeg")


def test_upload_from_bytes() -> None:
    assert open_upload(b"abc", ExitStack()) == (
        "upload",
        b"abc",
        "application/octet-stream",
    )
    assert open_upload(bytearray(b"ab"), ExitStack())[1] == b"ab"


def test_upload_from_binary_file_object(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"%PDF")

    with path.open("rb") as file:
        name, content, mime = open_upload(file, ExitStack())

    assert (name, content, mime) == ("doc.pdf", file, "application/pdf")


def test_upload_from_anonymous_stream() -> None:
    buffer = io.BytesIO(b"data")

    assert open_upload(buffer, ExitStack()) == (
        "upload",
        buffer,
        "application/octet-stream",
    )


def test_upload_from_tuples() -> None:
    assert open_upload(("a.png", b"x"), ExitStack()) == ("a.png", b"x", "image/png")
    assert open_upload(("a.bin", b"x", "text/csv"), ExitStack()) == (
        "a.bin",
        b"x",
        "text/csv",
    )
    assert open_upload((None, b"x", None), ExitStack()) == (
        "upload",
        b"x",
        "application/octet-stream",
    )


@pytest.mark.parametrize(
    "value",
    [
        123,
        None,
        ["a.txt"],
        {"file": b"x"},
        ("a.txt",),
        ("a", "text content"),
        (1, b"x"),
        ("a", b"x", 5),
    ],
)
def test_upload_wrong_type_names_accepted_forms(value: object) -> None:
    with pytest.raises(TypeError, match=r"a path .* bytes, a binary file object"):
        open_upload(value, ExitStack())


def test_upload_text_mode_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("hi")

    with path.open("r") as file, pytest.raises(TypeError, match="text mode"):
        open_upload(file, ExitStack())
    with pytest.raises(TypeError, match="text mode"):
        open_upload(io.StringIO("hi"), ExitStack())


def test_upload_missing_path_fails_before_sending() -> None:
    with pytest.raises(FileNotFoundError):
        open_upload("/nonexistent/file.jsonl", ExitStack())


# ------------------------------------------------------------------ through both clients
def test_upload_each_form_sends_multipart(
    both_clients: Callable[..., Handle], api: MockApi, tmp_path: Path
) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_bytes(b'{"a": 1}\n')
    forms: list[object] = [
        str(path),
        path,
        b'{"a": 1}\n',
        io.BytesIO(b'{"a": 1}\n'),
        ("batch.jsonl", b'{"a": 1}\n'),
    ]
    api.add("POST", "/v1/files", *[json_reply(200, UPLOADED) for _ in forms])
    handle = both_clients()

    for form in forms:
        result = handle.client.files.upload(file=form, purpose="batch")
        assert result.id == "file-1"

    for request in api.requests:
        assert request.headers["content-type"].startswith(
            "multipart/form-data; boundary="
        )
        assert b'name="purpose"\r\n\r\nbatch\r\n' in request.content
        assert b'{"a": 1}\n' in request.content
    assert b'filename="batch.jsonl"' in api.requests[0].content
    assert b'filename="upload"' in api.requests[2].content


def test_upload_wrong_type_sends_nothing(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    handle = both_clients()

    with pytest.raises(TypeError):
        handle.client.files.upload(file=42)

    assert api.requests == []


def test_upload_retry_resends_the_whole_file(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "POST",
        "/v1/files",
        json_reply(503, {"message": "busy"}),
        json_reply(200, UPLOADED),
    )
    handle = both_clients()

    handle.client.files.upload(file=io.BytesIO(b"payload-bytes"))

    assert all(b"payload-bytes" in r.content for r in api.requests)


def test_download_streams_to_file(
    both_clients: Callable[..., Handle], api: MockApi, tmp_path: Path
) -> None:
    body = Chunks([b"a" * 70_000, b"b" * 70_000, b"c"])
    api.add(
        "GET",
        "/v1/files/f1/content",
        httpx2.Response(200, stream=body, headers={"x-kong-request-id": "k"}),
    )
    handle = both_clients()
    target = tmp_path / "out.bin"

    with handle.client.files.download("f1") as download:
        assert download.request_id == "k"
        download.write_to_file(target)

    assert target.read_bytes() == b"a" * 70_000 + b"b" * 70_000 + b"c"
    assert body.closed
    assert api.last.headers["accept"] == "application/octet-stream"


def test_download_iter_bytes_in_chunks(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    api.add(
        "GET",
        "/v1/files/f1/content",
        httpx2.Response(200, stream=Chunks([b"abcdefgh", b"ij"])),
    )
    handle = both_clients()

    pieces = list(handle.client.files.download("f1").iter_bytes(4))

    assert pieces == [b"abcd", b"efgh", b"ij"]


def test_download_read_everything(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    body = Chunks([b"ab", b"cd"])
    api.add("GET", "/v1/files/f1/content", httpx2.Response(200, stream=body))
    handle = both_clients()

    assert handle.client.files.download("f1").read() == b"abcd"
    assert body.closed


def test_download_broken_connection(
    both_clients: Callable[..., Handle], api: MockApi, tmp_path: Path
) -> None:
    api.add(
        "GET",
        "/v1/files/f1/content",
        httpx2.Response(200, stream=Chunks([b"ab"], fail=True)),
    )
    handle = both_clients()

    with pytest.raises(APIConnectionError):
        handle.client.files.download("f1").write_to_file(tmp_path / "x")


def test_download_holds_one_chunk_at_a_time() -> None:
    produced: list[int] = []

    class Counting(Chunks):
        def __iter__(self) -> Iterator[bytes]:
            for part in self.chunks:
                produced.append(len(part))
                yield part

    response = httpx2.Response(200, stream=Counting([b"x" * 10] * 5))
    download = BinaryResponse(response)
    iterator = download.iter_bytes(10)

    next(iterator)

    assert produced == [10]
    download.close()


def test_download_closed_when_dropped(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    body = Chunks([b"abc"])
    api.add("GET", "/v1/files/f1/content", httpx2.Response(200, stream=body))
    handle = both_clients()

    handle.client.files.download("f1")
    handle.collect_garbage()

    assert body.closed


def test_raw_download_closed_when_dropped_unread(
    both_clients: Callable[..., Handle], api: MockApi
) -> None:
    # Defect 1: a raw download dropped unread held its connection forever.
    body = Chunks([b"abc"])
    api.add("GET", "/v1/files/f1/content", httpx2.Response(200, stream=body))
    handle = both_clients()

    handle.client.files.with_raw_response.download("f1")
    handle.collect_garbage()

    assert body.closed
    assert body.sent == 0

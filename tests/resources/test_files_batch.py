from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx2
import pytest
from conftest import MockApi, json_reply

from . import payloads


def _multipart_file(request: httpx2.Request) -> bytes:
    return request.content


@pytest.mark.parametrize(
    "file",
    [
        b'{"a": 1}\n',
        io.BytesIO(b'{"a": 1}\n'),
        ("data.jsonl", b'{"a": 1}\n'),
        ("data.jsonl", b'{"a": 1}\n', "application/jsonl"),
    ],
    ids=["bytes", "file-object", "pair", "triple"],
)
def test_files_upload_sends_multipart(sdk: Any, api: MockApi, file: Any) -> None:
    api.add("POST", "/v1/files", json_reply(200, payloads.file_out("f-1")))

    uploaded = sdk.files.upload(file=file, purpose="batch")

    request = api.last
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'name="purpose"' in body
    assert b"batch" in body
    assert b'name="file"' in body
    assert b'{"a": 1}\n' in body
    assert uploaded.id == "f-1"


def test_files_upload_from_a_path_uses_its_name(
    sdk: Any, api: MockApi, tmp_path: Path
) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(b"{}\n")
    api.add("POST", "/v1/files", json_reply(200, payloads.file_out("f-2")))

    sdk.files.upload(file=path, purpose="fine-tune")

    assert b'filename="train.jsonl"' in api.last.content


def test_files_upload_rejects_a_wrong_input_before_any_request(
    sdk: Any, api: MockApi
) -> None:
    with pytest.raises(TypeError, match="file"):
        sdk.files.upload(file=12345, purpose="batch")

    assert api.requests == []


def test_files_download_streams_to_a_file(
    sdk: Any, api: MockApi, tmp_path: Path
) -> None:
    content = bytes(range(256)) * 1000
    api.add(
        "GET",
        "/v1/files/f-1/content",
        httpx2.Response(
            200, content=content, headers={"content-type": "application/octet-stream"}
        ),
    )
    target = tmp_path / "out.bin"

    with sdk.files.download("f-1") as download:
        download.write_to_file(target)

    assert target.read_bytes() == content


def test_files_get_signed_url_returns_the_url_object(sdk: Any, api: MockApi) -> None:
    api.add("GET", "/v1/files/f-1/url", json_reply(200, {"url": "https://x/y?sig=1"}))

    url = sdk.files.get_signed_url("f-1", expiry=2)

    assert url.url == "https://x/y?sig=1"
    assert api.last.url.params["expiry"] == "2"


def test_files_list_iterates_across_pages(sdk: Any, api: MockApi) -> None:
    def page(*ids: str) -> httpx2.Response:
        data = [payloads.file_out(i) for i in ids]
        return json_reply(200, {"object": "list", "data": data, "total": 3})

    api.add("GET", "/v1/files", page("a", "b"), page("c"))

    listing = sdk.files.list(page_size=2, purpose="batch")
    ids = [file.id for file in listing]

    assert ids == ["a", "b", "c"]
    assert listing.body.total == 3
    assert listing.total == 3
    pages = [dict(r.url.params) for r in api.requests]
    assert pages[0] == {"page_size": "2", "purpose": "batch"}
    assert pages[1] == {"page_size": "2", "purpose": "batch", "page": "1"}


def test_batch_jobs_list_stops_on_a_short_page(sdk: Any, api: MockApi) -> None:
    first = {"object": "list", "data": [payloads.batch_job("j1")], "total": 1}
    api.add("GET", "/v1/batch/jobs", json_reply(200, first))

    jobs = list(sdk.batch.jobs.list(status=["QUEUED", "RUNNING"]))

    assert [job.id for job in jobs] == ["j1"]
    assert len(api.requests) == 1
    assert api.last.url.params.get_list("status") == ["QUEUED", "RUNNING"]


def test_batch_jobs_list_sends_metadata_as_json(sdk: Any, api: MockApi) -> None:
    api.add(
        "GET",
        "/v1/batch/jobs",
        json_reply(200, {"object": "list", "data": [], "total": 0}),
    )

    list(sdk.batch.jobs.list(metadata={"team": "a"}))

    assert (
        api.last.url.params["metadata"] == '{"team":"a"}'
        or api.last.url.params["metadata"] == '{"team": "a"}'
    )


def test_batch_jobs_keep_unknown_statuses(sdk: Any, api: MockApi) -> None:
    api.add(
        "GET", "/v1/batch/jobs/j1", json_reply(200, payloads.batch_job("j1", "PAUSED"))
    )

    assert sdk.batch.jobs.get("j1").status == "PAUSED"


def test_batch_jobs_create_sends_the_body(sdk: Any, api: MockApi) -> None:
    api.add("POST", "/v1/batch/jobs", json_reply(200, payloads.batch_job("j1")))

    sdk.batch.jobs.create(
        input_files=["f-1"],
        endpoint="/v1/chat/completions",
        model="mistral-small-latest",
    )

    assert api.last.content.startswith(b"{")
    assert b'"input_files":["f-1"]' in api.last.content.replace(b" ", b"")

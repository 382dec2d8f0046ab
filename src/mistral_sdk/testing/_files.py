"""Files: upload, list, retrieve, download the same bytes, signed URLs, delete."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable
from typing import Any, Final

from ._context import Call, Handler, World, json_response
from ._errors import ApiError
from ._http import Response
from ._signed import signed_url

__all__ = ["HANDLERS", "create_file", "file_bytes"]

_SAMPLE_TYPES: Final = {
    "fine-tune": "instruct",
    "batch": "batch_request",
    "ocr": "instruct",
}
_PUBLIC: Final = (
    "id",
    "object",
    "bytes",
    "created_at",
    "filename",
    "purpose",
    "sample_type",
    "num_lines",
    "mimetype",
    "source",
    "signature",
)


def create_file(
    world: World,
    content: bytes,
    filename: str,
    *,
    purpose: str,
    sample_type: str | None = None,
    mimetype: str | None = None,
    source: str = "upload",
) -> dict[str, Any]:
    """Store a file and return its record (uploads and batch outputs)."""
    file_id = world.ids.uuid("file")
    is_jsonl = filename.endswith(".jsonl")
    record: dict[str, Any] = {
        "id": file_id,
        "object": "file",
        "bytes": len(content),
        "created_at": world.now(),
        "filename": filename,
        "purpose": purpose,
        "sample_type": sample_type or _SAMPLE_TYPES.get(purpose, "instruct"),
        "num_lines": content.count(b"\n") + (not content.endswith(b"\n"))
        if is_jsonl and content
        else None,
        "mimetype": mimetype or mimetypes.guess_type(filename)[0],
        "source": source,
        "signature": hashlib.sha256(content).hexdigest(),
    }
    world.store.put("file", file_id, record)
    world.store.put_blob(f"file:{file_id}", content)
    return record


def file_bytes(world: World, file_id: str) -> tuple[dict[str, Any], bytes]:
    """Return a file's record and content, or raise the API's 404."""
    record = world.require("file", file_id, "File")
    return record, world.store.get_blob(f"file:{file_id}") or b""


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record[key] for key in _PUBLIC}


def upload(call: Call) -> Response:
    """POST /v1/files (multipart)."""
    form = call.form
    part = form.files["file"][0]
    purpose = (form.fields.get("purpose") or ["fine-tune"])[-1]
    mimetype = part.content_type
    if mimetype in ("application/octet-stream", "text/plain"):
        mimetype = mimetypes.guess_type(part.filename)[0] or mimetype
    record = create_file(
        call.world, part.content, part.filename, purpose=purpose, mimetype=mimetype
    )
    return json_response(_public(record))


def list_files(call: Call) -> Response:
    """GET /v1/files, with the spec's filters and pagination."""
    q = call.query
    records = call.world.store.all("file")
    filters: tuple[tuple[str, Callable[[dict[str, Any], Any], bool]], ...] = (
        ("purpose", lambda r, v: r["purpose"] == v),
        ("sample_type", lambda r, v: r["sample_type"] in v),
        ("source", lambda r, v: r["source"] in v),
        ("mimetypes", lambda r, v: r["mimetype"] in v),
        ("search", lambda r, v: v.lower() in r["filename"].lower()),
    )
    for name, keep in filters:
        if q.get(name) is not None:
            records = [r for r in records if keep(r, q[name])]
    records.reverse()  # newest first, as the API lists them
    start = q["page"] * q["page_size"]
    page = records[start : start + q["page_size"]]
    body: dict[str, Any] = {"data": [_public(r) for r in page], "object": "list"}
    body["total"] = len(records) if q["include_total"] else None
    return json_response(body)


def retrieve(call: Call) -> Response:
    """GET /v1/files/{file_id}."""
    record = call.world.require("file", call.path["file_id"], "File")
    return json_response({**_public(record), "deleted": False})


def delete(call: Call) -> Response:
    """DELETE /v1/files/{file_id}."""
    file_id = call.path["file_id"]
    call.world.require("file", file_id, "File")
    call.world.store.delete("file", file_id)
    call.world.store.delete_blob(f"file:{file_id}")
    return json_response({"id": file_id, "object": "file", "deleted": True})


def download(call: Call) -> Response:
    """GET /v1/files/{file_id}/content: the uploaded bytes, unchanged."""
    record, content = file_bytes(call.world, call.path["file_id"])
    headers = [
        ("content-type", "application/octet-stream"),
        ("content-disposition", f'attachment; filename="{record["filename"]}"'),
        ("content-length", str(len(content))),
    ]
    return Response(200, headers, content)


def get_signed_url(call: Call) -> Response:
    """GET /v1/files/{file_id}/url: a URL on the emulator, valid `expiry` hours."""
    record = call.world.require("file", call.path["file_id"], "File")
    if call.query["expiry"] <= 0:
        raise ApiError(400, "expiry must be a positive number of hours")
    url = signed_url(
        call.world,
        call.request.base_url,
        f"file:{record['id']}",
        hours=call.query["expiry"],
        filename=record["filename"],
        mimetype=record["mimetype"] or "application/octet-stream",
    )
    return json_response({"url": url})


HANDLERS: dict[str, Handler] = {
    "files_api_routes_upload_file": upload,
    "files_api_routes_list_files": list_files,
    "files_api_routes_retrieve_file": retrieve,
    "files_api_routes_delete_file": delete,
    "files_api_routes_download_file": download,
    "files_api_routes_get_signed_url": get_signed_url,
}

"""Library documents: upload, processing, text content, signed URLs.

Each read of a document's status (or of the document) moves its processing one
step: todo -> in_progress -> done. `processing_status` (an open string in the
spec) reads as the API sends it: "Running" until processing ends, then
"Completed". Once done, the text content is the text of
the upload (see `_text`), and the page count and token counts are filled in.
"""

from __future__ import annotations

import hashlib
import math
import mimetypes
from typing import Any, Final

from ._context import Call, Handler, World, json_response, no_content
from ._errors import ApiError
from ._generation import count_tokens
from ._http import Response
from ._libraries import library
from ._signed import signed_url
from ._text import page_texts

__all__ = ["HANDLERS", "advance", "settle"]

_NEXT: Final = {"todo": "in_progress", "in_progress": "done"}
_PROCESSING: Final = {"todo": "Running", "in_progress": "Running", "done": "Completed"}
"""`process_status` -> `processing_status`, in the API's words."""


def _document(call: Call) -> dict[str, Any]:
    library(call.world, call.path["library_id"])
    doc = call.world.require("document", call.path["document_id"], "Document")
    if doc["library_id"] != call.path["library_id"]:
        raise ApiError.not_found("Document", doc["id"])
    return doc


def _set_status(doc: dict[str, Any], status: str) -> None:
    doc["process_status"] = status
    doc["processing_status"] = _PROCESSING[status]


def advance(world: World, doc: dict[str, Any]) -> dict[str, Any]:
    """Move a document's processing one step, store and return it."""
    status = _NEXT.get(doc["process_status"])
    if status is None:
        return doc
    _set_status(doc, status)
    if status == "done":
        pages = page_texts(world.store.get_blob(f"document:{doc['id']}") or b"")
        text = "\n\n".join(pages)
        world.store.put_blob(f"document-text:{doc['id']}", text.encode())
        tokens = count_tokens(text)
        doc.update(
            last_processed_at=world.now_iso(),
            number_of_pages=len(pages),
            summary=" ".join(text.split()[:30]) or None,
            tokens_processing_main_content=tokens,
            tokens_processing_summary=min(tokens, 30),
            tokens_processing_total=tokens + min(tokens, 30),
        )
    world.store.put("document", doc["id"], doc)
    return doc


def settle(world: World) -> None:
    """Finish processing every document."""
    for doc in world.store.all("document"):
        while doc["process_status"] in _NEXT:
            doc = advance(world, doc)


def upload(call: Call) -> Response:
    """POST /v1/libraries/{library_id}/documents (multipart, 201)."""
    world = call.world
    lib = library(world, call.path["library_id"])
    part = call.form.files["file"][-1]
    extension = part.filename.rpartition(".")[2] if "." in part.filename else None
    doc: dict[str, Any] = {
        "id": world.ids.uuid("document"),
        "library_id": lib["id"],
        "hash": hashlib.md5(part.content, usedforsecurity=False).hexdigest(),
        "mime_type": mimetypes.guess_type(part.filename)[0] or part.content_type,
        "extension": extension,
        "size": len(part.content),
        "name": part.filename,
        "summary": None,
        "created_at": world.now_iso(),
        "last_processed_at": None,
        "number_of_pages": None,
        "process_status": "todo",
        "uploaded_by_id": world.user_id,
        "uploaded_by_type": "User",
        "tokens_processing_main_content": None,
        "tokens_processing_summary": None,
        "url": None,
        "attributes": None,
        "processing_status": _PROCESSING["todo"],
        "tokens_processing_total": 0,
    }
    world.store.put_blob(f"document:{doc['id']}", part.content)
    world.store.put("document", doc["id"], doc)
    return json_response(doc, 201)


def list_documents(call: Call) -> Response:
    """GET /v1/libraries/{library_id}/documents: searched, sorted, paged."""
    q = call.query
    lib = library(call.world, call.path["library_id"])
    docs = [d for d in call.world.store.all("document") if d["library_id"] == lib["id"]]
    if q.get("search"):
        docs = [d for d in docs if q["search"].lower() in d["name"].lower()]
    key = q["sort_by"] if docs and q["sort_by"] in docs[0] else "created_at"
    docs.sort(key=lambda d: (d[key] is None, d[key]), reverse=q["sort_order"] == "desc")
    size = q["page_size"]
    page = docs[q["page"] * size : (q["page"] + 1) * size]
    pagination: dict[str, Any] = {
        "total_items": len(docs),
        "total_pages": math.ceil(len(docs) / size),
        "current_page": q["page"],
        "page_size": size,
        "has_more": (q["page"] + 1) * size < len(docs),
    }
    return json_response({"pagination": pagination, "data": page})


def get(call: Call) -> Response:
    """GET .../documents/{document_id}: a read moves processing one step."""
    return json_response(advance(call.world, _document(call)))


def status(call: Call) -> Response:
    """GET .../documents/{document_id}/status: a read moves processing one step."""
    doc = advance(call.world, _document(call))
    keys = ("process_status", "processing_status")
    return json_response({"document_id": doc["id"], **{k: doc[k] for k in keys}})


def update(call: Call) -> Response:
    """PUT .../documents/{document_id}: name and attributes."""
    doc = _document(call)
    for key in ("name", "attributes"):
        if call.json.get(key) is not None:
            doc[key] = call.json[key]
    call.world.store.put("document", doc["id"], doc)
    return json_response(doc)


def delete(call: Call) -> Response:
    """DELETE .../documents/{document_id}."""
    doc = _document(call)
    call.world.store.delete("document", doc["id"])
    call.world.store.delete_blob(f"document:{doc['id']}")
    call.world.store.delete_blob(f"document-text:{doc['id']}")
    return no_content()


def _text_key(call: Call) -> str:
    doc = _document(call)
    if doc["process_status"] != "done":
        message = f"Document {doc['id']} is {doc['process_status']}: no text yet"
        raise ApiError(404, message)
    return f"document-text:{doc['id']}"


def text_content(call: Call) -> Response:
    """GET .../documents/{document_id}/text_content (once processing is done)."""
    text = call.world.store.get_blob(_text_key(call)) or b""
    return json_response({"text": text.decode()})


def get_signed_url(call: Call) -> Response:
    """GET .../documents/{document_id}/signed-url: the uploaded bytes."""
    doc = _document(call)
    url = signed_url(
        call.world,
        call.request.base_url,
        f"document:{doc['id']}",
        filename=doc["name"],
        mimetype=doc["mime_type"] or "application/octet-stream",
    )
    return json_response(url)


def extracted_text_signed_url(call: Call) -> Response:
    """GET .../documents/{document_id}/extracted-text-signed-url."""
    key = _text_key(call)
    url = signed_url(call.world, call.request.base_url, key, mimetype="text/plain")
    return json_response(url)


def reprocess(call: Call) -> Response:
    """POST .../documents/{document_id}/reprocess: back to "todo"."""
    doc = _document(call)
    _set_status(doc, "todo")
    call.world.store.put("document", doc["id"], doc)
    return no_content()


HANDLERS: dict[str, Handler] = {
    "libraries_documents_upload_v1": upload,
    "libraries_documents_list_v1": list_documents,
    "libraries_documents_get_v1": get,
    "libraries_documents_update_v1": update,
    "libraries_documents_delete_v1": delete,
    "libraries_documents_get_text_content_v1": text_content,
    "libraries_documents_get_status_v1": status,
    "libraries_documents_get_signed_url_v1": get_signed_url,
    "libraries_documents_get_extracted_text_signed_url_v1": extracted_text_signed_url,
    "libraries_documents_reprocess_v1": reprocess,
}

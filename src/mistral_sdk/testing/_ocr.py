"""OCR: text-bearing documents come back as pages of markdown.

The document may be an uploaded file, a `data:` URL or a signed URL of the
emulator; text files and PDFs yield their text, images one page showing the
image. A URL elsewhere cannot be fetched offline: its page says so.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Final

from ._catalogue import require_model
from ._context import Call, Handler, World, json_response
from ._errors import ApiError
from ._files import file_bytes
from ._generation import sample
from ._http import Response
from ._json import is_object, obj
from ._signed import fetch
from ._text import is_image, page_texts

__all__ = ["HANDLERS"]

_DIMENSIONS: Final = {"dpi": 200, "height": 2200, "width": 1700}
_DEFAULT_MODEL: Final = "mistral-ocr-latest"


def _document(world: World, document: dict[str, Any]) -> tuple[bytes, bool, str]:
    """Return the bytes, whether they are an image, and a name for the document."""
    kind = document.get("type", "file")
    if kind == "file":
        record, data = file_bytes(world, document["file_id"])
        image = (record["mimetype"] or "").startswith("image/") or is_image(data)
        return data, image, record["filename"]
    url = document["document_url"] if kind == "document_url" else document["image_url"]
    if is_object(url):
        url = url["url"]
    fetched = fetch(world, url)
    if fetched is None:
        text = f"(The emulator works offline and did not fetch {url}.)"
        return text.encode(), False, url
    data, name = fetched
    return data, kind == "image_url" or is_image(data), name


def _image_page(index: int, data: bytes, with_base64: bool) -> dict[str, Any]:
    image: dict[str, Any] = {
        "id": f"img-{index}.jpeg",
        "top_left_x": 0,
        "top_left_y": 0,
        "bottom_right_x": _DIMENSIONS["width"],
        "bottom_right_y": _DIMENSIONS["height"],
        "image_base64": "data:image/jpeg;base64," + base64.b64encode(data).decode()
        if with_base64
        else None,
    }
    return {"markdown": f"![{image['id']}]({image['id']})", "images": [image]}


def process(call: Call) -> Response:
    """POST /v1/ocr."""
    body = call.json
    model = body.get("model") or _DEFAULT_MODEL
    require_model(call.world, model, ["ocr"])
    data, image, _ = _document(call.world, body["document"])
    contents: list[dict[str, Any]]
    if image:
        contents = [_image_page(0, data, bool(body.get("include_image_base64")))]
    else:
        contents = [{"markdown": text, "images": []} for text in page_texts(data)]
    wanted = body.get("pages")
    if wanted is not None and any(i >= len(contents) or i < 0 for i in wanted):
        raise ApiError(400, f"pages out of range: the document has {len(contents)}")
    indexes = wanted if wanted is not None else range(len(contents))
    pages: list[dict[str, Any]] = [
        {
            "index": i,
            **contents[i],
            "tables": [],
            "hyperlinks": [],
            "header": None,
            "footer": None,
            "dimensions": _DIMENSIONS,
        }
        for i in indexes
    ]
    annotation = None
    fmt = obj(body.get("document_annotation_format"))
    if fmt.get("type") == "json_schema":
        text = "\n".join(str(p["markdown"]) for p in pages)
        annotation = json.dumps(sample(fmt["json_schema"]["schema"], text))
    return json_response(
        {
            "pages": pages,
            "model": model,
            "document_annotation": annotation,
            "usage_info": {"pages_processed": len(pages), "doc_size_bytes": len(data)},
        }
    )


HANDLERS: dict[str, Handler] = {"ocr_v1_ocr_post": process}

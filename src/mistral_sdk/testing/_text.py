"""Text out of uploaded bytes: plain text as is, PDF text drawn by `Tj`/`TJ`.

OCR and document processing both "read" what was uploaded. The emulator does
not render anything: text files are their own text (a form feed separates
pages) and a PDF yields the strings its content streams draw, page by page.
"""

from __future__ import annotations

import contextlib
import re
import zlib
from typing import Final

__all__ = ["is_image", "page_texts"]

_STREAM: Final = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_SHOW: Final = re.compile(
    rb"\((?P<text>(?:\\.|[^\\)])*)\)\s*Tj|\[(?P<array>[^\]]*)\]\s*TJ"
)
_LITERAL: Final = re.compile(rb"\(((?:\\.|[^\\)])*)\)")
_PAGE: Final = re.compile(rb"/Type\s*/Page(?!s)")
_ESCAPES: Final = {
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
    b"(": b"(",
    b")": b")",
    b"\\": b"\\",
}
_IMAGE_MAGIC: Final = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"BM")


def is_image(data: bytes) -> bool:
    """Return whether bytes start like a PNG, JPEG, GIF, WebP or BMP image."""
    return data.startswith(_IMAGE_MAGIC)


def _unescape(raw: bytes) -> str:
    text = re.sub(rb"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw)
    return text.decode("latin-1")


def _stream_text(stream: bytes) -> str:
    with contextlib.suppress(zlib.error):
        stream = zlib.decompress(stream)
    lines: list[str] = []
    for shown in _SHOW.finditer(stream):
        if shown.group("text") is not None:
            lines.append(_unescape(shown.group("text")))
        else:
            parts = _LITERAL.findall(shown.group("array"))
            lines.append("".join(_unescape(p) for p in parts))
    return "\n".join(lines)


def _pdf_pages(data: bytes) -> list[str]:
    texts = [_stream_text(s) for s in _STREAM.findall(data)]
    texts = [t for t in texts if t]
    pages = max(len(_PAGE.findall(data)), 1)
    # Without a page tree walk, content streams are taken in file order, one
    # per page; a page without text stays empty.
    return (texts + [""] * pages)[: max(pages, len(texts))]


def page_texts(data: bytes) -> list[str]:
    """Return the text of each page of a document (one page for plain text)."""
    if data.startswith(b"%PDF"):
        return _pdf_pages(data)
    if is_image(data):
        return [""]
    text = data.decode("utf-8", "replace")
    return text.split("\f") if text else [""]

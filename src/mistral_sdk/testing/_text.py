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
_NAME: Final = re.compile(rb"[^\s()<>\[\]{}/%]*")
_OPERATOR: Final = re.compile(rb"[A-Za-z'\"*]+")
_SHOWING: Final = frozenset({b"Tj", b"TJ", b"'", b'"'})
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


def _literal(data: bytes, start: int) -> tuple[str, int]:
    """Return a `(string)` literal starting at `start`, and the index after it.

    Literals may nest balanced parentheses and escape characters with a backslash.
    """
    out, depth, index = bytearray(), 0, start
    while index < len(data):
        char = data[index : index + 1]
        if char == b"\\":
            escaped = data[index + 1 : index + 2]
            out += _ESCAPES.get(escaped, escaped)
            index += 2
            continue
        if char == b"(":
            depth += 1
        elif char == b")":
            depth -= 1
        if depth == 0:
            return out.decode("latin-1"), index + 1
        if char != b"(" or depth > 1:
            out += char
        index += 1
    return out.decode("latin-1"), index


def _stream_text(stream: bytes) -> str:
    with contextlib.suppress(zlib.error):
        stream = zlib.decompress(stream)
    lines: list[str] = []
    pending: list[str] = []
    index = 0
    while index < len(stream):
        char = stream[index : index + 1]
        if char == b"(":
            text, index = _literal(stream, index)
            pending.append(text)
        elif char == b"/":
            # A name (`/F1`): its letters are not an operator.
            found = _NAME.match(stream, index + 1)
            index = found.end() if found else index + 1
        elif char.isalpha() or char in b"'\"":
            found = _OPERATOR.match(stream, index)
            operator = found.group() if found else char
            if operator in _SHOWING:
                lines.append("".join(pending))
            pending = list[str]()
            index += len(operator)
        else:
            index += 1
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

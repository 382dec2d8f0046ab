"""Uploads in, downloads out.

`open_upload` turns any accepted `FileInput` into a multipart part before a request
is built, so a wrong argument fails without sending anything. `AsyncBinaryResponse`
(`_async/_files.py`) and its generated twin `BinaryResponse` hand a downloaded
body out in chunks.
"""

from __future__ import annotations

import io
import os
from contextlib import ExitStack
from typing import IO, Final, cast

from ._request import FilePart

__all__ = ["CHUNK_SIZE", "open_upload"]

CHUNK_SIZE: Final = 64 * 1024
"""Default chunk size of downloads, in bytes."""

_DEFAULT_FILENAME: Final = "upload"
_ACCEPTED: Final = (
    "file= accepts a path (str or os.PathLike), bytes, a binary file object, "
    "or a (filename, content) / (filename, content, mime_type) tuple"
)


def _guess_type(filename: str) -> str:
    import mimetypes

    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def _content(value: object) -> bytes | IO[bytes] | None:
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, io.TextIOBase):
        return None
    mode = getattr(value, "mode", "b")
    if callable(getattr(value, "read", None)) and not (
        isinstance(mode, str) and "b" not in mode
    ):
        return cast("IO[bytes]", value)
    return None


def _name_of(value: object) -> str | None:
    name = getattr(value, "name", None)
    return os.path.basename(name) if isinstance(name, str) and name else None


def open_upload(value: object, stack: ExitStack) -> FilePart:
    """Return `value` as `(filename, content, content_type)`.

    A path is opened here and closed by `stack`, after the request; the file is
    streamed, not read into memory.

    Raises:
        TypeError: `value` is none of the accepted forms, or a text-mode file.
        OSError: A path cannot be opened.
    """
    if isinstance(value, str | os.PathLike):
        path = os.fspath(cast("str | os.PathLike[str]", value))
        file = stack.enter_context(open(path, "rb"))  # noqa: SIM115
        filename = os.path.basename(path) or _DEFAULT_FILENAME
        return filename, file, _guess_type(filename)
    if isinstance(value, tuple):
        return _from_tuple(cast("tuple[object, ...]", value))
    content = _content(value)
    if content is None:
        text_mode = isinstance(value, io.TextIOBase) or hasattr(value, "read")
        hint = (
            " (the file is open in text mode; open it with 'rb')" if text_mode else ""
        )
        raise TypeError(f"{_ACCEPTED}, not {type(value).__name__}{hint}")
    filename = _name_of(value) or _DEFAULT_FILENAME
    return filename, content, _guess_type(filename)


def _from_tuple(parts: tuple[object, ...]) -> FilePart:
    name = parts[0] if len(parts) in (2, 3) else None
    raw = parts[1] if len(parts) in (2, 3) else None
    mime = parts[2] if len(parts) == 3 else None
    content = _content(raw)
    if (
        content is None
        or not isinstance(name, str | None)
        or not isinstance(mime, str | None)
    ):
        names = ", ".join(type(part).__name__ for part in parts)
        raise TypeError(f"{_ACCEPTED}; got a tuple of ({names})")
    filename = name or _name_of(raw) or _DEFAULT_FILENAME
    return filename, content, mime or _guess_type(filename)

"""Uploads in, downloads out.

`open_upload` turns any accepted `FileInput` into a multipart part before a request
is built, so a wrong argument fails without sending anything. `BinaryResponse` and
`AsyncBinaryResponse` hand a downloaded body out in chunks.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from typing import IO, Final, cast

import httpx2
from typing_extensions import Self

from ._errors import connection_error
from ._request import FilePart
from ._response import HeldResponse, SyncHeldResponse

__all__ = ["CHUNK_SIZE", "AsyncBinaryResponse", "BinaryResponse", "open_upload"]

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


class BinaryResponse(SyncHeldResponse):
    """A downloaded body, read on demand; close it (or use `with`) when done.

    Only `read()` holds the whole body in memory; `iter_bytes()` and
    `write_to_file()` hold one chunk at a time.
    """

    def read(self) -> bytes:
        """Return the whole body, then release the connection."""
        try:
            return self._response.read()
        except httpx2.HTTPError as exc:
            raise connection_error(exc, self._response.request) from exc
        finally:
            self.close()

    def iter_bytes(self, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
        """Yield the body in chunks of `chunk_size` bytes (the last may be shorter)."""
        try:
            yield from self._response.iter_bytes(chunk_size)
        except httpx2.HTTPError as exc:
            raise connection_error(exc, self._response.request) from exc
        finally:
            self.close()

    def write_to_file(self, path: str | os.PathLike[str]) -> None:
        """Stream the body into the file at `path`, chunk by chunk."""
        with open(path, "wb") as file:
            for chunk in self.iter_bytes():
                file.write(chunk)

    def close(self) -> None:
        """Release the connection; the unread rest of the body is discarded."""
        self._response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncBinaryResponse(HeldResponse):
    """A downloaded body, read on demand; close it (or use `async with`) when done.

    Only `read()` holds the whole body in memory; `iter_bytes()` and
    `write_to_file()` hold one chunk at a time.
    """

    async def read(self) -> bytes:
        """Return the whole body, then release the connection."""
        try:
            return await self._response.aread()
        except httpx2.HTTPError as exc:
            raise connection_error(exc, self._response.request) from exc
        finally:
            await self.close()

    async def iter_bytes(self, chunk_size: int = CHUNK_SIZE) -> AsyncIterator[bytes]:
        """Yield the body in chunks of `chunk_size` bytes (the last may be shorter)."""
        try:
            async for chunk in self._response.aiter_bytes(chunk_size):
                yield chunk
        except httpx2.HTTPError as exc:
            raise connection_error(exc, self._response.request) from exc
        finally:
            await self.close()

    async def write_to_file(self, path: str | os.PathLike[str]) -> None:
        """Stream the body into the file at `path`, chunk by chunk."""
        with open(path, "wb") as file:
            async for chunk in self.iter_bytes():
                file.write(chunk)

    async def close(self) -> None:
        """Release the connection; the unread rest of the body is discarded."""
        await self._response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

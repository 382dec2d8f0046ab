"""`mistral files upload|list|download|delete`, with progress bars."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import IO, Any, cast

from mistral_sdk.cli._client import make_client
from mistral_sdk.cli._output import console, print_json, progress, table

__all__ = ["ProgressReader", "register"]


class ProgressReader:
    """A binary file that reports each read, so an upload can draw its bar.

    `fileno()` lets the HTTP client size the body from the real file.
    """

    mode = "rb"

    def __init__(self, file: IO[bytes], advance: Callable[[int], None]) -> None:
        self._file = file
        self._advance = advance
        self.name = file.name

    def read(self, size: int = -1) -> bytes:
        """Read like the file, and report how much was read."""
        chunk = self._file.read(size)
        self._advance(len(chunk))
        return chunk

    def fileno(self) -> int:
        """Return the file's descriptor."""
        return self._file.fileno()

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        """Seek in the file (a retried upload starts again)."""
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        """Return the file's position."""
        return self._file.tell()


def register(commands: Any) -> None:
    """Add the `files` commands."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "files", help="upload, list, download and delete files"
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    upload = verbs.add_parser("upload", help="upload a file")
    upload.add_argument("path", help="the file to upload")
    upload.add_argument(
        "--purpose", default="batch", help="fine-tune, batch, ocr, ... (default: batch)"
    )
    upload.add_argument("--json", action="store_true", help="print the file as JSON")
    upload.set_defaults(run=upload_file)

    listing = verbs.add_parser("list", help="list the files")
    listing.add_argument("--purpose", help="only files of this purpose")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(run=list_files)

    download = verbs.add_parser("download", help="download a file's content")
    download.add_argument("file_id")
    download.add_argument(
        "-o", "--output", help="where to write it (default: the file's name)"
    )
    download.add_argument(
        "--json",
        action="store_true",
        help='print {"id", "path", "bytes"} (the file written) as JSON',
    )
    download.set_defaults(run=download_file)

    delete = verbs.add_parser("delete", help="delete a file")
    delete.add_argument("file_id")
    delete.add_argument("--json", action="store_true", help="print the answer as JSON")
    delete.set_defaults(run=delete_file)


def upload_file(args: argparse.Namespace) -> int:
    """Upload a file with a progress bar; print its id."""
    size = os.path.getsize(args.path)
    name = os.path.basename(args.path)
    with make_client() as client, open(args.path, "rb") as file, progress() as bars:
        task = bars.add_task(f"upload {name}", total=size)

        def advance(count: int) -> None:
            bars.advance(task, count)

        reader = ProgressReader(file, advance)
        uploaded = client.files.upload(
            file=(name, cast("IO[bytes]", reader)), purpose=args.purpose
        )
    if args.json:
        print_json(uploaded)
    else:
        console().print(uploaded.id)
    return 0


def list_files(args: argparse.Namespace) -> int:
    """Print every file: a table, or JSON."""
    options: dict[str, Any] = {}
    if args.purpose:
        options["purpose"] = args.purpose
    with make_client() as client:
        files = list(client.files.list(**options))
    if args.json:
        print_json(files)
        return 0
    table(
        ("id", "filename", "purpose", "bytes", "created"),
        ((f.id, f.filename, f.purpose, f.bytes, f.created_at) for f in files),
    )
    return 0


def download_file(args: argparse.Namespace) -> int:
    """Download a file's content with a progress bar; say where it went."""
    written = 0
    with make_client() as client:
        record = client.files.retrieve(args.file_id)
        target = args.output or os.path.basename(record.filename or args.file_id)
        with (
            progress() as bars,
            client.files.download(args.file_id) as body,
            open(target, "wb") as out,
        ):
            task = bars.add_task(f"download {target}", total=record.bytes or None)
            for chunk in body.iter_bytes():
                out.write(chunk)
                written += len(chunk)
                bars.advance(task, len(chunk))
    if args.json:
        print_json({"id": args.file_id, "path": target, "bytes": written})
    else:
        console(stderr=True).print(f"wrote {target} ({written} bytes)")
    return 0


def delete_file(args: argparse.Namespace) -> int:
    """Delete a file."""
    with make_client() as client:
        answer = client.files.delete(args.file_id)
    if args.json:
        print_json(answer)
    else:
        console().print(f"deleted {args.file_id}")
    return 0

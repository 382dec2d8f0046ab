"""The parser, the dispatch and the error policy of the `mistral` command.

An error is one line on stderr and a non-zero exit status; `--debug` adds the
traceback. Nothing here prints the API key: the client keeps it secret, and
the messages shown are the SDK's, which never contain it.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Final

from mistral_sdk._version import __version__

__all__ = ["main"]

Command = Callable[[argparse.Namespace], int]

_INTERRUPTED: Final = 130


def _parser() -> argparse.ArgumentParser:
    from mistral_sdk.cli import _batch, _chat, _emulator, _files, _models

    parser = argparse.ArgumentParser(
        prog="mistral",
        description="The Mistral AI API from the command line. The API key comes "
        "from MISTRAL_API_KEY, the endpoint from MISTRAL_BASE_URL.",
    )
    parser.add_argument(
        "--version", action="version", version=f"mistral-sdk {__version__}"
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an error"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (_chat, _models, _files, _batch, _emulator):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `mistral` command; return its exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    command: Command = args.run
    try:
        return command(args)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return _INTERRUPTED
    except Exception as error:
        if args.debug:
            traceback.print_exc()
        sys.stderr.write(f"error: {_describe(error)}\n")
        return 1


def _describe(error: Exception) -> str:
    from mistral_sdk import APIError, MistralError

    if isinstance(error, APIError):
        return f"{error.status_code} {error.message}"
    if isinstance(error, MistralError | OSError | ValueError):
        text = str(error) or type(error).__name__
    else:
        text = f"{type(error).__name__}: {error}"
    return " ".join(text.split())

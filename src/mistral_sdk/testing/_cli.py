"""`mistral-emulator` / `python -m mistral_sdk.testing`: serve the emulator."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ._clock import SystemClock, VirtualClock
from ._emulator import Emulator
from ._server import require_uvicorn

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mistral-emulator",
        description="An offline, deterministic emulator of the Mistral API.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API over HTTP (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="default: 8000")
    serve.add_argument(
        "--api-key", default=None, help="the only key accepted (default: any key)"
    )
    serve.add_argument(
        "--database", default=None, help="a SQLite file to keep state across runs"
    )
    serve.add_argument("--seed", default="0", help="identifiers derive from it")
    serve.add_argument(
        "--virtual-clock",
        action="store_true",
        help="start time at 2025-01-01 and move it only on scripted latency",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    uvicorn = require_uvicorn()
    emulator = Emulator(
        api_key=args.api_key,
        seed=args.seed,
        clock=VirtualClock() if args.virtual_clock else SystemClock(),
        database=args.database,
    )
    key = "any non-empty key" if args.api_key is None else "the one given"
    sys.stdout.write(
        f"Mistral emulator on http://{args.host}:{args.port} (API key: {key})\n"
    )
    uvicorn.run(emulator.asgi_app(), host=args.host, port=args.port, log_level="info")
    return 0

"""`mistral emulator`: serve the offline emulator (also `mistral-emulator serve`)."""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add the `emulator` command."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "emulator", help="serve the offline emulator of the API (needs uvicorn)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="default: 8000")
    parser.add_argument("--api-key", help="the only key accepted (default: any)")
    parser.add_argument("--database", help="a SQLite file keeping state across runs")
    parser.add_argument("--seed", default="0", help="identifiers derive from it")
    parser.add_argument(
        "--virtual-clock", action="store_true", help="start time at 2025-01-01"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    from mistral_sdk.testing._cli import main as serve

    argv = ["serve", "--host", args.host, "--port", str(args.port), "--seed", args.seed]
    if args.api_key:
        argv += ["--api-key", args.api_key]
    if args.database:
        argv += ["--database", args.database]
    if args.virtual_clock:
        argv.append("--virtual-clock")
    return serve(argv)

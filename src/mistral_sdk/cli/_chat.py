"""`mistral chat [-m MODEL] [PROMPT]`: stream an answer (stdin when no prompt)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from mistral_sdk.cli._client import make_client
from mistral_sdk.cli._output import print_json

__all__ = ["register"]

DEFAULT_MODEL = "mistral-small-latest"


def register(commands: Any) -> None:
    """Add the `chat` command."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "chat", help="ask a model; the answer streams as it is written"
    )
    parser.add_argument("prompt", nargs="?", help="the question (default: stdin)")
    parser.add_argument(
        "-m", "--model", default=DEFAULT_MODEL, help=f"default: {DEFAULT_MODEL}"
    )
    parser.add_argument("-s", "--system", help="a system prompt")
    parser.add_argument("-t", "--temperature", type=float, help="sampling temperature")
    parser.add_argument("--max-tokens", type=int, help="the longest answer, in tokens")
    parser.add_argument(
        "--json", action="store_true", help="print the final response as JSON"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Ask the question; stream the text, or print the whole response as JSON."""
    prompt = args.prompt if args.prompt is not None else sys.stdin.read()
    if not prompt.strip():
        raise ValueError("no prompt: give one as an argument or on stdin")
    messages: list[Any] = []
    if args.system:
        messages.append({"role": "system", "content": args.system})
    messages.append({"role": "user", "content": prompt})
    options: dict[str, Any] = {}
    if args.temperature is not None:
        options["temperature"] = args.temperature
    if args.max_tokens is not None:
        options["max_tokens"] = args.max_tokens
    with make_client() as client:
        if args.json:
            print_json(
                client.chat.complete(model=args.model, messages=messages, **options)
            )
            return 0
        with client.chat.stream(
            model=args.model, messages=messages, **options
        ) as stream:
            for chunk in stream:
                if chunk.choices:
                    text = chunk.choices[0].delta.content
                    if isinstance(text, str):
                        sys.stdout.write(text)
                        sys.stdout.flush()
    sys.stdout.write("\n")
    return 0

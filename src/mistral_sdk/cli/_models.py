"""`mistral models list`."""

from __future__ import annotations

import argparse
from typing import Any

from mistral_sdk.cli._client import make_client
from mistral_sdk.cli._output import print_json, table

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add the `models` commands."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "models", help="the models available"
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    listing = verbs.add_parser("list", help="list the models")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(run=list_models)


def list_models(args: argparse.Namespace) -> int:
    """Print the models: a table, or JSON."""
    with make_client() as client:
        cards = list(client.models.list())  # the page's model cards
    if args.json:
        print_json(cards)
        return 0
    table(
        ("id", "owned by", "created"),
        ((card.id, card.owned_by, card.created) for card in cards),
    )
    return 0

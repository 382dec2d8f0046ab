"""The client the commands use: the environment's key and endpoint."""

from __future__ import annotations

from mistral_sdk import Mistral

__all__ = ["make_client"]


def make_client() -> Mistral:
    """Return a `Mistral` configured from MISTRAL_API_KEY and MISTRAL_BASE_URL.

    Raises:
        ConfigurationError: MISTRAL_API_KEY is not set.
    """
    return Mistral()

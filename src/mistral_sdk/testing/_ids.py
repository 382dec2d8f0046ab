"""Deterministic identifiers shaped like the API's.

Each kind of object counts on its own, so one test creating an extra file does
not change the identifiers of its agents. The same seed gives the same ids.
"""

from __future__ import annotations

import hashlib
import string
import uuid
from typing import Final

from ._store import Store

__all__ = ["Ids"]

_ALPHABET: Final = string.ascii_letters + string.digits


class Ids:
    """Makes identifiers from a seed and per-kind counters kept in the store."""

    def __init__(self, store: Store, seed: int | str = 0) -> None:
        self._store = store
        self._seed = seed

    def _digest(self, kind: str) -> bytes:
        number = self._store.next_number(f"id:{kind}")
        return hashlib.sha256(f"{self._seed}:{kind}:{number}".encode()).digest()

    def uuid(self, kind: str) -> str:
        """Return a UUID (files, jobs, libraries, documents)."""
        return str(uuid.UUID(bytes=self._digest(kind)[:16], version=4))

    def hex(self, kind: str) -> str:
        """Return 32 hex digits (completion ids, request ids)."""
        return self._digest(kind).hex()[:32]

    def prefixed(self, prefix: str) -> str:
        """Return `<prefix>_<32 hex digits>` (conversations, agents, entries)."""
        return f"{prefix}_{self.hex(prefix)}"

    def short(self, kind: str, length: int = 9) -> str:
        """Return a short alphanumeric id, like a tool call's."""
        digest = self._digest(kind)
        return "".join(_ALPHABET[b % len(_ALPHABET)] for b in digest[:length])

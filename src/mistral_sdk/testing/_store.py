"""Where the emulator keeps its state: in memory, or in a SQLite file.

State is JSON documents by kind and key (files, jobs, agents, ...), binary blobs
(file contents) and counters (for deterministic identifiers). Documents come back
in insertion order, like the API's lists.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any, Protocol

__all__ = ["MemoryStore", "SQLiteStore", "Store", "open_store"]

Doc = dict[str, Any]


class Store(Protocol):
    """The state of one emulator."""

    def get(self, kind: str, key: str) -> Doc | None:
        """Return a copy of a document, or None."""
        ...

    def put(self, kind: str, key: str, doc: Doc) -> None:
        """Insert or replace a document (a replaced one keeps its place)."""
        ...

    def delete(self, kind: str, key: str) -> bool:
        """Remove a document; return whether it existed."""
        ...

    def all(self, kind: str) -> list[Doc]:
        """Return copies of every document of a kind, oldest first."""
        ...

    def get_blob(self, key: str) -> bytes | None:
        """Return stored bytes, or None."""
        ...

    def put_blob(self, key: str, data: bytes) -> None:
        """Store bytes."""
        ...

    def delete_blob(self, key: str) -> None:
        """Forget stored bytes."""
        ...

    def next_number(self, name: str) -> int:
        """Return 1, 2, 3, ... for successive calls with one name."""
        ...

    def clear(self) -> None:
        """Forget everything."""
        ...


class MemoryStore:
    """State in dictionaries; gone with the process."""

    def __init__(self) -> None:
        self._docs: dict[str, dict[str, Doc]] = {}
        self._blobs: dict[str, bytes] = {}
        self._counters: dict[str, int] = {}

    def get(self, kind: str, key: str) -> Doc | None:
        """Return a copy of a document, or None."""
        doc = self._docs.get(kind, {}).get(key)
        # Copies: a handler editing what it read must not change the state
        # until it puts the document back.
        return None if doc is None else copy.deepcopy(doc)

    def put(self, kind: str, key: str, doc: Doc) -> None:
        """Insert or replace a document."""
        self._docs.setdefault(kind, {})[key] = copy.deepcopy(doc)

    def delete(self, kind: str, key: str) -> bool:
        """Remove a document; return whether it existed."""
        return self._docs.get(kind, {}).pop(key, None) is not None

    def all(self, kind: str) -> list[Doc]:
        """Return copies of every document of a kind, oldest first."""
        return [copy.deepcopy(d) for d in self._docs.get(kind, {}).values()]

    def get_blob(self, key: str) -> bytes | None:
        """Return stored bytes, or None."""
        return self._blobs.get(key)

    def put_blob(self, key: str, data: bytes) -> None:
        """Store bytes."""
        self._blobs[key] = data

    def delete_blob(self, key: str) -> None:
        """Forget stored bytes."""
        self._blobs.pop(key, None)

    def next_number(self, name: str) -> int:
        """Return 1, 2, 3, ... for successive calls with one name."""
        self._counters[name] = self._counters.get(name, 0) + 1
        return self._counters[name]

    def clear(self) -> None:
        """Forget everything."""
        self._docs.clear()
        self._blobs.clear()
        self._counters.clear()


_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    kind TEXT NOT NULL, key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (kind, key)
);
CREATE TABLE IF NOT EXISTS blobs (key TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class SQLiteStore:
    """State in a SQLite file, kept across runs of the emulator."""

    def __init__(self, path: str | Path) -> None:
        # The emulator serialises access with its own lock; a server may call
        # from several threads.
        self._db = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None
        )
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def get(self, kind: str, key: str) -> Doc | None:
        """Return a document, or None."""
        row = self._db.execute(
            "SELECT doc FROM docs WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return None if row is None else _load(row[0])

    def put(self, kind: str, key: str, doc: Doc) -> None:
        """Insert or replace a document; an update keeps the row (and its order)."""
        self._db.execute(
            "INSERT INTO docs (kind, key, doc) VALUES (?, ?, ?) "
            "ON CONFLICT (kind, key) DO UPDATE SET doc = excluded.doc",
            (kind, key, json.dumps(doc)),
        )

    def delete(self, kind: str, key: str) -> bool:
        """Remove a document; return whether it existed."""
        cursor = self._db.execute(
            "DELETE FROM docs WHERE kind = ? AND key = ?", (kind, key)
        )
        return cursor.rowcount > 0

    def all(self, kind: str) -> list[Doc]:
        """Return every document of a kind, oldest first."""
        rows = self._db.execute(
            "SELECT doc FROM docs WHERE kind = ? ORDER BY rowid", (kind,)
        )
        return [_load(row[0]) for row in rows]

    def get_blob(self, key: str) -> bytes | None:
        """Return stored bytes, or None."""
        row = self._db.execute(
            "SELECT data FROM blobs WHERE key = ?", (key,)
        ).fetchone()
        return None if row is None else bytes(row[0])

    def put_blob(self, key: str, data: bytes) -> None:
        """Store bytes."""
        self._db.execute(
            "INSERT OR REPLACE INTO blobs (key, data) VALUES (?, ?)", (key, data)
        )

    def delete_blob(self, key: str) -> None:
        """Forget stored bytes."""
        self._db.execute("DELETE FROM blobs WHERE key = ?", (key,))

    def next_number(self, name: str) -> int:
        """Return 1, 2, 3, ... for successive calls with one name, across runs."""
        self._db.execute(
            "INSERT INTO counters (name, value) VALUES (?, 1) "
            "ON CONFLICT (name) DO UPDATE SET value = value + 1",
            (name,),
        )
        row = self._db.execute(
            "SELECT value FROM counters WHERE name = ?", (name,)
        ).fetchone()
        return int(row[0])

    def clear(self) -> None:
        """Forget everything."""
        self._db.executescript(
            "DELETE FROM docs; DELETE FROM blobs; DELETE FROM counters;"
        )


def _load(text: str) -> Doc:
    doc: Doc = json.loads(text)
    return doc


def open_store(database: str | Path | None) -> MemoryStore | SQLiteStore:
    """Return a SQLite store on `database`, or a memory store when None."""
    return MemoryStore() if database is None else SQLiteStore(database)

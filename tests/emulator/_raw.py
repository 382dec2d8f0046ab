"""Plain httpx2 clients on the emulator, for operations the SDK has no method for."""

from __future__ import annotations

from typing import Any

import httpx2

from mistral_sdk.testing import BASE_URL, DEFAULT_API_KEY, Emulator

AUTH = {"authorization": f"Bearer {DEFAULT_API_KEY}"}


def raw_client(emulator: Emulator) -> httpx2.Client:
    """Return an httpx2 client answered in process by `emulator`, with the key."""
    return httpx2.Client(
        transport=emulator.transport(), base_url=BASE_URL, headers=AUTH
    )


def ok(response: httpx2.Response, status: int = 200) -> Any:
    """Assert the status and return the JSON body (None for other bodies)."""
    assert response.status_code == status, response.text
    kind = response.headers.get("content-type", "")
    return response.json() if kind.startswith("application/json") else None

"""Signed URLs that point back at the emulator and serve bytes without a key.

The real API signs URLs of its storage; the emulator signs its own
`/_emulator/blobs/<key>` route with an HMAC, honours the expiry on its clock, and
answers like a storage bucket (403 on a bad or expired signature).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote, unquote, unquote_to_bytes, urlencode, urlsplit

from ._context import World
from ._http import Request, Response

__all__ = ["PREFIX", "fetch", "serve_signed", "signed_url"]

PREFIX = "/_emulator/blobs/"


def _signature(world: World, key: str, expires: int) -> str:
    secret = f"emulator-signing-{world.seed}".encode()
    return hmac.new(secret, f"{key}:{expires}".encode(), hashlib.sha256).hexdigest()


def signed_url(
    world: World,
    base_url: str,
    key: str,
    *,
    hours: float = 24,
    filename: str = "",
    mimetype: str = "application/octet-stream",
) -> str:
    """Return a URL serving the blob `key` for `hours` hours."""
    expires = world.now() + int(hours * 3600)
    query = urlencode(
        {
            "expires": expires,
            "filename": filename,
            "type": mimetype,
            "signature": _signature(world, key, expires),
        }
    )
    return f"{base_url}{PREFIX}{quote(key, safe='')}?{query}"


def serve_signed(world: World, request: Request, key: str) -> Response:
    """Answer a request for a signed URL."""
    query = dict(request.query)
    try:
        expires = int(query.get("expires", ""))
    except ValueError:
        expires = -1
    good = hmac.compare_digest(
        _signature(world, key, expires), query.get("signature", "")
    )
    data = world.store.get_blob(key)
    if not good or expires < world.now() or data is None:
        reason = b"Request has expired" if good else b"Signature does not match"
        body = b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code>"
        return Response(
            403,
            [("content-type", "application/xml")],
            body + b"<Message>" + reason + b"</Message></Error>",
        )
    headers = [
        ("content-type", query.get("type") or "application/octet-stream"),
        ("content-length", str(len(data))),
    ]
    if query.get("filename"):
        headers.append(
            ("content-disposition", f'attachment; filename="{query["filename"]}"')
        )
    return Response(200, headers, data)


def fetch(world: World, url: str) -> tuple[bytes, str] | None:
    """Return the bytes and name behind a `data:` URL or one of our signed URLs.

    Other URLs would need the network, which the emulator never uses: None.
    """
    if url.startswith("data:"):
        header, _, payload = url.partition(",")
        if header.endswith(";base64"):
            try:
                return base64.b64decode(payload, validate=False), "document"
            except ValueError:
                return None
        return unquote_to_bytes(payload), "document"
    parts = urlsplit(url)
    if not parts.path.startswith(PREFIX):
        return None
    key = unquote(parts.path[len(PREFIX) :])
    request = Request.build("GET", parts.path, parts.query)
    response = serve_signed(world, request, key)
    if response.status != 200:
        return None
    name = dict(request.query).get("filename") or key.rsplit(":", 1)[-1]
    return response.body, name

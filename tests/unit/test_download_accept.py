"""Downloads ask for the media types the spec lists for the file, not `*/*`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from conftest import Handle, MockApi

DOWNLOADS = [
    pytest.param(
        "/v1/files/f1/content",
        "files",
        "download",
        "f1",
        "application/octet-stream",
        id="files.download",
    ),
    pytest.param(
        "/v1/audio/voices/v1/sample",
        "audio.voices",
        "get_sample_audio",
        "v1",
        "audio/wav",
        id="audio.voices.get_sample_audio",
    ),
]


def _namespace(client: Any, dotted: str) -> Any:
    for name in dotted.split("."):
        client = getattr(client, name)
    return client


@pytest.mark.parametrize(("route", "resource", "name", "ident", "accept"), DOWNLOADS)
@pytest.mark.parametrize("view", ["plain", "with_raw_response"])
def test_a_download_sends_the_spec_media_type_as_accept(
    both_clients: Callable[..., Handle],
    api: MockApi,
    route: str,
    resource: str,
    name: str,
    ident: str,
    accept: str,
    view: str,
) -> None:
    api.add("GET", route, httpx2.Response(200, content=b"RIFF"))
    handle = both_clients()
    target = _namespace(handle.client, resource)
    if view != "plain":
        target = getattr(target, view)

    with getattr(target, name)(ident) as response:
        assert response.read() == b"RIFF"

    assert api.last.headers["accept"] == accept


@pytest.mark.parametrize(("route", "resource", "name", "ident", "accept"), DOWNLOADS)
def test_extra_headers_still_override_the_accept_header(
    both_clients: Callable[..., Handle],
    api: MockApi,
    route: str,
    resource: str,
    name: str,
    ident: str,
    accept: str,
) -> None:
    api.add("GET", route, httpx2.Response(200, content=b"x"))
    handle = both_clients()

    with getattr(_namespace(handle.client, resource), name)(
        ident, extra_headers={"Accept": "*/*"}
    ) as response:
        assert response.read() == b"x"

    assert api.last.headers["accept"] == "*/*"

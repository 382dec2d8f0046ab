"""The fault server does what the scenarios rely on, seen from a plain httpx2 client."""

from __future__ import annotations

import threading
import time

import httpx2
import pytest

from hardening.faultserver import Close, FaultServer, Hold, Pause, Reply, Reset, split


def test_faultserver_split_parts_reach_the_client_as_sent(fault: FaultServer) -> None:
    body = "é🌍\r\n".encode()
    parts = split(body, 1, 2, 4, 6)
    fault.script("GET", "/s", Reply(200, (), parts, framing="chunked"))

    client = httpx2.Client()
    with client, client.stream("GET", fault.base_url + "/s") as response:
        received = list(response.iter_raw())

    assert parts == (b"\xc3", b"\xa9", b"\xf0\x9f", b"\x8c\x8d", b"\r\n")
    assert received == list(parts)


def test_faultserver_split_offsets() -> None:
    assert split(b"abcdef", 0, 2, 2, 5, 9) == (b"ab", b"cde", b"f")


def test_faultserver_status_headers_and_body(fault: FaultServer) -> None:
    fault.script("POST", "/x", Reply(418, (("x-a", "1"), ("x-a", "2")), (b"tea",)))

    client = httpx2.Client()
    with client:
        response = client.post(fault.base_url + "/x?q=1", content=b"hello")

    assert response.status_code == 418
    assert response.headers.get_list("x-a") == ["1", "2"]
    assert response.content == b"tea"
    [logged] = fault.requests
    assert (logged.method, logged.target, logged.path) == ("POST", "/x?q=1", "/x")
    assert logged.body == b"hello"
    assert logged.connection >= 1


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(before=(Reset(),)), httpx2.ReadError),
        (Reply(before=(Close(),)), httpx2.RemoteProtocolError),
        (Reply(body=(b"ab", Reset(), b"cd")), httpx2.ReadError),
        (Reply(body=(b"ab", Close(), b"cd")), httpx2.RemoteProtocolError),
        (
            Reply(body=(b"ab", Close(), b"cd"), framing="chunked"),
            httpx2.RemoteProtocolError,
        ),
    ],
)
def test_faultserver_close_and_reset(
    fault: FaultServer, reply: Reply, error: type[Exception]
) -> None:
    fault.script("GET", "/c", reply)

    client = httpx2.Client()
    with client, pytest.raises(error):
        client.get(fault.base_url + "/c")


def test_faultserver_close_delimited_body(fault: FaultServer) -> None:
    fault.script("GET", "/d", Reply(body=(b"ab", b"cd"), framing="close"))

    client = httpx2.Client()
    with client:
        assert client.get(fault.base_url + "/d").content == b"abcd"


def test_faultserver_pause_and_log_timestamps(fault: FaultServer) -> None:
    fault.script(
        "GET", "/p", Reply(body=(b"a",)), Reply(before=(Pause(0.05),), body=(b"b",))
    )

    client = httpx2.Client()
    with client:
        first = client.get(fault.base_url + "/p")
        started = time.monotonic()
        second = client.get(fault.base_url + "/p")
        waited = time.monotonic() - started

    assert (first.content, second.content) == (b"a", b"b")
    assert waited >= 0.05
    one, two = fault.requests
    assert one.at <= two.at
    assert one.connection == two.connection  # kept alive


def test_faultserver_hold_counts_the_connection_until_the_client_leaves() -> None:
    with FaultServer() as server:
        server.script(
            "GET", "/h", Reply(body=(b"part", Hold(20), b"rest"), framing="chunked")
        )
        client = httpx2.Client()
        with client.stream("GET", server.base_url + "/h") as response:
            raw = response.iter_raw()  # dropping the iterator would close the response
            assert next(raw) == b"part"
            assert server.open_connections == 1
        client.close()

        assert server.settle(at_most=0) == 0
        assert server.accepted == 1


def test_faultserver_unscripted_requests_are_problems() -> None:
    client = httpx2.Client()
    with FaultServer() as server, client:
        response = client.get(server.base_url + "/nothing")

        assert response.status_code == 599
        assert server.problems == ["unscripted GET /nothing"]


def test_faultserver_always_and_responders(fault: FaultServer) -> None:
    fault.script("GET", "/a", Reply(201))
    fault.always(
        "GET", "/a", lambda request: Reply(200, body=(request.target.encode(),))
    )

    client = httpx2.Client()
    with client:
        codes = [client.get(fault.base_url + f"/a?n={i}") for i in range(3)]

    assert [r.status_code for r in codes] == [201, 200, 200]
    assert codes[2].content == b"/a?n=2"
    assert fault.unused() == 0


def test_faultserver_stop_ends_every_thread() -> None:
    before = threading.active_count()
    server = FaultServer()
    server.script("GET", "/h", Reply(body=(b"x", Hold(20)), framing="chunked"))
    client = httpx2.Client()
    with client.stream("GET", server.base_url + "/h") as response:
        raw = response.iter_raw()
        next(raw)
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 2
    client.close()

    assert threading.active_count() <= before

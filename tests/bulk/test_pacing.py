"""The `Pacer` of `complete_many` / `create_many`, sans-IO: used-up windows."""

from __future__ import annotations

import threading

import pytest

from mistral_sdk.helpers.pacing import Pacer

REQUESTS_USED_UP = {
    "x-ratelimit-limit-req-minute": "720",
    "x-ratelimit-remaining-req-minute": "0",
    "x-ratelimit-limit-tokens-minute": "5000000",
    "x-ratelimit-remaining-tokens-minute": "4999911",
}
LEFT = {"x-ratelimit-remaining-req-minute": "5"}


@pytest.mark.parametrize(
    "name",
    [
        "x-ratelimit-remaining-req-minute",
        "x-ratelimit-remaining-tokens-minute",
        "x-ratelimit-remaining-tokens-month",
        "x-ratelimit-remaining-tokens",
        "ratelimit-remaining",
    ],
)
def test_any_remaining_count_at_0_closes_the_gate(name: str) -> None:
    pacer = Pacer()

    pacer.on_success({"x-ratelimit-remaining-req-minute": "3", name: "0"}, now=10.0)

    assert pacer.wait(10.0) == 0.5
    assert pacer.wait(10.5) == 0.0
    assert pacer.rate_limited == 0


def test_counts_left_in_every_window_keep_the_gate_open() -> None:
    pacer = Pacer()

    pacer.on_success({**REQUESTS_USED_UP, **LEFT}, now=10.0)
    pacer.on_success({"content-type": "application/json"}, now=10.0)

    assert pacer.wait(10.0) == 0.0


def test_a_used_up_window_waits_for_its_own_reset() -> None:
    pacer = Pacer()

    pacer.on_success(
        {
            "x-ratelimit-remaining-requests": "4",
            "x-ratelimit-reset-requests": "1s",
            "x-ratelimit-remaining-tokens": "0",
            "x-ratelimit-reset-tokens": "7s",
        },
        now=0.0,
    )

    assert pacer.wait(0.0) == 7.0


def test_without_a_reset_the_pause_grows_while_answers_keep_saying_0() -> None:
    pacer = Pacer()
    now = 0.0
    pauses: list[float] = []

    for _ in range(10):
        pacer.on_success(REQUESTS_USED_UP, now=now)
        pauses.append(pacer.wait(now))
        now += pauses[-1]

    assert pauses == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]


def test_answers_that_come_while_the_gate_is_closed_do_not_grow_the_pause() -> None:
    pacer = Pacer()

    # Eight requests were in flight when the window ran out.
    for _ in range(8):
        pacer.on_success(REQUESTS_USED_UP, now=0.0)

    assert pacer.wait(0.0) == 0.5


def test_an_answer_with_counts_left_restarts_the_growth() -> None:
    pacer = Pacer()
    pacer.on_success(REQUESTS_USED_UP, now=0.0)
    pacer.on_success(REQUESTS_USED_UP, now=1.0)

    pacer.on_success(LEFT, now=5.0)
    pacer.on_success(REQUESTS_USED_UP, now=5.0)

    assert pacer.wait(5.0) == 0.5


def test_a_reset_further_than_a_minute_is_capped() -> None:
    pacer = Pacer()

    pacer.on_success(
        {"ratelimit-remaining": "0", "ratelimit-reset": "3600"},
        now=0.0,
    )

    assert pacer.wait(0.0) == 60.0


def test_threads_recording_answers_at_once_close_the_gate_once() -> None:
    pacer = Pacer()
    start = threading.Barrier(8)

    def answer() -> None:
        start.wait()
        for _ in range(100):
            pacer.on_success(REQUESTS_USED_UP, now=0.0)

    threads = [threading.Thread(target=answer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert pacer.wait(0.0) == 0.5


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "0"},
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "-1"},
    ],
    ids=["retry-after-0", "reset-in-the-past"],
)
def test_a_429_asking_for_no_wait_backs_off_instead(headers: dict[str, str]) -> None:
    pacer = Pacer()

    pacer.on_rate_limited(headers, now=0.0, wall_clock=0.0)
    first = pacer.wait(0.0)
    pacer.on_rate_limited(headers, now=0.5, wall_clock=0.5)

    assert (first, pacer.wait(0.5)) == (0.5, 1.0)
    assert pacer.rate_limited == 2

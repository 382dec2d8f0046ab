from __future__ import annotations

from email.utils import formatdate

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mistral_sdk._retries import (
    RETRY_AFTER_CAP,
    RetryPolicy,
    is_retryable_status,
    parse_retry_after,
)

NOW = 1_700_000_000.0


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 599])
def test_retryable_status_true(status: int) -> None:
    assert is_retryable_status(status)


@pytest.mark.parametrize("status", [200, 400, 401, 403, 404, 413, 422])
def test_retryable_status_false(status: int) -> None:
    assert not is_retryable_status(status)


def test_retry_after_seconds() -> None:
    assert parse_retry_after({"retry-after": "3"}, NOW) == 3.0
    assert parse_retry_after({"retry-after": "1.5"}, NOW) == 1.5


def test_retry_after_ms_wins_over_seconds() -> None:
    headers = {"retry-after-ms": "250", "retry-after": "9"}

    assert parse_retry_after(headers, NOW) == 0.25


def test_retry_after_http_date_is_relative_to_the_clock() -> None:
    headers = {"retry-after": formatdate(NOW + 7, usegmt=True)}

    assert parse_retry_after(headers, NOW) == pytest.approx(7.0)


def test_retry_after_http_date_in_the_past_is_zero() -> None:
    headers = {"retry-after": formatdate(NOW - 100, usegmt=True)}

    assert parse_retry_after(headers, NOW) == 0.0


@pytest.mark.parametrize("value", ["", "soon", "-1", "nan", "inf", "Mon, 99 Foo"])
def test_retry_after_invalid_is_ignored(value: str) -> None:
    assert parse_retry_after({"retry-after": value}, NOW) is None


def test_retry_after_absent() -> None:
    assert parse_retry_after({}, NOW) is None


def test_backoff_grows_exponentially_and_is_capped() -> None:
    policy = RetryPolicy(max_retries=10)

    delays = [policy.backoff(n, random=0.0) for n in range(7)]

    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


@given(retries=st.integers(0, 10_000), random=st.floats(0.0, 0.999999))
def test_backoff_stays_within_jitter_bounds(retries: int, random: float) -> None:
    policy = RetryPolicy()

    delay = policy.backoff(retries, random)

    base = min(policy.max_delay, policy.initial_delay * 2 ** min(retries, 32))
    assert base * (1 - policy.jitter) <= delay <= base


def test_next_delay_gives_up_after_max_retries() -> None:
    policy = RetryPolicy(max_retries=2)

    assert policy.next_delay(0, elapsed=0) is not None
    assert policy.next_delay(1, elapsed=0) is not None
    assert policy.next_delay(2, elapsed=0) is None


def test_next_delay_with_zero_retries_never_retries() -> None:
    assert RetryPolicy(max_retries=0).next_delay(0, elapsed=0) is None


def test_next_delay_honours_retry_after() -> None:
    policy = RetryPolicy()

    assert policy.next_delay(0, elapsed=0, headers={"retry-after": "4"}) == 4.0


def test_next_delay_caps_retry_after() -> None:
    policy = RetryPolicy()

    delay = policy.next_delay(0, elapsed=0, headers={"retry-after": "3600"})

    assert delay == RETRY_AFTER_CAP == 60.0


def test_retry_after_http_date_is_capped() -> None:
    headers = {"retry-after": formatdate(NOW + 86_400, usegmt=True)}

    assert RetryPolicy().next_delay(0, elapsed=0, headers=headers, now=NOW) == 60.0


def test_next_delay_respects_the_total_budget() -> None:
    policy = RetryPolicy(max_retries=5, total_budget=10.0)

    assert policy.next_delay(0, elapsed=9.0, random=0.0) == 0.5
    assert policy.next_delay(0, elapsed=9.9, random=0.0) is None
    assert policy.next_delay(0, elapsed=5.0, headers={"retry-after": "6"}) is None

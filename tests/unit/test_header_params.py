"""`with_headers`: header parameters of an operation travel as extra headers."""

from __future__ import annotations

from mistral_sdk._header_params import with_headers
from mistral_sdk._types import NOT_GIVEN, RequestOptions


def test_set_headers_are_added_as_strings_and_unset_ones_are_left_out() -> None:
    options: RequestOptions = {"timeout": 5.0}

    merged = with_headers(options, {"last-event-id": 42, "x-a": NOT_GIVEN, "x-b": None})

    assert merged == {"timeout": 5.0, "extra_headers": {"last-event-id": "42"}}
    assert options == {"timeout": 5.0}


def test_the_callers_extra_headers_win() -> None:
    options: RequestOptions = {"extra_headers": {"last-event-id": "7", "x-trace": "1"}}

    merged = with_headers(options, {"last-event-id": "3"})

    assert merged["extra_headers"] == {"last-event-id": "7", "x-trace": "1"}


def test_nothing_to_add_returns_the_options_unchanged() -> None:
    options: RequestOptions = {"max_retries": 0}

    assert with_headers(options, {"last-event-id": NOT_GIVEN}) is options


def test_the_callers_extra_headers_win_whatever_their_case() -> None:
    options: RequestOptions = {"extra_headers": {"Last-Event-ID": "7"}}

    merged = with_headers(options, {"last-event-id": "3"})

    assert merged == options

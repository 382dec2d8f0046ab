"""Units of the new areas: paging, filters, the judge, audio checksums."""

from __future__ import annotations

import pytest

from mistral_sdk.testing import Emulator
from mistral_sdk.testing._errors import ApiError
from mistral_sdk.testing._observability import matches, verdict
from mistral_sdk.testing._paging import by_cursor, by_offset, by_page
from mistral_sdk.testing._wav import _crc8, _crc16, _ogg_crc

ITEMS = list(range(7))
KNOWN = {
    "n": ["eq", "neq", "lt", "lte", "gt", "gte", "isnull"],
    "s": ["contains", "icontains", "startswith", "iendswith", "matches", "notcontains"],
    "a": ["includes", "excludes", "len_eq"],
}
RECORD = {"n": 5, "s": "Hello World", "a": ["x", "y"]}


def test_offset_pages_report_the_next_offset_and_page_numbers() -> None:
    first = by_offset(ITEMS, 0, 3)
    last = by_offset(ITEMS, 6, 3)

    assert (first.items, first.next_cursor, first.page) == ([0, 1, 2], "3", 1)
    assert (last.items, last.next_cursor, last.page) == ([6], None, 3)
    assert first.total_pages == 3


def test_page_numbers_count_from_the_first_page() -> None:
    assert by_page(ITEMS, 2, 3).items == [3, 4, 5]
    assert by_page(ITEMS, None, 3).items == [0, 1, 2]
    assert by_page(ITEMS, 1, 3, first=0).items == [3, 4, 5]


def test_cursors_resume_and_reject_what_they_did_not_give() -> None:
    first = by_cursor(ITEMS, None, 4)

    assert by_cursor(ITEMS, first.next_cursor, 4).items == [4, 5, 6]
    with pytest.raises(ApiError):
        by_cursor(ITEMS, "abc", 4)
    with pytest.raises(ApiError):
        by_cursor(ITEMS, "99", 4)


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("n", "eq", 5, True),
        ("n", "neq", 5, False),
        ("n", "lt", 6, True),
        ("n", "gte", 6, False),
        ("n", "isnull", False, True),
        ("s", "contains", "World", True),
        ("s", "icontains", "world", True),
        ("s", "startswith", "World", False),
        ("s", "iendswith", "WORLD", True),
        ("s", "matches", r"^H\w+", True),
        ("s", "notcontains", "x", True),
        ("a", "includes", "x", True),
        ("a", "excludes", "x", False),
        ("a", "len_eq", 2, True),
    ],
)
def test_filter_conditions(field: str, op: str, value: object, expected: bool) -> None:
    condition = {"field": field, "op": op, "value": value}

    assert matches(condition, RECORD, KNOWN) is expected


def test_filter_groups_combine_and_or() -> None:
    yes = {"field": "n", "op": "eq", "value": 5}
    no = {"field": "n", "op": "eq", "value": 6}

    assert matches({"AND": [yes], "OR": [no, yes]}, RECORD, KNOWN)
    assert not matches({"AND": [yes, no]}, RECORD, KNOWN)
    assert matches(None, RECORD, KNOWN)


def test_filters_refuse_unknown_fields_and_operators() -> None:
    with pytest.raises(ApiError) as unknown:
        matches({"field": "zz", "op": "eq", "value": 1}, RECORD, KNOWN)
    with pytest.raises(ApiError):
        matches({"field": "a", "op": "lt", "value": 1}, RECORD, KNOWN)

    assert unknown.value.status == 400


def test_judge_is_deterministic_and_stays_in_its_range() -> None:
    world = Emulator().world
    scale = {
        "name": "Scale",
        "instructions": "Score",
        "output": {"type": "REGRESSION", "min": 2, "max": 4},
    }
    messages = [{"role": "user", "content": "hi"}]

    first = verdict(world, scale, messages)
    scores = {verdict(world, scale, [{"content": str(n)}])["answer"] for n in range(20)}

    assert first == verdict(world, scale, messages)
    assert all(2 <= float(score) <= 4 for score in scores)
    assert len(scores) > 1


def test_audio_checksums_match_their_standard_check_values() -> None:
    check = b"123456789"

    assert _crc8(check) == 0xF4  # CRC-8 (FLAC frame headers)
    assert _crc16(check) == 0xFEE8  # CRC-16/BUYPASS (FLAC frames)
    assert _ogg_crc(check) == 0x765E7680 ^ 0xFFFFFFFF  # CRC-32/CKSUM without xorout

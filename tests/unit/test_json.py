"""The typed views of decoded JSON shared by the SDK and its emulator."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from mistral_sdk._json import array, as_list, as_mapping, is_array, is_object, obj


def test_json_as_mapping_accepts_any_mapping_and_nothing_else() -> None:
    proxy = MappingProxyType({"a": 1})

    assert as_mapping({"a": 1}) == {"a": 1}
    assert as_mapping(proxy) is proxy
    assert as_mapping([("a", 1)]) is None
    assert as_mapping("a") is None


def test_json_as_list_copies_arrays_and_tuples() -> None:
    items = [1, 2]

    copied = as_list(items)

    assert copied == [1, 2]
    assert copied is not items
    assert as_list((1, 2)) == [1, 2]
    assert as_list({"a": 1}) is None
    assert as_list("ab") is None


@pytest.mark.parametrize("value", [None, 3, "x", [], {}])
def test_json_obj_and_array_fall_back_to_empty_values(value: object) -> None:
    assert obj(value) == (value if isinstance(value, dict) else {})
    assert array(value) == (value if isinstance(value, list) else [])


def test_json_type_guards_need_the_decoded_types() -> None:
    assert is_object({"a": 1})
    assert not is_object(MappingProxyType({"a": 1}))
    assert is_array([1])
    assert not is_array((1,))

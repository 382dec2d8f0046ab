"""The curated public surface: complete, sorted, documented."""

from __future__ import annotations

import inspect
import types

import mistral_sdk
from mistral_sdk import AsyncMistral, Mistral

DATA = {"NOT_GIVEN", "VERSION", "__version__", "FileInput"}


def isort_key(name: str) -> tuple[int, str]:
    # ruff's RUF022 order: SCREAMING_CASE, then CamelCase, then the rest.
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def test_public_api_all_is_complete() -> None:
    exported = {
        name
        for name, value in vars(mistral_sdk).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    lazy = set(mistral_sdk._LAZY)  # pyright: ignore[reportPrivateUsage]

    assert exported | lazy | {"__version__"} == set(mistral_sdk.__all__)


def test_public_api_all_is_sorted() -> None:
    assert mistral_sdk.__all__ == sorted(mistral_sdk.__all__, key=isort_key)


def test_public_api_names_resolve() -> None:
    for name in mistral_sdk.__all__:
        assert getattr(mistral_sdk, name) is not None


def test_public_api_every_name_is_documented() -> None:
    for name in set(mistral_sdk.__all__) - DATA:
        value = getattr(mistral_sdk, name)
        assert inspect.getdoc(value), name


def test_public_api_client_members_are_documented() -> None:
    for cls in (Mistral, AsyncMistral):
        for name, member in vars(cls).items():
            if name.startswith("_"):
                continue
            assert inspect.getdoc(member), f"{cls.__name__}.{name}"
        for name in ("with_options", "close", "base_url", "timeout", "max_retries"):
            assert inspect.getdoc(getattr(cls, name)), f"{cls.__name__}.{name}"


def test_public_api_public_methods_of_core_classes_are_documented() -> None:
    for name in set(mistral_sdk.__all__) - DATA:
        value = getattr(mistral_sdk, name)
        if not inspect.isclass(value) or issubclass(value, BaseException):
            continue
        for attr, member in vars(value).items():
            # Dataclass fields are documented in the class's Attributes section.
            if attr.startswith("_") or inspect.ismemberdescriptor(member):
                continue
            assert inspect.getdoc(member), f"{name}.{attr}"


def test_public_api_version() -> None:
    assert mistral_sdk.__version__ == mistral_sdk.VERSION


# ------------------------------------------------------------- mistral_sdk.helpers
HELPER_ALIASES = {"ManyProgressCallback", "ProgressCallback"}


def test_helpers_all_is_sorted_and_resolves() -> None:
    import mistral_sdk.helpers as helpers

    assert helpers.__all__ == sorted(helpers.__all__, key=isort_key)
    for name in helpers.__all__:
        assert getattr(helpers, name) is not None, name
    assert set(helpers.__all__) <= set(dir(helpers))


def test_helpers_every_name_is_documented() -> None:
    import mistral_sdk.helpers as helpers

    for name in set(helpers.__all__) - HELPER_ALIASES:
        assert inspect.getdoc(getattr(helpers, name)), name


def test_helpers_public_methods_are_documented() -> None:
    import mistral_sdk.helpers as helpers

    for name in helpers.__all__:
        value = getattr(helpers, name)
        if not inspect.isclass(value):
            continue
        for attr, member in vars(value).items():
            if attr.startswith("_") or not callable(getattr(member, "fget", member)):
                continue
            assert inspect.getdoc(member), f"{name}.{attr}"


def test_helpers_names_are_the_ones_the_clients_hand_back() -> None:
    from mistral_sdk import helpers
    from mistral_sdk.helpers.batch_results import BatchResult
    from mistral_sdk.types import MessageParam

    sync_client = Mistral(api_key="test-api-key")
    async_client = AsyncMistral(api_key="test-api-key")
    messages: list[MessageParam] = [{"role": "user", "content": "Hi"}]

    def noop() -> None:
        """Does nothing."""

    # Runs are lazy: nothing is sent until they are iterated.
    sync_run = sync_client.chat.run_tools(model="m", messages=messages, tools=[noop])
    async_run = async_client.chat.run_tools(model="m", messages=messages, tools=[noop])

    assert helpers.BatchResult is BatchResult
    assert isinstance(sync_run, helpers.ChatToolRun)
    assert isinstance(async_run, helpers.AsyncChatToolRun)
    sync_client.close()

from __future__ import annotations

import httpx2
import pytest

from mistral_sdk import ConfigurationError, MistralError
from mistral_sdk._config import DEFAULT_BASE_URL, ClientConfig, Secret


def test_config_defaults() -> None:
    config = ClientConfig.create(api_key="k")

    assert config.base_url == DEFAULT_BASE_URL == "https://api.mistral.ai"
    assert config.timeout == httpx2.Timeout(120.0)
    assert config.max_retries == 2
    assert dict(config.default_headers) == {}
    assert config.strict is False


def test_config_reads_key_and_base_url_from_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", "env-key\n")
    monkeypatch.setenv("MISTRAL_BASE_URL", "http://localhost:4010/")

    config = ClientConfig.create()

    assert config.api_key.get_secret_value() == "env-key"
    assert config.base_url == "http://localhost:4010"


def test_config_arguments_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", "env-key")
    monkeypatch.setenv("MISTRAL_BASE_URL", "http://env")

    config = ClientConfig.create(api_key="arg-key", base_url="https://arg/prefix")

    assert config.api_key.get_secret_value() == "arg-key"
    assert config.base_url == "https://arg/prefix"


def test_config_missing_key_says_how_to_fix_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        ClientConfig.create()

    assert isinstance(caught.value, MistralError)
    assert "api_key=" in str(caught.value)
    assert "MISTRAL_API_KEY" in str(caught.value)


def test_config_blank_key_is_missing() -> None:
    with pytest.raises(ConfigurationError, match="no API key"):
        ClientConfig.create(api_key="   ")


def test_config_key_with_bad_characters_is_rejected_without_echoing_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        ClientConfig.create(api_key="sk-abc def\u00e9")

    assert "sk-abc" not in str(caught.value)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"max_retries": -1}, ConfigurationError),
        ({"max_retries": 1.5}, TypeError),
        ({"max_retries": True}, TypeError),
        ({"timeout": -3}, ConfigurationError),
        ({"timeout": 0}, ConfigurationError),
        ({"timeout": "10"}, TypeError),
        ({"base_url": "api.mistral.ai"}, ConfigurationError),
        ({"base_url": "ftp://api.mistral.ai"}, ConfigurationError),
        ({"default_headers": {"x": 1}}, TypeError),
        ({"default_headers": [("x", "y")]}, TypeError),
        ({"strict": "yes"}, TypeError),
        ({"api_key": 123}, TypeError),
    ],
)
def test_config_invalid_arguments_fail_at_construction(
    kwargs: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        ClientConfig.create(api_key="k", **kwargs)  # type: ignore[arg-type]


def test_config_timeout_forms() -> None:
    custom = httpx2.Timeout(5.0, connect=1.0)

    assert ClientConfig.create(api_key="k", timeout=7).timeout == httpx2.Timeout(7.0)
    assert ClientConfig.create(api_key="k", timeout=custom).timeout is custom
    assert ClientConfig.create(api_key="k", timeout=None).timeout == httpx2.Timeout(
        None
    )


def test_config_replace_keeps_unchanged_fields_and_checks_new_ones() -> None:
    config = ClientConfig.create(api_key="k", default_headers={"x-a": "1"})

    changed = config.replace(timeout=None, max_retries=0)

    assert changed.timeout == httpx2.Timeout(None)
    assert changed.max_retries == 0
    assert changed.api_key == config.api_key
    assert dict(changed.default_headers) == {"x-a": "1"}
    with pytest.raises(ConfigurationError):
        config.replace(max_retries=-2)


def test_config_is_frozen() -> None:
    config = ClientConfig.create(api_key="k")

    with pytest.raises(AttributeError):
        config.max_retries = 3  # type: ignore[misc]


def test_secret_masks_itself() -> None:
    secret = Secret("sk-very-secret")

    assert "sk-very-secret" not in repr(secret)
    assert "sk-very-secret" not in str(secret)
    assert "sk-very-secret" not in f"{secret}"
    assert secret == Secret("sk-very-secret")
    assert secret != Secret("other")
    assert "sk-very-secret" not in repr(ClientConfig.create(api_key="sk-very-secret"))

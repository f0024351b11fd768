"""Settings from the environment: nesting, secrets, sandbox mode."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from gateway.settings import Settings


def test_settings_read_nested_provider_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_PORT", "9000")
    monkeypatch.setenv("GATEWAY_PROVIDERS__FLEXE__BASE_URL", "https://api.flexe.com")
    monkeypatch.setenv("GATEWAY_PROVIDERS__FLEXE__TOKEN", "s3cret")
    monkeypatch.setenv("GATEWAY_PROVIDERS__FLEXE__TIMEOUT_S", "2.5")
    monkeypatch.setenv("GATEWAY_RETRY__MAX_RETRIES", "1")
    settings = Settings()
    flexe = settings.providers["flexe"]
    assert settings.port == 9000
    assert flexe.base_url == "https://api.flexe.com"
    assert flexe.token is not None
    assert flexe.token.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(settings)
    assert flexe.timeout_s == 2.5
    assert settings.retry.max_retries == 1
    assert settings.sandbox_mode() is False


def test_settings_without_tokens_mean_sandbox_mode() -> None:
    assert Settings().sandbox_mode() is True
    assert Settings(sandbox=False).sandbox_mode() is False


def test_settings_disabled_provider_is_not_enabled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATEWAY_PROVIDERS__FLEXE__TOKEN", "t")
    monkeypatch.setenv("GATEWAY_PROVIDERS__FLXPOINT__TOKEN", "t")
    assert set(Settings().enabled_providers()) == {"flexe", "flxpoint"}
    monkeypatch.setenv("GATEWAY_PROVIDERS__FLEXE__ENABLED", "false")
    assert set(Settings().enabled_providers()) == {"flxpoint"}


def test_settings_reject_invalid_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_PROVIDERS__FLEXE__TIMEOUT_S", "-1")
    with pytest.raises(ValidationError, match="timeout_s"):
        Settings()


def test_settings_reject_unknown_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_PROVIDERS__ACME__TOKEN", "x")
    with pytest.raises(ValidationError, match="unknown provider"):
        Settings()


def test_settings_use_each_providers_own_limits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GATEWAY_PROVIDERS__FLXPOINT__TOKEN", "t")
    settings = Settings()
    flxpoint = settings.providers["flxpoint"]
    assert flxpoint.token is not None
    assert (flxpoint.rate_limit_per_s, flxpoint.rate_limit_burst) == (1.8, 36)
    assert flxpoint.max_batch_size == 50
    assert settings.providers["flexport_v3"].rate_limit_per_s == 4.5
    assert flxpoint.base_url == "https://api.flxpoint.com"
    # Only a provider with a token is in use.
    assert set(settings.enabled_providers()) == {"flxpoint"}
    assert settings.sandbox_mode() is False

"""`python -m gateway` in sandbox mode: webhook secrets and the live clock's speed."""

from __future__ import annotations

import pytest

from gateway.__main__ import build_settings, parse_args, point_at_sandbox
from gateway.sandbox import SANDBOX_WEBHOOK_SECRETS, SandboxConfig
from gateway.settings import Settings


def secret(settings: Settings, slug: str) -> str | None:
    value = settings.providers[slug].webhook_secret
    return None if value is None else value.get_secret_value()


def test_the_gateway_gets_the_sandbox_webhook_secrets() -> None:
    settings = point_at_sandbox(Settings(), "http://127.0.0.1:8001/")
    for slug, value in SANDBOX_WEBHOOK_SECRETS.items():
        assert secret(settings, slug) == value
    assert secret(settings, "flxpoint") is None, "Flxpoint sends no webhooks"
    lapi = settings.providers["flexport_logistics"]
    assert (lapi.webhook_auth_header, lapi.webhook_username) == (
        "X-Webhook-Token",
        None,
    )
    assert lapi.base_url == "http://127.0.0.1:8001/flexport-logistics"


def test_a_custom_sandbox_config_is_what_the_gateway_verifies_with() -> None:
    config = SandboxConfig(
        webhook_secrets={"flexe": "f", "flexport_logistics": "t"},
        webhook_auth_header="X-Token",
        webhook_username="gw",
    )
    settings = point_at_sandbox(Settings(), "http://127.0.0.1:8001", config)
    assert (secret(settings, "flexe"), secret(settings, "flexport_logistics")) == (
        "f",
        "t",
    )
    lapi = settings.providers["flexport_logistics"]
    assert (lapi.webhook_auth_header, lapi.webhook_username) == ("X-Token", "gw")


def test_sandbox_speed_from_the_flag_or_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GATEWAY_SANDBOX_SPEED", raising=False)
    assert build_settings(parse_args([])).sandbox_speed == 1.0
    assert build_settings(parse_args(["--sandbox-speed", "4"])).sandbox_speed == 4.0
    monkeypatch.setenv("GATEWAY_SANDBOX_SPEED", "0")
    assert build_settings(parse_args([])).sandbox_speed == 0.0
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        build_settings(parse_args(["--sandbox-speed", "-1"]))

"""Sandbox configuration: seed, tokens, latency, rate limits, webhooks, clocks."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

# One token per simulated provider, by the gateway's provider slug.
SANDBOX_TOKENS: dict[str, str] = {
    "flexe": "sandbox-flexe-token",
    "flexport_logistics": "sandbox-flexport-logistics-token",
    "flexport_v3": "sandbox-flexport-v3-token",
    "flxpoint": "sandbox-flxpoint-token",
}

# What authenticates each provider's webhooks: the HMAC secret for Flexe and
# Flexport v3, the value of the token header for Flexport Logistics (which
# does not sign). Flxpoint sends no webhooks.
SANDBOX_WEBHOOK_SECRETS: dict[str, str] = {
    "flexe": "sandbox-flexe-webhook-secret",
    "flexport_logistics": "sandbox-flexport-logistics-webhook-token",
    "flexport_v3": "sandbox-flexport-v3-webhook-secret",
}
# The header Flexport Logistics sends its webhook token in (authMethod TOKEN).
SANDBOX_WEBHOOK_AUTH_HEADER = "X-Webhook-Token"

# Each provider's retry policy, compressed from minutes and hours to seconds
# (providers.md 1.6, 2.6, 3.6): the delay before each retry after a failure.
WEBHOOK_RETRY_DELAYS_S: dict[str, tuple[float, ...]] = {
    # 1 min, 5 min, 30 min, ... at one tenth of a second per minute.
    "flexe": (0.1, 0.5, 3.0),
    # First after about 5 minutes, then doubling.
    "flexport_logistics": (0.5, 1.0, 2.0),
    # "Retries several times" until it gets a 200.
    "flexport_v3": (0.5, 1.0, 2.0),
}

# Seed data is dated relative to this instant, never to now(), so that the same
# seed serves byte-identical JSON on every machine and every day.
DEFAULT_ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)


def _default_tokens() -> dict[str, str]:
    return dict(SANDBOX_TOKENS)


def _default_webhook_secrets() -> dict[str, str]:
    return dict(SANDBOX_WEBHOOK_SECRETS)


def _default_retry_delays() -> dict[str, tuple[float, ...]]:
    return dict(WEBHOOK_RETRY_DELAYS_S)


@dataclass
class SandboxConfig:
    """Everything that shapes a sandbox instance; the defaults suit tests and demos."""

    seed: int = 7
    tokens: dict[str, str] = field(default_factory=_default_tokens)
    latency_ms: float = 0.0
    rate_limits: bool = True
    fault_timeout_s: float = 1.0
    anchor: datetime = DEFAULT_ANCHOR
    order_count: int = 600
    # Flexe documents 3000 SKUs per inventory page; tests shrink it to page a
    # catalogue of a few hundred SKUs.
    inventory_page_size: int = 3000
    # Wall-clock seconds since the epoch. Rate-limit windows read it directly;
    # sandbox timestamps are the anchor plus the time it has advanced since start.
    clock: Callable[[], float] = time.time
    # The request log keeps only this many of the newest entries.
    request_log_size: int = 10_000
    # The gateway's base URL: every webhook goes to {webhook_target}/webhooks/
    # {slug} as well as to the subscriptions made through the provider APIs.
    # None: only those subscriptions. Read at each event, so it may be set
    # after the sandbox has started (the gateway's port is known only then).
    webhook_target: str | None = None
    # Secrets webhook signatures are made with (the LAPI token), by provider slug.
    webhook_secrets: dict[str, str] = field(default_factory=_default_webhook_secrets)
    # Flexport Logistics deliveries to webhook_target: the token travels in
    # this header, or, with a username, as HTTP Basic (username, token).
    webhook_auth_header: str = SANDBOX_WEBHOOK_AUTH_HEADER
    webhook_username: str | None = None
    webhook_retry_delays_s: dict[str, tuple[float, ...]] = field(
        default_factory=_default_retry_delays
    )
    webhook_timeout_s: float = 5.0
    # Deliveries waiting (queued or between retries); newer events are dropped
    # beyond it, so a dead receiver cannot grow memory.
    webhook_queue_size: int = 1000
    # The deliveries log (/_sandbox/webhooks/deliveries) keeps this many.
    webhook_log_size: int = 1000
    # The live clock: > 0 moves a few objects along every 5 s / live_speed.
    live_speed: float = 0.0

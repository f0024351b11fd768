"""Sandbox configuration: seed, tokens, latency, rate limits, injectable clock."""

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

# Seed data is dated relative to this instant, never to now(), so that the same
# seed serves byte-identical JSON on every machine and every day.
DEFAULT_ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)


def _default_tokens() -> dict[str, str]:
    return dict(SANDBOX_TOKENS)


def _default_webhook_secrets() -> dict[str, str]:
    return {"flexport_v3": "sandbox-flexport-v3-webhook-secret"}


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
    # Secrets webhook signatures are made with, by provider slug.
    webhook_secrets: dict[str, str] = field(default_factory=_default_webhook_secrets)

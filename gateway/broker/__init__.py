"""Change events from webhooks and pollers to subscribers, once each, resumable.

Modules: `base.py` (the interface, event ids, a subscriber's bounded queue),
`memory.py` (one instance), `redis_broker.py` (Redis streams, every instance).
"""

from __future__ import annotations

from gateway.broker.base import (
    Broker,
    EventsExpired,
    Hook,
    InvalidEventId,
    SubscriberTooSlow,
    Subscription,
    id_key,
)
from gateway.broker.memory import MemoryBroker
from gateway.broker.redis_broker import RedisBroker
from gateway.settings import BrokerSettings


def broker_from_url(url: str | None, settings: BrokerSettings) -> Broker:
    """Redis for `redis://`, `rediss://` or `unix://`; in process when unset."""
    if not url or url == "memory://":
        return MemoryBroker(settings)
    if url.split("://", 1)[0] in ("redis", "rediss", "unix"):
        return RedisBroker(url, settings, prefix=settings.key_prefix)
    scheme = url.split("://", 1)[0]
    raise ValueError(f"GATEWAY_BROKER_URL: unsupported scheme {scheme!r}")


__all__ = [
    "Broker",
    "BrokerSettings",
    "EventsExpired",
    "Hook",
    "InvalidEventId",
    "MemoryBroker",
    "RedisBroker",
    "SubscriberTooSlow",
    "Subscription",
    "broker_from_url",
    "id_key",
]

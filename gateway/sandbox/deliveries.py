"""Webhook deliveries: what a provider sends for one event, and the log tests read."""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .clock import iso


def render(payload: dict[str, Any]) -> bytes:
    """The exact bytes every provider sends and signs: compact UTF-8 JSON."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass(frozen=True)
class Outgoing:
    """One HTTP request a provider makes for one event, built once and never
    changed: retries and redeliveries send exactly these bytes and headers."""

    provider: str
    type: str
    event_id: str
    # The receiver's dedupe key where the dialect has one (X-Flexe-Delivery),
    # else the sandbox's own id for the delivery.
    delivery_id: str
    url: str
    method: str
    headers: dict[str, str]
    body: bytes
    # "gateway" (SandboxConfig.webhook_target) or "subscription:<id>".
    target: str


@dataclass
class Delivery:
    """An Outgoing and how its attempts went."""

    seq: int
    outgoing: Outgoing
    # When the event happened (sandbox time), for redeliveries too.
    occurred_at: datetime
    redelivery_of: int | None = None
    # pending -> delivered | failed | dropped (the queue was full)
    state: str = "pending"
    attempts: int = 0
    status: int | None = None
    error: str | None = None
    statuses: list[int | None] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = self.outgoing
        return {
            "seq": self.seq,
            "provider": out.provider,
            "type": out.type,
            "eventId": out.event_id,
            "deliveryId": out.delivery_id,
            "target": out.target,
            "method": out.method,
            "url": out.url,
            "state": self.state,
            "attempts": self.attempts,
            "status": self.status,
            "statuses": list(self.statuses),
            "error": self.error,
            "redeliveryOf": self.redelivery_of,
            "occurredAt": iso(self.occurred_at),
            "headers": dict(out.headers),
            "body": out.body.decode(),
        }


class DeliveryLog:
    """The newest `capacity` deliveries in creation order; seq never restarts."""

    def __init__(self, capacity: int) -> None:
        self._entries: deque[Delivery] = deque(maxlen=capacity)
        self._seq = 0

    @property
    def last_seq(self) -> int:
        return self._seq

    def add(
        self, outgoing: Outgoing, at: datetime, redelivery_of: int | None = None
    ) -> Delivery:
        self._seq += 1
        delivery = Delivery(self._seq, outgoing, at, redelivery_of)
        self._entries.append(delivery)
        return delivery

    def entries(self, provider: str | None = None, since: int = 0) -> list[Delivery]:
        return [
            d
            for d in self._entries
            if d.seq > since and (provider is None or d.outgoing.provider == provider)
        ]

    def originals(self, provider: str | None = None) -> list[Delivery]:
        """First deliveries of events (not redeliveries), oldest first."""
        return [d for d in self.entries(provider) if d.redelivery_of is None]

    def clear(self, provider: str | None = None) -> None:
        if provider is None:
            self._entries.clear()
            return
        kept = [d for d in self._entries if d.outgoing.provider != provider]
        self._entries.clear()
        self._entries.extend(kept)

"""Flexe webhooks (providers.md 1.6): the `evt_` envelope and X-Flexe-* headers."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from typing import TYPE_CHECKING, Any

from ..clock import iso
from ..config import SANDBOX_WEBHOOK_SECRETS
from ..deliveries import Outgoing, render
from .vocabulary import WEBHOOK_EVENTS

if TYPE_CHECKING:
    from ..config import SandboxConfig
    from ..events import SandboxEvent
    from .state import FlexeState

SLUG = "flexe"
EVENT_HEADER = "X-Flexe-Event"
DELIVERY_HEADER = "X-Flexe-Delivery"
TIMESTAMP_HEADER = "X-Flexe-Timestamp"
SIGNATURE_HEADER = "X-Flexe-Signature"


def secret_for(config: SandboxConfig) -> str:
    return config.webhook_secrets.get(SLUG, SANDBOX_WEBHOOK_SECRETS[SLUG])


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`."""
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def envelope(event_id: str, event: SandboxEvent) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": event.type,
        "createdAt": iso(event.occurred_at),
        "data": event.data,
    }


def deliveries(
    event: SandboxEvent,
    st: FlexeState,
    config: SandboxConfig,
    gateway_url: str | None,
) -> list[Outgoing]:
    """One signed POST per target; all share the event id, each has its own
    X-Flexe-Delivery. A subscription without a secret gets no signature."""
    targets: list[tuple[str, str | None, str]] = [
        (hook.url, hook.secret, f"subscription:{hook.id}")
        for hook in sorted(st.webhooks.values(), key=lambda h: (h.created_at, h.id))
        if event.type in hook.events
    ]
    # A subscription at the gateway's own URL stands in for the default one,
    # so the gateway never gets the same event twice.
    if (
        gateway_url is not None
        and event.type in WEBHOOK_EVENTS
        and all(url != gateway_url for url, _, _ in targets)
    ):
        targets.insert(0, (gateway_url, secret_for(config), "gateway"))
    if not targets:
        return []
    event_id = f"evt_{uuid.uuid4().hex}"
    body = render(envelope(event_id, event))
    timestamp = int(config.clock())
    out = []
    for url, secret, target in targets:
        delivery_id = str(uuid.uuid4())
        headers = {
            "Content-Type": "application/json",
            EVENT_HEADER: event.type,
            DELIVERY_HEADER: delivery_id,
            TIMESTAMP_HEADER: str(timestamp),
        }
        if secret:
            headers[SIGNATURE_HEADER] = sign(secret, timestamp, body)
        out.append(
            Outgoing(
                provider=SLUG,
                type=event.type,
                event_id=event_id,
                delivery_id=delivery_id,
                url=url,
                method="POST",
                headers=headers,
                body=body,
                target=target,
            )
        )
    return out

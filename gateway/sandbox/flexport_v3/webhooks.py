"""Webhook payloads and signatures in Flexport's dialect (providers.md 3.6, E8).

For this provider `SandboxEvent.data` is already the whole `/event` body (the
webhook payload is an Event and has no further envelope), so `deliveries`
only has to `render` it and `sign` the bytes with the endpoint's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..clock import iso
from ..deliveries import Outgoing
from .vocabulary import API_VERSION

if TYPE_CHECKING:
    from ..config import SandboxConfig
    from ..events import SandboxEvent

Json = dict[str, Any]

SLUG = "flexport_v3"
DEFAULT_SECRET = "sandbox-flexport-v3-webhook-secret"
SIGNATURE_256_HEADER = "X-Hub-Signature-256"
# SHA-1, which Flexport is deprecating but still sends.
SIGNATURE_HEADER = "X-Hub-Signature"


def secret_for(config: SandboxConfig) -> str:
    """This provider's secret from `SandboxConfig.webhook_secrets`."""
    return config.webhook_secrets.get(SLUG, DEFAULT_SECRET)


def render(payload: Json) -> bytes:
    """The exact bytes to send and sign: compact UTF-8 JSON."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret: str, body: bytes) -> dict[str, str]:
    """Both signature headers for `body`: HMAC of the raw bytes with the secret."""
    key = secret.encode()
    sha256 = hmac.new(key, body, hashlib.sha256).hexdigest()
    sha1 = hmac.new(key, body, hashlib.sha1).hexdigest()
    return {SIGNATURE_256_HEADER: f"sha256={sha256}", SIGNATURE_HEADER: f"sha1={sha1}"}


def verify(secret: str, body: bytes, signature_256: str | None) -> bool:
    """Constant-time check of an `X-Hub-Signature-256` value against `body`."""
    if not signature_256:
        return False
    expected = sign(secret, body)[SIGNATURE_256_HEADER]
    return hmac.compare_digest(expected.encode(), signature_256.encode())


def context_object(event_type: str) -> str:
    """`/purchase_order#closed` -> `/order_management_event_data/closed_context`."""
    _, _, action = event_type.partition("#")
    return f"/order_management_event_data/{action}_context"


def event_payload(
    event_id: int,
    event_type: str,
    occurred_at: datetime,
    purchase_order: Json,
    version_id: int,
    shipment_id: int | None = None,
) -> Json:
    """The `/event` object of V7 and of the webhook body (E6 Event, S3 data).

    `purchase_order` is the PO header at event time; a booking's event also
    names the shipment the booking made, which `f.data.shipment.id` matches.
    """
    data: Json = {
        "_object": "/order_management_event_data",
        "context": {
            "_object": context_object(event_type),
            "purchase_order_version_id": version_id,
        },
        "purchase_order": purchase_order,
    }
    if shipment_id is not None:
        data["shipment"] = {"_object": "/shipment", "id": shipment_id}
    return {
        "_object": "/event",
        "id": event_id,
        "version": API_VERSION,
        "created_at": iso(occurred_at),
        "occurred_at": iso(occurred_at),
        "type": event_type,
        "data": data,
    }


def deliveries(
    event: SandboxEvent, config: SandboxConfig, gateway_url: str | None
) -> list[Outgoing]:
    """Endpoints are configured in Flexport's web app, not through the API (V8),
    so the gateway's URL is the only target."""
    if gateway_url is None:
        return []
    body = render(event.data)
    headers = {"Content-Type": "application/json", **sign(secret_for(config), body)}
    return [
        Outgoing(
            provider=SLUG,
            type=event.type,
            event_id=str(event.data["id"]),
            delivery_id=str(uuid.uuid4()),
            url=gateway_url,
            method="POST",
            headers=headers,
            body=body,
            target="gateway",
        )
    ]

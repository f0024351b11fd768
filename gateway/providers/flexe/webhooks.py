"""Flexe webhooks (providers.md §1.6): the signature check and the event-type table.

Flexe signs `<X-Flexe-Timestamp>.<raw body>` with HMAC-SHA256 and sends
`X-Flexe-Signature: sha256=<hex>`, Stripe's scheme: the timestamp is part of
what is signed, so a delivery replayed more than `TOLERANCE_S` later is
refused even though its signature is genuine. Events are mapped with the same
status maps the reads use (`mapping.py`), so a subscriber and a query agree.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Callable, Mapping
from typing import TypeVar

from multidict import CIMultiDict
from pydantic import BaseModel, ValidationError

from gateway.errors import ProviderResponseInvalid, WebhookRejected
from gateway.models import (
    EventBase,
    InventoryEvent,
    OrderStatus,
    OrderStatusEvent,
    PurchaseOrderStatus,
    PurchaseOrderStatusEvent,
    ShipmentEvent,
)
from gateway.providers.flexe import mapping
from gateway.providers.flexe import webhook_wire as hook
from gateway.providers.flexe.mapping import SLUG

log = logging.getLogger("gateway.providers.flexe")

M = TypeVar("M", bound=BaseModel)

SIGNATURE_HEADER = "X-Flexe-Signature"
TIMESTAMP_HEADER = "X-Flexe-Timestamp"
DELIVERY_HEADER = "X-Flexe-Delivery"
TOLERANCE_S = 300
"""How far (either way) a delivery's timestamp may be from our clock."""

_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")
# Twelve digits reach the year 33658: longer is not a timestamp.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


def verify(
    headers: Mapping[str, str], body: bytes, secret: str | None, now: float
) -> None:
    """Raise WebhookRejected unless `body` is signed with `secret` within tolerance.

    `now` is epoch seconds from the adapter's clock. Without a configured
    secret nothing can be verified, so every delivery is refused rather than
    accepted unsigned. The signature is checked before the timestamp, so only
    a genuine delivery learns that it came too late.
    """
    if not secret:
        raise WebhookRejected(
            "flexe: the webhook secret is not configured; deliveries cannot be verified"
        )
    found = CIMultiDict(headers)
    signature = found.get(SIGNATURE_HEADER)
    if signature is None:
        raise WebhookRejected(f"flexe: the {SIGNATURE_HEADER} header is missing")
    timestamp = found.get(TIMESTAMP_HEADER)
    if timestamp is None:
        raise WebhookRejected(f"flexe: the {TIMESTAMP_HEADER} header is missing")
    match = _SIGNATURE.fullmatch(signature.strip())
    if match is None:
        raise WebhookRejected(
            f"flexe: {SIGNATURE_HEADER} is not sha256=<64 hex digits>"
        )
    timestamp = timestamp.strip()
    if _TIMESTAMP.fullmatch(timestamp) is None:
        raise WebhookRejected(f"flexe: {TIMESTAMP_HEADER} is not epoch seconds")
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, match.group(1).lower()):
        raise WebhookRejected(
            "flexe: the signature does not match the timestamp and body"
        )
    if abs(now - int(timestamp)) > TOLERANCE_S:
        raise WebhookRejected(
            f"flexe: {TIMESTAMP_HEADER} is outside the {TOLERANCE_S} s tolerance"
        )


def parse(body: bytes, headers: Mapping[str, str] | None = None) -> list[EventBase]:
    """The domain events of a verified delivery; [] for types not followed.

    The dedupe key is the envelope's `id`, else the `X-Flexe-Delivery` header.
    ProviderResponseInvalid for a body that is not the envelope, or for a
    followed type whose `data` is not what §1.6 documents.
    """
    try:
        envelope = hook.Envelope.model_validate_json(body)
    except ValidationError:
        raise ProviderResponseInvalid(
            SLUG, "the webhook body is not a Flexe event envelope"
        ) from None
    mapper = MAPPERS.get(envelope.type)
    if mapper is None:
        log.info(
            "Flexe webhook type not followed; acknowledged",
            extra={"event_type": envelope.type},
        )
        return []
    key = envelope.id or CIMultiDict(headers or {}).get(DELIVERY_HEADER)
    if not key:
        raise ProviderResponseInvalid(
            SLUG, "the webhook has neither an event id nor X-Flexe-Delivery"
        )
    return mapper(envelope, key)


def _data(model: type[M], envelope: hook.Envelope) -> M:
    try:
        return model.model_validate(envelope.data)
    except ValidationError:
        raise ProviderResponseInvalid(
            SLUG, f"the data of a {envelope.type} webhook is not Flexe's"
        ) from None


def _order_created(envelope: hook.Envelope, key: str) -> list[EventBase]:
    data = _data(hook.OrderCreated, envelope)
    return [
        OrderStatusEvent(
            provider=SLUG,
            occurred_at=envelope.createdAt,
            dedupe_key=key,
            order_id=data.orderId,
            external_id=data.externalId,
            status=mapping.to_status(data.state, False),
            raw_status=data.state,
        )
    ]


def _state_changed(envelope: hook.Envelope, key: str) -> list[EventBase]:
    data = _data(hook.OrderStateChanged, envelope)
    # Whether the order had errors before is not sent: the previous status is
    # what its state alone means (PENDING, not EXCEPTION, for `new`).
    previous = (
        mapping.to_status(data.previousState, False) if data.previousState else None
    )
    return [
        OrderStatusEvent(
            provider=SLUG,
            occurred_at=envelope.createdAt,
            dedupe_key=key,
            order_id=data.orderId,
            external_id=data.externalId,
            previous_status=previous,
            status=mapping.to_status(data.state, data.hasErrors),
            raw_status=data.state,
        )
    ]


def _line_cancelled(envelope: hook.Envelope, key: str) -> list[EventBase]:
    # The data names one line and not whether any line is still open, so it
    # cannot say the order is cancelled. When the last open line goes, Flexe
    # moves the order to `cancelled` and sends outbound_order.state_changed:
    # that event carries the order's status change.
    return []


def _allocation_error(envelope: hook.Envelope, key: str) -> list[EventBase]:
    data = _data(hook.AllocationErrorRaised, envelope)
    # Allocation fails only for an order in `new` (§1.4: new -> new with
    # hasErrors); an allocated order that gains a line goes back to `new`.
    return [
        OrderStatusEvent(
            provider=SLUG,
            occurred_at=envelope.createdAt,
            dedupe_key=key,
            order_id=data.orderId,
            status=OrderStatus.EXCEPTION,
            raw_status="new",
        )
    ]


def _shipment_shipped(envelope: hook.Envelope, key: str) -> list[EventBase]:
    data = _data(hook.ShipmentShipped, envelope)
    # Only the shipment: whether the order is now fully shipped is not in the
    # data, and Flexe sends outbound_order.state_changed (-> shipped) when it is.
    return [
        ShipmentEvent(
            provider=SLUG,
            occurred_at=envelope.createdAt,
            dedupe_key=key,
            shipment_id=data.shipmentId,
            order_id=data.orderId,
            status=mapping.SHIPMENT_STATUS_MAP["shipped"],
            raw_status="shipped",
            tracking_numbers=tuple(data.trackingNumbers),
        )
    ]


def _inventory_updated(envelope: hook.Envelope, key: str) -> list[EventBase]:
    data = _data(hook.InventoryUpdated, envelope)
    return [
        InventoryEvent(
            provider=SLUG,
            occurred_at=envelope.createdAt,
            dedupe_key=key,
            sku=data.sku,
            location_id=data.reservationId,
            available=data.quantity_available,
            on_hand=data.quantity_on_hand,
        )
    ]


def _inbound_received(envelope: hook.Envelope, key: str) -> list[EventBase]:
    data = _data(hook.InboundShipmentReceived, envelope)
    # Flexe's purchase-order view is the inbound shipment (§7.3: its id is the
    # PurchaseOrder id, `purchaseOrder` the number), open until received; the
    # same INBOUND_STATUS_MAP gives reads their status.
    return [
        PurchaseOrderStatusEvent(
            provider=SLUG,
            occurred_at=envelope.createdAt,
            dedupe_key=key,
            purchase_order_id=data.inboundShipmentId,
            number=data.purchaseOrder,
            previous_status=PurchaseOrderStatus.OPEN,
            status=mapping.INBOUND_STATUS_MAP["received"],
            raw_status="received",
        )
    ]


Mapper = Callable[[hook.Envelope, str], list[EventBase]]

MAPPERS: dict[str, Mapper] = {
    "outbound_order.created": _order_created,
    "outbound_order.state_changed": _state_changed,
    "outbound_order_line.cancelled": _line_cancelled,
    "outbound_order.allocation_error": _allocation_error,
    "shipment.shipped": _shipment_shipped,
    "inventory.updated": _inventory_updated,
    "inbound_shipment.received": _inbound_received,
}
"""Every §1.6 event type, to what it tells the gateway; other types are ignored."""

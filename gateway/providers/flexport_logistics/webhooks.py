"""LAPI webhooks (providers.md §2.6): subscription credentials and the event-type table.

LAPI signs nothing. A delivery is authentic because it carries the credential
the subscription (L17) was made with: `authMethod: TOKEN` sends the token in
a header of our choosing, `BASIC_AUTH` sends `Authorization: Basic`. Nothing
in a delivery is timed either, so a replayed delivery passes `verify`; it is
the dedupe on `logisticsEventId` downstream that publishes it only once.

Order events name LAPI's integer id; which kind of order it is (and so the
gateway's `B2B-…` / `DTC-…` id) follows from the event type, exactly as the
events feed decides it (`feed.CREATED_EVENTS`, `feed.STATUS_EVENTS`). Statuses
go through `status.py`, as reads do.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
from collections.abc import Callable, Mapping
from typing import TypeVar

import orjson
from multidict import CIMultiDict
from pydantic import BaseModel, ValidationError

from gateway.errors import ProviderResponseInvalid, WebhookRejected
from gateway.models import (
    EventBase,
    InventoryEvent,
    OrderKind,
    OrderStatus,
    OrderStatusEvent,
    ShipmentEvent,
)
from gateway.providers.flexport_logistics import feed, refs, status, wire
from gateway.providers.flexport_logistics import webhook_wire as hook
from gateway.providers.flexport_logistics.catalog import Catalog
from gateway.providers.flexport_logistics.mapping import SLUG, sku_of

log = logging.getLogger("gateway.providers.flexport_logistics")

M = TypeVar("M", bound=BaseModel)

DEFAULT_TOKEN_HEADER = "X-Webhook-Token"

IMPLIED_ORDER_STATUS = {"Order.Shipped": "SHIPPED", "Order.Cancelled": "CANCELLED"}
"""What these types mean when their payload leaves `status` out."""

SHIPMENT_STATUS_OF = {
    # The event is all there is: §2.6 gives Shipment.* payloads no status.
    "Shipment.Created": "PACKED",
    "Shipment.Shipped": "SHIPPED",
    "Shipment.Cancelled": "CANCELLED",
}


def verify(
    headers: Mapping[str, str],
    *,
    secret: str | None,
    username: str | None = None,
    token_header: str | None = None,
) -> None:
    """Raise WebhookRejected unless the delivery carries the subscription's credential.

    With `username`, the subscription is BASIC_AUTH (`username`, password =
    `secret`); otherwise TOKEN, whose value is `secret`, in `token_header`.
    Without a secret every delivery is refused: an unprotected endpoint would
    take anyone's events.
    """
    if not secret:
        raise WebhookRejected(
            "flexport_logistics: the webhook secret is not configured; "
            "deliveries cannot be verified"
        )
    found = CIMultiDict(headers)
    if username:
        _basic(found.get("Authorization"), username, secret)
        return
    name = token_header or DEFAULT_TOKEN_HEADER
    token = found.get(name)
    if token is None:
        raise WebhookRejected(f"flexport_logistics: the {name} header is missing")
    # aiohttp keeps undecodable header bytes as surrogates; encode them back.
    if not hmac.compare_digest(token.encode(errors="surrogateescape"), secret.encode()):
        raise WebhookRejected(
            f"flexport_logistics: {name} is not the subscription's token"
        )


def _basic(value: str | None, username: str, password: str) -> None:
    if value is None:
        raise WebhookRejected("flexport_logistics: the Authorization header is missing")
    scheme, _, encoded = value.strip().partition(" ")
    try:
        given = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        given = None
    # RFC 7617: base64 of `user-id ":" password`.
    if scheme.lower() != "basic" or given is None or b":" not in given:
        raise WebhookRejected(
            "flexport_logistics: Authorization is not Basic credentials"
        )
    # One comparison of the whole `user:password`, so neither part's length
    # or correctness shows in the timing.
    if not hmac.compare_digest(given, f"{username}:{password}".encode()):
        raise WebhookRejected(
            "flexport_logistics: the Basic credentials are not the subscription's"
        )


def decode(body: bytes) -> wire.Event:
    """The delivery as the L16 item it stands for (see webhook_wire.py)."""
    try:
        data = orjson.loads(body)
        if isinstance(data, dict):
            return hook.to_feed_event(data)
    except (orjson.JSONDecodeError, ValidationError):
        pass
    raise ProviderResponseInvalid(SLUG, "the webhook body is not a LAPI event")


def to_events(event: wire.Event, catalog: Catalog | None) -> list[EventBase]:
    """The domain events of one delivery; [] for types not followed.

    `catalog` turns Inventory.Adjusted's logisticsSku into the merchant SKU;
    without one (not loaded yet) the event keeps the logisticsSku.
    """
    mapper = MAPPERS.get(event.type)
    if mapper is None:
        log.info(
            "LAPI webhook type not followed; acknowledged",
            extra={"event_type": event.type},
        )
        return []
    return mapper(event, catalog)


def parse(body: bytes, catalog: Catalog | None = None) -> list[EventBase]:
    """`decode`, then `to_events`."""
    return to_events(decode(body), catalog)


def _payload(model: type[M], event: wire.Event) -> M:
    try:
        return model.model_validate(event.payload)
    except ValidationError:
        raise ProviderResponseInvalid(
            SLUG, f"the fields of a {event.type} webhook are not LAPI's"
        ) from None


def _domain_id(kind: OrderKind, number: str, event: wire.Event) -> str:
    # LAPI ids are integers; anything else could not be read back by id.
    if not (number.isascii() and number.isdigit()):
        raise ProviderResponseInvalid(
            SLUG, f"a {event.type} webhook names id {number!r}"
        )
    return refs.domain_id(kind, number)


def _order_status(kind: OrderKind, raw: str, fulfillment: str | None) -> OrderStatus:
    # A webhook cannot see the order's shipments or `deliveredAt`: a partly
    # shipped B2B outbound reads PARTIALLY_SHIPPED but its event says
    # IN_PROGRESS, until Outbound.StatusChanged reports SHIPPED.
    if kind is OrderKind.B2B:
        return status.outbound_status(raw, any_shipped=False)
    return status.dtc_status(raw, fulfillment, delivered=False)


def _order(event: wire.Event, catalog: Catalog | None) -> list[EventBase]:
    kind = feed.CREATED_EVENTS.get(event.type) or feed.STATUS_EVENTS[event.type]
    data = _payload(hook.OrderEvent, event)
    raw = data.orderStatus or data.status or IMPLIED_ORDER_STATUS.get(event.type)
    if not raw:
        raise ProviderResponseInvalid(SLUG, f"a {event.type} webhook has no status")
    previous = data.previousStatus
    return [
        OrderStatusEvent(
            provider=SLUG,
            occurred_at=event.time,
            dedupe_key=event.id,
            order_id=_domain_id(kind, data.orderId, event),
            external_id=data.externalId
            if kind is OrderKind.B2B
            else data.externalOrderId,
            previous_status=_order_status(kind, previous, None) if previous else None,
            status=_order_status(kind, raw, data.fulfillmentStatus),
            raw_status=raw,
        )
    ]


def _shipment(event: wire.Event, catalog: Catalog | None) -> list[EventBase]:
    data = _payload(hook.ShipmentEvent, event)
    raw = data.status or SHIPMENT_STATUS_OF[event.type]
    # Shipment.* are DTC events (2024-04 has no B2B outbound events at all),
    # so both ids are in the DTC space, as `mapping_dtc` makes them for reads.
    return [
        ShipmentEvent(
            provider=SLUG,
            occurred_at=event.time,
            dedupe_key=event.id,
            shipment_id=_domain_id(OrderKind.DTC, data.shipmentId, event),
            order_id=_domain_id(OrderKind.DTC, data.orderId, event)
            if data.orderId
            else None,
            status=status.shipment_status(raw),
            raw_status=raw,
            tracking_numbers=tuple(
                dict.fromkeys(p.trackingCode for p in data.packages if p.trackingCode)
            ),
        )
    ]


def _inventory(event: wire.Event, catalog: Catalog | None) -> list[EventBase]:
    data = _payload(hook.InventoryAdjusted, event)
    skus = catalog.merchant_by_logistics if catalog is not None else {}
    # Network totals: no warehouse, as L11/L12 levels have none (§7.3).
    return [
        InventoryEvent(
            provider=SLUG,
            occurred_at=event.time,
            dedupe_key=event.id,
            sku=sku_of(data.logisticsSku, skus),
            location_id=None,
            available=data.available,
            on_hand=data.onHand,
        )
    ]


Mapper = Callable[[wire.Event, Catalog | None], list[EventBase]]

MAPPERS: dict[str, Mapper] = {
    "Outbound.Created": _order,
    "Outbound.StatusChanged": _order,
    "Order.Created": _order,
    "Order.Shipped": _order,
    "Order.Cancelled": _order,
    "Shipment.Created": _shipment,
    "Shipment.Shipped": _shipment,
    "Shipment.Cancelled": _shipment,
    "Inventory.Adjusted": _inventory,
}
"""§2.6's order, shipment and stock events; the others (Inbound.*, Return.*,
tracking) and the sandbox's own Order.StatusChanged and
Outbound.ShipmentStatusChanged are acknowledged without an event."""

"""Flexe webhook JSON (providers.md §1.6): the envelope and each event type's `data`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from gateway.providers.flexe.wire import Wire


def _amount(value: Any) -> Any:
    # §1.6 names the quantities after F15's `{amount, unit}` objects without
    # showing their shape; accept that object as well as a bare count.
    if isinstance(value, dict):
        return value.get("amount")
    return value


Amount = Annotated[int | None, BeforeValidator(_amount)]


class Envelope(Wire):
    """`{id, type, createdAt, data}`; without an `id`, X-Flexe-Delivery keys it."""

    id: str | None = None
    type: str
    createdAt: datetime
    data: dict[str, Any] = Field(default_factory=dict)


class OrderCreated(Wire):
    """`outbound_order.created`."""

    orderId: str
    externalId: str | None = None
    state: str = "new"


class OrderStateChanged(Wire):
    """`outbound_order.state_changed`."""

    orderId: str
    externalId: str | None = None
    previousState: str | None = None
    state: str
    hasErrors: bool = False


class AllocationErrorRaised(Wire):
    """`outbound_order.allocation_error`."""

    orderId: str
    orderLineId: str | None = None
    code: str | None = None
    details: str | None = None


class ShipmentShipped(Wire):
    """`shipment.shipped`."""

    shipmentId: str
    orderId: str | None = None
    trackingNumbers: list[str] = Field(default_factory=list)
    shippedAt: datetime | None = None


class InventoryUpdated(Wire):
    """`inventory.updated`: snake_case quantities, as F15 spells them."""

    sku: str
    reservationId: str | None = None
    quantity_on_hand: Amount = None
    quantity_available: Amount = None


class InboundShipmentReceived(Wire):
    """`inbound_shipment.received`."""

    inboundShipmentId: str
    purchaseOrder: str | None = None
    receivedAt: datetime | None = None

"""Change events: what a webhook or a poll says changed, in the unified model.

Adapters build them without an `event_id`; the broker assigns one when it
publishes, in publication order, and subscribers resume after an id. Two
events with the same `dedupe_key` (a redelivered webhook, two instances
polling the same change) are published once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from gateway.models.common import Value
from gateway.models.orders import OrderStatus
from gateway.models.purchase_orders import PurchaseOrderStatus
from gateway.models.shipments import ShipmentStatus


class Topic(StrEnum):
    """What a subscription listens to; one stream of events each."""

    ORDER_STATUS = "order_status"
    SHIPMENT = "shipment"
    PURCHASE_ORDER_STATUS = "purchase_order_status"
    INVENTORY = "inventory"


class EventBase(Value):
    """Fields every event has."""

    topic: Topic
    provider: str
    occurred_at: datetime
    dedupe_key: str = Field(
        min_length=1,
        description="Same key, same change: the provider's event or delivery id, "
        "or what a poll saw (id + status + update time).",
    )
    event_id: str | None = Field(
        default=None, description="Assigned by the broker on publication."
    )


class OrderStatusEvent(EventBase):
    """An order's status changed (or it was created)."""

    topic: Literal[Topic.ORDER_STATUS] = Topic.ORDER_STATUS
    order_id: str
    external_id: str | None = None
    previous_status: OrderStatus | None = None
    status: OrderStatus
    raw_status: str


class ShipmentEvent(EventBase):
    """A shipment of an order was created or moved on (shipped, delivered, …)."""

    topic: Literal[Topic.SHIPMENT] = Topic.SHIPMENT
    shipment_id: str | None = None
    order_id: str | None = None
    status: ShipmentStatus
    raw_status: str
    tracking_numbers: tuple[str, ...] = ()


class PurchaseOrderStatusEvent(EventBase):
    """A purchase order's status changed (or it was created or acknowledged)."""

    topic: Literal[Topic.PURCHASE_ORDER_STATUS] = Topic.PURCHASE_ORDER_STATUS
    purchase_order_id: str
    number: str | None = None
    previous_status: PurchaseOrderStatus | None = None
    status: PurchaseOrderStatus
    raw_status: str


class InventoryEvent(EventBase):
    """Stock of a SKU moved at one provider (and location, where it has them)."""

    topic: Literal[Topic.INVENTORY] = Topic.INVENTORY
    sku: str
    location_id: str | None = None
    available: int | None = None
    on_hand: int | None = None


Event = Annotated[
    OrderStatusEvent | ShipmentEvent | PurchaseOrderStatusEvent | InventoryEvent,
    Field(discriminator="topic"),
]
"""Any event; `topic` tells which (and is how it is decoded)."""

"""Outbound shipments: parcels or freight that left a warehouse for an order."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from gateway.models.common import Domain, Value, Weight


class ShipmentStatus(StrEnum):
    """Unified shipment status; UNKNOWN keeps unmapped raw values."""

    PENDING = "PENDING"
    PACKED = "PACKED"
    SHIPPED = "SHIPPED"
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"
    EXCEPTION = "EXCEPTION"
    UNKNOWN = "UNKNOWN"


class ShipmentItem(Value):
    """A quantity of one SKU in a shipment."""

    sku: str
    quantity: int
    line_id: str | None = Field(
        default=None, description="The order line it fulfils, where known."
    )


class Shipment(Domain):
    """A shipment of (part of) an order."""

    id: str
    order_id: str | None = None
    status: ShipmentStatus
    raw_status: str | None = None
    carrier: str | None = None
    service: str | None = None
    tracking_numbers: tuple[str, ...] = ()
    tracking_url: str | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    items: tuple[ShipmentItem, ...] = ()
    weight: Weight | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

"""Purchase orders, their lines, and inbound shipments that deliver against them."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from gateway.models.common import Company, Domain, Money


class PurchaseOrderStatus(StrEnum):
    """Unified purchase-order status (providers.md §7.1)."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"
    CANCELLED = "CANCELLED"
    UNKNOWN = "UNKNOWN"


class PurchaseOrderLine(Domain):
    """One item of a purchase order or of an inbound shipment."""

    id: str
    purchase_order_id: str
    line_number: int | None = None
    item_key: str | None = None
    sku: str | None = None
    product_name: str | None = None
    quantity: int | None = None
    unit_of_measure: str | None = None
    received_quantity: int | None = None
    unit_cost: Money | None = None


class PurchaseOrder(Domain):
    """A purchase order placed with a supplier (Flexport API v3)."""

    id: str
    number: str
    status: PurchaseOrderStatus
    raw_status: str
    supplier: Company | None = None
    buyer: Company | None = None
    incoterm: str | None = None
    transportation_mode: str | None = None
    cargo_ready_date: date | None = None
    expected_arrival: date | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    archived_at: datetime | None = None
    lines: tuple[PurchaseOrderLine, ...] | None = None


class InboundShipment(Domain):
    """Goods on their way into a warehouse against a PO number (an ASN)."""

    id: str
    purchase_order_number: str | None = None
    status: PurchaseOrderStatus
    raw_status: str
    supplier: Company | None = None
    location_id: str | None = None
    expected_arrival: datetime | None = None
    arrived_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    lines: tuple[PurchaseOrderLine, ...] | None = None

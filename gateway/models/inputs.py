"""What a caller asks a provider to create or change, in domain terms."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from gateway.models.common import Address, Value
from gateway.models.orders import OrderKind


class OrderLineCreate(Value):
    """One line of a new order."""

    sku: str = Field(min_length=1)
    quantity: int = Field(gt=0)
    unit_of_measure: str | None = None
    external_id: str | None = None


class OrderCreate(Value):
    """A new outbound order; `kind` picks the provider endpoint."""

    kind: OrderKind
    external_id: str = Field(min_length=1)
    recipient: Address
    lines: tuple[OrderLineCreate, ...] = Field(min_length=1)
    shipping_service: str | None = None
    ship_by: datetime | None = None
    notes: str | None = None
    location_id: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)


class PurchaseOrderLineCreate(Value):
    """One line of a purchase order."""

    item_key: str = Field(min_length=1)
    sku: str = Field(min_length=1)
    product_name: str | None = None
    quantity: int = Field(gt=0)
    unit_of_measure: str = "EA"
    unit_cost: Decimal | None = None
    currency_code: str | None = None


class PurchaseOrderCreate(Value):
    """A new (or fully replaced) purchase order."""

    number: str = Field(min_length=1)
    supplier_ref: str = Field(min_length=1)
    buyer_ref: str = Field(min_length=1)
    incoterm: str
    transportation_mode: str
    cargo_ready_date: date | None = None
    expected_arrival: date | None = None
    lines: tuple[PurchaseOrderLineCreate, ...] = Field(min_length=1)


class ShipmentCreate(Value):
    """Tracking reported for (part of) a fulfilment request."""

    order_id: str
    tracking_number: str = Field(min_length=1)
    carrier: str | None = None
    service: str | None = None
    tracking_url: str | None = None
    shipped_at: datetime | None = None
    items: tuple[OrderLineCreate, ...] = ()

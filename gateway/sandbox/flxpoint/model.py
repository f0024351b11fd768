"""Flxpoint's objects as the sandbox stores them (wire names live in serialize.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

Address = dict[str, str | None]


@dataclass
class FrItem:
    """One fulfillment request item; money is kept in cents."""

    id: int
    sku: str
    title: str
    quantity: int
    cost_cents: int
    order_item_id: int
    inventory_variant_id: int | None
    upc: str | None
    weight_lb: float
    acknowledged_quantity: int = 0
    secondary_acknowledged_quantity: int = 0
    cancelled_quantity: int = 0
    shipped_quantity: int = 0

    @property
    def open_quantity(self) -> int:
        """Units neither shipped nor cancelled."""
        return self.quantity - self.cancelled_quantity - self.shipped_quantity


@dataclass
class FulfillmentRequest:
    id: int
    number: str
    order_id: int
    source_id: int
    status: str
    fulfillment_status: str
    generated_at: datetime
    updated_at: datetime
    shipping_address: Address
    items: list[FrItem]
    acknowledged_at: datetime | None = None
    voided_at: datetime | None = None
    invoiced: bool = False
    shipment_ids: list[int] = field(default_factory=list)

    def item(self, item_id: int) -> FrItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def shipped_units(self) -> int:
        return sum(i.shipped_quantity for i in self.items)

    @property
    def open_units(self) -> int:
        return sum(i.open_quantity for i in self.items)


@dataclass
class ShipmentItem:
    id: int
    shipment_id: int
    fr_item_id: int
    order_item_id: int
    inventory_variant_id: int | None
    sku: str
    quantity: int
    partial: bool


@dataclass
class Shipment:
    id: int
    fr_id: int
    order_id: int
    source_id: int
    tracking_number: str
    carrier: str | None
    method: str | None
    tracking_url: str | None
    note: str | None
    shipping_cost_cents: int | None
    shipped_at: datetime
    inserted_at: datetime
    updated_at: datetime
    partial: bool
    items: list[ShipmentItem]
    synced_to_channel: bool = False


@dataclass
class OrderItem:
    id: int
    sku: str
    title: str
    quantity: int
    price_cents: int


@dataclass
class ChannelOrder:
    id: int
    order_number: str
    channel_id: int
    channel_name: str
    ordered_at: datetime
    inserted_at: datetime
    updated_at: datetime
    shipping_address: Address
    items: list[OrderItem]
    fr_ids: list[int] = field(default_factory=list)
    canceled_at: datetime | None = None
    note: str | None = None


@dataclass
class Variant:
    """One SKU at one source; `quantity` is what the source can sell now."""

    id: int
    inventory_item_id: int
    inventory_parent_id: int
    parent_sku: str
    parent_title: str
    source_id: int
    sku: str
    title: str
    upc: str
    mpn: str
    ean: str
    asin: str | None
    quantity: int
    committed_quantity: int
    incoming_quantity: int
    cost_cents: int | None
    msrp_cents: int | None
    map_cents: int | None
    list_price_cents: int | None
    shipping_cost_cents: int | None
    dropship_fee_cents: int | None
    weight_lb: float | None
    length_in: float
    width_in: float
    height_in: float
    allow_backorders: bool
    archived: bool
    bin_location: str | None
    inserted_at: datetime
    updated_at: datetime
    total_quantity_last_changed_at: datetime
    content_updated_at: datetime
    options: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total_quantity(self) -> int:
        return self.quantity + self.committed_quantity

"""LAPI's objects as the sandbox stores them (wire names live in serialize modules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Validated request JSON kept verbatim (retailerData, transportationDetails, …).
Json = dict[str, Any]
Address = dict[str, str | bool | None]


@dataclass
class OrderItem:
    """One `orderItems[]` entry of a B2B outbound."""

    logistics_sku: str
    quantity: int
    uom: str
    per_pack: int
    line_item_id: str
    lot_number: str | None = None
    unit_price: float | None = None
    total_price: float | None = None
    discount: float | None = None
    product_data: Json | None = None


@dataclass
class PackItem:
    logistics_sku: str
    quantity: int
    uom: str


@dataclass
class Pack:
    """A carton (parcel) or pallet (freight) of `shipments[].packDetails[]`."""

    items: list[PackItem]
    carrier_name: str
    carrier_scac: str
    tracking_number: str | None
    package_status: str
    sscc: str
    dims: Json
    box_id: str


@dataclass
class Freight:
    bol_id: str
    pro_number: str | None
    carrier_name: str
    carrier_scac: str


@dataclass
class ShipmentItem:
    item: OrderItem
    quantity: int
    shipped_quantity: int = 0


@dataclass
class Attachment:
    """An upload slot from L4; listed on the shipment once a PDF was PUT to it."""

    token: str
    order_id: int
    shipment_id: int
    attachment_type: str
    issued_at: datetime
    expires_at: datetime
    content: bytes | None = None
    uploaded_at: datetime | None = None


@dataclass
class OutboundShipment:
    id: int
    order_id: int
    status: str
    ship_from: Address
    ship_to: Address
    transportation: Json
    items: list[ShipmentItem]
    packs: list[Pack] = field(default_factory=list)
    freight: list[Freight] = field(default_factory=list)
    charged_weight: float | None = None
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class Outbound:
    id: int
    external_id: str | None
    status: str
    location_id: str
    items: list[OrderItem]
    ship_to: Address
    transportation: Json
    created_at: datetime
    external_channel_id: str | None = None
    ship_by: str | None = None
    notes: str | None = None
    retailer_data: Json | None = None
    ingestion_channel: str | None = None
    # Create-only (S1): stored but never echoed.
    currency_code: str | None = None
    vas_data: Json | None = None
    shipments: list[OutboundShipment] = field(default_factory=list)


@dataclass
class DtcLine:
    logistics_sku: str
    quantity: int


@dataclass
class Package:
    id: int
    carrier: str
    shipping_method: str
    tracking_code: str
    dims: Json
    lines: list[DtcLine]


@dataclass
class DtcShipment:
    id: int
    order_id: int
    warehouse_id: str
    status: str
    packages: list[Package]
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None


@dataclass
class DtcOrder:
    id: int
    external_order_id: str
    status: str
    fulfillment_status: str
    lines: list[DtcLine]
    address: Address
    created_at: datetime
    cost: float
    currency: str = "USD"
    promised_ship_by: str | None = None
    promised_delivery_by: str | None = None
    delivery_days: int | None = None
    packing_slip_url: str | None = None
    duties: Json | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    shipments: list[DtcShipment] = field(default_factory=list)
    # Orders placed through L6 move on by themselves, like Flexport's sandbox.
    auto_advance: bool = False


@dataclass
class Product:
    logistics_sku: str
    merchant_sku: str
    name: str
    barcodes: list[str]
    dims: Json
    dims_locked: bool
    units_per_pack: int
    created_at: datetime
    updated_at: datetime


@dataclass
class Stock:
    """One SKU at one warehouse; onHand = available + unavailable."""

    available: int
    unavailable: int

    @property
    def on_hand(self) -> int:
        return self.available + self.unavailable


@dataclass
class InboundItem:
    id: int
    logistics_sku: str
    merchant_sku: str
    line_item_id: str
    expected: int
    sellable: int = 0
    damaged: int = 0


@dataclass
class InboundShipment:
    id: int
    receiving_id: int
    status: str
    plan_id: int
    plan_external_id: str
    plan_name: str
    shipping_option: str
    destination: str
    booking_id: str | None
    from_name: str
    from_country: str
    items: list[InboundItem]
    arrived_at: datetime | None = None
    completed_at: datetime | None = None


FIRST_EVENT_ID = 1_000_001


@dataclass(frozen=True)
class Event:
    """One entry of the L16 feed; `seq` is its position, used by cursors."""

    seq: int
    type: str
    time: datetime
    payload: Json

    @property
    def id(self) -> int:
        """Event ids increase with time: the feed is in id order."""
        return FIRST_EVENT_ID + self.seq


@dataclass
class Webhook:
    id: int
    type: str
    url: str
    method: str
    auth_method: str
    username: str | None
    password: str | None
    token: str | None
    token_header: str | None
    created_at: datetime

"""Flexe's objects as the sandbox stores them (wire names live in serialize.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Fields = dict[str, str | None]


@dataclass
class Line:
    id: str
    order_id: str
    external_id: str | None
    sku: str
    quantity: int
    unit_of_measure: str
    labels: dict[str, str]
    created_at: datetime
    updated_at: datetime
    cancelled_at: datetime | None = None
    completely_shipped_at: datetime | None = None
    allocated_quantity: int = 0
    shipped_quantity: int = 0
    shipment_ids: list[str] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.cancelled_at is None


@dataclass
class AllocationError:
    order_id: str
    order_external_id: str
    line_id: str | None
    line_external_id: str | None
    code: str
    details: str
    created_at: datetime
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class ShipmentLine:
    line_id: str
    sku: str
    quantity: int


@dataclass
class Shipment:
    id: str
    order_id: str
    state: str
    carrier: str
    service_type: str
    created_at: datetime
    lines: list[ShipmentLine]
    tracking_numbers: list[str] = field(default_factory=list)
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None


@dataclass
class Attachment:
    id: str
    order_id: str
    type: str
    document_type: str
    created_at: datetime
    # displayName, fileKey, externalUrl, externalId, barcodeText, trackingNumber,
    # fileGroup
    details: Fields
    labels: dict[str, str] = field(default_factory=dict)
    cancelled_at: datetime | None = None


@dataclass
class Order:
    id: str
    external_id: str
    state: str
    created_at: datetime
    updated_at: datetime
    reservation_id: str | None
    labels: dict[str, str]
    recipient: Fields
    address: Fields
    shipping: Fields
    lines: list[Line] = field(default_factory=list)
    shipments: list[Shipment] = field(default_factory=list)
    errors: list[AllocationError] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def open_lines(self) -> list[Line]:
        return [line for line in self.lines if line.is_open]

    def line(self, line_id: str) -> Line | None:
        return next((line for line in self.lines if line.id == line_id), None)


@dataclass
class StoredFile:
    key: str
    name: str | None
    content_type: str
    content: bytes
    created_at: datetime
    updated_at: datetime
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class InventoryRecord:
    item_id: str
    sku: str
    description: str
    reservation_id: str
    on_hand: int
    allocated: int
    unit: str
    last_updated_at: datetime


@dataclass
class InboundItem:
    sku: str
    quantity: int
    unit: str
    # lotCode, expirationDate, manufactureDate, countryOfOrigin
    details: Fields
    received_quantity: int = 0


@dataclass
class InboundShipment:
    id: str
    correlation_id: str
    customer_uuid: str
    purchase_order_id: str
    po_number: str | None
    reservation_id: str
    state: str
    dropoff_date: str
    items: list[InboundItem]
    # asnNumber, containerNumber, containerSealNumber, billOfLading,
    # expectedInboundShipmentType, suplierOrVendor
    details: Fields
    created_at: datetime
    updated_at: datetime
    received_at: datetime | None = None


@dataclass
class RetailOrder:
    shipment_id: str
    id: str
    type: str
    state: str
    correlation_id: str
    customer_uuid: str
    items: list[dict[str, Any]]
    ship_to: Fields
    ship_window: dict[str, str]
    # shipmentType, shipmentMethod, purchaseOrder, routeBy, instructions, carrier,
    # carrierServiceType, carrierBillingAccountId, routingDetailsId,
    # destinationType, destinationRetailer
    options: Fields
    created_at: datetime
    updated_at: datetime
    scac: str | None = None
    bol_number: str | None = None
    meta: Any = None


@dataclass
class Webhook:
    id: str
    name: str
    url: str
    events: list[str]
    secret: str | None
    created_at: datetime

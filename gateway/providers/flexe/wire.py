"""Flexe's JSON, as pydantic models (field names spelled as Flexe spells them)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Wire(BaseModel):
    """Base of Flexe payload models: tolerate new fields, accept numeric ids."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class Address(Wire):
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None


class Recipient(Wire):
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    address: Address | None = None


class Shipping(Wire):
    instructions: str | None = None
    serviceType: str | None = None
    carrierBillingAccountId: str | None = None
    signatureConfirmation: str | None = None
    labelReference1: str | None = None
    labelReference2: str | None = None


class Order(Wire):
    id: str
    externalId: str | None = None
    state: str
    hasErrors: bool = False
    createdAt: datetime | None = None
    updatedAt: datetime | None = None
    reservationId: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    recipient: Recipient | None = None
    shipping: Shipping | None = None
    shipmentIds: list[str] | None = None


class Line(Wire):
    id: str
    orderId: str
    externalId: str | None = None
    sku: str
    quantity: int
    unitOfMeasure: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    createdAt: datetime | None = None
    updatedAt: datetime | None = None
    cancelledAt: datetime | None = None
    completelyShippedAt: datetime | None = None
    percentAllocated: int | None = None
    percentShipped: int | None = None
    hasErrors: bool = False
    shipmentIds: list[str] = Field(default_factory=list)
    allocatedQuantity: int | None = None
    shippedQuantity: int | None = None


class AllocationError(Wire):
    orderId: str
    orderExternalId: str | None = None
    orderLineId: str | None = None
    lineExternalId: str | None = None
    code: str
    details: str | None = None
    createdAt: datetime | None = None


class Attachment(Wire):
    id: str
    orderId: str
    type: str | None = None
    documentType: str | None = None
    displayName: str | None = None
    fileKey: str | None = None
    externalUrl: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    createdAt: datetime | None = None
    cancelledAt: datetime | None = None


class File(Wire):
    """What F14 answers for a stored file."""

    key: str
    name: str | None = None
    size: int | None = None
    contentType: str | None = None


class Page(Wire):
    """The list envelope: `{total, continuationToken, <collection>}`."""

    total: int | None = None
    continuationToken: str | None = None


class OrderPage(Page):
    outboundOrders: list[Order]


class LinePage(Page):
    lines: list[Line]


class AllocationErrorPage(Page):
    allocationErrors: list[AllocationError]


class AttachmentPage(Page):
    attachments: list[Attachment]


class ErrorItem(Wire):
    code: str | None = None
    message: str | None = None
    field: str | None = None


class ErrorBody(Wire):
    errors: list[ErrorItem] = Field(default_factory=list)
    correlationId: str | None = None


class ShipmentLine(Wire):
    lineId: str | None = None
    sku: str
    quantity: int


class Shipment(Wire):
    id: str
    orderId: str | None = None
    state: str
    carrier: str | None = None
    serviceType: str | None = None
    trackingNumbers: list[str] = Field(default_factory=list)
    shippedAt: datetime | None = None
    deliveredAt: datetime | None = None
    lines: list[ShipmentLine] = Field(default_factory=list)


class ShipmentPage(Page):
    shipments: list[Shipment]


class Quantity(Wire):
    amount: int
    unit: str | None = None


class InventoryItem(Wire):
    item_id: str | None = None
    sku: str
    reservation_id: str | None = None
    quantity_on_hand: Quantity | None = None
    quantity_available: Quantity | None = None
    quantity_allocated: Quantity | None = None
    last_updated_at: datetime | None = None


class InventoryPage(Wire):
    """F15 is snake_case, with its own token name and no total."""

    continuation_token: str | None = None
    inventory: list[InventoryItem]


class InboundItem(Wire):
    sku: str
    quantity: int
    unit: str | None = None
    receivedQuantity: int | None = None


class InboundShipment(Wire):
    id: str
    purchaseOrder: str | None = None
    poNumber: str | None = None
    state: str
    reservationId: str | None = None
    dropoffDate: datetime | None = None
    suplierOrVendor: str | None = None
    createdAt: datetime | None = None
    updatedAt: datetime | None = None
    receivedAt: datetime | None = None
    items: list[InboundItem] = Field(default_factory=list)


class InboundShipmentPage(Page):
    inboundShipments: list[InboundShipment]


class RetailQuantity(Wire):
    value: int
    unit: str | None = None


class RetailItem(Wire):
    sku: str
    quantity: RetailQuantity


class ShipTo(Wire):
    name: str | None = None
    addressLine1: str | None = None
    addressLine2: str | None = None
    addressLine3: str | None = None
    locality: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    phone: str | None = None
    email: str | None = None


class ShipWindow(Wire):
    # Dates or instants, as the caller sent them.
    start: datetime | None = None
    end: datetime | None = None


class RetailSummary(Wire):
    """What F20 answers: enough to read the order again (F22)."""

    id: str | None = None
    shipmentId: str
    state: str
    correlationId: str | None = None


class RetailOrder(Wire):
    """F21 and F22: a retail fulfillment order, keyed by `shipmentId`."""

    id: str | None = None
    shipmentId: str
    type: str | None = None
    state: str
    correlationId: str | None = None
    customerUUID: str | None = None
    items: list[RetailItem] = Field(default_factory=list)
    shipTo: ShipTo | None = None
    shipWindow: ShipWindow | None = None
    carrierServiceType: str | None = None
    createdAt: datetime | None = None
    updatedAt: datetime | None = None

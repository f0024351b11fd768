"""Flxpoint's JSON, as pydantic models (field names spelled as Flxpoint spells them)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class Wire(BaseModel):
    """Base of Flxpoint payload models: tolerate new fields; ids are JSON integers
    that the domain keeps as strings."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class StatusName(Wire):
    name: str


class ShippingAddress(Wire):
    name: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    companyName: str | None = None
    addressLine1: str | None = None
    addressLine2: str | None = None
    city: str | None = None
    state: str | None = None
    stateCode: str | None = None
    country: str | None = None
    countryCode: str | None = None
    postal: str | None = None
    email: str | None = None
    phone: str | None = None


class FulfillmentRequestItem(Wire):
    id: str | None = None
    sku: str
    title: str | None = None
    quantity: int
    cost: Decimal | None = None
    acknowledgedQuantity: int | None = None
    cancelledQuantity: int | None = None
    shippedQuantity: int | None = None
    orderItemId: str | None = None
    inventoryVariantId: str | None = None


class FulfillmentRequest(Wire):
    id: str
    fulfillmentRequestNumber: str | None = None
    orderId: str | None = None
    sourceId: str | None = None
    fulfillmentRequestStatus: StatusName
    fulfillmentStatus: str | None = None
    generatedAt: datetime | None = None
    acknowledgedAt: datetime | None = None
    voidedAt: datetime | None = None
    updatedAt: datetime | None = None
    shippingAddress: ShippingAddress | None = None
    fulfillmentRequestItems: list[FulfillmentRequestItem] | None = None


class ShipmentItem(Wire):
    id: str | None = None
    sku: str
    quantity: int
    fulfillmentRequestItemId: str | None = None
    purchaseOrderItemId: str | None = None
    orderItemId: str | None = None
    inventoryVariantId: str | None = None


class Shipment(Wire):
    id: str
    trackingNumber: str | None = None
    trackingUrl: str | None = None
    carrier: str | None = None
    method: str | None = None
    note: str | None = None
    shippedAt: datetime | None = None
    insertedAt: datetime | None = None
    updatedAt: datetime | None = None
    orderId: str | None = None
    purchaseOrderId: str | None = None
    fulfillmentRequestId: str | None = None
    sourceId: str | None = None
    partial: bool | None = None
    shipmentItems: list[ShipmentItem] | None = None


class InventoryVariant(Wire):
    id: str
    sku: str
    sourceId: str | None = None
    quantity: int | None = None
    totalQuantity: int | None = None
    committedQuantity: int | None = None
    incomingQuantity: int | None = None
    archived: bool | None = None
    updatedAt: datetime | None = None
    totalQuantityLastChangedAt: datetime | None = None


class ErrorBody(Wire):
    """Every Flxpoint error: `{"error": "<message>"}`."""

    error: str | None = None

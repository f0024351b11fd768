"""LAPI's JSON as pydantic models (field names spelled as LAPI spells them)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter


def _empty_if_null(value: Any) -> Any:
    # LAPI sends every documented field, null when unset; a null list is "none".
    return [] if value is None else value


EmptyIfNull = BeforeValidator(_empty_if_null)


class Wire(BaseModel):
    """Base of LAPI payload models: tolerate new fields; integer ids become strings."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class Address(Wire):
    name: str | None = None
    company: str | None = None
    street1: str | None = None
    street2: str | None = None
    city: str | None = None
    zip: str | None = None
    state: str | None = None
    country: str | None = None
    phone: str | None = None
    email: str | None = None
    isResidential: bool | None = None


class TransportationDetails(Wire):
    shippingPartner: str | None = None
    shippingType: str | None = None
    shippingMethod: str | None = None
    shippingSpeed: str | None = None


class ProductData(Wire):
    upc: str | None = None
    buyerPartNumber: str | None = None
    sku: str | None = None
    gtin: str | None = None


class OrderItem(Wire):
    logisticsSku: str | None = None
    quantity: int
    quantityUOM: str | None = None
    quantityPerPack: int | None = None
    lineItemId: str | None = None
    lotNumber: str | None = None
    unitPrice: Decimal | None = None
    totalPrice: Decimal | None = None
    discount: Decimal | None = None
    productData: ProductData | None = None


class PackItem(Wire):
    logisticsSku: str | None = None
    quantity: int | None = None
    quantityUOM: str | None = None


class PackDetail(Wire):
    packItems: Annotated[list[PackItem], EmptyIfNull] = Field(default_factory=list)
    carrierName: str | None = None
    carrierSCAC: str | None = None
    trackingNumber: str | None = None
    packageStatus: str | None = None
    sscc: str | None = None
    boxId: str | None = None


class FreightDetail(Wire):
    bolId: str | None = None
    proNumber: str | None = None
    carrierName: str | None = None
    carrierSCAC: str | None = None


class ShipmentItem(Wire):
    logisticsSku: str | None = None
    quantity: int = 0
    shippedQuantity: int | None = None
    quantityUOM: str | None = None
    quantityPerPack: int | None = None
    lineItemId: str | None = None


class ShipmentAttachment(Wire):
    """What was uploaded through an L4 URL (sandbox: listed on the shipment)."""

    attachmentType: str | None = None
    contentType: str | None = None
    size: int | None = None
    uploadedAt: datetime | None = None
    url: str | None = None


class UploadUrl(Wire):
    """L4's answer: where to PUT the PDF, valid until `expirationTime` (1 h, S1)."""

    uploadUrl: str
    attachmentType: str | None = None
    expirationTime: datetime | None = None


class OutboundShipment(Wire):
    status: str | None = None
    shipmentId: str
    shipmentChargedWeight: float | None = None
    shipmentChargedWeightUnit: str | None = None
    shipToAddress: Address | None = None
    transportationDetails: TransportationDetails | None = None
    packDetails: Annotated[list[PackDetail], EmptyIfNull] = Field(default_factory=list)
    freightDetails: Annotated[list[FreightDetail], EmptyIfNull] = Field(
        default_factory=list
    )
    shipmentItems: Annotated[list[ShipmentItem], EmptyIfNull] = Field(
        default_factory=list
    )
    attachments: Annotated[list[ShipmentAttachment], EmptyIfNull] = Field(
        default_factory=list
    )


class RetailerData(Wire):
    retailer: str | None = None
    purchaseOrderNumber: str | None = None
    shipByDate: datetime | None = None


class Outbound(Wire):
    """A B2B outbound order (L1, L2, L3, L5)."""

    orderId: str
    externalId: str | None = None
    externalChannelId: str | None = None
    locationId: str | None = None
    type: str | None = None
    orderStatus: str
    orderItems: Annotated[list[OrderItem], EmptyIfNull] = Field(default_factory=list)
    shipToAddress: Address | None = None
    transportationDetails: TransportationDetails | None = None
    shipments: Annotated[list[OutboundShipment], EmptyIfNull] = Field(
        default_factory=list
    )
    shipBy: datetime | None = None
    notes: str | None = None
    retailerData: RetailerData | None = None
    ingestionChannel: str | None = None


class DtcLineItem(Wire):
    logisticsSku: str
    quantity: int


class Label(Wire):
    carrier: str | None = None
    shippingMethod: str | None = None
    trackingCode: str | None = None


class Package(Wire):
    id: str | None = None
    label: Label | None = None
    lineItems: Annotated[list[DtcLineItem], EmptyIfNull] = Field(default_factory=list)


class DtcShipment(Wire):
    id: str
    warehouseId: str | None = None
    status: str | None = None
    shippedAt: datetime | None = None
    deliveredAt: datetime | None = None
    packages: Annotated[list[Package], EmptyIfNull] = Field(default_factory=list)


class DtcState(Wire):
    internalStatus: str
    fulfillmentStatus: str | None = None


class DtcOrder(Wire):
    """A DTC order (L6, L7, L8)."""

    id: str
    externalOrderId: str | None = None
    state: DtcState
    lineItems: Annotated[list[DtcLineItem], EmptyIfNull] = Field(default_factory=list)
    address: Address | None = None
    promisedShipByTime: datetime | None = None
    shipments: Annotated[list[DtcShipment], EmptyIfNull] = Field(default_factory=list)
    cost: Decimal | None = None
    currency: str | None = None
    createdAt: datetime | None = None
    shippedAt: datetime | None = None
    deliveredAt: datetime | None = None


class Product(Wire):
    logisticsSku: str
    merchantSku: str | None = None
    name: str | None = None


class WarehouseLevel(Wire):
    warehouseId: str
    available: int | None = None
    onHand: int | None = None


class WarehouseStock(Wire):
    """One L13 item: a SKU's stock per warehouse."""

    logisticsSku: str
    warehouses: Annotated[list[WarehouseLevel], EmptyIfNull] = Field(
        default_factory=list
    )


class Party(Wire):
    name: str | None = None
    country: str | None = None


class InboundItem(Wire):
    shipmentItemId: str
    logisticsSku: str | None = None
    merchantSku: str | None = None
    lineItemId: str | None = None
    expected: int | None = None
    sellable: int | None = None
    damaged: int | None = None


class InboundShipment(Wire):
    id: str
    receivingId: str | None = None
    status: str
    shippingPlanId: str | None = None
    shippingPlanExternalId: str | None = None
    shippingPlanName: str | None = None
    destination: str | None = None
    from_: Party | None = Field(default=None, alias="from")
    arrivedAt: datetime | None = None
    completedAt: datetime | None = None
    items: Annotated[list[InboundItem], EmptyIfNull] = Field(default_factory=list)


class Event(Wire):
    """One L16 item; `payload` is read per event type (see feed.py)."""

    id: str
    type: str
    time: datetime
    payload: dict[str, Any] = Field(default_factory=dict)


class Problem(Wire):
    """problem+json; S1's samples add `status`, `code` (an int) and `message`."""

    type: str | None = None
    title: str | None = None
    status: int | None = None
    detail: str | None = None
    instance: str | None = None
    code: str | None = None
    message: str | None = None


Products = TypeAdapter(list[Product])
Stocks = TypeAdapter(list[WarehouseStock])
InboundShipments = TypeAdapter(list[InboundShipment])
Events = TypeAdapter(list[Event])

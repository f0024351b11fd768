"""What a caller asks a provider to create or change in purchase orders, inbound
shipments and attachments (aliases and validation as in `inputs.py`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from gateway.models.inputs import Input

Incoterm = Literal[
    "EXW", "FCA", "CPT", "CIP", "DAT", "DPU", "DAP", "DDP", "FAS", "FOB", "CFR", "CIF"
]
TransportationMode = Literal["ocean", "air", "truck"]


class PurchaseOrderLineCreate(Input):
    """One line of a purchase order; `item_key` identifies it within the PO."""

    item_key: str = Field(min_length=1, max_length=100)
    sku: str = Field(min_length=1, max_length=100)
    product_name: str | None = Field(default=None, min_length=1, max_length=200)
    quantity: int = Field(gt=0, le=10_000_000)
    unit_of_measure: str = Field(default="EA", min_length=1, max_length=10)
    unit_cost: Decimal | None = Field(default=None, ge=0)
    currency_code: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")


def _unique_item_keys(lines: tuple[PurchaseOrderLineCreate, ...] | None) -> None:
    keys = [line.item_key for line in lines or ()]
    if len(keys) != len(set(keys)):
        raise ValueError("itemKey must be unique within a purchase order")


def _dates_in_order(ready: date | None, arrival: date | None) -> None:
    if ready is not None and arrival is not None and ready >= arrival:
        raise ValueError("cargoReadyDate must be before expectedArrival")


class PurchaseOrderCreate(Input):
    """A new purchase order (or, with the same number and parties, its full
    replacement)."""

    number: str = Field(min_length=1, max_length=100)
    supplier_ref: str = Field(min_length=1)
    buyer_ref: str = Field(min_length=1)
    incoterm: Incoterm
    transportation_mode: TransportationMode
    cargo_ready_date: date | None = None
    expected_arrival: date | None = None
    lines: tuple[PurchaseOrderLineCreate, ...] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _consistent(self) -> PurchaseOrderCreate:
        _unique_item_keys(self.lines)
        _dates_in_order(self.cargo_ready_date, self.expected_arrival)
        return self


class PurchaseOrderUpdate(Input):
    """Changes to a purchase order: only the fields given change.

    `lines` replace the lines with the same `item_key` and add the others;
    `remove_item_keys` drops lines. `expected_updated_at` makes the change
    conditional on nobody having changed the PO since the caller read it.
    """

    incoterm: Incoterm | None = None
    transportation_mode: TransportationMode | None = None
    cargo_ready_date: date | None = None
    expected_arrival: date | None = None
    lines: tuple[PurchaseOrderLineCreate, ...] | None = None
    remove_item_keys: tuple[str, ...] = ()
    expected_updated_at: datetime | None = None

    @model_validator(mode="after")
    def _consistent(self) -> PurchaseOrderUpdate:
        if not self.model_fields_set - {"expected_updated_at"}:
            raise ValueError("give at least one field to change")
        _unique_item_keys(self.lines)
        _dates_in_order(self.cargo_ready_date, self.expected_arrival)
        both = {line.item_key for line in self.lines or ()} & set(self.remove_item_keys)
        if both:
            raise ValueError(f"itemKey both changed and removed: {sorted(both)}")
        return self


class InboundItem(Input):
    """One SKU expected on an inbound shipment."""

    sku: str = Field(min_length=1, max_length=100)
    quantity: int = Field(gt=0, le=10_000_000)
    unit: str = Field(default="each", min_length=1, max_length=20)
    lot_code: str | None = Field(default=None, min_length=1)
    expiration_date: date | None = None


class InboundShipmentCreate(Input):
    """An advance shipping notice: goods on their way to a warehouse for a PO."""

    purchase_order_number: str = Field(min_length=1, max_length=100)
    purchase_order_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="The provider's own id of the purchase order, where it asks "
        "for one besides the number (Flexe's purchaseOrderId); the number when "
        "absent.",
    )
    asn_number: str | None = Field(default=None, min_length=1, max_length=100)
    customer_uuid: str | None = Field(default=None, min_length=1)
    dropoff_date: date | None = None
    container_number: str | None = Field(default=None, min_length=1)
    bill_of_lading: str | None = Field(default=None, min_length=1)
    supplier: str | None = Field(default=None, min_length=1)
    items: tuple[InboundItem, ...] = Field(min_length=1, max_length=500)


class AttachmentCreate(Input):
    """A document for an order (Flexe) or an order's shipment (Flexport Logistics):
    either file bytes uploaded with the request or a URL."""

    document_type: str = Field(min_length=1, max_length=50)
    name: str | None = Field(default=None, min_length=1, max_length=200)
    url: str | None = Field(default=None, pattern=r"^https://")
    content: bytes | None = Field(default=None, repr=False)
    content_type: str | None = Field(default=None, min_length=3, max_length=100)
    shipment_id: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> AttachmentCreate:
        if (self.url is None) == (self.content is None):
            raise ValueError("give exactly one of file and url")
        return self

"""Input types of the purchase-order, inbound-shipment and attachment mutations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry
from strawberry.file_uploads import Upload

from schema.order_inputs import IDEMPOTENCY


@strawberry.input(description="One line of a purchase order.")
class PurchaseOrderLineInput:
    item_key: str = strawberry.field(
        description="Identifies the line within the PO; unique on it."
    )
    sku: str = strawberry.field(description="The product's SKU.")
    product_name: str | None = strawberry.field(
        default=None, description="Product name; required for a SKU new to Flexport."
    )
    quantity: int = strawberry.field(description="Units ordered, at least 1.")
    unit_of_measure: str = strawberry.field(
        default="EA", description="EA, PCS, CTN, KG, …"
    )
    unit_cost: Decimal | None = strawberry.field(
        default=None, description="Cost of one unit."
    )
    currency_code: str | None = strawberry.field(
        default=None, description="ISO 4217 currency of `unitCost`."
    )


@strawberry.input(description="A new purchase order at Flexport API v3.")
class PurchaseOrderCreateInput:
    number: str = strawberry.field(
        description="The PO number. With the same supplier and buyer it names the "
        "same PO, so a repeat changes nothing."
    )
    supplier_ref: str = strawberry.field(
        description="Flexport network reference of the seller."
    )
    buyer_ref: str = strawberry.field(
        description="Flexport network reference of the buyer."
    )
    incoterm: str = strawberry.field(
        description="EXW, FCA, CPT, CIP, DAT, DPU, DAP, DDP, FAS, FOB, CFR or CIF."
    )
    transportation_mode: str = strawberry.field(description="ocean, air or truck.")
    cargo_ready_date: date | None = strawberry.field(
        default=None, description="When the goods are ready; before expectedArrival."
    )
    expected_arrival: date | None = strawberry.field(
        default=None, description="When the goods must arrive."
    )
    lines: list[PurchaseOrderLineInput] = strawberry.field(
        description="At least one line; item keys unique."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY
    )


@strawberry.input(
    description="Changes to a purchase order; only the fields given change, every "
    "other field and line stays as it is."
)
class PurchaseOrderUpdateInput:
    incoterm: str | None = strawberry.field(default=None, description="New incoterm.")
    transportation_mode: str | None = strawberry.field(
        default=None, description="ocean, air or truck."
    )
    cargo_ready_date: date | None = strawberry.field(
        default=None, description="New cargo-ready date."
    )
    expected_arrival: date | None = strawberry.field(
        default=None, description="New must-arrive date."
    )
    lines: list[PurchaseOrderLineInput] | None = strawberry.field(
        default=None,
        description="Lines to set: each replaces the line with its itemKey, or is "
        "added.",
    )
    remove_item_keys: list[str] | None = strawberry.field(
        default=None, description="Item keys of lines to remove."
    )
    expected_updated_at: datetime | None = strawberry.field(
        default=None,
        description="The PO's `updatedAt` as you read it: if it changed since, "
        "nothing is written and the answer is a CONFLICT userError.",
    )


@strawberry.input(description="One SKU on an inbound shipment.")
class InboundItemInput:
    sku: str = strawberry.field(description="The SKU coming in.")
    quantity: int = strawberry.field(description="Units expected, at least 1.")
    unit: str = strawberry.field(default="each", description="Unit of the quantity.")
    lot_code: str | None = strawberry.field(default=None, description="Lot code.")
    expiration_date: date | None = strawberry.field(
        default=None, description="Expiry of the lot."
    )


@strawberry.input(
    description="An advance shipping notice telling a Flexe warehouse goods are on "
    "their way for a purchase order."
)
class InboundShipmentCreateInput:
    purchase_order_number: str = strawberry.field(
        description="The PO number the goods deliver against."
    )
    customer_uuid: str = strawberry.field(
        description="Flexe customer the goods belong to."
    )
    dropoff_date: date = strawberry.field(
        description="Expected arrival at the warehouse."
    )
    asn_number: str | None = strawberry.field(
        default=None, description="The shipper's ASN number."
    )

    container_number: str | None = strawberry.field(
        default=None, description="Container number."
    )
    bill_of_lading: str | None = strawberry.field(
        default=None, description="Bill of lading number."
    )
    supplier: str | None = strawberry.field(
        default=None, description="Supplier or vendor shipping the goods."
    )
    items: list[InboundItemInput] = strawberry.field(
        description="What is coming; at least one item."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY
    )


@strawberry.input(
    description="A document for an order: a file sent with the request (GraphQL "
    "multipart request, on `/graphql/upload` only) or a URL."
)
class AttachmentCreateInput:
    order_id: strawberry.ID = strawberry.field(
        description="Global ID of the order the document belongs to."
    )
    document_type: str = strawberry.field(
        description="shipping_label, packing_slip, bill_of_lading, "
        "commercial_invoice, case_labels, pallet_labels or other."
    )
    file: Upload | None = strawberry.field(
        default=None, description="The file; exactly one of `file` and `url`."
    )
    url: str | None = strawberry.field(
        default=None, description="An https URL of the document (Flexe only)."
    )
    name: str | None = strawberry.field(
        default=None, description="File name shown to people."
    )
    content_type: str | None = strawberry.field(
        default=None,
        description="Media type of `file`; read from its first bytes when absent "
        "(Flexport Logistics takes application/pdf only).",
    )
    shipment_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Global ID of the order's shipment (Flexport Logistics, whose "
        "documents belong to shipments); optional when it has only one.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY
    )

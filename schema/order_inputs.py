"""Input types of the order, order-line, fulfilment-request and shipment mutations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.enums import OrderKind, Provider

IDEMPOTENCY = (
    "Makes a repeat harmless: the same key returns the first result and creates "
    "nothing more. Generated when absent, and used for every retry of this call."
)


@strawberry.input(description="Where an order goes: the recipient and address.")
class AddressInput:
    name: str = strawberry.field(description="Person or department to deliver to.")
    company: str | None = strawberry.field(default=None, description="Company name.")
    line1: str = strawberry.field(description="First street line.")
    line2: str | None = strawberry.field(default=None, description="Second line.")
    city: str = strawberry.field(description="City or locality.")
    region: str | None = strawberry.field(
        default=None, description="State, province or region code."
    )
    postal_code: str | None = strawberry.field(
        default=None, description="Postal or ZIP code."
    )
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code, e.g. US.")
    phone: str | None = strawberry.field(default=None, description="Phone number.")
    email: str | None = strawberry.field(default=None, description="Email address.")


@strawberry.input(description="One SKU line of an order.")
class OrderLineInput:
    sku: str = strawberry.field(description="The merchant's SKU.")
    quantity: int = strawberry.field(description="Units wanted, at least 1.")
    unit_of_measure: str | None = strawberry.field(
        default=None,
        description="Unit of the quantity (each, case, …); the provider's default "
        "when absent.",
    )
    external_id: str | None = strawberry.field(
        default=None, description="The merchant's reference for this line."
    )


@strawberry.input(description="How an order should travel.")
class ShippingInput:
    service: str | None = strawberry.field(
        default=None,
        description="Carrier service or speed (ground, TWO_DAY, LTL, …), passed to "
        "the provider's service field.",
    )
    carrier_account_id: str | None = strawberry.field(
        default=None, description="Bill the carrier account with this id (Flexe)."
    )
    signature_required: bool | None = strawberry.field(
        default=None, description="Ask for a signature on delivery (Flexe)."
    )


@strawberry.input(description="A key/value label on a Flexe order.")
class LabelInput:
    key: str = strawberry.field(description="Label key, unique on the order.")
    value: str = strawberry.field(description="Label value.")


@strawberry.input(description="A Flexe retail fulfilment order (kind RETAIL).")
class FlexeRetailInput:
    customer_uuid: str = strawberry.field(
        description="Flexe customer the order is for."
    )
    ship_window_start: datetime = strawberry.field(
        description="Earliest the retailer accepts the shipment."
    )
    ship_window_end: datetime = strawberry.field(
        description="Latest the retailer accepts the shipment."
    )
    purchase_order: str | None = strawberry.field(
        default=None, description="The retailer's purchase-order number."
    )
    destination_retailer: str | None = strawberry.field(
        default=None, description="The retailer receiving the goods."
    )
    shipment_type: str | None = strawberry.field(
        default=None, description="parcel, ltl or ftl."
    )
    carrier: str | None = strawberry.field(default=None, description="Carrier name.")


@strawberry.input(description="Flexe-only parts of a new order.")
class FlexeOrderInput:
    reservation_id: str | None = strawberry.field(
        default=None, description="The Flexe reservation (warehouse) to ship from."
    )
    labels: list[LabelInput] | None = strawberry.field(
        default=None, description="Labels to put on the order."
    )
    retail: FlexeRetailInput | None = strawberry.field(
        default=None, description="Required for kind RETAIL; not allowed otherwise."
    )


@strawberry.input(description="Flexport Logistics-only parts of a new order.")
class FlexportLogisticsOrderInput:
    location_id: str | None = strawberry.field(
        default=None, description="The Flexport location to ship from (B2B)."
    )
    shipping_partner: str | None = strawberry.field(
        default=None,
        description="FLEXPORT (default), THIRD_PARTY, RECEIVER or COLLECT (B2B).",
    )
    shipping_type: str | None = strawberry.field(
        default=None, description="PARCEL, LTL or FTL (B2B)."
    )
    shipping_speed: str | None = strawberry.field(
        default=None, description="Speed such as ONE_DAY or STANDARD (B2B)."
    )
    currency_code: str | None = strawberry.field(
        default=None, description="ISO 4217 currency of the order's prices (B2B)."
    )


@strawberry.input(description="A new outbound order at one provider.")
class OrderCreateInput:
    provider: Provider = strawberry.field(
        description="FLEXE or FLEXPORT_LOGISTICS; the others do not take orders."
    )
    kind: OrderKind = strawberry.field(
        description="Flexe: DTC (single order) or RETAIL (retail fulfilment order). "
        "Flexport Logistics: B2B (outbound) or DTC."
    )
    external_id: str = strawberry.field(
        description="The merchant's reference, unique at the provider."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY
    )
    recipient: AddressInput = strawberry.field(description="Who receives the order.")
    lines: list[OrderLineInput] = strawberry.field(
        description="At least one line, at most 500."
    )
    shipping: ShippingInput | None = strawberry.field(
        default=None, description="How it should travel."
    )
    ship_by: datetime | None = strawberry.field(
        default=None, description="Latest ship date."
    )
    notes: str | None = strawberry.field(
        default=None, description="Instructions for the warehouse."
    )
    flexe: FlexeOrderInput | None = strawberry.field(
        default=None, description="Flexe-only options; only with provider FLEXE."
    )
    flexport_logistics: FlexportLogisticsOrderInput | None = strawberry.field(
        default=None,
        description="Flexport Logistics-only options; only with provider "
        "FLEXPORT_LOGISTICS.",
    )


@strawberry.input(description="Changes to a Flexe retail fulfilment order.")
class FlexeRetailUpdateInput:
    scac: str | None = strawberry.field(
        default=None, description="Carrier SCAC, 2 to 4 capital letters."
    )
    bol_number: str | None = strawberry.field(
        default=None, description="Bill of lading number."
    )


@strawberry.input(description="Flexe-only changes to an order.")
class FlexeOrderUpdateInput:
    reservation_id: str | None = strawberry.field(
        default=None, description="Ship from this reservation instead."
    )
    labels: list[LabelInput] | None = strawberry.field(
        default=None, description="Replace the order's labels with these."
    )
    retail: FlexeRetailUpdateInput | None = strawberry.field(
        default=None, description="Changes that only retail orders take."
    )


@strawberry.input(
    description="Changes to an order; only the fields given change. Flexe orders "
    "take every field until they are picked; retail orders only `flexe.retail`."
)
class OrderUpdateInput:
    recipient: AddressInput | None = strawberry.field(
        default=None, description="The new recipient, replacing the old one."
    )
    shipping: ShippingInput | None = strawberry.field(
        default=None, description="Shipping options to change."
    )
    notes: str | None = strawberry.field(
        default=None, description="New instructions for the warehouse."
    )
    flexe: FlexeOrderUpdateInput | None = strawberry.field(
        default=None, description="Flexe-only changes."
    )


@strawberry.input(description="How much of one fulfilment-request line to accept.")
class FulfillmentRequestLineInput:
    line_id: strawberry.ID = strawberry.field(description="Global ID of the OrderLine.")
    acknowledged_quantity: int = strawberry.field(
        description="Units the source will ship."
    )
    cancelled_quantity: int = strawberry.field(
        default=0, description="Units the source cancels."
    )


@strawberry.input(description="Units of one SKU in a shipment.")
class ShipmentItemInput:
    sku: str = strawberry.field(description="The SKU shipped.")
    quantity: int = strawberry.field(description="Units shipped, at least 1.")


@strawberry.input(description="Tracking for a fulfilment request that has shipped.")
class ShipmentCreateInput:
    order_id: strawberry.ID = strawberry.field(
        description="Global ID of the fulfilment request (an Order at FLXPOINT)."
    )
    tracking_number: str = strawberry.field(
        description="Carrier tracking number; unique per request, which is what "
        "makes a repeat harmless."
    )
    carrier: str | None = strawberry.field(default=None, description="Carrier name.")
    service: str | None = strawberry.field(
        default=None, description="Carrier service or method."
    )
    tracking_url: str | None = strawberry.field(
        default=None, description="Public tracking page (http or https)."
    )
    shipped_at: datetime | None = strawberry.field(
        default=None, description="When it left; now when absent."
    )
    items: list[ShipmentItemInput] | None = strawberry.field(
        default=None, description="What shipped; every open unit when absent."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY
    )


@strawberry.input(description="A line to add to an open order.")
class OrderLineCreateInput:
    sku: str = strawberry.field(description="The merchant's SKU.")
    quantity: int = strawberry.field(description="Units wanted, at least 1.")
    unit_of_measure: str | None = strawberry.field(
        default=None, description="Unit of the quantity; the provider's default."
    )
    external_id: str | None = strawberry.field(
        default=None, description="The merchant's reference, unique on the order."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY
    )

"""GraphQL enums: providers, order and PO status, order kind, each value described."""

from __future__ import annotations

from enum import Enum
from typing import cast

import strawberry


@strawberry.enum(description="A logistics provider behind the gateway.")
class Provider(Enum):
    FLEXE = strawberry.enum_value("flexe", description="Flexe warehouse network.")
    FLEXPORT_LOGISTICS = strawberry.enum_value(
        "flexport_logistics",
        description="Flexport Logistics API: outbound B2B and DTC orders.",
    )
    FLEXPORT_V3 = strawberry.enum_value(
        "flexport_v3", description="Flexport API v3: freight purchase orders."
    )
    FLXPOINT = strawberry.enum_value(
        "flxpoint", description="Flxpoint dropship fulfilment requests."
    )


def provider_slug(provider: Provider) -> str:
    """The registry slug behind a Provider value."""
    return cast(str, provider.value)


@strawberry.enum(
    description="Unified order status. Every order also keeps the provider's own "
    "value in `rawStatus`."
)
class OrderStatus(Enum):
    PENDING = strawberry.enum_value(
        "PENDING", description="Received by the provider, not yet accepted or booked."
    )
    ACCEPTED = strawberry.enum_value(
        "ACCEPTED", description="Accepted, acknowledged or booked by the fulfiller."
    )
    ALLOCATED = strawberry.enum_value(
        "ALLOCATED", description="Inventory reserved for every open line."
    )
    IN_PROGRESS = strawberry.enum_value(
        "IN_PROGRESS", description="Warehouse work started; nothing shipped yet."
    )
    PARTIALLY_SHIPPED = strawberry.enum_value(
        "PARTIALLY_SHIPPED", description="Some but not all open quantity shipped."
    )
    SHIPPED = strawberry.enum_value(
        "SHIPPED", description="All non-cancelled quantity shipped."
    )
    DELIVERED = strawberry.enum_value(
        "DELIVERED", description="The carrier confirmed delivery."
    )
    CANCELLED = strawberry.enum_value("CANCELLED", description="Cancelled or voided.")
    EXCEPTION = strawberry.enum_value(
        "EXCEPTION",
        description="Needs attention: allocation errors, failed or invalid requests.",
    )
    UNKNOWN = strawberry.enum_value(
        "UNKNOWN",
        description="The provider reported a status the gateway does not know; "
        "see `rawStatus`.",
    )


@strawberry.enum(description="What kind of outbound order a provider object is.")
class OrderKind(Enum):
    DTC = strawberry.enum_value(
        "DTC", description="Direct to consumer: a parcel to a person."
    )
    B2B = strawberry.enum_value(
        "B2B", description="Wholesale: cases or pallets to a business."
    )
    RETAIL = strawberry.enum_value(
        "RETAIL", description="Retailer-bound fulfilment under the retailer's rules."
    )
    FULFILLMENT_REQUEST = strawberry.enum_value(
        "FULFILLMENT_REQUEST",
        description="A dropship platform's request to ship a channel order.",
    )


@strawberry.enum(
    description="Unified purchase-order status; `rawStatus` keeps the provider's."
)
class PurchaseOrderStatus(Enum):
    OPEN = strawberry.enum_value(
        "OPEN", description="Placed and not yet fully received or closed."
    )
    CLOSED = strawberry.enum_value(
        "CLOSED", description="Closed: received in full, or closed by the buyer."
    )
    CANCELLED = strawberry.enum_value("CANCELLED", description="Cancelled.")
    UNKNOWN = strawberry.enum_value(
        "UNKNOWN", description="A status the gateway does not know; see rawStatus."
    )

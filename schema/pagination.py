"""Relay-style connections: edges with cursors and PageInfo."""

from __future__ import annotations

import strawberry

from schema.orders import Order
from schema.purchase_orders import PurchaseOrder
from schema.shipments import Shipment

MAX_FIRST = 100
"""The largest page a list field returns."""


@strawberry.type(description="Where a page stands in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="More items follow; pass `endCursor` as `after` to get them."
    )
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last edge of this page."
    )


@strawberry.type(description="An order in a list, with the cursor just after it.")
class OrderEdge:
    cursor: str = strawberry.field(
        description="Opaque cursor: pass it as `after` to resume after this order."
    )
    node: Order = strawberry.field(description="The order.")


@strawberry.type(description="A page of orders, newest first.")
class OrderConnection:
    edges: list[OrderEdge] = strawberry.field(description="The orders of this page.")
    page_info: PageInfo = strawberry.field(description="How to get the next page.")


@strawberry.type(
    description="A purchase order in a list, with the cursor just after it."
)
class PurchaseOrderEdge:
    cursor: str = strawberry.field(
        description="Opaque cursor: pass it as `after` to resume after this "
        "purchase order."
    )
    node: PurchaseOrder = strawberry.field(description="The purchase order.")


@strawberry.type(description="A page of purchase orders, newest first.")
class PurchaseOrderConnection:
    edges: list[PurchaseOrderEdge] = strawberry.field(
        description="The purchase orders of this page."
    )
    page_info: PageInfo = strawberry.field(description="How to get the next page.")


@strawberry.type(description="A shipment in a list, with the cursor just after it.")
class ShipmentEdge:
    cursor: str = strawberry.field(
        description="Opaque cursor: pass it as `after` to resume after this shipment."
    )
    node: Shipment = strawberry.field(description="The shipment.")


@strawberry.type(description="A page of shipments, oldest first.")
class ShipmentConnection:
    edges: list[ShipmentEdge] = strawberry.field(
        description="The shipments of this page."
    )
    page_info: PageInfo = strawberry.field(description="How to get the next page.")

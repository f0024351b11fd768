"""Input types that filter lists."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.enums import OrderKind, OrderStatus, Provider, PurchaseOrderStatus


@strawberry.input(description="Which orders to list. Every given condition must hold.")
class OrderFilter:
    providers: list[Provider] | None = strawberry.field(
        default=None, description="Only these providers (default: every enabled one)."
    )
    statuses: list[OrderStatus] | None = strawberry.field(
        default=None,
        description="Only these statuses. Providers filter by their own raw status, "
        "so IN_PROGRESS and PARTIALLY_SHIPPED select the same Flexe orders.",
    )
    kinds: list[OrderKind] | None = strawberry.field(
        default=None, description="Only these kinds of order."
    )
    external_ids: list[str] | None = strawberry.field(
        default=None, description="Only orders with these external ids (at most 100)."
    )
    skus: list[str] | None = strawberry.field(
        default=None,
        description="Only orders with a line of one of these merchant SKUs (at most "
        "100). Flexe finds them through its line list by SKU; Flexport Logistics "
        "and Flxpoint check the lines of each order they read, so a rare SKU may "
        "read far into their lists to fill a page.",
    )
    has_errors: bool | None = strawberry.field(
        default=None, description="Only orders with (true) or without (false) errors."
    )
    created_after: datetime | None = strawberry.field(
        default=None, description="Created at or after this instant."
    )
    created_before: datetime | None = strawberry.field(
        default=None, description="Created before this instant."
    )


@strawberry.input(
    description="Which purchase orders to list. Every given condition must hold."
)
class PurchaseOrderFilter:
    providers: list[Provider] | None = strawberry.field(
        default=None,
        description="Only these providers (default: every one that holds purchase "
        "orders).",
    )
    statuses: list[PurchaseOrderStatus] | None = strawberry.field(
        default=None,
        description="Only these statuses. Without it, Flexport v3 lists open and "
        "closed purchase orders only: it archives cancelled ones, which appear "
        "when CANCELLED is asked for.",
    )
    numbers: list[str] | None = strawberry.field(
        default=None,
        description="Only these PO numbers (at most 100; Flexport v3 takes one "
        "upstream call per number).",
    )


@strawberry.input(
    description="Which shipments to list. Every given condition must hold."
)
class ShipmentFilter:
    providers: list[Provider] | None = strawberry.field(
        default=None,
        description="Only these providers (default: every one that lists shipments).",
    )
    order_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Only shipments of these orders, by global ID (at most 100); "
        "only the providers of these orders are asked.",
    )
    created_after: datetime | None = strawberry.field(
        default=None,
        description="Created at or after this instant. Flexe shipments carry no "
        "creation time: Flexe answers with a NOT_SUPPORTED error naming it.",
    )
    updated_after: datetime | None = strawberry.field(
        default=None,
        description="Changed at or after this instant. Flexe answers with a "
        "NOT_SUPPORTED error naming it, as for `createdAfter`.",
    )

"""Input types that filter lists."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.enums import OrderKind, OrderStatus, Provider


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
    has_errors: bool | None = strawberry.field(
        default=None, description="Only orders with (true) or without (false) errors."
    )
    created_after: datetime | None = strawberry.field(
        default=None, description="Created at or after this instant."
    )
    created_before: datetime | None = strawberry.field(
        default=None, description="Created before this instant."
    )

"""Purchase-order queries: one by ID, one by number, and the merged, paginated list."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway import ids, models
from gateway.errors import InvalidArgument
from gateway.loaders import NumberKey
from gateway.providers.base import (
    Capability,
    Page,
    PageRequest,
    PurchaseOrderFilter,
)
from resolvers.lists import merged_page
from schema.across import first_found, providers_with
from schema.enums import provider_slug
from schema.filters import PurchaseOrderFilter as PurchaseOrderFilterInput
from schema.node import Info
from schema.pagination import (
    MAX_FIRST,
    PageInfo,
    PurchaseOrderConnection,
    PurchaseOrderEdge,
)
from schema.purchase_orders import PurchaseOrder, purchase_order_ref

MAX_NUMBERS = 100


async def get_purchase_order(
    info: Info,
    id: Annotated[
        strawberry.ID,
        strawberry.argument(description="The purchase order's global ID."),
    ],
) -> PurchaseOrder | None:
    ref = ids.decode(id, kind="PurchaseOrder")
    found = await info.context.loaders.purchase_order_by_ref.load(ref)
    return PurchaseOrder.from_model(found) if found else None


async def get_purchase_order_by_number(
    info: Info,
    number: Annotated[
        str, strawberry.argument(description="The PO number, as the buyer wrote it.")
    ],
) -> PurchaseOrder | None:
    keys = [
        NumberKey(slug, number)
        for slug in providers_with(info, Capability.PURCHASE_ORDERS)
    ]
    found: models.PurchaseOrder | None = await first_found(
        info.context.loaders.purchase_order_by_number, keys, info
    )
    if found is None:
        return None
    info.context.loaders.purchase_order_by_ref.prime(purchase_order_ref(found), found)
    return PurchaseOrder.from_model(found)


async def list_purchase_orders(
    info: Info,
    first: Annotated[
        int,
        strawberry.argument(description=f"How many purchase orders, 1 to {MAX_FIRST}."),
    ] = 20,
    after: Annotated[
        str | None,
        strawberry.argument(description="Resume after the edge with this cursor."),
    ] = None,
    filter: Annotated[
        PurchaseOrderFilterInput | None,
        strawberry.argument(description="Which purchase orders."),
    ] = None,
) -> PurchaseOrderConnection:
    context = info.context
    domain_filter = _domain_filter(filter)

    async def fetch(slug: str, page: PageRequest) -> Page[models.PurchaseOrder]:
        return await context.provider(slug).list_purchase_orders(domain_filter, page)

    merged = await merged_page(
        info, first, after, _providers(info, filter), fetch, lambda po: po.created_at
    )
    loader = context.loaders.purchase_order_by_ref
    for edge in merged.edges:
        loader.prime(purchase_order_ref(edge.node), edge.node)
    return PurchaseOrderConnection(
        edges=[
            PurchaseOrderEdge(cursor=e.cursor, node=PurchaseOrder.from_model(e.node))
            for e in merged.edges
        ],
        page_info=PageInfo(
            has_next_page=merged.has_next_page, end_cursor=merged.end_cursor
        ),
    )


def _providers(info: Info, filter: PurchaseOrderFilterInput | None) -> list[str]:
    """Enabled providers that hold purchase orders, narrowed by the filter."""
    enabled = providers_with(info, Capability.PURCHASE_ORDERS)
    if filter and filter.providers is not None:
        asked = {provider_slug(p) for p in filter.providers}
        return [slug for slug in enabled if slug in asked]
    return enabled


def _domain_filter(filter: PurchaseOrderFilterInput | None) -> PurchaseOrderFilter:
    if filter is None:
        return PurchaseOrderFilter()
    numbers = tuple(dict.fromkeys(filter.numbers or ()))
    if len(numbers) > MAX_NUMBERS:
        raise InvalidArgument(
            f"filter.numbers takes at most {MAX_NUMBERS} values, got {len(numbers)}"
        )
    return PurchaseOrderFilter(
        statuses=tuple(
            models.PurchaseOrderStatus[s.name] for s in filter.statuses or ()
        ),
        numbers=numbers,
    )

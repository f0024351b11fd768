"""Shipment queries: one shipment by ID, and the merged, paginated list."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from gateway import ids, models
from gateway.errors import InvalidArgument
from gateway.providers.base import Capability, Page, PageRequest, ShipmentFilter
from resolvers.lists import merged_page
from schema.across import providers_with
from schema.enums import provider_slug
from schema.filters import ShipmentFilter as ShipmentFilterInput
from schema.node import Info
from schema.pagination import MAX_FIRST, PageInfo, ShipmentConnection, ShipmentEdge
from schema.shipments import Shipment

MAX_ORDER_IDS = 100


async def get_shipment(
    info: Info,
    id: Annotated[
        strawberry.ID, strawberry.argument(description="The shipment's global ID.")
    ],
) -> Shipment | None:
    ref = ids.decode(id, kind="Shipment")
    found = await info.context.loaders.shipment_by_ref.load(ref)
    return Shipment.from_model(found) if found else None


async def list_shipments(
    info: Info,
    first: Annotated[
        int, strawberry.argument(description=f"How many shipments, 1 to {MAX_FIRST}.")
    ] = 20,
    after: Annotated[
        str | None,
        strawberry.argument(description="Resume after the edge with this cursor."),
    ] = None,
    filter: Annotated[
        ShipmentFilterInput | None, strawberry.argument(description="Which shipments.")
    ] = None,
) -> ShipmentConnection:
    context = info.context
    filters = _domain_filters(info, filter)

    async def fetch(slug: str, page: PageRequest) -> Page[models.Shipment]:
        return await context.provider(slug).list_shipments(filters[slug], page)

    # Every provider lists its shipments oldest first, so the merge does too.
    merged = await merged_page(
        info, first, after, list(filters), fetch, _when, oldest_first=True
    )
    loader = context.loaders.shipment_by_ref
    for edge in merged.edges:
        shipment = edge.node
        loader.prime(ids.Ref(shipment.provider, "Shipment", shipment.id), shipment)
    return ShipmentConnection(
        edges=[
            ShipmentEdge(cursor=e.cursor, node=Shipment.from_model(e.node))
            for e in merged.edges
        ],
        page_info=PageInfo(
            has_next_page=merged.has_next_page, end_cursor=merged.end_cursor
        ),
    )


def _when(shipment: models.Shipment) -> datetime | None:
    # Flexe shipments carry no creation time, only when they shipped.
    return shipment.created_at or shipment.shipped_at


def _domain_filters(
    info: Info, filter: ShipmentFilterInput | None
) -> dict[str, ShipmentFilter]:
    """The filter for each provider to ask: those that list shipments, narrowed
    by the filter; with `orderIds`, only the providers of those orders."""
    slugs = providers_with(info, Capability.LIST_SHIPMENTS)
    if filter is None:
        return {slug: ShipmentFilter() for slug in slugs}
    if filter.providers is not None:
        asked = {provider_slug(p) for p in filter.providers}
        slugs = [slug for slug in slugs if slug in asked]
    order_ids: dict[str, list[str]] | None = None
    if filter.order_ids is not None:
        if len(filter.order_ids) > MAX_ORDER_IDS:
            raise InvalidArgument(
                f"filter.orderIds takes at most {MAX_ORDER_IDS} values, "
                f"got {len(filter.order_ids)}"
            )
        order_ids = {}
        for order_id in filter.order_ids:
            ref = ids.decode(order_id, kind="Order")
            order_ids.setdefault(ref.provider, []).append(ref.id)
    return {
        slug: ShipmentFilter(
            order_ids=tuple(dict.fromkeys(order_ids[slug])) if order_ids else (),
            created_after=filter.created_after,
            updated_after=filter.updated_after,
        )
        for slug in slugs
        if order_ids is None or slug in order_ids
    }

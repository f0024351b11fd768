"""Order queries: one order by ID, and the merged, paginated list."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway import ids, models
from gateway.cache.pages import ORDER_PAGES, cached_page
from gateway.errors import InvalidArgument
from gateway.providers.base import Capability, OrderFilter, Page, PageRequest
from resolvers.lists import merged_page
from resolvers.order_prefetch import OrderPrefetch
from schema.enums import Provider, provider_slug
from schema.filters import OrderFilter as OrderFilterInput
from schema.node import Info
from schema.orders import Order
from schema.pagination import MAX_FIRST, OrderConnection, OrderEdge, PageInfo


async def get_order(
    info: Info,
    id: Annotated[
        strawberry.ID, strawberry.argument(description="The order's global ID.")
    ],
) -> Order | None:
    ref = ids.decode(id, kind="Order")
    found = await info.context.loaders.order_by_ref.load(ref)
    return Order.from_model(found) if found else None


async def get_order_by_external_id(
    info: Info,
    provider: Annotated[
        Provider, strawberry.argument(description="The provider holding the order.")
    ],
    external_id: Annotated[
        str, strawberry.argument(description="The merchant's reference for it.")
    ],
) -> Order | None:
    slug = provider_slug(provider)
    found = await info.context.provider(slug).get_orders_by_external_id([external_id])
    order = found.get(external_id)
    if order is None:
        return None
    info.context.loaders.order_by_ref.prime(ids.Ref(slug, "Order", order.id), order)
    return Order.from_model(order)


async def list_orders(
    info: Info,
    first: Annotated[
        int, strawberry.argument(description=f"How many orders, 1 to {MAX_FIRST}.")
    ] = 20,
    after: Annotated[
        str | None,
        strawberry.argument(description="Resume after the edge with this cursor."),
    ] = None,
    filter: Annotated[
        OrderFilterInput | None, strawberry.argument(description="Which orders.")
    ] = None,
) -> OrderConnection:
    context = info.context
    domain_filter = _domain_filter(filter)

    async def fetch(slug: str, page: PageRequest) -> Page[models.Order]:
        provider = context.provider(slug)
        return await cached_page(
            context.cache,
            context.settings.cache,
            ORDER_PAGES,
            slug,
            domain_filter,
            page,
            lambda: provider.list_orders(domain_filter, page),
            bypass=context.bypass_cache,
            inflight=context.inflight,
        )

    # The others' nested loads start while the slowest provider's window is
    # still outstanding: a hung provider holds up only its own data.
    prefetch = OrderPrefetch.for_field(info)
    merged = await merged_page(
        info,
        first,
        after,
        _providers(info, filter),
        fetch,
        lambda o: o.created_at,
        arrived=prefetch.arrived if prefetch else None,
    )
    loader = context.loaders.order_by_ref
    for edge in merged.edges:
        order = edge.node
        loader.prime(ids.Ref(order.provider, "Order", order.id), order)
    return OrderConnection(
        edges=[
            OrderEdge(cursor=e.cursor, node=Order.from_model(e.node))
            for e in merged.edges
        ],
        page_info=PageInfo(
            has_next_page=merged.has_next_page, end_cursor=merged.end_cursor
        ),
    )


def _providers(info: Info, filter: OrderFilterInput | None) -> list[str]:
    """Enabled providers that list orders, narrowed by the filter."""
    enabled = [
        slug
        for slug, provider in info.context.providers.items()
        if Capability.LIST_ORDERS in provider.capabilities
    ]
    if filter and filter.providers is not None:
        asked = {provider_slug(p) for p in filter.providers}
        return [slug for slug in enabled if slug in asked]
    return enabled


def _domain_filter(filter: OrderFilterInput | None) -> OrderFilter:
    if filter is None:
        return OrderFilter()
    external_ids = tuple(filter.external_ids or ())
    if len(external_ids) > 100:
        raise InvalidArgument(
            f"filter.externalIds takes at most 100 values, got {len(external_ids)}"
        )
    skus = tuple(dict.fromkeys(filter.skus or ()))
    if len(skus) > 100:
        raise InvalidArgument(f"filter.skus takes at most 100 values, got {len(skus)}")
    return OrderFilter(
        statuses=tuple(models.OrderStatus[s.name] for s in filter.statuses or ()),
        external_ids=external_ids,
        kinds=tuple(models.OrderKind[k.name] for k in filter.kinds or ()),
        skus=skus,
        has_errors=filter.has_errors,
        created_after=filter.created_after,
        created_before=filter.created_before,
    )

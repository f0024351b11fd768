"""What a mutation or a provider event calls to drop the cached values it changed.

Each function forgets every entity the change can have made stale, list pages
included: a changed object may have left or entered a list (a status filter,
a newly created order), so all of its provider's pages of that list go, which
is one O(1) generation bump per list. Like every EntityCache operation these
never raise; an invalidation the backend could not do is logged there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from gateway.cache.base import CacheKey, EntityCache
from gateway.cache.entities import (
    ATTACHMENTS,
    INBOUND_SHIPMENTS,
    INBOUND_SHIPMENTS_BY_PO_NUMBER,
    INVENTORY,
    ORDER_ENTITIES,
    ORDER_LIST,
    PURCHASE_ORDER_LINES,
    PURCHASE_ORDER_LIST,
    PURCHASE_ORDERS,
    PURCHASE_ORDERS_BY_NUMBER,
    SHIPMENT_LIST,
    SHIPMENTS,
    owner_key,
)
from gateway.cache.pages import list_namespace


async def invalidate_list(cache: EntityCache, provider: str, entity: str) -> None:
    """Forget every cached page of one provider's list (`orders:list`, …)."""
    await cache.invalidate_entity(list_namespace(entity, provider))


async def invalidate_order(cache: EntityCache, provider: str, order_id: str) -> None:
    """An order changed (or was created): it, its lines, allocation errors and
    shipments, and its provider's order list pages."""
    keys = [CacheKey(provider, order_id)]
    await asyncio.gather(
        *(cache.invalidate(entity, keys) for entity in ORDER_ENTITIES),
        invalidate_list(cache, provider, ORDER_LIST),
    )


async def invalidate_shipment(
    cache: EntityCache,
    provider: str,
    shipment_id: str,
    *,
    order_id: str | None = None,
) -> None:
    """A shipment changed: it and the shipment list pages, and, given its
    `order_id`, everything of that order (status, shipped quantities and the
    order's shipments all follow from its shipments)."""
    await asyncio.gather(
        cache.invalidate(SHIPMENTS, [CacheKey(provider, shipment_id)]),
        invalidate_list(cache, provider, SHIPMENT_LIST),
        *([invalidate_order(cache, provider, order_id)] if order_id else []),
    )


async def invalidate_purchase_order(
    cache: EntityCache,
    provider: str,
    purchase_order_id: str,
    *,
    number: str | None = None,
) -> None:
    """A purchase order changed: it and its lines by id, by PO `number` if
    given, and its provider's purchase-order list pages."""
    by_id = [CacheKey(provider, purchase_order_id)]
    await asyncio.gather(
        cache.invalidate(PURCHASE_ORDERS, by_id),
        cache.invalidate(PURCHASE_ORDER_LINES, by_id),
        *(
            [cache.invalidate(PURCHASE_ORDERS_BY_NUMBER, [CacheKey(provider, number)])]
            if number
            else []
        ),
        invalidate_list(cache, provider, PURCHASE_ORDER_LIST),
    )


async def invalidate_inbound_shipment(
    cache: EntityCache, provider: str, inbound_id: str, *, number: str | None
) -> None:
    """An inbound shipment was announced or changed: it, and the inbound
    shipments of its PO `number`."""
    await asyncio.gather(
        cache.invalidate(INBOUND_SHIPMENTS, [CacheKey(provider, inbound_id)]),
        *(
            [
                cache.invalidate(
                    INBOUND_SHIPMENTS_BY_PO_NUMBER, [CacheKey(provider, number)]
                )
            ]
            if number
            else []
        ),
    )


async def invalidate_inventory(
    cache: EntityCache, provider: str, skus: Iterable[str]
) -> None:
    """Stock of these SKUs moved at one provider."""
    keys = [CacheKey(provider, sku) for sku in dict.fromkeys(skus)]
    if keys:
        await cache.invalidate(INVENTORY, keys)


async def invalidate_attachments(
    cache: EntityCache, provider: str, owner_kind: str, owner_id: str
) -> None:
    """A document was attached to (or removed from) one owner (`Order`, …)."""
    key = CacheKey(provider, owner_key(owner_kind, owner_id))
    await cache.invalidate(ATTACHMENTS, [key])


async def invalidate_provider(cache: EntityCache, provider: str) -> None:
    """Everything of one provider, list pages included (a webhook gap, a resync)."""
    await cache.invalidate_provider(provider)

"""Listing orders through the index: an OrderFilter read as index pages.

The index knows raw statuses only, and some unified statuses depend on the
order payload (a B2B outbound IN_PROGRESS with a shipped shipment is
PARTIALLY_SHIPPED; a DTC order with `deliveredAt` is DELIVERED). So the index
narrows to the raw statuses that can produce the wanted ones, the orders are
fetched, and their own status decides. A page keeps reading the index until it
is full or the index ends, so pages stay exact; its cursor is the index
cursor after the last entry read, and the same cursor and size give the same
page.

An entry whose order LAPI answers 404 for (deleted upstream, or never there)
is stale: it is dropped from the index, a warning names the order ids, and
the page is refilled from the entries after it, as for any order the filter
turns away. A page is therefore only shorter than asked when the index has
no more matching entries (its cursor is then None), never because an order
went missing; a failed read other than a 404 fails the page, and the list
field reports the provider's error.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from gateway.models import Order, OrderStatus
from gateway.providers.base import OrderFilter, Page, PageRequest
from gateway.providers.flexport_logistics import status
from gateway.providers.flexport_logistics.index import (
    IndexEntry,
    IndexFilter,
    OrderIndex,
)
from gateway.providers.flexport_logistics.orders import KINDS

log = logging.getLogger("gateway.providers.flexport_logistics")

Fetch = Callable[[list[IndexEntry]], Awaitable[dict[str, Order]]]


def index_filter(filter: OrderFilter) -> IndexFilter | None:
    """The index query for `filter`; None when no LAPI order can match."""
    kinds = tuple(k for k in (filter.kinds or KINDS) if k in KINDS)
    statuses = filter.statuses
    if filter.has_errors:
        # Only DTC ERROR orders have errors (an EXCEPTION status).
        if statuses and OrderStatus.EXCEPTION not in statuses:
            return None
        statuses = (OrderStatus.EXCEPTION,)
    raw = status.raw_candidates(kinds, statuses)
    if not kinds or (raw is not None and not raw):
        return None
    return IndexFilter(
        kinds=kinds,
        statuses=raw,
        external_ids=filter.external_ids,
        created_after=filter.created_after,
        created_before=filter.created_before,
    )


def wanted(order: Order, filter: OrderFilter) -> bool:
    """The final word, on the fetched order's own status."""
    if filter.statuses and order.status not in filter.statuses:
        return False
    if filter.has_errors is not None and order.has_errors != filter.has_errors:
        return False
    # The index holds no SKUs: a SKU filter is applied to the fetched lines
    # only, so it may read far into the index to fill a page.
    return not filter.skus or any(
        line.sku in filter.skus or line.provider_sku in filter.skus
        for line in order.lines or ()
    )


async def list_page(
    index: OrderIndex, filter: OrderFilter, page: PageRequest, fetch: Fetch
) -> Page[Order]:
    """One page of orders, newest first, read from the index and fetched."""
    query = index_filter(filter)
    if query is None:
        return Page(items=[], next_cursor=None, total=0)
    items: list[Order] = []
    cursor = page.cursor
    while len(items) < page.size:
        found = await index.page(query, cursor, page.size - len(items))
        orders = await fetch(found.entries)
        stale = [entry.id for entry in found.entries if entry.id not in orders]
        if stale:
            await drop_stale(index, stale)
        for entry in found.entries:
            order = orders.get(entry.id)
            if order is not None and wanted(order, filter):
                items.append(order)
        if found.next_cursor is None:
            return Page(items=items, next_cursor=None)
        cursor = found.next_cursor
    return Page(items=items, next_cursor=cursor)


async def drop_stale(index: OrderIndex, ids: list[str]) -> None:
    """Forget index entries whose orders LAPI no longer has, saying which."""
    log.warning(
        "order index: dropping %d stale entries, LAPI has no such orders: %s",
        len(ids),
        ", ".join(ids),
    )
    await index.remove(ids)

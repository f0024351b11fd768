"""Listing orders by SKU: F1 has no SKU filter, but F6 (lines) has one.

The lines of the SKUs asked for (F6 `skus`, every page) name the orders that
have them; those orders are read by id (F1 `ids`, 100 a call) with the rest of
the filter, sorted newest first as F1 sorts, and paged in memory. The cursor
is an index into that list, so the same cursor and size give the same page.
Each page costs the line pages of those SKUs plus one F1 call per 100 orders.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from gateway.errors import Rejected
from gateway.models import Order
from gateway.providers.base import OrderFilter, Page, PageRequest
from gateway.providers.flexe import mapping, wire
from gateway.providers.flexe.api import FlexeApi, chunks, items, order_params

_EPOCH = datetime.min.replace(tzinfo=UTC)


async def list_page(
    api: FlexeApi, filter: OrderFilter, page: PageRequest
) -> Page[Order]:
    """One page of the orders with a line of one of `filter.skus`, newest first."""
    start = _offset(api, page.cursor)
    lines = await api.batched("/v2/lines", "skus", filter.skus, wire.LinePage)
    order_ids = list(dict.fromkeys(line.orderId for line, _ in items(lines, "lines")))
    params = order_params(filter)
    per_chunk = await asyncio.gather(
        *(
            api.collect(
                "/v2/orders", {**params, "ids": ",".join(chunk)}, wire.OrderPage
            )
            for chunk in chunks(order_ids, api.batch_size)
        )
    )
    found = [
        mapping.to_order(order, raw)
        for pages in per_chunk
        for order, raw in items(pages, "outboundOrders")
    ]
    found.sort(key=lambda o: (o.created_at or _EPOCH, o.id), reverse=True)
    end = start + max(1, page.size)
    return Page(
        items=found[start:end],
        next_cursor=str(end) if end < len(found) else None,
        total=len(found),
    )


def _offset(api: FlexeApi, cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise Rejected(api.slug, f"{cursor!r} is not a Flexe SKU-listing cursor")
    return int(cursor)

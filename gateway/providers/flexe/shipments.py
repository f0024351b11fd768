"""Shipments (F16): by order, by id, and one page of the list."""

from __future__ import annotations

from collections.abc import Sequence

from gateway.models import Shipment
from gateway.providers.base import Page, PageRequest, ShipmentFilter
from gateway.providers.flexe import mapping, refs, wire
from gateway.providers.flexe.api import MAX_PAGE_SIZE, FlexeApi, items, pairs

PATH = "/v2/shipments"


async def by_orders(
    api: FlexeApi, order_ids: Sequence[str]
) -> dict[str, list[Shipment]]:
    """F16 filtered by `orderIds`, 100 a call; retail orders have none here."""
    result: dict[str, list[Shipment]] = {order_id: [] for order_id in order_ids}
    outbound, _ = refs.split(order_ids)
    pages = await api.batched(PATH, "orderIds", outbound, wire.ShipmentPage)
    for shipment, raw in items(pages, "shipments"):
        if shipment.orderId is not None:
            result.setdefault(shipment.orderId, []).append(
                mapping.to_shipment(shipment, raw)
            )
    return result


async def by_ids(api: FlexeApi, ids: Sequence[str]) -> dict[str, Shipment]:
    """F16 filtered by `ids`, 100 a call."""
    pages = await api.batched(PATH, "ids", ids, wire.ShipmentPage)
    return {
        shipment.id: mapping.to_shipment(shipment, raw)
        for shipment, raw in items(pages, "shipments")
    }


async def list_page(
    api: FlexeApi, filter: ShipmentFilter, page: PageRequest
) -> Page[Shipment]:
    """One F16 page, optionally of some orders only (F16 has no date filter)."""
    params = {"pageSize": str(min(page.size, MAX_PAGE_SIZE))}
    if filter.order_ids:
        params["orderIds"] = ",".join(filter.order_ids)
    if page.cursor:
        params["continuationToken"] = page.cursor
    data = await api.get(PATH, params)
    parsed = api.validate(wire.ShipmentPage, data)
    return Page(
        items=[mapping.to_shipment(s, r) for s, r in pairs(parsed, data, "shipments")],
        next_cursor=parsed.continuationToken,
        total=parsed.total,
    )

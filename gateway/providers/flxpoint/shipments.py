"""Shipment reads and the replay-safe create (X7-X9)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from gateway.errors import Conflict, NotFound
from gateway.models import Shipment, ShipmentCreate
from gateway.providers.base import Page, PageRequest, ShipmentFilter
from gateway.providers.fieldmap import translated
from gateway.providers.flxpoint import bodies, mapping, wire
from gateway.providers.flxpoint.api import (
    MAX_PAGE_SIZE,
    SHIPMENTS_PATH,
    FlxpointApi,
    Pages,
    Query,
    offset,
    slice_page,
)
from gateway.providers.flxpoint.fields import FIELDS
from gateway.providers.flxpoint.polling import shipment_order
from gateway.providers.flxpoint.query import shipment_params

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from gateway.http import Upstream


async def shipments_of(
    api: FlxpointApi, order_ids: Sequence[str], params: Query
) -> dict[str, list[Shipment]]:
    """X7 `findByPurchaseOrderId`, one FR per call (all pages), fanned out."""

    async def of(fr_id: str) -> list[Shipment]:
        if not fr_id.isdigit():
            return []  # Flxpoint ids are numbers; X7 would answer 400.
        rows = await api.all_pages(
            SHIPMENTS_PATH, [("findByPurchaseOrderId", fr_id), *params], wire.Shipment
        )
        return [mapping.to_shipment(s, raw) for s, raw in rows]

    found = await api.fan_out(order_ids, of)
    return {oid: found.get(oid, []) for oid in dict.fromkeys(order_ids)}


async def list_page(
    api: FlxpointApi, filter: ShipmentFilter, page: PageRequest
) -> Page[Shipment]:
    """Oldest first, as X7 sorts; the cursor is an index into that order, so a
    page is one request whatever sizes the caller mixes (two at worst)."""
    params = shipment_params(filter)
    want = max(1, min(page.size, MAX_PAGE_SIZE))
    if filter.order_ids:
        by_order = await shipments_of(api, filter.order_ids, params)
        found = [s for shipments in by_order.values() for s in shipments]
        return slice_page(
            sorted(found, key=shipment_order), page.cursor, want, api.slug
        )
    start = offset(page.cursor, api.slug)
    pages = Pages(api, SHIPMENTS_PATH, params, wire.Shipment)
    rows = [
        row
        for index, row in await pages.span(start, start + want)
        if start <= index < start + want
    ]
    items = [mapping.to_shipment(s, raw) for s, raw in rows]
    more = len(items) == want
    return Page(items=items, next_cursor=str(start + want) if more else None)


async def create(
    upstream: Upstream, api: FlxpointApi, data: ShipmentCreate
) -> Shipment:
    """X9, replayed on 429/5xx: the tracking number is the natural key.

    A replay of a create that did land answers 400 "tracking number … already
    exists" (a Conflict here); the shipment with that tracking number and the
    same items is then looked up (X7) and returned, so the outcome is one
    shipment. A different shipment under that tracking number stays a Conflict.
    A refused body names the `ShipmentCreate` fields (fields.py).
    """
    if not data.order_id.isdigit():
        raise NotFound(api.slug, f"Fulfillment request {data.order_id} not found")
    body = bodies.shipment_body(data)
    try:
        with translated(FIELDS.sent(body)):
            response = await upstream.request(
                "POST", SHIPMENTS_PATH, json=body, replay_safe=True
            )
    except Conflict as exc:
        if exc.provider_code != mapping.DUPLICATE_TRACKING_NUMBER:
            raise
        existing = await recorded(api, data)
        if existing is None:
            raise
        return existing
    shipment = api.validate(wire.Shipment, response.data)
    return mapping.to_shipment(shipment, response.data)


async def recorded(api: FlxpointApi, data: ShipmentCreate) -> Shipment | None:
    """The FR's shipment with this tracking number, if it is the same shipment."""
    shipments = (await shipments_of(api, [data.order_id], []))[data.order_id]
    wanted = _units((item.sku, item.quantity) for item in data.items)
    for shipment in shipments:
        if data.tracking_number not in shipment.tracking_numbers:
            continue
        # Without items the create shipped "everything open": any match is it.
        got = _units((item.sku, item.quantity) for item in shipment.items)
        if not data.items or got == wanted:
            return shipment
    return None


def _units(pairs: Iterable[tuple[str, int]]) -> Counter[str]:
    units: Counter[str] = Counter()
    for sku, quantity in pairs:
        units[sku] += quantity
    return units

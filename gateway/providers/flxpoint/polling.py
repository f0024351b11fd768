"""Polling helpers: Flxpoint pushes nothing to a Source, so changes are read back.

Both `…After` filters are inclusive, so a poll that starts from the newest
stamp it saw gets that object again; results are deduplicated by id. An object
changed while a poll runs may be missed by that poll, so the next one should
start from when this one started, not from the newest stamp seen.
"""

from __future__ import annotations

from datetime import UTC, datetime

from gateway.models import Order, Shipment
from gateway.providers.flxpoint import mapping, wire
from gateway.providers.flxpoint.api import FR_PATH, SHIPMENTS_PATH, FlxpointApi
from gateway.providers.flxpoint.query import instant

_EPOCH = datetime.min.replace(tzinfo=UTC)


async def changed_requests(api: FlxpointApi, updated_after: datetime) -> list[Order]:
    """X1 `filterUpdatedAfter`, paged by `sinceId` (id > n) rather than by page
    number, so an FR that starts to match mid-poll cannot shift a page and hide
    another one. One request per 100 FRs, plus one when the last page is full."""
    since = [("filterUpdatedAfter", instant(updated_after))]
    found: dict[str, Order] = {}
    while True:
        rows = await api.page(FR_PATH, since, wire.FulfillmentRequest, 1, api.page_size)
        for fr, raw in rows:
            found[fr.id] = mapping.to_order(fr, raw)
        if len(rows) < api.page_size:
            return list(found.values())
        since = [since[0], ("sinceId", rows[-1][0].id)]


async def changed_shipments(
    api: FlxpointApi, updated_after: datetime
) -> list[Shipment]:
    """X7 `filterUpdatedAfter`, every page (X7 has no `sinceId`)."""
    rows = await api.all_pages(
        SHIPMENTS_PATH,
        [("filterUpdatedAfter", instant(updated_after))],
        wire.Shipment,
    )
    found = {s.id: mapping.to_shipment(s, raw) for s, raw in rows}
    return sorted(found.values(), key=shipment_order)


def shipment_order(shipment: Shipment) -> tuple[datetime, int, str]:
    """X7's own order: `insertedAt`, then id."""
    numeric = int(shipment.id) if shipment.id.isdigit() else 0
    return (shipment.created_at or _EPOCH, numeric, shipment.id)

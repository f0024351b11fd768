"""Purchase orders updated since a moment, for a poller (webhooks' fallback).

V1's `f.updated_at.gt` is exclusive, so the bound is sent one microsecond
early to read "at or after". Cancelled POs are archived and hidden from a
plain listing, so the window is two walks of every page: the live POs, then
the archived ones (`f.archived_at.exists=true`). Cost: ⌊n/100⌋ + 1 plus
⌊m/100⌋ + 1 V1 requests for n live and m archived POs updated in the window.
A PO cancelled between the two walks is read in both; the newer stamp wins.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gateway.models import PurchaseOrder
from gateway.providers.base import PurchaseOrderFilter
from gateway.providers.flexport_v3 import mapping, wire
from gateway.providers.flexport_v3.api import FlexportV3Api
from gateway.providers.flexport_v3.listing import Segment

EARLIER = timedelta(microseconds=1)
"""Turns the exclusive `.gt` into the inclusive bound the poller asks for."""


async def purchase_orders_changed_since(
    api: FlexportV3Api, updated_after: datetime
) -> list[PurchaseOrder]:
    """Every PO, live or archived, updated at or after `updated_after`, oldest
    first (ties by id)."""
    bound = updated_after if updated_after.tzinfo else updated_after.replace(tzinfo=UTC)
    filter = PurchaseOrderFilter(updated_after=bound - EARLIER)
    found: dict[str, PurchaseOrder] = {}
    for archived in (False, True):
        query = Segment(archived=archived, status=None).params(filter)
        for po, raw in await api.walk("/purchase_orders", wire.PurchaseOrder, query):
            read = mapping.to_purchase_order(po, raw)
            known = found.get(read.id)
            if known is None or _stamp(read) >= _stamp(known):
                found[read.id] = read
    return sorted(found.values(), key=lambda po: (_stamp(po), int(po.id)))


def _stamp(po: PurchaseOrder) -> datetime:
    moment = po.updated_at or datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

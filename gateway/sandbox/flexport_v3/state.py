"""The Flexport v3 store: one account's POs, lines, bookings, documents and events."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from ..catalog import Catalog
from .concurrency import Arrivals
from .errors import not_found
from .model import Booking, Document, Event, LineItem, PurchaseOrder

# (event type, the whole /event body, when it happened)
Emit = Callable[[str, dict[str, Any], datetime], None]

# First id of each kind; ids then count up in creation order.
_ID_BASES = {
    "purchase_order": 171001,
    "line_item": 5137001,
    "booking": 9801,
    "booking_line": 123001,
    "shipment": 700101,
    "document": 880001,
    "event": 3100001,
    "version": 40001,
}


class FlexportV3State:
    """Replaced wholesale on reset; ids are integers, deterministic for a seed."""

    def __init__(
        self, catalog: Catalog, rng: random.Random, now: Callable[[], datetime]
    ) -> None:
        self.catalog = catalog
        self.rng = rng
        self._now = now
        # Muted while seeding: seed history is not news to any subscriber.
        self.emit_to: Emit | None = None
        # The product library: SKU -> name (S3: a new SKU needs a name once).
        self.products: dict[str, str] = {p.sku: p.name for p in catalog.products}
        self.pos: dict[int, PurchaseOrder] = {}
        self.lines: dict[int, LineItem] = {}
        self.bookings: dict[int, Booking] = {}
        self.documents: dict[int, Document] = {}
        self.events: dict[int, Event] = {}
        self._next = dict(_ID_BASES)

    def now(self) -> datetime:
        return self._now()

    def new_id(self, kind: str) -> int:
        value = self._next[kind]
        self._next[kind] = value + 1
        return value

    def emit(self, event_type: str, body: dict[str, Any], at: datetime) -> None:
        if self.emit_to is not None:
            self.emit_to(event_type, body, at)

    def add_po(self, po: PurchaseOrder) -> None:
        self.pos[po.id] = po
        for line in po.lines:
            self.lines[line.id] = line

    def find(self, key: tuple[str, str | None, str | None]) -> PurchaseOrder | None:
        return next((po for po in self.pos.values() if po.key == key), None)

    def po_or_404(self, raw_id: str) -> PurchaseOrder:
        po = self.pos.get(int(raw_id)) if raw_id.isdigit() else None
        if po is None:
            raise not_found("PurchaseOrder", raw_id)
        return po

    def line_or_404(self, raw_id: str) -> LineItem:
        line = self.lines.get(int(raw_id)) if raw_id.isdigit() else None
        if line is None:
            raise not_found("PurchaseOrderLineItem", raw_id)
        return line

    def shipment_pos(self, shipment_id: int) -> list[PurchaseOrder]:
        return [po for po in self.pos.values() if shipment_id in po.shipment_ids]


class StateHolder:
    """What handlers reach through the app: the current state, swapped on reset."""

    def __init__(self, state: FlexportV3State) -> None:
        self.state = state
        self.arrivals = Arrivals()


HOLDER_KEY = web.AppKey("flexport_v3_state", StateHolder)


def current(request: web.Request) -> FlexportV3State:
    return request.app[HOLDER_KEY].state

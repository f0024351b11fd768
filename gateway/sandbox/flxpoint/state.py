"""The Flxpoint store: FRs, channel orders, shipments, variants, ids, time, events."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from aiohttp import web

from ..catalog import Catalog
from .errors import not_found
from .model import ChannelOrder, FulfillmentRequest, Shipment, Variant

Emit = Callable[[str, dict[str, Any], datetime], None]

# Where each id sequence starts. Flxpoint ids are plain integers; FR ids sit
# around the 4585594 that providers.md quotes.
FR_ID_START = 4585401
FR_ITEM_ID_START = 8812001
ORDER_ID_START = 2310001
ORDER_ITEM_ID_START = 6400001
SHIPMENT_ID_START = 9120001
SHIPMENT_ITEM_ID_START = 9730001
VARIANT_ID_START = 7100001


class FlxpointState:
    """One Flxpoint account's data; replaced wholesale on reset."""

    def __init__(
        self, catalog: Catalog, rng: random.Random, now: Callable[[], datetime]
    ) -> None:
        self.catalog = catalog
        self.rng = rng
        self._now = now
        # Muted while seeding: seed history is not news to any subscriber.
        self.emit_to: Emit | None = None
        self.frs: dict[int, FulfillmentRequest] = {}
        self.frs_by_number: dict[str, FulfillmentRequest] = {}
        self.orders: dict[int, ChannelOrder] = {}
        self.shipments: dict[int, Shipment] = {}
        self.variants: dict[int, Variant] = {}
        self.shipment_ids: Iterator[int] = itertools.count(SHIPMENT_ID_START)
        self.shipment_item_ids: Iterator[int] = itertools.count(SHIPMENT_ITEM_ID_START)

    def adopt(
        self,
        frs: dict[int, FulfillmentRequest],
        orders: dict[int, ChannelOrder],
        shipments: dict[int, Shipment],
        variants: dict[int, Variant],
    ) -> None:
        """Take over a seeded world; new shipments continue its id sequences."""
        self.frs, self.orders = frs, orders
        self.shipments, self.variants = shipments, variants
        self.frs_by_number = {fr.number: fr for fr in frs.values()}
        item_ids = [i.id for s in shipments.values() for i in s.items]
        self.shipment_ids = itertools.count(
            max(shipments, default=SHIPMENT_ID_START - 1) + 1
        )
        self.shipment_item_ids = itertools.count(
            max(item_ids, default=SHIPMENT_ITEM_ID_START - 1) + 1
        )

    def now(self) -> datetime:
        return self._now()

    def emit(self, event_type: str, data: dict[str, Any], at: datetime) -> None:
        if self.emit_to is not None:
            self.emit_to(event_type, data, at)

    def add_fr(self, fr: FulfillmentRequest) -> None:
        self.frs[fr.id] = fr
        self.frs_by_number[fr.number] = fr
        self.orders[fr.order_id].fr_ids.append(fr.id)

    def add_shipment(self, fr: FulfillmentRequest, shipment: Shipment) -> None:
        self.shipments[shipment.id] = shipment
        fr.shipment_ids.append(shipment.id)

    def fr_or_404(self, raw_id: str) -> FulfillmentRequest:
        fr = self.frs.get(_as_id(raw_id))
        if fr is None:
            raise not_found(f"Fulfillment request {raw_id} not found")
        return fr

    def shipment_or_404(self, raw_id: str) -> Shipment:
        shipment = self.shipments.get(_as_id(raw_id))
        if shipment is None:
            raise not_found(f"Shipment {raw_id} not found")
        return shipment

    def order_or_404(self, raw_id: str) -> ChannelOrder:
        order = self.orders.get(_as_id(raw_id))
        if order is None:
            raise not_found(f"Order {raw_id} not found")
        return order

    def frs_of(self, order: ChannelOrder) -> list[FulfillmentRequest]:
        return [self.frs[fr_id] for fr_id in order.fr_ids]

    def shipments_of(self, fr: FulfillmentRequest) -> list[Shipment]:
        return [self.shipments[s] for s in fr.shipment_ids]


def _as_id(raw: str) -> int:
    """Path ids are ASCII digits; anything else can match nothing (-1)."""
    return int(raw) if raw.isascii() and raw.isdigit() else -1


class StateHolder:
    """What handlers reach through the app: the current state, swapped on reset."""

    def __init__(self, state: FlxpointState) -> None:
        self.state = state


HOLDER_KEY = web.AppKey("flxpoint_state", StateHolder)


def current(request: web.Request) -> FlxpointState:
    return request.app[HOLDER_KEY].state

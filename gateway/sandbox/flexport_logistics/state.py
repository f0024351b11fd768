"""The LAPI store: one account's objects, integer id sequences, the event feed."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from aiohttp import web

from ..catalog import Catalog
from . import vocabulary as v
from .errors import not_found
from .model import (
    Attachment,
    DtcOrder,
    Event,
    InboundShipment,
    Json,
    Outbound,
    Product,
    Stock,
    Webhook,
)
from .serialize import webhook_body

Publish = Callable[[str, dict[str, Any], datetime], None]


def int_id(raw: str) -> int:
    """A path id as an integer; -1 (never issued) when it is not plain digits."""
    return int(raw) if raw.isascii() and raw.isdigit() else -1


class Sequence:
    """`next(seq)` gives 1, 2, 3… from `start`; plain data, so it pickles."""

    def __init__(self, start: int) -> None:
        self.following = start

    def __iter__(self) -> Iterator[int]:
        return self

    def __next__(self) -> int:
        value, self.following = self.following, self.following + 1
        return value


class Ids:
    """One increasing integer sequence per kind of object, starting at its range."""

    def __init__(self) -> None:
        self.outbound = Sequence(v.FIRST_OUTBOUND_ID)
        self.outbound_shipment = Sequence(v.FIRST_OUTBOUND_SHIPMENT_ID)
        self.order = Sequence(v.FIRST_ORDER_ID)
        self.order_shipment = Sequence(v.FIRST_ORDER_SHIPMENT_ID)
        self.package = Sequence(v.FIRST_PACKAGE_ID)
        self.inbound = Sequence(v.FIRST_INBOUND_ID)
        self.inbound_item = Sequence(v.FIRST_INBOUND_ITEM_ID)
        self.shipping_plan = Sequence(v.FIRST_SHIPPING_PLAN_ID)
        self.receiving = Sequence(v.FIRST_RECEIVING_ID)
        self.webhook = Sequence(v.FIRST_WEBHOOK_ID)


class LapiState:
    """One LAPI account's data; replaced wholesale on reset."""

    def __init__(
        self,
        catalog: Catalog,
        rng: random.Random,
        now: Callable[[], datetime],
        account_id: str,
    ) -> None:
        self.catalog = catalog
        self.rng = rng
        self.account_id = account_id
        self.ids = Ids()
        self._now = now
        # Muted while seeding: seed history is in the feed but is not news.
        self.publish: Publish | None = None
        self.outbounds: dict[int, Outbound] = {}
        self.outbounds_by_external_id: dict[str, Outbound] = {}
        self.orders: dict[int, DtcOrder] = {}
        self.orders_by_external_id: dict[str, DtcOrder] = {}
        self.products: dict[str, Product] = {}
        self.products_by_merchant_sku: dict[str, Product] = {}
        self.stock: dict[str, dict[str, Stock]] = {}
        self.inbounds: dict[int, InboundShipment] = {}
        self.events: list[Event] = []
        self.webhooks: dict[int, Webhook] = {}
        self.uploads: dict[str, Attachment] = {}
        self._product_order: list[Product] | None = None

    def now(self) -> datetime:
        return self._now()

    def __getstate__(self) -> dict[str, Any]:
        """Seeded worlds are cached as pickles (seed.py); the clock, the event hub
        and the shared catalogue are reattached, never copied."""
        state = dict(self.__dict__)
        for name in ("_now", "publish", "catalog"):
            state[name] = None
        return state

    def attach(self, catalog: Catalog, now: Callable[[], datetime]) -> None:
        self.catalog = catalog
        self._now = now

    def emit(self, event_type: str, payload: Json, at: datetime) -> Event:
        """Append to the feed (kept in time order) and tell any subscriber."""
        if self.events and self.publish is not None and at < self.events[-1].time:
            # Auto-advance stamps steps at the instant they fell due; never let
            # that put the feed out of order.
            at = self.events[-1].time
        event = Event(len(self.events), event_type, at, payload)
        self.events.append(event)
        if self.publish is not None:
            self.publish(event_type, webhook_body(event, self.account_id), at)
        return event

    def sort_events(self) -> None:
        """Seed history is written object by object; the feed is oldest first."""
        ordered = sorted(self.events, key=lambda e: (e.time, e.seq))
        self.events = [
            Event(seq, e.type, e.time, e.payload) for seq, e in enumerate(ordered)
        ]

    def add_outbound(self, outbound: Outbound) -> None:
        self.outbounds[outbound.id] = outbound
        if outbound.external_id is not None:
            self.outbounds_by_external_id[outbound.external_id] = outbound

    def add_order(self, order: DtcOrder) -> None:
        self.orders[order.id] = order
        self.orders_by_external_id[order.external_order_id] = order

    def add_product(self, product: Product) -> None:
        self.products[product.logistics_sku] = product
        self.products_by_merchant_sku[product.merchant_sku] = product
        self._product_order = None

    def outbound_or_404(self, raw_id: str) -> Outbound:
        found = self.outbounds.get(int_id(raw_id))
        if found is None:
            raise not_found(f"Cannot find order {raw_id}")
        return found

    def order_or_404(self, raw_id: str) -> DtcOrder:
        found = self.orders.get(int_id(raw_id))
        if found is None:
            raise not_found(f"Cannot find order {raw_id}")
        return found

    def inbound_or_404(self, raw_id: str) -> InboundShipment:
        found = self.inbounds.get(int_id(raw_id))
        if found is None:
            raise not_found(f"Cannot find shipment {raw_id}")
        return found

    def product_or_404(self, logistics_sku: str) -> Product:
        found = self.products.get(logistics_sku)
        if found is None:
            raise not_found(f"Cannot find product {logistics_sku}")
        return found

    def network_stock(self, logistics_sku: str) -> Stock:
        rows = self.stock.get(logistics_sku, {}).values()
        return Stock(sum(r.available for r in rows), sum(r.unavailable for r in rows))

    def products_in_order(self) -> list[Product]:
        """L9 and L11 order: by logisticsSku (a copy the caller may keep)."""
        if self._product_order is None:
            self._product_order = [self.products[s] for s in sorted(self.products)]
        return list(self._product_order)


class StateHolder:
    """What handlers reach through the app: the current state, swapped on reset.

    The world is seeded on first use, not when the sandbox starts, so tests of
    other providers never pay for building it.
    """

    def __init__(self, build: Callable[[], LapiState], prefix: str) -> None:
        self._build = build
        self._state: LapiState | None = None
        # Mount point, for absolute URLs the API hands out (upload URLs).
        self.prefix = prefix

    @property
    def state(self) -> LapiState:
        if self._state is None:
            self._state = self._build()
        return self._state

    def drop(self) -> None:
        """Forget the world; the next use seeds a fresh one."""
        self._state = None


HOLDER_KEY = web.AppKey("lapi_state", StateHolder)


def current(request: web.Request) -> LapiState:
    return request.app[HOLDER_KEY].state


def upload_url(request: web.Request, token: str) -> str:
    """Where a PDF for an L4 upload slot is PUT (and later read back)."""
    prefix = request.app[HOLDER_KEY].prefix
    return f"{request.scheme}://{request.host}{prefix}/_sandbox/uploads/{token}"

"""The Flexe store: every object of one world, its indexes, ids, time and events."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from ..catalog import Catalog
from .errors import not_found
from .model import (
    Attachment,
    InboundShipment,
    InventoryRecord,
    Line,
    Order,
    RetailOrder,
    Shipment,
    StoredFile,
    Webhook,
)

Emit = Callable[[str, dict[str, Any], datetime], None]


class FlexeState:
    """One Flexe account's data; replaced wholesale on reset."""

    def __init__(
        self,
        catalog: Catalog,
        rng: random.Random,
        now: Callable[[], datetime],
        customer_uuid: str,
    ) -> None:
        self.catalog = catalog
        self.rng = rng
        self.customer_uuid = customer_uuid
        self._now = now
        # Muted while seeding: seed history is not news to any subscriber.
        self.emit_to: Emit | None = None
        self.orders: dict[str, Order] = {}
        self.orders_by_external_id: dict[str, Order] = {}
        self.lines: dict[str, Line] = {}
        self.shipments: dict[str, Shipment] = {}
        self.attachments: dict[str, Attachment] = {}
        self.files: dict[str, StoredFile] = {}
        self.inventory: list[InventoryRecord] = []
        self.inbound: dict[str, InboundShipment] = {}
        self.inbound_by_correlation: dict[str, InboundShipment] = {}
        self.retail: dict[str, RetailOrder] = {}
        self.retail_by_correlation: dict[str, RetailOrder] = {}
        self.webhooks: dict[str, Webhook] = {}

    def now(self) -> datetime:
        return self._now()

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def emit(self, event_type: str, data: dict[str, Any], at: datetime) -> None:
        if self.emit_to is not None:
            self.emit_to(event_type, data, at)

    def add_order(self, order: Order) -> None:
        self.orders[order.id] = order
        self.orders_by_external_id[order.external_id] = order
        for line in order.lines:
            self.lines[line.id] = line

    def add_line(self, order: Order, line: Line) -> None:
        order.lines.append(line)
        self.lines[line.id] = line

    def add_shipment(self, order: Order, shipment: Shipment) -> None:
        order.shipments.append(shipment)
        self.shipments[shipment.id] = shipment

    def add_attachment(self, order: Order, attachment: Attachment) -> None:
        order.attachments.append(attachment)
        self.attachments[attachment.id] = attachment

    def add_inbound(self, shipment: InboundShipment) -> None:
        self.inbound[shipment.id] = shipment
        self.inbound_by_correlation[shipment.correlation_id] = shipment

    def add_retail(self, order: RetailOrder) -> None:
        self.retail[order.shipment_id] = order
        self.retail_by_correlation[order.correlation_id] = order

    def order_or_404(self, order_id: str) -> Order:
        order = self.orders.get(order_id)
        if order is None:
            raise not_found("ORDER_NOT_FOUND", f"Order {order_id} not found")
        return order

    def line_or_404(self, order: Order, line_id: str) -> Line:
        line = order.line(line_id)
        if line is None:
            raise not_found(
                "LINE_NOT_FOUND", f"Line {line_id} not found on order {order.id}"
            )
        return line

    def orders_newest_first(self) -> list[Order]:
        return sorted(
            self.orders.values(), key=lambda o: (o.created_at, o.id), reverse=True
        )


class StateHolder:
    """What handlers reach through the app: the current state, swapped on reset."""

    def __init__(self, state: FlexeState, inventory_page_size: int) -> None:
        self.state = state
        self.inventory_page_size = inventory_page_size


HOLDER_KEY = web.AppKey("flexe_state", StateHolder)


def current(request: web.Request) -> FlexeState:
    return request.app[HOLDER_KEY].state

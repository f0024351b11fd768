"""The DTC order state machine (§2.4) and the sandbox's auto-advance.

CREATED -> PROCESSING (or ERROR when stock is short) -> PICKED -> PACKED (a
shipment with labelled packages) -> SHIPPED -> DELIVERED; cancel from CREATED
or PROCESSING. A shipment that ships while units are still unpacked leaves the
order PACKED with fulfillmentStatus PARTIALLY_FULFILLED.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from ..carriers import carrier_for, tracking_number
from ..clock import iso
from .errors import invalid_status
from .model import DtcLine, DtcOrder, DtcShipment, Package, Stock
from .outbound_machine import NotAdvanceable
from .packing import unit_weight_lb
from .state import LapiState
from .vocabulary import ORDER_CANCELLABLE, WAREHOUSE_IDS

_NONE = Stock(0, 0)
_UNITS_PER_PACKAGE = 5
_MAX_PACKAGES = 3
# When an order placed through L6 reaches each status on its own (S2: the
# Flexport sandbox picks, packs and ships API orders within the hour).
AUTO_STEPS = {
    "CREATED": timedelta(minutes=10),
    "PROCESSING": timedelta(minutes=20),
    "PICKED": timedelta(minutes=30),
    "PACKED": timedelta(minutes=45),
}


def created(st: LapiState, order: DtcOrder) -> None:
    st.add_order(order)
    st.emit(
        "Order.Created",
        {
            "orderId": order.id,
            "externalOrderId": order.external_order_id,
            "status": order.status,
            "createdAt": iso(order.created_at),
        },
        order.created_at,
    )


def set_status(
    st: LapiState, order: DtcOrder, status: str, fulfillment: str, at: datetime
) -> None:
    """Sandbox event Order.StatusChanged on any change of either status."""
    previous = (order.status, order.fulfillment_status)
    if previous == (status, fulfillment):
        return
    order.status, order.fulfillment_status = status, fulfillment
    st.emit(
        "Order.StatusChanged",
        {
            "orderId": order.id,
            "externalOrderId": order.external_order_id,
            "previousStatus": previous[0],
            "status": status,
            "previousFulfillmentStatus": previous[1],
            "fulfillmentStatus": fulfillment,
        },
        at,
    )


def _shipment_event(
    st: LapiState, kind: str, order: DtcOrder, shipment: DtcShipment, at: datetime
) -> None:
    st.emit(
        kind,
        {
            "orderId": order.id,
            "shipmentId": shipment.id,
            "warehouseId": shipment.warehouse_id,
            "packages": [
                {"trackingCode": p.tracking_code, "carrier": p.carrier}
                for p in shipment.packages
            ],
        },
        at,
    )


def short_lines(st: LapiState, order: DtcOrder) -> list[DtcLine]:
    return [
        line
        for line in order.lines
        if st.network_stock(line.logistics_sku).available < line.quantity
    ]


def process(st: LapiState, order: DtcOrder, at: datetime) -> None:
    """CREATED -> PROCESSING, or ERROR when a line asks for more than is available."""
    status = "ERROR" if short_lines(st, order) else "PROCESSING"
    set_status(st, order, status, order.fulfillment_status, at)


def unpacked(order: DtcOrder) -> Counter[str]:
    packed: Counter[str] = Counter()
    for shipment in order.shipments:
        if shipment.status != "CANCELLED":
            for package in shipment.packages:
                for line in package.lines:
                    packed[line.logistics_sku] += line.quantity
    wanted = Counter({line.logistics_sku: line.quantity for line in order.lines})
    return wanted - packed


def _warehouse(st: LapiState, order: DtcOrder) -> str:
    """The warehouse holding the most of the order's SKUs (first by id on ties)."""

    def held(warehouse_id: str) -> int:
        return sum(
            st.stock.get(line.logistics_sku, {}).get(warehouse_id, _NONE).available
            for line in order.lines
        )

    return max(WAREHOUSE_IDS, key=lambda w: (held(w), -WAREHOUSE_IDS.index(w)))


def _packages(st: LapiState, order: DtcOrder, contents: Counter[str]) -> list[Package]:
    carrier = carrier_for(st.rng, str(order.address.get("country") or ""))
    method = f"{carrier} {'Ground' if (order.delivery_days or 5) > 2 else '2Day'}"
    flat = [sku for sku, quantity in sorted(contents.items()) for _ in range(quantity)]
    count = min(_MAX_PACKAGES, max(1, -(-len(flat) // _UNITS_PER_PACKAGE)))
    packages = []
    for number in range(count):
        share = Counter(flat[number::count])
        weight = sum(unit_weight_lb(st, sku) * qty for sku, qty in share.items())
        packages.append(
            Package(
                id=next(st.ids.package),
                carrier=carrier,
                shipping_method=method,
                tracking_code=tracking_number(st.rng, carrier),
                dims={
                    "weight": round(weight + 0.4, 2),
                    "weightUnit": "lb",
                    "length": 14,
                    "width": 10,
                    "height": 6,
                },
                lines=[DtcLine(sku, qty) for sku, qty in sorted(share.items())],
            )
        )
    return packages


def pack(
    st: LapiState, order: DtcOrder, at: datetime, part: Counter[str] | None = None
) -> DtcShipment:
    """A PACKED shipment of `part` (default: everything unpacked); PICKED -> PACKED."""
    shipment = DtcShipment(
        id=next(st.ids.order_shipment),
        order_id=order.id,
        warehouse_id=_warehouse(st, order),
        status="PACKED",
        packages=_packages(st, order, unpacked(order) if part is None else part),
    )
    order.shipments.append(shipment)
    _shipment_event(st, "Shipment.Created", order, shipment, at)
    if order.status == "PICKED":
        set_status(st, order, "PACKED", order.fulfillment_status, at)
    return shipment


def ship_shipment(
    st: LapiState, order: DtcOrder, shipment: DtcShipment, at: datetime
) -> None:
    shipment.status, shipment.shipped_at = "SHIPPED", at
    _shipment_event(st, "Shipment.Shipped", order, shipment, at)
    if unpacked(order) or any(s.status == "PACKED" for s in order.shipments):
        set_status(st, order, order.status, "PARTIALLY_FULFILLED", at)
        return
    order.shipped_at = at
    set_status(st, order, "SHIPPED", "FULFILLED", at)
    st.emit(
        "Order.Shipped",
        {
            "orderId": order.id,
            "externalOrderId": order.external_order_id,
            "status": "SHIPPED",
            "shippedAt": iso(at),
        },
        at,
    )


def ship(st: LapiState, order: DtcOrder, at: datetime) -> None:
    """PACKED -> SHIPPED: pack what is left, then every packed shipment leaves."""
    if unpacked(order):
        pack(st, order, at)
    for shipment in [s for s in order.shipments if s.status == "PACKED"]:
        ship_shipment(st, order, shipment, at)


def deliver(st: LapiState, order: DtcOrder, at: datetime) -> None:
    for shipment in order.shipments:
        if shipment.status == "SHIPPED":
            shipment.status, shipment.delivered_at = "DELIVERED", at
    order.delivered_at = at
    set_status(st, order, "DELIVERED", "FULFILLED", at)


def cancel(st: LapiState, order: DtcOrder, at: datetime) -> None:
    """L8. A repeat cancel is a no-op; past PROCESSING is 400 + 407001."""
    if order.status == "CANCELLED":
        return
    if order.status not in ORDER_CANCELLABLE:
        raise invalid_status(
            f"Order {order.id} is {order.status} and cannot be cancelled"
        )
    order.auto_advance = False
    set_status(st, order, "CANCELLED", "CANCELLED", at)
    st.emit(
        "Order.Cancelled",
        {
            "orderId": order.id,
            "externalOrderId": order.external_order_id,
            "status": "CANCELLED",
            "cancelledAt": iso(at),
        },
        at,
    )


def advance(st: LapiState, order: DtcOrder, at: datetime) -> None:
    if order.status == "CREATED":
        process(st, order, at)
    elif order.status == "PROCESSING":
        set_status(st, order, "PICKED", order.fulfillment_status, at)
    elif order.status == "PICKED":
        pack(st, order, at)
    elif order.status == "PACKED":
        ship(st, order, at)
    elif order.status == "SHIPPED":
        deliver(st, order, at)
    else:
        raise NotAdvanceable(f"Order {order.id} is {order.status}")


def tick(st: LapiState, now: datetime) -> None:
    """Move L6 orders on to every status due by `now`, each at the instant it fell
    due, oldest first, so the feed stays in time order. Called before every
    request is handled."""
    while True:
        due: list[tuple[datetime, int]] = []
        for order in st.orders.values():
            if order.auto_advance and order.status in AUTO_STEPS:
                when = order.created_at + AUTO_STEPS[order.status]
                if when <= now:
                    due.append((when, order.id))
        if not due:
            return
        when, order_id = min(due)
        advance(st, st.orders[order_id], when)

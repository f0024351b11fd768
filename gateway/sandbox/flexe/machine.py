"""The outbound-order state machine (providers.md 1.4): allocate, pack, ship, cancel.

Every transition takes the instant it happens at, so the seed replays history
through the same code the API and /_sandbox/advance use, and line counters
(allocated, shipped, percentages, timestamps) can never disagree with the state.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from ..carriers import carrier_for, tracking_number
from ..clock import iso
from .model import Line, Order, Shipment, ShipmentLine
from .state import FlexeState


class NotAdvanceable(Exception):
    """The object is in a terminal state."""


def set_state(st: FlexeState, order: Order, state: str, at: datetime) -> None:
    previous = order.state
    order.state = state
    order.updated_at = at
    if previous != state:
        st.emit(
            "outbound_order.state_changed",
            {
                "orderId": order.id,
                "externalId": order.external_id,
                "previousState": previous,
                "state": state,
                "hasErrors": order.has_errors,
            },
            at,
        )


def allocate(st: FlexeState, order: Order, at: datetime) -> None:
    """new -> allocated: reserve every open line in full and drop allocation errors."""
    for line in order.open_lines():
        line.allocated_quantity = line.quantity
        line.updated_at = at
    order.errors.clear()
    set_state(st, order, "allocated", at)


def unpacked(order: Order) -> dict[str, int]:
    """Open quantity per line not yet in a live (non-cancelled) shipment."""
    packed: Counter[str] = Counter()
    for shipment in order.shipments:
        if shipment.state != "cancelled":
            for item in shipment.lines:
                packed[item.line_id] += item.quantity
    remaining = {
        line.id: line.quantity - packed[line.id] for line in order.open_lines()
    }
    return {line_id: qty for line_id, qty in remaining.items() if qty > 0}


def pack(
    st: FlexeState,
    order: Order,
    at: datetime,
    quantities: dict[str, int] | None = None,
) -> Shipment:
    """A packed shipment (default: all unpacked units); allocated -> in_progress."""
    wanted = unpacked(order) if quantities is None else quantities
    carrier = carrier_for(st.rng, order.address.get("country"))
    lines_by_id = {line.id: line for line in order.lines}
    shipment = Shipment(
        id=st.new_id(),
        order_id=order.id,
        state="packed",
        carrier=carrier,
        service_type=order.shipping.get("serviceType") or "ground",
        created_at=at,
        lines=[
            ShipmentLine(line_id, lines_by_id[line_id].sku, qty)
            for line_id, qty in wanted.items()
            if qty > 0
        ],
    )
    for item in shipment.lines:
        lines_by_id[item.line_id].shipment_ids.append(shipment.id)
        lines_by_id[item.line_id].updated_at = at
    st.add_shipment(order, shipment)
    if order.state == "allocated":
        set_state(st, order, "in_progress", at)
    else:
        order.updated_at = at
    return shipment


def dispatch(st: FlexeState, order: Order, shipment: Shipment, at: datetime) -> None:
    """packed -> shipped; the order ships when every open line is fully shipped."""
    shipment.state = "shipped"
    shipment.shipped_at = at
    shipment.tracking_numbers = [tracking_number(st.rng, shipment.carrier)]
    for item in shipment.lines:
        line = st.lines[item.line_id]
        line.shipped_quantity += item.quantity
        line.updated_at = at
        if line.shipped_quantity >= line.quantity:
            line.completely_shipped_at = at
    st.emit(
        "shipment.shipped",
        {
            "shipmentId": shipment.id,
            "orderId": order.id,
            "trackingNumbers": list(shipment.tracking_numbers),
            "shippedAt": iso(at),
        },
        at,
    )
    if all(line.shipped_quantity >= line.quantity for line in order.open_lines()):
        set_state(st, order, "shipped", at)
    else:
        order.updated_at = at


def deliver(shipment: Shipment, at: datetime) -> None:
    shipment.state = "delivered"
    shipment.delivered_at = at


def ship_everything(st: FlexeState, order: Order, at: datetime) -> None:
    """in_progress -> shipped: send packed shipments, then pack and send the rest."""
    for shipment in [s for s in order.shipments if s.state == "packed"]:
        dispatch(st, order, shipment, at)
    if unpacked(order):
        dispatch(st, order, pack(st, order, at), at)


def cancel_line(st: FlexeState, order: Order, line: Line, at: datetime) -> None:
    """Cancel one open line; cancelling the last open line cancels the order."""
    line.cancelled_at = at
    line.allocated_quantity = 0
    line.updated_at = at
    order.errors = [e for e in order.errors if e.line_id != line.id]
    st.emit(
        "outbound_order_line.cancelled",
        {
            "orderId": order.id,
            "lineId": line.id,
            "externalId": line.external_id,
            "cancelledAt": iso(at),
        },
        at,
    )
    if order.open_lines():
        order.updated_at = at
    else:
        order.errors.clear()
        set_state(st, order, "cancelled", at)


def advance(st: FlexeState, order: Order, at: datetime) -> None:
    """One step along new -> allocated -> in_progress -> shipped -> delivered."""
    if order.state == "new":
        allocate(st, order, at)
    elif order.state == "allocated":
        pack(st, order, at)
    elif order.state == "in_progress":
        ship_everything(st, order, at)
    elif order.state == "shipped":
        undelivered = [s for s in order.shipments if s.state == "shipped"]
        if not undelivered:
            raise NotAdvanceable(f"Order {order.id} is shipped and fully delivered")
        for shipment in undelivered:
            deliver(shipment, at)
        order.updated_at = at
    else:
        raise NotAdvanceable(f"Order {order.id} is {order.state}")

"""Building new orders and lines from validated input, shared by F3, F8 and the seed."""

from __future__ import annotations

from datetime import datetime

from .model import AllocationError, Line, Order
from .order_bodies import LineInput, OrderInput
from .state import FlexeState


def new_line(st: FlexeState, order: Order, data: LineInput, at: datetime) -> Line:
    """Append a line; a SKU not in the catalogue gets an UNKNOWN_SKU error at once."""
    product = st.catalog.product(data.sku)
    unit = data.unit_of_measure or (product.unit_of_measure if product else "each")
    line = Line(
        id=st.new_id(),
        order_id=order.id,
        external_id=data.external_id,
        sku=data.sku,
        quantity=data.quantity,
        unit_of_measure=unit,
        labels=dict(data.labels),
        created_at=at,
        updated_at=at,
    )
    st.add_line(order, line)
    if product is None:
        add_error(st, order, line, "UNKNOWN_SKU", f"SKU {data.sku} is not known", at)
    return line


def add_error(
    st: FlexeState,
    order: Order,
    line: Line | None,
    code: str,
    details: str,
    at: datetime,
) -> AllocationError:
    error = AllocationError(
        order_id=order.id,
        order_external_id=order.external_id,
        line_id=None if line is None else line.id,
        line_external_id=None if line is None else line.external_id,
        code=code,
        details=details,
        created_at=at,
    )
    order.errors.append(error)
    st.emit(
        "outbound_order.allocation_error",
        {
            "orderId": order.id,
            "orderLineId": error.line_id,
            "code": code,
            "details": details,
        },
        at,
    )
    return error


def new_order(st: FlexeState, data: OrderInput, at: datetime) -> Order:
    order = Order(
        id=st.new_id(),
        external_id=data.external_id,
        state="new",
        created_at=at,
        updated_at=at,
        reservation_id=data.reservation_id,
        labels=dict(data.labels),
        recipient=dict(data.recipient),
        address=dict(data.address),
        shipping=dict(data.shipping),
    )
    st.add_order(order)
    st.emit(
        "outbound_order.created",
        {"orderId": order.id, "externalId": order.external_id, "state": "new"},
        at,
    )
    for item in data.lines:
        new_line(st, order, item, at)
    return order

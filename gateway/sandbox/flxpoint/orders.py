"""X12-X13: read a channel order and cancel it (with its unshipped FRs)."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from .errors import bad_request
from .machine import cancel
from .model import ChannelOrder
from .params import Params
from .serialize import order_json, order_status
from .state import FlxpointState, current
from .validate import no_body
from .vocabulary import SHIPPED

routes = web.RouteTableDef()

# The only status change the sandbox simulates; the gateway never sends others.
SETTABLE_STATUSES = ("Canceled",)


@routes.get("/orders/{orderId}")
async def get_order(request: web.Request) -> web.Response:
    """X12."""
    Params(request.query, ())
    st = current(request)
    order = st.order_or_404(request.match_info["orderId"])
    return web.json_response(order_json(st, order))


@routes.patch("/orders/{orderId}/status")
async def set_order_status(request: web.Request) -> web.Response:
    """X13: `status=Canceled` cancels every FR that has not fully shipped."""
    q = Params(request.query, ("status", "updateNote"))
    st = current(request)
    order = st.order_or_404(request.match_info["orderId"])
    status = q.text("status")
    if status is None:
        raise bad_request("status is required")
    if status not in SETTABLE_STATUSES:
        raise bad_request(
            f"status must be one of {', '.join(SETTABLE_STATUSES)}; got {status!r}"
        )
    note = q.text("updateNote")
    await no_body(request)
    cancel_order(st, order, note, st.now())
    return web.json_response(order_json(st, order))


def cancel_order(
    st: FlxpointState, order: ChannelOrder, note: str | None, at: datetime
) -> None:
    """Already cancelled through X13: nothing changes. Fully shipped: 400.

    An order whose FRs were all cancelled one by one already reads Canceled;
    X13 still records the cancel (canceledAt, note) the first time."""
    if order.canceled_at is not None:
        return
    previous = order_status(st, order)
    if previous == "Shipped":
        raise bad_request(f"Cannot cancel a shipped order {order.id}")
    for fr in st.frs_of(order):
        if fr.status not in ("Canceled", "Voided") and fr.fulfillment_status != SHIPPED:
            cancel(st, fr, at)
    order.canceled_at = at
    order.updated_at = at
    if note:
        order.note = note if not order.note else f"{order.note}\n{note}"
    st.emit(
        "order.status_changed",
        {
            "id": order.id,
            "orderNumber": order.order_number,
            "previousStatus": previous,
            "status": "Canceled",
            "updateNote": note,
        },
        at,
    )

"""L6-L8: create, get (by id or external id) and cancel DTC orders."""

from __future__ import annotations

from aiohttp import web

from . import order_machine as machine
from .errors import conflict, not_found
from .model import DtcOrder
from .order_bodies import parse_order_create
from .params import Params
from .serialize_orders import dtc_order_json
from .state import current
from .validate import read_object
from .vocabulary import BASE

routes = web.RouteTableDef()

# Fulfilment fee the sandbox charges: a base per order plus a pick fee per unit.
_BASE_FEE = 3.25
_UNIT_FEE = 0.85


def _answer(order: DtcOrder) -> web.Response:
    return web.json_response(dtc_order_json(order))


@routes.post(BASE + "/orders", name="create_order")
async def create_order(request: web.Request) -> web.Response:
    """L6: 200 with the CREATED order, which then moves on by itself (AUTO_STEPS)."""
    Params(request.query, ())
    st = current(request)
    data = parse_order_create(await read_object(request), st)
    if data.external_order_id in st.orders_by_external_id:
        raise conflict(
            f"Order with externalOrderId {data.external_order_id} already exists"
        )
    units = sum(line.quantity for line in data.lines)
    order = DtcOrder(
        id=next(st.ids.order),
        external_order_id=data.external_order_id,
        status="CREATED",
        fulfillment_status="UNFULFILLED",
        lines=data.lines,
        address=data.address,
        created_at=st.now(),
        cost=round(_BASE_FEE + _UNIT_FEE * units, 2),
        promised_ship_by=data.promised_ship_by,
        promised_delivery_by=data.promised_delivery_by,
        delivery_days=data.delivery_days,
        packing_slip_url=data.packing_slip_url,
        duties=data.duties,
        auto_advance=True,
    )
    machine.created(st, order)
    return _answer(order)


@routes.get(BASE + "/orders/external_id/{externalOrderId}")
async def get_order_by_external_id(request: web.Request) -> web.Response:
    """L7: the id is percent-encoded in the path (`#1001` is `%231001`)."""
    Params(request.query, ())
    external_id = request.match_info["externalOrderId"]
    order = current(request).orders_by_external_id.get(external_id)
    if order is None:
        raise not_found(f"Cannot find order with externalOrderId {external_id}")
    return _answer(order)


@routes.get(BASE + "/orders/{orderId}")
async def get_order(request: web.Request) -> web.Response:
    """L7."""
    Params(request.query, ())
    return _answer(current(request).order_or_404(request.match_info["orderId"]))


@routes.post(BASE + "/orders/{orderId}/cancel", name="cancel_order")
async def cancel_order(request: web.Request) -> web.Response:
    """L8: 200 with the order; only CREATED/PROCESSING move, CANCELLED stays."""
    Params(request.query, ())
    st = current(request)
    order = st.order_or_404(request.match_info["orderId"])
    machine.cancel(st, order, st.now())
    return _answer(order)

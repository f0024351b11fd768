"""F20-F22: retail (retailer-bound, B2B) fulfillment orders, keyed by shipmentId."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from aiohttp import web

from .errors import conflict, not_found
from .machine import NotAdvanceable
from .model import RetailOrder
from .params import Params
from .retail_bodies import parse_retail_create
from .serialize import retail_json, retail_summary_json
from .state import FlexeState, current
from .validate import Checker, read_object
from .vocabulary import RETAIL_STATES

routes = web.RouteTableDef()

# Forward-only progress; cancelling is possible only before picking starts.
_PROGRESS = ("new", "allocated", "in_progress", "shipped")
_SCAC = re.compile(r"[A-Z]{2,4}")
_UPDATE_FIELDS = ("state", "scac", "bolNumber", "meta")


def _retail_or_404(st: FlexeState, shipment_id: str) -> RetailOrder:
    order = st.retail.get(shipment_id)
    if order is None:
        raise not_found(
            "RETAIL_FULFILLMENT_ORDER_NOT_FOUND",
            f"Retail fulfillment order {shipment_id} not found",
        )
    return order


@routes.post("/v2/retail-fulfillment-orders")
async def create_retail(request: web.Request) -> web.Response:
    """F20: 201 `{id, shipmentId, state, correlationId, createdAt}`; a repeated
    correlationId answers 200 with the same order."""
    Params(request.query, ())
    st = current(request)
    body = await read_object(request)
    cid = body.get("correlationId")
    replay = st.retail_by_correlation.get(cid) if isinstance(cid, str) else None
    if replay is not None:
        return web.json_response(retail_summary_json(replay))
    data = parse_retail_create(body, st.catalog)
    at = st.now()
    order = RetailOrder(
        shipment_id=st.new_id(),
        id=data.id,
        type=data.type,
        state="new",
        correlation_id=data.correlation_id,
        customer_uuid=data.customer_uuid,
        items=data.items,
        ship_to=data.ship_to,
        ship_window=data.ship_window,
        options=data.options,
        created_at=at,
        updated_at=at,
    )
    st.add_retail(order)
    return web.json_response(retail_summary_json(order), status=201)


@routes.get("/v2/retail-fulfillment-orders/{shipmentId}")
async def get_retail(request: web.Request) -> web.Response:
    """F22."""
    Params(request.query, ())
    order = _retail_or_404(current(request), request.match_info["shipmentId"])
    return web.json_response(retail_json(order))


def _check_transition(order: RetailOrder, target: str) -> None:
    if target == order.state:
        return
    if order.state == "cancelled":
        allowed = False
    elif target == "cancelled":
        allowed = order.state in ("new", "allocated")
    else:
        allowed = _PROGRESS.index(target) > _PROGRESS.index(order.state)
    if not allowed:
        raise conflict(
            "ORDER_NOT_UPDATABLE",
            f"Retail fulfillment order {order.shipment_id} cannot move "
            f"from {order.state} to {target}",
        )


@routes.patch("/v2/retail-fulfillment-orders/{shipmentId}")
async def update_retail(request: web.Request) -> web.Response:
    """F21: `state` moves forward only (or to cancelled from new/allocated);
    `scac`, `bolNumber` and `meta` may change until the order is cancelled."""
    Params(request.query, ())
    st = current(request)
    order = _retail_or_404(st, request.match_info["shipmentId"])
    body: dict[str, Any] = await read_object(request)
    c = Checker()
    c.fields(body, "", _UPDATE_FIELDS)
    target = c.choice(body, "state", RETAIL_STATES)
    scac = c.text(body, "scac")
    if scac is not None and not _SCAC.fullmatch(scac):
        c.fail("scac", "scac must be 2-4 capital letters")
    bol_number = c.text(body, "bolNumber")
    meta = body.get("meta")
    if meta is not None and not isinstance(meta, str | dict):
        c.fail("meta", "meta must be a string or an object")
    c.done()
    if order.state == "cancelled":
        raise conflict(
            "ORDER_NOT_UPDATABLE",
            f"Retail fulfillment order {order.shipment_id} is cancelled",
        )
    if target is not None:
        _check_transition(order, target)
        order.state = target
    if "scac" in body:
        order.scac = scac
    if "bolNumber" in body:
        order.bol_number = bol_number
    if "meta" in body:
        order.meta = meta
    order.updated_at = st.now()
    return web.json_response(retail_json(order))


def advance_retail(order: RetailOrder, at: datetime) -> None:
    """new -> allocated -> in_progress -> shipped."""
    if order.state not in _PROGRESS[:-1]:
        raise NotAdvanceable(
            f"Retail fulfillment order {order.shipment_id} is {order.state}"
        )
    order.state = _PROGRESS[_PROGRESS.index(order.state) + 1]
    order.updated_at = at

"""L1-L3, L5: create, get (by orderId or externalId) and cancel B2B outbounds."""

from __future__ import annotations

from functools import partial

from aiohttp import web

from . import outbound_machine as machine
from .errors import conflict, not_found
from .model import Outbound
from .outbound_bodies import parse_outbound_create
from .params import Params
from .serialize_orders import outbound_json
from .state import current, upload_url
from .validate import read_object
from .vocabulary import BASE, WAREHOUSE_IDS

routes = web.RouteTableDef()


def _answer(request: web.Request, outbound: Outbound) -> web.Response:
    return web.json_response(outbound_json(outbound, partial(upload_url, request)))


@routes.post(BASE + "/outbounds", name="create_outbound")
async def create_outbound(request: web.Request) -> web.Response:
    """L1: 200 with the PLANNED order; a repeated externalId is 409 (after 422)."""
    Params(request.query, ())
    st = current(request)
    data = parse_outbound_create(await read_object(request), st)
    if data.external_id is not None and data.external_id in st.outbounds_by_external_id:
        raise conflict(f"Order with externalId {data.external_id} already exists")
    outbound = Outbound(
        id=next(st.ids.outbound),
        external_id=data.external_id,
        status="PLANNED",
        # Flexport resolves the origin from account configuration (S1); the
        # sandbox account ships from its first warehouse unless told otherwise.
        location_id=data.location_id or WAREHOUSE_IDS[0],
        items=data.items,
        ship_to=data.ship_to,
        transportation=data.transportation,
        created_at=st.now(),
        ship_by=data.ship_by,
        notes=data.notes,
        retailer_data=data.retailer_data,
        ingestion_channel=data.ingestion_channel or "API",
        currency_code=data.currency_code,
        vas_data=data.vas_data,
    )
    machine.created(st, outbound)
    return _answer(request, outbound)


@routes.get(BASE + "/outbounds/external_id/{externalId}")
async def get_outbound_by_external_id(request: web.Request) -> web.Response:
    """L3: the path segment is the percent-decoded externalId."""
    Params(request.query, ())
    external_id = request.match_info["externalId"]
    outbound = current(request).outbounds_by_external_id.get(external_id)
    if outbound is None:
        raise not_found(f"Cannot find order with externalId {external_id}")
    return _answer(request, outbound)


@routes.get(BASE + "/outbounds/{orderId}")
async def get_outbound(request: web.Request) -> web.Response:
    """L2."""
    Params(request.query, ())
    return _answer(
        request, current(request).outbound_or_404(request.match_info["orderId"])
    )


@routes.post(BASE + "/outbounds/{orderId}/cancel", name="cancel_outbound")
async def cancel_outbound(request: web.Request) -> web.Response:
    """L5: 200 with the order; only PLANNED/BOOKED move, CANCELLED stays as is."""
    Params(request.query, ())
    st = current(request)
    outbound = st.outbound_or_404(request.match_info["orderId"])
    machine.cancel(st, outbound, st.now())
    return _answer(request, outbound)

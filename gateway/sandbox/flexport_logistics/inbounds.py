"""L14-L15: inbound shipments, listed by limit/offset or batched by `shipmentIds`."""

from __future__ import annotations

from aiohttp import web

from .errors import bad_request
from .params import Params
from .serialize import inbound_json
from .state import current
from .vocabulary import BASE

routes = web.RouteTableDef()

DEFAULT_LIMIT = 100
MAX_LIMIT = 100


@routes.get(BASE + "/inbounds/shipments")
async def list_inbound_shipments(request: web.Request) -> web.Response:
    """L14, oldest first (ascending id). `shipmentIds` (1-100 integers) narrows the
    list; unknown ids are simply absent, and limit/offset still apply."""
    q = Params(request.query, ("limit", "offset", "shipmentIds"))
    limit, offset = q.limit(DEFAULT_LIMIT, MAX_LIMIT), q.offset()
    raw_ids = q.id_list("shipmentIds")
    wanted: set[int] | None = None
    if raw_ids is not None:
        if not all(raw.isascii() and raw.isdigit() for raw in raw_ids):
            raise bad_request("shipmentIds must be integers")
        wanted = {int(raw) for raw in raw_ids}
    st = current(request)
    items = [
        st.inbounds[shipment_id]
        for shipment_id in sorted(st.inbounds)
        if wanted is None or shipment_id in wanted
    ]
    return web.json_response([inbound_json(s) for s in items[offset : offset + limit]])


@routes.get(BASE + "/inbounds/shipments/{shipmentId}")
async def get_inbound_shipment(request: web.Request) -> web.Response:
    """L15."""
    Params(request.query, ())
    shipment = current(request).inbound_or_404(request.match_info["shipmentId"])
    return web.json_response(inbound_json(shipment))

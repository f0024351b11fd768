"""F16: shipments of outbound orders, batchable by `ids` and `orderIds`."""

from __future__ import annotations

from aiohttp import web

from .model import Shipment
from .pagination import page_response
from .params import Params
from .serialize import shipment_json
from .state import current

routes = web.RouteTableDef()

_PARAMS = ("ids", "orderIds", "pageSize", "continuationToken")


@routes.get("/v2/shipments")
async def list_shipments(request: web.Request) -> web.Response:
    """Oldest first, in the order they were packed."""
    q = Params(request.query, _PARAMS)
    st = current(request)
    ids = q.id_list("ids")
    order_ids = q.id_list("orderIds")
    if order_ids is not None:
        orders = [st.orders[i] for i in order_ids if i in st.orders]
        pool = [s for order in orders for s in order.shipments]
    else:
        pool = list(st.shipments.values())

    def keep(shipment: Shipment) -> bool:
        return (ids is None or shipment.id in ids) and (
            order_ids is None or shipment.order_id in order_ids
        )

    items = sorted((s for s in pool if keep(s)), key=lambda s: s.created_at)
    filters = {"ids": sorted(ids or []), "orderIds": sorted(order_ids or [])}
    return page_response(request, q, items, shipment_json, "shipments", filters)

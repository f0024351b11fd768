"""X7-X9: list, get and create shipments."""

from __future__ import annotations

from aiohttp import web

from .model import Shipment
from .params import FR_PAGE, PAGE_PARAMS, Params, after
from .serialize import shipment_json
from .shipment_bodies import parse_shipment_create
from .shipping import all_open_lines, check_shippable, ship
from .state import current
from .validate import read_json

routes = web.RouteTableDef()

_LIST_PARAMS = (
    *PAGE_PARAMS,
    "findByOrderId",
    "findByPurchaseOrderId",
    "filterCreatedAfter",
    "filterUpdatedAfter",
)


@routes.get("/shipments")
async def list_shipments(request: web.Request) -> web.Response:
    """X7: a bare array ordered by insertedAt ascending (then id)."""
    st = current(request)
    q = Params(request.query, _LIST_PARAMS)
    page = q.page(FR_PAGE)
    order_id = q.integer("findByOrderId")
    fr_id = q.integer("findByPurchaseOrderId")
    created_after = q.instant("filterCreatedAfter")
    updated_after = q.instant("filterUpdatedAfter")

    def keep(shipment: Shipment) -> bool:
        return (
            (order_id is None or shipment.order_id == order_id)
            and (fr_id is None or shipment.fr_id == fr_id)
            and after(shipment.inserted_at, created_after)
            and after(shipment.updated_at, updated_after)
        )

    if fr_id is not None:
        fr = st.frs.get(fr_id)
        pool = [] if fr is None else st.shipments_of(fr)
    else:
        pool = list(st.shipments.values())
    items = sorted((s for s in pool if keep(s)), key=lambda s: (s.inserted_at, s.id))
    return web.json_response([shipment_json(s) for s in page.slice(items)])


@routes.get("/shipments/{id}")
async def get_shipment(request: web.Request) -> web.Response:
    """X8."""
    Params(request.query, ())
    shipment = current(request).shipment_or_404(request.match_info["id"])
    return web.json_response(shipment_json(shipment))


@routes.post("/shipments")
async def create_shipment(request: web.Request) -> web.Response:
    """X9: 200 with the shipment; moves the FR's shipping status and counters."""
    Params(request.query, ())
    st = current(request)
    data = parse_shipment_create(st, await read_json(request))
    check_shippable(
        st,
        data.fr,
        data.details.tracking_number,
        allow_duplicate_tracking=data.allow_duplicate_tracking,
    )
    lines = all_open_lines(data.fr) if data.lines is None else data.lines
    shipment = ship(st, data.fr, lines, data.details, st.now())
    return web.json_response(shipment_json(shipment))

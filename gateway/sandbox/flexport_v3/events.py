"""V7: the account's `/event` log (seed history plus every change made since)."""

from __future__ import annotations

from aiohttp import web

from .envelope import respond
from .errors import not_found
from .model import Event
from .pagination import page_request, paginated
from .params import PAGE_PARAMS, Params, after, before
from .state import current

routes = web.RouteTableDef()

_LIST_PARAMS = (
    *PAGE_PARAMS,
    "f.occurred_at.gte",
    "f.occurred_at.lte",
    "f.data.shipment.id",
    "f.data.resource._object",
)
# Every event here is about a purchase order, the resource of its data.
_RESOURCE = "/purchase_order"


@routes.get("/events")
async def list_events(request: web.Request) -> web.Response:
    """Oldest first (id order is occurrence order); both date bounds inclusive."""
    q = Params(request.query, _LIST_PARAMS)
    pr = page_request(q)
    start, end = q.instant("f.occurred_at.gte"), q.instant("f.occurred_at.lte")
    shipment = q.integer("f.data.shipment.id")
    resource = q.text("f.data.resource._object")

    def keep(event: Event) -> bool:
        return (
            after(event.occurred_at, start, inclusive=True)
            and before(event.occurred_at, end, inclusive=True)
            and (shipment is None or event.shipment_id == shipment)
            and (resource is None or resource == _RESOURCE)
        )

    items = sorted(
        (e for e in current(request).events.values() if keep(e)), key=lambda e: e.id
    )
    return respond(request, paginated(request, items, lambda e: e.body, pr))


@routes.get("/events/{id}")
async def get_event(request: web.Request) -> web.Response:
    Params(request.query, ())
    raw = request.match_info["id"]
    event = current(request).events.get(int(raw)) if raw.isdigit() else None
    if event is None:
        raise not_found("Event", raw)
    return respond(request, event.body)

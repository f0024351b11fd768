"""X1-X6: list, get, acknowledge, adjust, mark processed and cancel FRs."""

from __future__ import annotations

from aiohttp import web

from .adjust import parse_adjustment
from .machine import acknowledge, adjust, cancel, mark_processed
from .model import FulfillmentRequest
from .params import FR_PAGE, PAGE_PARAMS, Params, after
from .serialize import fr_json
from .state import current
from .validate import no_body, read_json
from .vocabulary import FR_STATUSES, MAX_FR_NUMBERS, SHIPPING_STATUSES

routes = web.RouteTableDef()

_LIST_PARAMS = (
    *PAGE_PARAMS,
    "findOrderId",
    "sinceId",
    "frNumbers",
    "poNumbers",
    "filterSourceId",
    "filterStatus",
    "filterFulfilmentStatus",
    "filterInvoiced",
    "filterIsAcknowledged",
    "filterUpdatedAfter",
)


@routes.get("/fulfillment-requests")
async def list_fulfillment_requests(request: web.Request) -> web.Response:
    """X1: a bare array ordered by id ascending, so `sinceId` polling works."""
    st = current(request)
    q = Params(request.query, _LIST_PARAMS)
    page = q.page(FR_PAGE)
    order_id = q.integer("findOrderId")
    since_id = q.integer("sinceId")
    numbers = q.aliased_list("frNumbers", "poNumbers", MAX_FR_NUMBERS)
    source_id = q.integer("filterSourceId")
    statuses = q.choice_list("filterStatus", FR_STATUSES)
    shipping = q.choice_list("filterFulfilmentStatus", SHIPPING_STATUSES)
    invoiced = q.boolean("filterInvoiced")
    acknowledged = q.boolean("filterIsAcknowledged")
    updated_after = q.instant("filterUpdatedAfter")

    def keep(fr: FulfillmentRequest) -> bool:
        return (
            (order_id is None or fr.order_id == order_id)
            and (since_id is None or fr.id > since_id)
            and (source_id is None or fr.source_id == source_id)
            and (statuses is None or fr.status in statuses)
            and (shipping is None or fr.fulfillment_status in shipping)
            and (invoiced is None or fr.invoiced == invoiced)
            and (acknowledged is None or (fr.status == "Acknowledged") == acknowledged)
            and after(fr.updated_at, updated_after)
        )

    if numbers is not None:
        # Batch lookups by number should not scan the whole account.
        pool = [st.frs_by_number[n] for n in numbers if n in st.frs_by_number]
    else:
        pool = list(st.frs.values())
    items = sorted((fr for fr in pool if keep(fr)), key=lambda fr: fr.id)
    return web.json_response([fr_json(fr) for fr in page.slice(items)])


@routes.get("/fulfillment-requests/{id}")
async def get_fulfillment_request(request: web.Request) -> web.Response:
    """X2."""
    Params(request.query, ())
    fr = current(request).fr_or_404(request.match_info["id"])
    return web.json_response(fr_json(fr))


@routes.patch("/fulfillment-requests/{id}/acknowledge")
async def acknowledge_fulfillment_request(request: web.Request) -> web.Response:
    """X3: Processing -> Acknowledged; a repeat is 400 "... already acknowledged"."""
    Params(request.query, ())
    st = current(request)
    fr = st.fr_or_404(request.match_info["id"])
    await no_body(request)
    acknowledge(st, fr, st.now())
    return web.json_response(fr_json(fr))


@routes.post("/fulfillment-requests/{id}/adjust")
async def adjust_fulfillment_request(request: web.Request) -> web.Response:
    """X4: partial acknowledgement and cancellation, item by item."""
    Params(request.query, ())
    st = current(request)
    fr = st.fr_or_404(request.match_info["id"])
    plan = parse_adjustment(await read_json(request), fr)
    adjust(
        st,
        fr,
        plan.changes,
        st.now(),
        kill=plan.kill,
        cancel_unlisted=plan.cancel_unlisted,
    )
    return web.json_response(fr_json(fr))


@routes.patch("/fulfillment-requests/{id}/processed")
async def mark_fulfillment_request_processed(request: web.Request) -> web.Response:
    """X5: Processing -> Processed; already Processed is a 200 that changes nothing."""
    Params(request.query, ())
    st = current(request)
    fr = st.fr_or_404(request.match_info["id"])
    await no_body(request)
    mark_processed(st, fr, st.now())
    return web.json_response(fr_json(fr))


@routes.patch("/fulfillment-requests/{id}/cancel")
async def cancel_fulfillment_request(request: web.Request) -> web.Response:
    """X6: cancels every unshipped unit; a fully shipped FR is a 400."""
    Params(request.query, ())
    st = current(request)
    fr = st.fr_or_404(request.match_info["id"])
    await no_body(request)
    cancel(st, fr, st.now())
    return web.json_response(fr_json(fr))

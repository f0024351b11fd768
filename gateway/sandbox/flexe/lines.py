"""F5-F11: order lines (list, get, add, cancel) and allocation errors."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from aiohttp import web

from .errors import conflict
from .factory import new_line
from .machine import cancel_line, set_state
from .model import AllocationError, Line, Order
from .order_bodies import parse_line
from .pagination import page_response
from .params import Params, in_range, labels_match
from .serialize import allocation_error_json, line_json
from .state import current
from .validate import Checker, read_object
from .vocabulary import UPDATABLE_STATES

routes = web.RouteTableDef()

_PAGE = ("pageSize", "continuationToken")
_ORDER_LINES_PARAMS = (
    *_PAGE,
    "createdAtFrom",
    "createdAtTo",
    "externalIds",
    "skus",
    "lineIds",
    "labels",
)
_ALL_LINES_PARAMS = (*_ORDER_LINES_PARAMS, "orderIds", "hasErrors")


def _line_page(
    request: web.Request, q: Params, lines: Iterable[tuple[Line, Order]]
) -> web.Response:
    """F5 and F6: filter, then page oldest first (createdAt, then creation)."""
    line_ids = q.id_list("lineIds")
    external_ids = q.id_list("externalIds")
    skus = q.id_list("skus")
    labels = q.labels()
    order_ids = q.id_list("orderIds")
    has_errors = q.boolean("hasErrors")
    start, end = q.instant("createdAtFrom"), q.instant("createdAtTo")

    def keep(line: Line, order: Order) -> bool:
        errored = any(e.line_id == line.id for e in order.errors)
        return (
            (line_ids is None or line.id in line_ids)
            and (external_ids is None or line.external_id in external_ids)
            and (skus is None or line.sku in skus)
            and (order_ids is None or line.order_id in order_ids)
            and (has_errors is None or errored == has_errors)
            and labels_match(line.labels, labels)
            and in_range(line.created_at, start, end)
        )

    kept = [pair for pair in lines if keep(*pair)]
    kept.sort(key=lambda pair: pair[0].created_at)
    filters = {
        "lineIds": sorted(line_ids or []),
        "externalIds": sorted(external_ids or []),
        "skus": sorted(skus or []),
        "orderIds": sorted(order_ids or []),
        "hasErrors": has_errors,
        "labels": sorted(labels),
        "createdAtFrom": start,
        "createdAtTo": end,
    }
    return page_response(
        request, q, kept, lambda pair: line_json(*pair), "lines", filters
    )


@routes.get("/v2/orders/{orderId}/lines")
async def list_order_lines(request: web.Request) -> web.Response:
    """F5."""
    q = Params(request.query, _ORDER_LINES_PARAMS)
    order = current(request).order_or_404(request.match_info["orderId"])
    return _line_page(request, q, [(line, order) for line in order.lines])


@routes.get("/v2/lines")
async def list_lines(request: web.Request) -> web.Response:
    """F6: lines across orders; `orderIds` is the batch key."""
    q = Params(request.query, _ALL_LINES_PARAMS)
    st = current(request)
    order_ids = q.id_list("orderIds")
    if order_ids is not None:
        orders = [st.orders[i] for i in order_ids if i in st.orders]
        pairs = [(line, order) for order in orders for line in order.lines]
    else:
        pairs = [(line, st.orders[line.order_id]) for line in st.lines.values()]
    return _line_page(request, q, pairs)


@routes.get("/v2/orders/{orderId}/lines/{lineId}")
async def get_line(request: web.Request) -> web.Response:
    """F7."""
    Params(request.query, ())
    st = current(request)
    order = st.order_or_404(request.match_info["orderId"])
    line = st.line_or_404(order, request.match_info["lineId"])
    return web.json_response(line_json(line, order))


@routes.post("/v2/orders/{orderId}/lines")
async def create_line(request: web.Request) -> web.Response:
    """F8: 201. Adding to an allocated order sends it back to new."""
    Params(request.query, ())
    st = current(request)
    order = st.order_or_404(request.match_info["orderId"])
    checker = Checker()
    data = parse_line(checker, await read_object(request), "")
    checker.done()
    assert data is not None
    if order.state not in UPDATABLE_STATES:
        raise conflict(
            "ORDER_NOT_UPDATABLE",
            f"Order {order.id} is {order.state}; lines can no longer be added",
        )
    if data.external_id is not None and any(
        line.external_id == data.external_id for line in order.lines
    ):
        raise conflict(
            "DUPLICATE_EXTERNAL_ID",
            f"Order {order.id} already has a line with externalId {data.external_id}",
        )
    at = st.now()
    line = new_line(st, order, data, at)
    if order.state == "allocated":
        set_state(st, order, "new", at)
    else:
        order.updated_at = at
    return web.json_response(line_json(line, order), status=201)


@routes.post("/v2/orders/{orderId}/lines/{lineId}/cancel")
async def cancel(request: web.Request) -> web.Response:
    """F9: repeat cancels answer 200 with the line unchanged."""
    Params(request.query, ())
    st = current(request)
    order = st.order_or_404(request.match_info["orderId"])
    line = st.line_or_404(order, request.match_info["lineId"])
    if line.cancelled_at is not None:
        return web.json_response(line_json(line, order))
    if line.shipped_quantity > 0:
        raise conflict(
            "LINE_NOT_CANCELLABLE",
            f"Line {line.id} has shipped units and cannot be cancelled",
        )
    if order.state not in UPDATABLE_STATES:
        raise conflict(
            "LINE_NOT_CANCELLABLE",
            f"Order {order.id} is {order.state}; its lines cannot be cancelled",
        )
    cancel_line(st, order, line, st.now())
    return web.json_response(line_json(line, order))


def _errors_page(
    request: web.Request, q: Params, errors: list[AllocationError]
) -> web.Response:
    def created(error: AllocationError) -> datetime:
        return error.created_at

    ordered = sorted(errors, key=created)
    return page_response(
        request, q, ordered, allocation_error_json, "allocationErrors", {}
    )


@routes.get("/v2/orders/{orderId}/allocation-errors")
async def order_allocation_errors(request: web.Request) -> web.Response:
    """F10: order-level and line-level errors of one order."""
    q = Params(request.query, _PAGE)
    order = current(request).order_or_404(request.match_info["orderId"])
    return _errors_page(request, q, order.errors)


@routes.get("/v2/orders/{orderId}/lines/{lineId}/allocation-errors")
async def line_allocation_errors(request: web.Request) -> web.Response:
    """F11."""
    q = Params(request.query, _PAGE)
    st = current(request)
    order = st.order_or_404(request.match_info["orderId"])
    line = st.line_or_404(order, request.match_info["lineId"])
    return _errors_page(request, q, [e for e in order.errors if e.line_id == line.id])

"""F1-F4: list, get, create and update outbound orders."""

from __future__ import annotations

from aiohttp import web

from .errors import conflict
from .factory import new_order
from .model import Order
from .order_bodies import parse_order_create, parse_order_update
from .pagination import page_response
from .params import Params, in_range, labels_match
from .serialize import order_json
from .state import current
from .validate import read_object
from .vocabulary import ORDER_STATES, UPDATABLE_STATES

routes = web.RouteTableDef()

_LIST_PARAMS = (
    "ids",
    "externalIds",
    "state",
    "labels",
    "hasErrors",
    "createdAtFrom",
    "createdAtTo",
    "pageSize",
    "continuationToken",
)


def _list_item(order: Order) -> dict[str, object]:
    return order_json(order, with_shipments=False)


@routes.get("/v2/orders")
async def list_orders(request: web.Request) -> web.Response:
    """F1, newest first (createdAt desc, then id desc); unknown ids are just absent."""
    st = current(request)
    q = Params(request.query, _LIST_PARAMS)
    ids = q.id_list("ids")
    external_ids = q.id_list("externalIds")
    states = q.choice_list("state", ORDER_STATES)
    labels = q.labels()
    has_errors = q.boolean("hasErrors")
    start, end = q.instant("createdAtFrom"), q.instant("createdAtTo")

    def keep(order: Order) -> bool:
        return (
            (ids is None or order.id in ids)
            and (external_ids is None or order.external_id in external_ids)
            and (states is None or order.state in states)
            and (has_errors is None or order.has_errors == has_errors)
            and labels_match(order.labels, labels)
            and in_range(order.created_at, start, end)
        )

    if ids is not None and external_ids is None:
        # Batch lookups by id should not scan the whole account.
        candidates = [st.orders[i] for i in ids if i in st.orders]
        candidates.sort(key=lambda o: (o.created_at, o.id), reverse=True)
    else:
        candidates = st.orders_newest_first()
    filters = {
        "ids": sorted(ids or []),
        "externalIds": sorted(external_ids or []),
        "state": sorted(states or []),
        "labels": sorted(labels),
        "hasErrors": has_errors,
        "createdAtFrom": start,
        "createdAtTo": end,
    }
    items = [order for order in candidates if keep(order)]
    return page_response(request, q, items, _list_item, "outboundOrders", filters)


@routes.get("/v2/orders/{orderId}")
async def get_order(request: web.Request) -> web.Response:
    """F2."""
    Params(request.query, ())
    order = current(request).order_or_404(request.match_info["orderId"])
    return web.json_response(order_json(order))


@routes.post("/v2/orders")
async def create_order(request: web.Request) -> web.Response:
    """F3: 201, state new; an unknown SKU gives hasErrors and UNKNOWN_SKU."""
    Params(request.query, ())
    st = current(request)
    data = parse_order_create(await read_object(request))
    if data.external_id in st.orders_by_external_id:
        raise conflict(
            "DUPLICATE_EXTERNAL_ID",
            f"An order with externalId {data.external_id} already exists",
        )
    order = new_order(st, data, st.now())
    return web.json_response(order_json(order), status=201)


@routes.patch("/v2/orders/{orderId}")
async def update_order(request: web.Request) -> web.Response:
    """F4: only while the order is new or allocated, else 409 ORDER_NOT_UPDATABLE."""
    Params(request.query, ())
    st = current(request)
    order = st.order_or_404(request.match_info["orderId"])
    patch = parse_order_update(await read_object(request), order)
    if order.state not in UPDATABLE_STATES:
        raise conflict(
            "ORDER_NOT_UPDATABLE",
            f"Order {order.id} is {order.state} and can no longer be updated",
        )
    changed = (
        (patch.labels is not None and patch.labels != order.labels)
        or (
            patch.reservation_id is not None
            and patch.reservation_id != order.reservation_id
        )
        or patch.recipient != order.recipient
        or patch.address != order.address
        or patch.shipping != order.shipping
    )
    if changed:
        if patch.labels is not None:
            order.labels = patch.labels
        if patch.reservation_id is not None:
            order.reservation_id = patch.reservation_id
        order.recipient, order.address = patch.recipient, patch.address
        order.shipping = patch.shipping
        order.updated_at = st.now()
    return web.json_response(order_json(order))

"""Sandbox-inferred reads of bookings (E6 shapes): where booked units come from.

A PO line's `booking_line_items` ref links here. A booking books units of a
PO's lines and results in one freight shipment; a PO with any booked unit has
an active booking and can no longer be cancelled (S3).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..clock import iso
from .envelope import ref_object, respond
from .errors import not_found
from .line_items import LINE_SORTS, cargo_ready
from .model import BookingLine
from .pagination import page_request, paginated
from .params import SORTED_PAGE_PARAMS, Params
from .serialize import LINE_PATH, LINE_REF_TYPE
from .state import FlexportV3State, current

routes = web.RouteTableDef()

_LIST_PARAMS = (
    *SORTED_PAGE_PARAMS,
    "f.purchase_order.id",
    "f.purchase_order_line_item.id",
)


def _all(st: FlexportV3State) -> list[BookingLine]:
    return [item for booking in st.bookings.values() for item in booking.lines]


def booking_line_json(request: web.Request, item: BookingLine) -> dict[str, Any]:
    return {
        "_object": "/purchase_orders/booking_line_item",
        "id": item.id,
        "booking": ref_object(request, "/booking", "/bookings", item.booking_id),
        "purchase_order_line_item": ref_object(
            request, LINE_REF_TYPE, LINE_PATH, item.line_id
        ),
        "units": item.units,
    }


@routes.get("/booking_line_items")
async def list_booking_line_items(request: web.Request) -> web.Response:
    """Newest first (`created_at` desc) unless told otherwise, ties by id."""
    q = Params(request.query, _LIST_PARAMS)
    pr = page_request(q, LINE_SORTS, "created_at", "desc")
    po_id = q.integer("f.purchase_order.id")
    line_id = q.integer("f.purchase_order_line_item.id")
    st = current(request)
    items = [
        item
        for item in _all(st)
        if (po_id is None or st.bookings[item.booking_id].po_id == po_id)
        and (line_id is None or item.line_id == line_id)
    ]
    if pr.sort == "cargo_ready_date":
        items.sort(
            key=lambda i: (cargo_ready(st, st.lines[i.line_id]), i.id),
            reverse=pr.descending,
        )
    else:
        items.sort(key=lambda i: (i.created_at, i.id), reverse=pr.descending)
    return respond(
        request,
        paginated(request, items, lambda i: booking_line_json(request, i), pr),
    )


@routes.get("/booking_line_items/{id}")
async def get_booking_line_item(request: web.Request) -> web.Response:
    Params(request.query, ())
    raw = request.match_info["id"]
    st = current(request)
    item = next((i for i in _all(st) if str(i.id) == raw), None)
    if item is None:
        raise not_found("BookingLineItem", raw)
    return respond(request, booking_line_json(request, item))


@routes.get("/bookings/{id}")
async def get_booking(request: web.Request) -> web.Response:
    """Only what links a PO to its shipment; `/shipments` itself is not served."""
    Params(request.query, ())
    raw = request.match_info["id"]
    booking = current(request).bookings.get(int(raw)) if raw.isdigit() else None
    if booking is None:
        raise not_found("Booking", raw)
    return respond(
        request,
        {
            "_object": "/booking",
            "id": booking.id,
            "status": "booked",
            "purchase_order": ref_object(
                request, "/purchase_order", "/purchase_orders", booking.po_id
            ),
            "shipment": ref_object(
                request, "/shipment", "/shipments", booking.shipment_id
            ),
            "created_at": iso(booking.created_at),
        },
    )

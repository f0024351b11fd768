"""Documents of purchase orders: PO -> bookings -> freight shipments -> V6 documents.

v3 keeps documents on freight shipments (`GET /documents?f.shipment.id=`), and
a PO reaches its shipments only through its bookings: the booking line items
of a PO (`GET /booking_line_items?f.purchase_order.id=`) name their booking,
and a booking (`GET /bookings/{id}`) names its shipment. None of these lists
takes more than one id, so every step fans out. Requests for n POs with b
distinct bookings on s distinct shipments: n + b + s (plus one per extra page
of 100); a PO never booked costs its one booking-line-item call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from gateway.providers.flexport_v3 import mapping, wire

if TYPE_CHECKING:
    from gateway.models import Attachment
    from gateway.providers.flexport_v3.api import FlexportV3Api


async def documents_by_po(
    api: FlexportV3Api, po_ids: list[str]
) -> dict[str, list[Attachment]]:
    """Every document (archived ones too) of each PO's shipments, by PO id."""
    bookings = await _bookings_by_po(api, po_ids)
    booking_ids = list(dict.fromkeys(b for ids in bookings.values() for b in ids))
    shipment_of = await _shipments_of(api, booking_ids)
    shipment_ids = list(dict.fromkeys(s for s in shipment_of.values() if s))
    documents = dict(
        await api.fan_out(
            shipment_ids,
            lambda shipment_id: api.walk(
                "/documents", wire.Document, [("f.shipment.id", shipment_id)]
            ),
        )
    )
    result: dict[str, list[Attachment]] = {}
    for po_id in po_ids:
        shipments = dict.fromkeys(
            shipment_of[b] for b in bookings[po_id] if shipment_of.get(b)
        )
        result[po_id] = [
            mapping.to_attachment(document, raw, po_id)
            for shipment_id in shipments
            if shipment_id is not None
            for document, raw in documents.get(shipment_id, [])
        ]
    return result


async def _bookings_by_po(
    api: FlexportV3Api, po_ids: list[str]
) -> dict[str, list[str]]:
    """Distinct booking ids of each PO, from its booking line items."""
    found = await api.fan_out(
        po_ids,
        lambda po_id: api.walk(
            "/booking_line_items",
            wire.BookingLineItem,
            [("f.purchase_order.id", po_id)],
        ),
    )
    return {
        po_id: list(dict.fromkeys(item.booking.id for item, _ in items))
        for po_id, items in found
    }


async def _shipments_of(
    api: FlexportV3Api, booking_ids: list[str]
) -> dict[str, str | None]:
    """The shipment each booking made (None for a booking that is gone)."""
    found = await api.fan_out(
        booking_ids,
        lambda booking_id: api.maybe(
            f"/bookings/{quote(booking_id, safe='')}", wire.Booking
        ),
    )
    return {
        booking_id: pair[0].shipment.id if pair and pair[0].shipment else None
        for booking_id, pair in found
    }

"""The B2B outbound state machine (§2.4): book, start, ship, deliver, cancel.

PLANNED -> BOOKED (one shipment booked with every line) -> IN_PROGRESS (packed:
cartons with tracking numbers, or pallets with a BOL) -> SHIPPED -> DELIVERED.
The seed replays history through these functions at past instants, so seeded
shipments obey the same rules as ones made through the API or /_sandbox/advance.
"""

from __future__ import annotations

from datetime import datetime

from ..clock import iso
from .addresses import warehouse_address
from .errors import invalid_status
from .model import Freight, OrderItem, Outbound, OutboundShipment, ShipmentItem
from .packing import (
    freight_carrier,
    pallet_packs,
    parcel_carrier,
    parcel_packs,
    unit_weight_lb,
    units,
)
from .state import LapiState
from .vocabulary import OUTBOUND_CANCELLABLE

# Shipments still moving: neither shipped, delivered nor cancelled.
_OPEN = ("PLANNED", "BOOKED", "IN_PROGRESS")


class NotAdvanceable(Exception):
    """The object is in a terminal state."""


def created(st: LapiState, outbound: Outbound) -> None:
    st.add_outbound(outbound)
    st.emit(
        "Outbound.Created",
        {
            "orderId": outbound.id,
            "externalId": outbound.external_id,
            "status": outbound.status,
            "createdAt": iso(outbound.created_at),
        },
        outbound.created_at,
    )


def set_status(st: LapiState, outbound: Outbound, status: str, at: datetime) -> None:
    previous, outbound.status = outbound.status, status
    st.emit(
        "Outbound.StatusChanged",
        {
            "orderId": outbound.id,
            "externalId": outbound.external_id,
            "previousStatus": previous,
            "orderStatus": status,
        },
        at,
    )


def set_shipment_status(
    st: LapiState,
    outbound: Outbound,
    shipment: OutboundShipment,
    status: str | None,
    at: datetime,
) -> None:
    """Sandbox event: B2B shipments have no documented event of their own."""
    previous = None if status is None else shipment.status
    if status is not None:
        shipment.status = status
    st.emit(
        "Outbound.ShipmentStatusChanged",
        {
            "orderId": outbound.id,
            "externalId": outbound.external_id,
            "shipmentId": shipment.id,
            "previousStatus": previous,
            "status": shipment.status,
        },
        at,
    )


def _new_shipment(
    st: LapiState,
    outbound: Outbound,
    contents: list[tuple[OrderItem, int]],
    at: datetime,
) -> OutboundShipment:
    shipment = OutboundShipment(
        id=next(st.ids.outbound_shipment),
        order_id=outbound.id,
        status="BOOKED",
        ship_from=warehouse_address(outbound.location_id),
        ship_to=dict(outbound.ship_to),
        transportation=dict(outbound.transportation),
        items=[ShipmentItem(item, quantity) for item, quantity in contents if quantity],
    )
    outbound.shipments.append(shipment)
    set_shipment_status(st, outbound, shipment, None, at)
    return shipment


def book(st: LapiState, outbound: Outbound, at: datetime) -> None:
    """PLANNED -> BOOKED: transport is booked for one shipment holding every line."""
    contents = [(item, item.quantity) for item in outbound.items]
    set_status(st, outbound, "BOOKED", at)
    _new_shipment(st, outbound, contents, at)


def _pack(st: LapiState, shipment: OutboundShipment) -> None:
    contents = [(s.item, s.quantity) for s in shipment.items]
    shipping_type = shipment.transportation.get("shippingType")
    if shipping_type == "PARCEL":
        carrier = parcel_carrier(st, shipment.transportation.get("shippingMethod"))
        shipment.packs = parcel_packs(st, shipment.id, contents, carrier)
        return
    carrier = freight_carrier(st)
    shipment.packs = pallet_packs(st, shipment.id, contents, carrier)
    bol = f"BOL{shipment.id}{st.rng.randrange(1000, 9999)}"
    shipment.freight = [Freight(bol, None, carrier[0], carrier[1])]


def start(
    st: LapiState,
    outbound: Outbound,
    at: datetime,
    first_part: dict[str, int] | None = None,
) -> OutboundShipment | None:
    """BOOKED -> IN_PROGRESS: the warehouse packs the booked shipment.

    With `first_part` (lineItemId -> quantity) the warehouse splits it: the
    booked shipment keeps those quantities and a second shipment takes the
    rest. Returns that second shipment, if any.
    """
    set_status(st, outbound, "IN_PROGRESS", at)
    booked = [s for s in outbound.shipments if s.status == "BOOKED"]
    rest: OutboundShipment | None = None
    if first_part is not None and booked:
        first = booked[0]
        remainder = []
        for entry in first.items:
            keep = first_part.get(entry.item.line_item_id, entry.quantity)
            remainder.append((entry.item, entry.quantity - keep))
            entry.quantity = keep
        first.items = [entry for entry in first.items if entry.quantity > 0]
        if any(quantity for _, quantity in remainder):
            rest = _new_shipment(st, outbound, remainder, at)
            booked.append(rest)
    for shipment in booked:
        _pack(st, shipment)
        set_shipment_status(st, outbound, shipment, "IN_PROGRESS", at)
    return rest


def ship_shipment(
    st: LapiState, outbound: Outbound, shipment: OutboundShipment, at: datetime
) -> None:
    """One shipment leaves; the order is SHIPPED once no shipment is still open."""
    for entry in shipment.items:
        entry.shipped_quantity = entry.quantity
    for pack in shipment.packs:
        pack.package_status = "IN_TRANSIT"
    for freight in shipment.freight:
        freight.pro_number = f"{st.rng.randrange(10**9, 10**10)}"
    weight = sum(
        unit_weight_lb(st, e.item.logistics_sku) * units(e.item, e.quantity)
        for e in shipment.items
    )
    shipment.charged_weight = round(max(1.0, weight * 1.1), 1)
    set_shipment_status(st, outbound, shipment, "SHIPPED", at)
    if not any(s.status in _OPEN for s in outbound.shipments):
        set_status(st, outbound, "SHIPPED", at)


def ship(st: LapiState, outbound: Outbound, at: datetime) -> None:
    """IN_PROGRESS -> SHIPPED: every open shipment leaves."""
    for shipment in [s for s in outbound.shipments if s.status in _OPEN]:
        ship_shipment(st, outbound, shipment, at)


def deliver(st: LapiState, outbound: Outbound, at: datetime) -> None:
    """SHIPPED -> DELIVERED: the carrier confirms every shipment."""
    for shipment in [s for s in outbound.shipments if s.status == "SHIPPED"]:
        for pack in shipment.packs:
            pack.package_status = "DELIVERED"
        set_shipment_status(st, outbound, shipment, "DELIVERED", at)
    set_status(st, outbound, "DELIVERED", at)


def cancel(st: LapiState, outbound: Outbound, at: datetime) -> None:
    """L5. A repeat cancel is a no-op; IN_PROGRESS or later is 400 + 407001."""
    if outbound.status == "CANCELLED":
        return
    if outbound.status not in OUTBOUND_CANCELLABLE:
        raise invalid_status(
            f"Order {outbound.id} is {outbound.status} and cannot be cancelled"
        )
    set_status(st, outbound, "CANCELLED", at)
    for shipment in outbound.shipments:
        set_shipment_status(st, outbound, shipment, "CANCELLED", at)


def advance(st: LapiState, outbound: Outbound, at: datetime) -> None:
    """One step along PLANNED -> BOOKED -> IN_PROGRESS -> SHIPPED -> DELIVERED."""
    if outbound.status == "PLANNED":
        book(st, outbound, at)
    elif outbound.status == "BOOKED":
        start(st, outbound, at)
    elif outbound.status == "IN_PROGRESS":
        ship(st, outbound, at)
    elif outbound.status == "SHIPPED":
        deliver(st, outbound, at)
    else:
        raise NotAdvanceable(f"Order {outbound.id} is {outbound.status}")

"""The inbound shipment state machine: WORKING -> … -> ARRIVED -> COMPLETED.

Arrival counts every item (sellable and damaged) and, outside the seed, adds
the units to the destination warehouse's stock.
"""

from __future__ import annotations

from datetime import datetime

from ..clock import iso
from .model import InboundShipment, Stock
from .outbound_machine import NotAdvanceable
from .state import LapiState
from .vocabulary import INBOUND_STATUSES


def created(st: LapiState, shipment: InboundShipment, at: datetime) -> None:
    """A new shipment enters the account (and the feed) as WORKING."""
    st.inbounds[shipment.id] = shipment
    set_status(st, shipment, shipment.status, at, first=True)


def set_status(
    st: LapiState,
    shipment: InboundShipment,
    status: str,
    at: datetime,
    *,
    first: bool = False,
) -> None:
    """The first event of a shipment has `previousStatus: null`."""
    previous = None if first else shipment.status
    shipment.status = status
    st.emit(
        "Inbound.ShipmentStatusChanged",
        {
            "shipmentId": shipment.id,
            "previousStatus": previous,
            "status": status,
            "shippingPlanExternalId": shipment.plan_external_id,
        },
        at,
    )


def count(st: LapiState, shipment: InboundShipment) -> None:
    """Most units are sellable; now and then a few arrive damaged or short."""
    for item in shipment.items:
        roll = st.rng.random()
        item.damaged = (
            st.rng.randint(1, max(1, item.expected // 50)) if roll < 0.2 else 0
        )
        short = st.rng.randint(1, max(1, item.expected // 40)) if roll > 0.9 else 0
        item.sellable = max(0, item.expected - item.damaged - short)


def arrive(
    st: LapiState, shipment: InboundShipment, at: datetime, *, stock: bool = True
) -> None:
    """-> ARRIVED: counted; with `stock`, the units join the warehouse's inventory."""
    count(st, shipment)
    shipment.arrived_at = at
    set_status(st, shipment, "ARRIVED", at)
    st.emit(
        "Inbound.Received",
        {
            "shipmentId": shipment.id,
            "status": "ARRIVED",
            "shippingPlanExternalId": shipment.plan_external_id,
            "receivedAt": iso(at),
            "items": [
                {
                    "logisticsSku": item.logistics_sku,
                    "sellable": item.sellable,
                    "damaged": item.damaged,
                }
                for item in shipment.items
            ],
        },
        at,
    )
    if not stock:
        return
    for item in shipment.items:
        rows = st.stock.setdefault(item.logistics_sku, {})
        row = rows.setdefault(shipment.destination, Stock(0, 0))
        row.available += item.sellable
        row.unavailable += item.damaged
        total = st.network_stock(item.logistics_sku)
        st.emit(
            "Inventory.Adjusted",
            {
                "logisticsSku": item.logistics_sku,
                "available": total.available,
                "onHand": total.on_hand,
                "unavailable": total.unavailable,
            },
            at,
        )


def complete(st: LapiState, shipment: InboundShipment, at: datetime) -> None:
    shipment.completed_at = at
    set_status(st, shipment, "COMPLETED", at)


def advance(st: LapiState, shipment: InboundShipment, at: datetime) -> None:
    position = INBOUND_STATUSES.index(shipment.status)
    if shipment.status == "COMPLETED":
        raise NotAdvanceable(f"Inbound shipment {shipment.id} is COMPLETED")
    following = INBOUND_STATUSES[position + 1]
    if following == "ARRIVED":
        arrive(st, shipment, at)
    elif following == "COMPLETED":
        complete(st, shipment, at)
    else:
        set_status(st, shipment, following, at)

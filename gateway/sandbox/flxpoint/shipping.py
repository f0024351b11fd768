"""Shipments against FRs (X9, advance, seed): checks, item counters, carriers."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from ..carriers import carrier_for, tracking_number
from ..clock import iso
from .errors import bad_request
from .machine import fr_ref, refresh_shipping, touch
from .model import FrItem, FulfillmentRequest, Shipment, ShipmentItem
from .state import FlxpointState
from .vocabulary import CARRIER_SERVICES, SHIPPABLE_STATUSES


@dataclass(frozen=True)
class ShipmentDetails:
    """What X9's `shipment` object says beyond its items."""

    tracking_number: str
    carrier: str | None
    method: str | None
    tracking_url: str | None
    note: str | None
    shipping_cost_cents: int | None
    shipped_at: datetime | None


def check_shippable(
    st: FlxpointState,
    fr: FulfillmentRequest,
    tracking: str,
    *,
    allow_duplicate_tracking: bool,
) -> None:
    if fr.status not in SHIPPABLE_STATUSES:
        raise bad_request(
            f"Fulfillment request {fr.id} is {fr.status} and cannot be shipped"
        )
    if not allow_duplicate_tracking and any(
        s.tracking_number == tracking for s in st.shipments_of(fr)
    ):
        raise bad_request(
            f"Shipment with tracking number {tracking} already exists"
            " for this purchase order"
        )


def ship(
    st: FlxpointState,
    fr: FulfillmentRequest,
    lines: list[tuple[FrItem, int]],
    details: ShipmentDetails,
    at: datetime,
) -> Shipment:
    """Record one shipment; more units than an item has open is a 400."""
    if not lines:
        raise bad_request(f"Fulfillment request {fr.id} has no unshipped units")
    wanted: Counter[int] = Counter()
    for item, quantity in lines:
        wanted[item.id] += quantity
    for item in fr.items:
        if wanted[item.id] > item.open_quantity:
            raise bad_request(
                f"Cannot ship {wanted[item.id]} units of {item.sku}: fulfillment"
                f" request {fr.id} has {item.open_quantity} unshipped"
            )
    shipment_id = next(st.shipment_ids)
    items = []
    for item in fr.items:
        if wanted[item.id] == 0:
            continue
        items.append(
            ShipmentItem(
                id=next(st.shipment_item_ids),
                shipment_id=shipment_id,
                fr_item_id=item.id,
                order_item_id=item.order_item_id,
                inventory_variant_id=item.inventory_variant_id,
                sku=item.sku,
                quantity=wanted[item.id],
                partial=wanted[item.id] < item.open_quantity,
            )
        )
        item.shipped_quantity += wanted[item.id]
    shipment = Shipment(
        id=shipment_id,
        fr_id=fr.id,
        order_id=fr.order_id,
        source_id=fr.source_id,
        tracking_number=details.tracking_number,
        carrier=details.carrier,
        method=details.method,
        tracking_url=details.tracking_url,
        note=details.note,
        shipping_cost_cents=details.shipping_cost_cents,
        shipped_at=details.shipped_at or at,
        inserted_at=at,
        updated_at=at,
        partial=fr.open_units > 0,
        items=items,
    )
    st.add_shipment(fr, shipment)
    touch(fr, at)
    st.emit(
        "shipment.created",
        {
            "id": shipment.id,
            **{k: v for k, v in fr_ref(fr).items() if k != "id"},
            "fulfillmentRequestId": fr.id,
            "trackingNumber": shipment.tracking_number,
            "carrier": shipment.carrier,
            "shippedAt": iso(shipment.shipped_at),
            "items": [
                {
                    "sku": i.sku,
                    "quantity": i.quantity,
                    "fulfillmentRequestItemId": i.fr_item_id,
                }
                for i in items
            ],
        },
        at,
    )
    refresh_shipping(st, fr, at)
    return shipment


def partial_lines(
    rng: random.Random, fr: FulfillmentRequest
) -> list[tuple[FrItem, int]] | None:
    """Some but not all open units (None when fewer than two are open)."""
    open_items = [i for i in fr.items if i.open_quantity > 0]
    total = sum(i.open_quantity for i in open_items)
    if total < 2:
        return None
    picks = {i.id: rng.randint(0, i.open_quantity) for i in open_items}
    picked = sum(picks.values())
    if picked == 0:
        picks[open_items[0].id] = 1
    elif picked == total:
        first = next(i for i in open_items if picks[i.id] > 0)
        picks[first.id] -= 1
    return [(i, picks[i.id]) for i in open_items if picks[i.id] > 0]


def all_open_lines(fr: FulfillmentRequest) -> list[tuple[FrItem, int]]:
    return [(i, i.open_quantity) for i in fr.items if i.open_quantity > 0]


def carrier_details(
    rng: random.Random,
    fr: FulfillmentRequest,
    shipped_at: datetime,
    note: str | None = None,
) -> ShipmentDetails:
    """A realistic carrier, method, tracking number and URL for the FR's country."""
    carrier = carrier_for(rng, fr.shipping_address.get("countryCode"))
    number = tracking_number(rng, carrier)
    method, url = CARRIER_SERVICES[carrier]
    return ShipmentDetails(
        tracking_number=number,
        carrier=carrier,
        method=method,
        tracking_url=url.format(number),
        note=note,
        shipping_cost_cents=rng.randint(499, 2499),
        shipped_at=shipped_at,
    )

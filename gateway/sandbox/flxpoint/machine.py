"""The FR state machine (providers.md 4.4): route, acknowledge, adjust, process,
cancel, void, and the shipping status derived from item quantities.

Every transition takes the instant it happens at, so the seed replays history
through the same code the API and /_sandbox/advance use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import bad_request
from .model import FrItem, FulfillmentRequest
from .state import FlxpointState
from .vocabulary import (
    AWAITING,
    CANCELED,
    CLOSED_STATUSES,
    PARTIALLY_SHIPPED,
    SHIPPED,
)


def fr_ref(fr: FulfillmentRequest) -> dict[str, Any]:
    return {
        "id": fr.id,
        "fulfillmentRequestNumber": fr.number,
        "orderId": fr.order_id,
        "sourceId": fr.source_id,
    }


def touch(fr: FulfillmentRequest, at: datetime) -> None:
    fr.updated_at = max(fr.updated_at, at)


def set_status(
    st: FlxpointState, fr: FulfillmentRequest, status: str, at: datetime
) -> None:
    previous = fr.status
    fr.status = status
    touch(fr, at)
    if previous != status:
        st.emit(
            "fulfillment_request.status_changed",
            {**fr_ref(fr), "previousStatus": previous, "status": status},
            at,
        )
    refresh_shipping(st, fr, at)


def shipping_status(fr: FulfillmentRequest) -> str:
    """A cancelled or voided FR never claims Shipped, even if every unit left."""
    shipped = fr.shipped_units
    if fr.status in CLOSED_STATUSES:
        return CANCELED if shipped == 0 else PARTIALLY_SHIPPED
    if shipped == 0:
        return CANCELED if fr.open_units == 0 else AWAITING
    return SHIPPED if fr.open_units == 0 else PARTIALLY_SHIPPED


def refresh_shipping(st: FlxpointState, fr: FulfillmentRequest, at: datetime) -> None:
    previous, status = fr.fulfillment_status, shipping_status(fr)
    if previous != status:
        fr.fulfillment_status = status
        touch(fr, at)
        st.emit(
            "fulfillment_request.fulfillment_status_changed",
            {
                **fr_ref(fr),
                "previousFulfillmentStatus": previous,
                "fulfillmentStatus": status,
            },
            at,
        )


def route(st: FlxpointState, fr: FulfillmentRequest, at: datetime) -> None:
    """Unprocessed -> Processing: Flxpoint hands the FR to its source."""
    set_status(st, fr, "Processing", at)


def require_processing(fr: FulfillmentRequest) -> None:
    """Acknowledging (X3 or X4) is only possible from Processing."""
    if fr.status == "Acknowledged":
        raise bad_request(f"Fulfillment request {fr.id} is already acknowledged")
    if fr.status != "Processing":
        raise bad_request(f"Fulfillment request {fr.id} is not in Processing status")


def acknowledge(st: FlxpointState, fr: FulfillmentRequest, at: datetime) -> None:
    """X3: every item acknowledged in full (less anything already cancelled)."""
    require_processing(fr)
    for item in fr.items:
        item.acknowledged_quantity = item.quantity - item.cancelled_quantity
    fr.acknowledged_at = at
    set_status(st, fr, "Acknowledged", at)


def mark_processed(st: FlxpointState, fr: FulfillmentRequest, at: datetime) -> bool:
    """X5: Processing -> Processed; already Processed changes nothing (False)."""
    if fr.status == "Processed":
        return False
    if fr.status != "Processing":
        raise bad_request(f"Fulfillment request {fr.id} is not in Processing status")
    set_status(st, fr, "Processed", at)
    return True


@dataclass(frozen=True)
class ItemChange:
    """X4 for one item: `acknowledged` None counts as 0; the others, when None,
    keep the item's current value."""

    item: FrItem
    acknowledged: int | None
    secondary_acknowledged: int | None
    cancelled: int | None


def adjust(
    st: FlxpointState,
    fr: FulfillmentRequest,
    changes: list[ItemChange] | None,
    at: datetime,
    *,
    kill: bool = False,
    cancel_unlisted: bool = False,
) -> None:
    """X4: acknowledge item by item; `kill` cancels what a listed item leaves
    unacknowledged, `cancel_unlisted` cancels every item not listed. `changes`
    None acknowledges everything open. Quantities are checked before any change."""
    require_processing(fr)
    if changes is None:
        changes = [
            ItemChange(i, i.quantity - i.cancelled_quantity, None, None)
            for i in fr.items
        ]
    planned: dict[int, tuple[int, int, int]] = {}
    for change in changes:
        item = change.item
        ack = change.acknowledged if change.acknowledged is not None else 0
        cancelled = (
            change.cancelled
            if change.cancelled is not None
            else item.cancelled_quantity
        )
        if kill:
            cancelled = max(cancelled, item.quantity - ack)
        secondary = (
            change.secondary_acknowledged
            if change.secondary_acknowledged is not None
            else item.secondary_acknowledged_quantity
        )
        _check(fr, item, ack, cancelled)
        planned[item.id] = (ack, secondary, cancelled)
    if cancel_unlisted:
        for item in fr.items:
            if item.id not in planned:
                planned[item.id] = (0, 0, item.quantity - item.shipped_quantity)
    for item in fr.items:
        if item.id in planned:
            ack, secondary, cancelled = planned[item.id]
            item.acknowledged_quantity = ack
            item.secondary_acknowledged_quantity = secondary
            item.cancelled_quantity = cancelled
    st.emit(
        "fulfillment_request.adjusted",
        {
            **fr_ref(fr),
            "items": [
                {
                    "id": i.id,
                    "sku": i.sku,
                    "acknowledgedQuantity": i.acknowledged_quantity,
                    "cancelledQuantity": i.cancelled_quantity,
                }
                for i in fr.items
            ],
        },
        at,
    )
    if all(i.cancelled_quantity == i.quantity for i in fr.items):
        set_status(st, fr, "Canceled", at)
        return
    fr.acknowledged_at = at
    set_status(st, fr, "Acknowledged", at)


def _check(fr: FulfillmentRequest, item: FrItem, ack: int, cancelled: int) -> None:
    if ack + cancelled > item.quantity:
        raise bad_request(
            f"acknowledgedQuantity plus cancelledQuantity ({ack + cancelled}) exceeds"
            f" quantity {item.quantity} of item {item.id}"
        )
    if cancelled > item.quantity - item.shipped_quantity:
        raise bad_request(
            f"cancelledQuantity {cancelled} of item {item.id} exceeds its"
            f" {item.quantity - item.shipped_quantity} unshipped units"
        )


def cancel(st: FlxpointState, fr: FulfillmentRequest, at: datetime) -> bool:
    """X6: cancel every open unit; already Canceled changes nothing (False)."""
    if fr.status == "Canceled":
        return False
    if fr.status == "Voided":
        raise bad_request(
            f"Fulfillment request {fr.id} is Voided and cannot be canceled"
        )
    if fr.fulfillment_status == SHIPPED:
        raise bad_request("Cannot cancel a shipped fulfillment request")
    for item in fr.items:
        item.cancelled_quantity += item.open_quantity
    set_status(st, fr, "Canceled", at)
    return True


def void(st: FlxpointState, fr: FulfillmentRequest, at: datetime) -> None:
    """Channel-side void (seed only): open units are cancelled, voidedAt set."""
    for item in fr.items:
        item.cancelled_quantity += item.open_quantity
    fr.voided_at = at
    set_status(st, fr, "Voided", at)

"""FR status normalisation (providers.md §7.2) and its inverse for X1's filters."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from gateway.models import OrderStatus

log = logging.getLogger("gateway.providers.flxpoint")

AWAITING = "Awaiting Shipment"
PARTIALLY_SHIPPED = "Partially Shipped"
SHIPPED = "Shipped"
CANCELED = "Canceled"

REQUEST_STATUS_MAP: dict[str, OrderStatus] = {
    "Unprocessed": OrderStatus.PENDING,
    "Processing": OrderStatus.PENDING,
    "Acknowledged": OrderStatus.ACCEPTED,
    "Processed": OrderStatus.ACCEPTED,
    "Cross Docked": OrderStatus.IN_PROGRESS,
    "Canceled": OrderStatus.CANCELLED,
    "Voided": OrderStatus.CANCELLED,
    "Failed": OrderStatus.EXCEPTION,
    "Additional Info Required": OrderStatus.EXCEPTION,
    "PO/FR # Exceeds Max Length": OrderStatus.EXCEPTION,
    "Duplicate PO/FR #": OrderStatus.EXCEPTION,
}
"""`fulfillmentRequestStatus.name` -> unified status, before shipping progress."""

SHIPPING_STATUS_MAP: dict[str, OrderStatus | None] = {
    AWAITING: None,
    PARTIALLY_SHIPPED: OrderStatus.PARTIALLY_SHIPPED,
    SHIPPED: OrderStatus.SHIPPED,
    CANCELED: OrderStatus.CANCELLED,
}
"""`fulfillmentStatus` -> the unified status it signals (None: nothing shipped)."""

FR_STATUSES = frozenset(REQUEST_STATUS_MAP)
SHIPPING_STATUSES = frozenset(SHIPPING_STATUS_MAP)
EXCEPTION_STATUSES = frozenset(
    s for s, u in REQUEST_STATUS_MAP.items() if u is OrderStatus.EXCEPTION
)
"""FR statuses that mean "needs attention"; `Order.has_errors` reads this set."""
CLOSED_STATUSES = frozenset({"Canceled", "Voided"})
LIVE_STATUSES = FR_STATUSES - CLOSED_STATUSES


def to_status(request_status: str, shipping_status: str | None) -> OrderStatus:
    """Unified status with §7.2's precedence: CANCELLED > EXCEPTION (only while
    nothing shipped) > shipping progress > request status."""
    request = REQUEST_STATUS_MAP.get(request_status)
    known_shipping = shipping_status is None or shipping_status in SHIPPING_STATUSES
    if request is None or not known_shipping:
        log.warning(
            "unknown Flxpoint FR status",
            extra={"status": request_status, "fulfillment_status": shipping_status},
        )
        return OrderStatus.UNKNOWN
    shipped = SHIPPING_STATUS_MAP.get(shipping_status) if shipping_status else None
    if OrderStatus.CANCELLED in (request, shipped):
        return OrderStatus.CANCELLED
    if shipped is not None:
        # Anything shipped outranks a failed request (EXCEPTION needs nothing shipped).
        return shipped
    return request


@dataclass(frozen=True)
class StatusQuery:
    """X1's `filterStatus` and `filterFulfilmentStatus` (None: any), ANDed upstream."""

    request: frozenset[str] | None
    shipping: frozenset[str] | None

    @property
    def empty(self) -> bool:
        return (self.request is not None and not self.request) or (
            self.shipping is not None and not self.shipping
        )


_AWAITING_ONLY = frozenset({AWAITING})
_NOTHING = StatusQuery(frozenset(), frozenset())

QUERY_FOR_STATUS: dict[OrderStatus, StatusQuery] = {
    OrderStatus.PENDING: StatusQuery(
        frozenset({"Unprocessed", "Processing"}), _AWAITING_ONLY
    ),
    OrderStatus.ACCEPTED: StatusQuery(
        frozenset({"Acknowledged", "Processed"}), _AWAITING_ONLY
    ),
    OrderStatus.IN_PROGRESS: StatusQuery(frozenset({"Cross Docked"}), _AWAITING_ONLY),
    OrderStatus.PARTIALLY_SHIPPED: StatusQuery(
        LIVE_STATUSES, frozenset({PARTIALLY_SHIPPED})
    ),
    OrderStatus.SHIPPED: StatusQuery(LIVE_STATUSES, frozenset({SHIPPED})),
    # Flxpoint closes an FR whose every unit is cancelled, so shipping `Canceled`
    # under a live FR status is left out rather than scanning every FR for it.
    OrderStatus.CANCELLED: StatusQuery(CLOSED_STATUSES, None),
    OrderStatus.EXCEPTION: StatusQuery(EXCEPTION_STATUSES, _AWAITING_ONLY),
}
"""Unified status -> the X1 filter values that yield exactly it."""


def status_query(
    statuses: Iterable[OrderStatus], has_errors: bool | None
) -> StatusQuery:
    """The narrowest X1 status filters covering `statuses` and `has_errors`.

    Several statuses combine as the union of each side, a superset when their
    pairs differ (PENDING + SHIPPED), so callers filter the answer again.
    """
    request: frozenset[str] | None = None
    shipping: frozenset[str] | None = None
    wanted = list(statuses)
    if wanted:
        queries = [QUERY_FOR_STATUS.get(s, _NOTHING) for s in wanted]
        request = _union(q.request for q in queries)
        shipping = _union(q.shipping for q in queries)
    if has_errors is not None:
        errors = EXCEPTION_STATUSES if has_errors else FR_STATUSES - EXCEPTION_STATUSES
        request = errors if request is None else request & errors
    return StatusQuery(request, shipping)


def _union(sets: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    result: frozenset[str] = frozenset()
    for values in sets:
        if values is None:
            return None
        result |= values
    return result

"""LAPI status vocabularies -> unified statuses (providers.md §7.2), both directions.

Precedence when several signals exist: CANCELLED > EXCEPTION (only while
nothing shipped) > shipping progress > the order's own status.
"""

from __future__ import annotations

import logging

from gateway.models import OrderKind, OrderStatus, PurchaseOrderStatus, ShipmentStatus

log = logging.getLogger("gateway.providers.flexport_logistics")

OUTBOUND_STATUS_MAP: dict[str, OrderStatus] = {
    "PLANNED": OrderStatus.PENDING,
    "BOOKED": OrderStatus.ACCEPTED,
    "IN_PROGRESS": OrderStatus.IN_PROGRESS,
    "SHIPPED": OrderStatus.SHIPPED,
    "DELIVERED": OrderStatus.DELIVERED,
    "CANCELLED": OrderStatus.CANCELLED,
}
"""B2B outbound `orderStatus` -> unified status."""

DTC_STATUS_MAP: dict[str, OrderStatus] = {
    "CREATED": OrderStatus.PENDING,
    "PROCESSING": OrderStatus.IN_PROGRESS,
    "PICKED": OrderStatus.IN_PROGRESS,
    "PACKED": OrderStatus.IN_PROGRESS,
    "SHIPPED": OrderStatus.SHIPPED,
    "DELIVERED": OrderStatus.DELIVERED,
    "CANCELLED": OrderStatus.CANCELLED,
    "ERROR": OrderStatus.EXCEPTION,
}
"""DTC `state.internalStatus` -> unified status, before `fulfillmentStatus`."""

FULFILLMENT_STATUSES = frozenset(
    {"UNFULFILLED", "PARTIALLY_FULFILLED", "FULFILLED", "CANCELLED"}
)

SHIPMENT_STATUS_MAP: dict[str, ShipmentStatus] = {
    "PLANNED": ShipmentStatus.PENDING,
    "BOOKED": ShipmentStatus.PENDING,
    # The warehouse packs a B2B shipment while it is IN_PROGRESS.
    "IN_PROGRESS": ShipmentStatus.PACKED,
    "PACKED": ShipmentStatus.PACKED,
    "SHIPPED": ShipmentStatus.SHIPPED,
    "DELIVERED": ShipmentStatus.DELIVERED,
    "CANCELLED": ShipmentStatus.CANCELLED,
}
"""Outbound `shipments[].status` and DTC shipment `status` -> unified status."""

SHIPPED_SHIPMENT_STATUSES = frozenset({"SHIPPED", "DELIVERED"})

INBOUND_STATUS_MAP: dict[str, PurchaseOrderStatus] = {
    "WORKING": PurchaseOrderStatus.OPEN,
    "READY_TO_SHIP": PurchaseOrderStatus.OPEN,
    "IN_TRANSIT": PurchaseOrderStatus.OPEN,
    "ARRIVED": PurchaseOrderStatus.OPEN,
    "COMPLETED": PurchaseOrderStatus.CLOSED,
}
"""Inbound `status`: COMPLETED closes it, every earlier status is OPEN (§7.2)."""

RAW_FOR_STATUS: dict[OrderKind, dict[OrderStatus, frozenset[str]]] = {
    OrderKind.B2B: {
        OrderStatus.PENDING: frozenset({"PLANNED"}),
        OrderStatus.ACCEPTED: frozenset({"BOOKED"}),
        OrderStatus.IN_PROGRESS: frozenset({"IN_PROGRESS"}),
        OrderStatus.PARTIALLY_SHIPPED: frozenset({"IN_PROGRESS"}),
        OrderStatus.SHIPPED: frozenset({"SHIPPED"}),
        OrderStatus.DELIVERED: frozenset({"DELIVERED"}),
        OrderStatus.CANCELLED: frozenset({"CANCELLED"}),
    },
    OrderKind.DTC: {
        OrderStatus.PENDING: frozenset({"CREATED"}),
        OrderStatus.IN_PROGRESS: frozenset({"PROCESSING", "PICKED", "PACKED"}),
        OrderStatus.PARTIALLY_SHIPPED: frozenset(
            {"CREATED", "PROCESSING", "PICKED", "PACKED", "SHIPPED", "ERROR"}
        ),
        OrderStatus.SHIPPED: frozenset({"SHIPPED", "ERROR"}),
        # `deliveredAt` makes an order DELIVERED whatever its internal status says.
        OrderStatus.DELIVERED: frozenset({"DELIVERED", "SHIPPED"}),
        OrderStatus.CANCELLED: frozenset({"CANCELLED"}),
        OrderStatus.EXCEPTION: frozenset({"ERROR"}),
    },
}
"""Unified status -> the raw statuses an order of that kind may have while in it.

The index only knows raw statuses; these are the candidates for a filter, and
the fetched order's own unified status decides (partial shipment is only
visible in the order payload).
"""


def outbound_status(raw: str, any_shipped: bool) -> OrderStatus:
    """A B2B outbound: a shipped shipment before the order is SHIPPED means partial."""
    status = OUTBOUND_STATUS_MAP.get(raw)
    if status is None:
        log.warning("unknown LAPI outbound orderStatus", extra={"raw_status": raw})
        return OrderStatus.UNKNOWN
    early = (OrderStatus.PENDING, OrderStatus.ACCEPTED, OrderStatus.IN_PROGRESS)
    if any_shipped and status in early:
        return OrderStatus.PARTIALLY_SHIPPED
    return status


def dtc_status(internal: str, fulfillment: str | None, delivered: bool) -> OrderStatus:
    """A DTC order from `internalStatus`, `fulfillmentStatus` and `deliveredAt`."""
    status = DTC_STATUS_MAP.get(internal)
    if status is None:
        log.warning("unknown LAPI order internalStatus", extra={"raw_status": internal})
        return OrderStatus.UNKNOWN
    if fulfillment is not None and fulfillment not in FULFILLMENT_STATUSES:
        log.warning(
            "unknown LAPI order fulfillmentStatus", extra={"raw_status": fulfillment}
        )
    if status is OrderStatus.CANCELLED:
        return status
    if delivered or status is OrderStatus.DELIVERED:
        return OrderStatus.DELIVERED
    if fulfillment == "PARTIALLY_FULFILLED":
        return OrderStatus.PARTIALLY_SHIPPED
    if status is OrderStatus.EXCEPTION and fulfillment == "FULFILLED":
        # EXCEPTION only while nothing shipped (§7.2 precedence).
        return OrderStatus.SHIPPED
    return status


def shipment_status(raw: str | None) -> ShipmentStatus:
    if raw is None:
        return ShipmentStatus.UNKNOWN
    status = SHIPMENT_STATUS_MAP.get(raw)
    if status is None:
        log.warning("unknown LAPI shipment status", extra={"raw_status": raw})
        return ShipmentStatus.UNKNOWN
    return status


def inbound_status(raw: str) -> PurchaseOrderStatus:
    status = INBOUND_STATUS_MAP.get(raw)
    if status is None:
        log.warning("unknown LAPI inbound status", extra={"raw_status": raw})
        return PurchaseOrderStatus.UNKNOWN
    return status


def raw_candidates(
    kinds: tuple[OrderKind, ...], statuses: tuple[OrderStatus, ...]
) -> frozenset[str] | None:
    """Raw statuses worth reading from the index for `statuses`; None = any."""
    if not statuses or OrderStatus.UNKNOWN in statuses:
        return None
    found: set[str] = set()
    for kind in kinds:
        for status in statuses:
            found |= RAW_FOR_STATUS[kind].get(status, frozenset())
    return frozenset(found)

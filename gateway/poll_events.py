"""The events the change poller publishes, one builder per kind of record.

Dedupe keys are built only from what the provider answered, so the same
change read by two instances gives the same key. Without an update stamp a
status that comes back within the broker's dedupe window is not told apart
from its first time.
"""

from __future__ import annotations

from datetime import UTC, datetime

from gateway.models import (
    Order,
    OrderStatus,
    OrderStatusEvent,
    PurchaseOrder,
    PurchaseOrderStatus,
    PurchaseOrderStatusEvent,
    Shipment,
    ShipmentEvent,
)


def order_event(
    slug: str, order: Order, previous: OrderStatus | None
) -> OrderStatusEvent:
    """The event for an order seen in a new status (`previous` None: new to us)."""
    return OrderStatusEvent(
        provider=slug,
        occurred_at=order.updated_at or datetime.now(UTC),
        dedupe_key=f"poll:order:{order.id}:{order.status.value}:{order.raw_status}:"
        f"{stamp(order.updated_at)}",
        order_id=order.id,
        external_id=order.external_id,
        previous_status=previous,
        status=order.status,
        raw_status=order.raw_status,
    )


def shipment_event(slug: str, shipment: Shipment) -> ShipmentEvent:
    """The event for a shipment that is new, or moved on, or changed tracking."""
    tracking = "+".join(shipment.tracking_numbers)
    return ShipmentEvent(
        provider=slug,
        occurred_at=shipment.updated_at or shipment.shipped_at or datetime.now(UTC),
        dedupe_key=f"poll:shipment:{shipment.id}:{shipment.status.value}:"
        f"{shipment_raw(shipment)}:{tracking}:{stamp(shipment.updated_at)}",
        shipment_id=shipment.id,
        order_id=shipment.order_id,
        status=shipment.status,
        raw_status=shipment_raw(shipment),
        tracking_numbers=shipment.tracking_numbers,
    )


def purchase_order_event(
    slug: str, po: PurchaseOrder, previous: PurchaseOrderStatus | None
) -> PurchaseOrderStatusEvent:
    """The event for a PO seen in a new status (`previous` None: new to us)."""
    return PurchaseOrderStatusEvent(
        provider=slug,
        occurred_at=po.updated_at or datetime.now(UTC),
        dedupe_key=f"poll:purchase_order:{po.id}:{po.status.value}:{po.raw_status}:"
        f"{stamp(po.updated_at)}",
        purchase_order_id=po.id,
        number=po.number,
        previous_status=previous,
        status=po.status,
        raw_status=po.raw_status,
    )


def shipment_raw(shipment: Shipment) -> str:
    """A shipment's raw status, or its status where the provider gave none."""
    return shipment.raw_status or shipment.status.value


def stamp(moment: datetime | None) -> str:
    return "-" if moment is None else aware(moment).isoformat()


def aware(moment: datetime) -> datetime:
    """A provider's naive stamp means UTC; mixing naive and aware cannot compare."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

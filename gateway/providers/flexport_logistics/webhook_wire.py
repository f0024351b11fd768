"""LAPI webhook JSON (providers.md §2.6): the flat envelope and each type's fields.

A delivery is one JSON object: the four `logistics*` envelope fields beside
the event's own fields, which are the `payload` of the same event in the
feed (L16). `to_feed_event` rebuilds that feed item, so a webhook and the
feed go through the same code (`feed.to_entry`) on their way to the index.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from gateway.providers.flexport_logistics import feed, wire

ENVELOPE_FIELDS = frozenset(
    {
        "logisticsAccountId",
        "logisticsEventId",
        "logisticsEventType",
        "logisticsEventTime",
    }
)
# `logisticsSku` (Inventory.Adjusted) is an event field, not part of the envelope:
# the envelope is exactly these four names.


class Envelope(wire.Wire):
    logisticsAccountId: str | None = None
    logisticsEventId: str = Field(min_length=1)
    logisticsEventType: str
    logisticsEventTime: datetime


class OrderEvent(feed.OrderPayload):
    """`Order.*` and `Outbound.*`: what the index reads, plus the previous status."""

    previousStatus: str | None = None
    fulfillmentStatus: str | None = None


class Package(wire.Wire):
    trackingCode: str | None = None
    carrier: str | None = None


class ShipmentEvent(wire.Wire):
    """`Shipment.*`: `{orderId, shipmentId, warehouseId, packages[]}`."""

    orderId: str | None = None
    shipmentId: str
    warehouseId: str | None = None
    status: str | None = None
    packages: list[Package] = Field(default_factory=list)


class InventoryAdjusted(wire.Wire):
    """`Inventory.Adjusted`: network totals of one logisticsSku."""

    logisticsSku: str
    available: int | None = None
    onHand: int | None = None
    unavailable: int | None = None


def to_feed_event(data: dict[str, Any]) -> wire.Event:
    """The L16 item a delivery stands for; ValidationError if it is no envelope."""
    envelope = Envelope.model_validate(data)
    return wire.Event(
        id=envelope.logisticsEventId,
        type=envelope.logisticsEventType,
        time=envelope.logisticsEventTime,
        payload={k: v for k, v in data.items() if k not in ENVELOPE_FIELDS},
    )

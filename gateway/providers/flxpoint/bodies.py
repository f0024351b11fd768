"""Flxpoint request bodies built from domain inputs."""

from __future__ import annotations

from typing import Any

from gateway.models import ShipmentCreate
from gateway.providers.flxpoint.query import instant


def shipment_body(data: ShipmentCreate) -> dict[str, Any]:
    """X9 by internal FR id; no items ships every open unit.

    Duplicate tracking numbers stay refused: the tracking number is what makes a
    replayed create harmless (see FlxpointProvider.create_shipment).
    """
    shipment: dict[str, Any] = {
        key: value
        for key, value in {
            "trackingNumber": data.tracking_number,
            "carrier": data.carrier,
            "method": data.service,
            "trackingUrl": data.tracking_url,
            "shippedAt": instant(data.shipped_at) if data.shipped_at else None,
        }.items()
        if value is not None
    }
    if data.items:
        shipment["shipmentItems"] = [
            {"sku": item.sku, "quantity": item.quantity} for item in data.items
        ]
    return {
        "purchaseOrderId": int(data.order_id),
        "allowDuplicateTrackingNumbers": False,
        "shipment": shipment,
    }

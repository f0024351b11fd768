"""X9's body: which FR (`purchaseOrderId` or `purchaseOrderNumber`) and which items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import bad_request, not_found
from .model import FrItem, FulfillmentRequest
from .shipping import ShipmentDetails
from .state import FlxpointState
from .validate import (
    array,
    boolean,
    cents,
    fields,
    instant,
    integer,
    join,
    text,
)

_BODY_FIELDS = (
    "purchaseOrderId",
    "purchaseOrderNumber",
    "sourceId",
    "allowDuplicateTrackingNumbers",
    "shipment",
)
_SHIPMENT_FIELDS = (
    "trackingNumber",
    "carrier",
    "method",
    "trackingUrl",
    "note",
    "shippedAt",
    "shippingCost",
    "shipmentItems",
)
# Each shipment item names its FR item by exactly one of these.
ITEM_KEYS = ("sku", "sourceVariantId", "orderItemId", "purchaseOrderItemId")


@dataclass(frozen=True)
class ShipmentRequest:
    fr: FulfillmentRequest
    allow_duplicate_tracking: bool
    details: ShipmentDetails
    # None: ship every unit still open.
    lines: list[tuple[FrItem, int]] | None


def parse_shipment_create(st: FlxpointState, body: Any) -> ShipmentRequest:
    data = fields(body, "", _BODY_FIELDS)
    shipment = fields(data.get("shipment"), "shipment", _SHIPMENT_FIELDS)
    fr = _target(st, data)
    details = ShipmentDetails(
        tracking_number=text(shipment, "trackingNumber", "shipment", required=True)
        or "",
        carrier=text(shipment, "carrier", "shipment"),
        method=text(shipment, "method", "shipment"),
        tracking_url=text(shipment, "trackingUrl", "shipment", max_length=2048),
        note=text(shipment, "note", "shipment", max_length=2000),
        shipping_cost_cents=cents(shipment, "shippingCost", "shipment"),
        shipped_at=instant(shipment, "shippedAt", "shipment"),
    )
    raw_items = array(shipment, "shipmentItems", "shipment")
    lines = None
    if raw_items is not None:
        lines = []
        for index, raw in enumerate(raw_items):
            path = join("shipment.shipmentItems", index)
            entry = fields(raw, path, ("quantity", *ITEM_KEYS))
            quantity = integer(entry, "quantity", path, required=True, minimum=1)
            assert quantity is not None
            lines.append((_item(entry, path, fr), quantity))
    return ShipmentRequest(
        fr=fr,
        allow_duplicate_tracking=boolean(data, "allowDuplicateTrackingNumbers"),
        details=details,
        lines=lines,
    )


def _target(st: FlxpointState, data: dict[str, Any]) -> FulfillmentRequest:
    """The FR by internal id or by number; `sourceId`, when sent, must own it."""
    fr_id = integer(data, "purchaseOrderId", minimum=1)
    number = text(data, "purchaseOrderNumber")
    source_id = integer(data, "sourceId", minimum=1)
    if fr_id is None and number is None:
        raise bad_request("purchaseOrderId or purchaseOrderNumber is required")
    by_id = None if fr_id is None else st.frs.get(fr_id)
    by_number = None if number is None else st.frs_by_number.get(number)
    if fr_id is not None and by_id is None:
        raise not_found(f"Fulfillment request {fr_id} not found")
    if number is not None and by_number is None:
        raise not_found(f"Fulfillment request {number} not found")
    if by_id is not None and by_number is not None and by_id is not by_number:
        raise bad_request(
            "purchaseOrderId and purchaseOrderNumber name different"
            " fulfillment requests"
        )
    fr = by_id or by_number
    assert fr is not None
    if source_id is not None and fr.source_id != source_id:
        raise not_found(
            f"Fulfillment request {number or fr_id} not found for source {source_id}"
        )
    return fr


def _item(entry: dict[str, Any], path: str, fr: FulfillmentRequest) -> FrItem:
    given = [key for key in ITEM_KEYS if entry.get(key) is not None]
    if len(given) != 1:
        raise bad_request(f"{path} needs exactly one of {', '.join(ITEM_KEYS)}")
    key = given[0]
    if key == "sku":
        wanted: str | int | None = text(entry, "sku", path)
        match = [i for i in fr.items if i.sku == wanted]
    else:
        wanted = integer(entry, key, path, minimum=1)
        match = [i for i in fr.items if _item_key(i, key) == wanted]
    if not match:
        raise bad_request(f"No item with {key} {wanted} on fulfillment request {fr.id}")
    return match[0]


def _item_key(item: FrItem, key: str) -> int | None:
    if key == "sourceVariantId":
        return item.inventory_variant_id
    if key == "orderItemId":
        return item.order_item_id
    return item.id

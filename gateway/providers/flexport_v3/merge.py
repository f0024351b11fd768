"""A purchase-order patch merged into the PO as read: patch semantics over V3's replace.

V3 replaces the whole PO, so an update is the PO as V2 returned it with only
the fields the caller set (`model_fields_set`) changed; `bodies.replace_body`
then turns that into a request. Everything else, lines included, is written
back exactly as read.

A line in `lines` replaces the line with the same `item_key`: the fields the
gateway models (units, unit of measure, product, unit cost) become the ones
sent. What the gateway does not model (HS codes, measurements, per-line dates,
ports, metadata) cannot be sent by a caller, so it is kept as read rather than
dropped; so is the rest of the product when its SKU stays the same. A line with
a new `item_key` is added after the others; `remove_item_keys` drops lines, and
a key no line has is nothing to drop (a repeated update is harmless).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from gateway.models import PurchaseOrderLineCreate, PurchaseOrderUpdate
from gateway.providers.flexport_v3 import bodies

Json = dict[str, Any]

HEADER = {
    "incoterm": "incoterm",
    "transportation_mode": "transportation_mode",
    "cargo_ready_date": "cargo_ready_date",
    "expected_arrival": "must_arrive_date",
}
"""`PurchaseOrderUpdate` field -> the `/purchase_order` key it sets."""

MODELLED = frozenset({"units", "unit_of_measure", "product", "unit_cost"})
"""Line keys a `PurchaseOrderLineCreate` describes in full."""


@dataclass(frozen=True)
class Merged:
    """The PO and its lines in V2's shape, and which body line is which input
    line (`positions`: body index -> index in `PurchaseOrderUpdate.lines`)."""

    po: Json
    lines: list[Json]
    positions: dict[int, int]


def merge(po: Json, lines: list[Json], data: PurchaseOrderUpdate) -> Merged:
    """`po` and its `lines` (V2 JSON) with the changes `data` sets."""
    given = data.model_fields_set
    header = dict(po)
    for field, po_key in HEADER.items():
        if field in given:
            value = getattr(data, field)
            header[po_key] = value.isoformat() if isinstance(value, date) else value
    sent = {line.item_key: (i, line) for i, line in enumerate(data.lines or ())}
    removed = set(data.remove_item_keys)
    merged: list[Json] = []
    positions: dict[int, int] = {}
    for raw in lines:
        item_key = raw.get("item_key")
        if item_key in removed:
            continue
        if item_key in sent:
            index, line = sent.pop(item_key)
            positions[len(merged)] = index
            merged.append(replaced(raw, line))
        else:
            merged.append(raw)
    for index, line in sent.values():
        positions[len(merged)] = index
        merged.append(bodies.line_body(line))
    return Merged(header, merged, positions)


def replaced(raw: Json, line: PurchaseOrderLineCreate) -> Json:
    """Line `raw` (V2 JSON) as `line` describes it, keeping what it cannot say."""
    new = bodies.line_body(line)
    product = raw.get("product")
    if isinstance(product, dict) and product.get("sku") == line.sku:
        new["product"] = {**product, **new["product"]}
    cost, old_cost = new.get("unit_cost"), raw.get("unit_cost")
    if (
        isinstance(cost, dict)
        and "currency_code" not in cost
        and isinstance(old_cost, dict)
        and old_cost.get("currency_code")
    ):
        # A new amount in the line's own currency, unless another is named.
        cost["currency_code"] = old_cost["currency_code"]
    kept = {key: value for key, value in raw.items() if key not in MODELLED}
    return {**kept, **new}

"""The F20 retail fulfillment order body: validation, then typed input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..catalog import Catalog
from ..clock import parse_instant
from .model import Fields
from .validate import Checker, join

_SHIP_TO_FIELDS = (
    "name",
    "addressLine1",
    "addressLine2",
    "addressLine3",
    "locality",
    "region",
    "postcode",
    "country",
    "phone",
    "email",
)
_SHIP_TO_REQUIRED = (
    "name",
    "addressLine1",
    "locality",
    "region",
    "postcode",
    "country",
)
OPTION_FIELDS = (
    "shipmentType",
    "shipmentMethod",
    "purchaseOrder",
    "routeBy",
    "instructions",
    "carrier",
    "carrierServiceType",
    "carrierBillingAccountId",
    "routingDetailsId",
    "destinationType",
    "destinationRetailer",
)
_FIELDS = (
    "correlationId",
    "customerUUID",
    "id",
    "type",
    "items",
    "shipTo",
    "shipWindow",
    *OPTION_FIELDS,
)


@dataclass
class RetailInput:
    correlation_id: str
    customer_uuid: str
    id: str
    type: str
    items: list[dict[str, Any]]
    ship_to: Fields
    ship_window: dict[str, str]
    options: Fields


def _quantity(c: Checker, raw: Any, prefix: str) -> dict[str, Any] | None:
    """`{value, unit}`; S0 types `value` as a string, so digit strings pass too."""
    if raw is None:
        c.fail(prefix, f"{prefix} is required")
        return None
    if not c.fields(raw, prefix, ("value", "unit")):
        return None
    value = raw.get("value")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        c.fail(
            join(prefix, "value"), f"{join(prefix, 'value')} must be an integer >= 1"
        )
        return None
    unit = c.text(raw, "unit", prefix, required=True)
    return None if unit is None else {"value": value, "unit": unit}


def _items(c: Checker, body: dict[str, Any], catalog: Catalog) -> list[dict[str, Any]]:
    items = []
    for index, raw in enumerate(c.array(body, "items", required=True) or []):
        prefix = f"items.{index}"
        if not c.fields(raw, prefix, ("sku", "quantity")):
            continue
        sku = c.text(raw, "sku", prefix, required=True)
        if sku is not None and sku not in catalog:
            c.fail(f"{prefix}.sku", f"{prefix}.sku {sku} is not a known SKU")
        quantity = _quantity(c, raw.get("quantity"), f"{prefix}.quantity")
        if sku is not None and quantity is not None:
            items.append({"sku": sku, "quantity": quantity})
    return items


def _ship_window(c: Checker, raw: Any) -> dict[str, str]:
    if raw is None:
        c.fail("shipWindow", "shipWindow is required")
        return {}
    if not c.fields(raw, "shipWindow", ("start", "end")):
        return {}
    window: dict[str, str] = {}
    for key in ("start", "end"):
        value = c.text(raw, key, "shipWindow", required=True)
        if value is None:
            continue
        try:
            parse_instant(value)
        except ValueError:
            c.fail(f"shipWindow.{key}", f"shipWindow.{key} must be an ISO 8601 date")
            continue
        window[key] = value
    if len(window) == 2 and parse_instant(window["end"]) < parse_instant(
        window["start"]
    ):
        c.fail("shipWindow.end", "shipWindow.end must not be before shipWindow.start")
    return window


def _ship_to(c: Checker, raw: Any) -> Fields:
    if raw is None:
        c.fail("shipTo", "shipTo is required")
        return {}
    if not c.fields(raw, "shipTo", _SHIP_TO_FIELDS):
        return {}
    return {
        name: c.text(raw, name, "shipTo", required=name in _SHIP_TO_REQUIRED)
        for name in _SHIP_TO_FIELDS
    }


def parse_retail_create(body: dict[str, Any], catalog: Catalog) -> RetailInput:
    c = Checker()
    c.fields(body, "", _FIELDS)
    correlation = c.text(body, "correlationId", required=True)
    customer = c.text(body, "customerUUID", required=True)
    order_id = c.text(body, "id", required=True)
    kind = c.text(body, "type", required=True)
    items = _items(c, body, catalog)
    ship_to = _ship_to(c, body.get("shipTo"))
    ship_window = _ship_window(c, body.get("shipWindow"))
    options: Fields = {name: c.text(body, name) for name in OPTION_FIELDS}
    c.done()
    assert correlation
    assert customer
    assert order_id
    assert kind
    return RetailInput(
        correlation, customer, order_id, kind, items, ship_to, ship_window, options
    )

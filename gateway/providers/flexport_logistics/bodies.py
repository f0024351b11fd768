"""LAPI request bodies built from domain inputs: L1 (B2B outbound) and L6 (DTC order).

LAPI rejects fields it does not know (422), so only documented names are sent,
and only when they have a value. The same input always builds the same body:
an idempotency-key replay compares bodies.
"""

from __future__ import annotations

from typing import Any

from gateway.models import Address, OrderCreate
from gateway.providers.flexport_logistics.catalog import Catalog

SHIPPING_TYPES = ("PARCEL", "LTL", "FTL")
SHIPPING_SPEEDS = ("ONE_DAY", "TWO_DAY", "THREE_DAY", "STANDARD")
UOMS = {"EACH": "EACH", "EA": "EACH", "CASE": "CASE", "CS": "CASE"}


def address(recipient: Address) -> dict[str, Any]:
    return _present(
        {
            "name": recipient.name,
            "company": recipient.company,
            "street1": recipient.line1,
            "street2": recipient.line2,
            "city": recipient.city,
            "zip": recipient.postal_code,
            "state": recipient.region,
            "country": recipient.country,
            "phone": recipient.phone,
            "email": recipient.email,
        }
    )


def transportation(service: str | None) -> dict[str, Any]:
    """`shippingPartner` and `shippingType` are required; the gateway has one
    free-text service, read as a type (LTL), a speed (TWO_DAY) or a method."""
    details: dict[str, Any] = {"shippingPartner": "FLEXPORT", "shippingType": "PARCEL"}
    wanted = (service or "").strip()
    if wanted.upper() in SHIPPING_TYPES:
        details["shippingType"] = wanted.upper()
    elif wanted.upper() in SHIPPING_SPEEDS:
        details["shippingSpeed"] = wanted.upper()
    elif wanted:
        details["shippingMethod"] = wanted
    return details


def outbound_body(data: OrderCreate) -> dict[str, Any]:
    """L1: lines name the merchant SKU in `productData.sku`, which LAPI resolves,
    so a B2B create needs no catalogue lookup."""
    items = []
    for position, line in enumerate(data.lines):
        uom = UOMS.get((line.unit_of_measure or "EACH").upper(), line.unit_of_measure)
        items.append(
            _present(
                {
                    "quantity": line.quantity,
                    "quantityUOM": uom,
                    "lineItemId": line.external_id or str(position + 1),
                    "productData": {"sku": line.sku},
                }
            )
        )
    return _present(
        {
            "type": "B2B",
            "externalId": data.external_id,
            "orderItems": items,
            "shipToAddress": address(data.recipient),
            "transportationDetails": transportation(data.shipping_service),
            "shipBy": _instant(data),
            "notes": data.notes,
            "locationId": (
                data.flexport_logistics.location_id if data.flexport_logistics else None
            ),
        }
    )


def dtc_body(data: OrderCreate, catalog: Catalog) -> dict[str, Any]:
    """L6: lines must name a logisticsSku; an unknown SKU is sent as given, for
    LAPI to reject with a located 422."""
    return _present(
        {
            "externalOrderId": data.external_id,
            "lineItems": [
                {
                    "logisticsSku": catalog.logistics_sku(line.sku) or line.sku,
                    "quantity": line.quantity,
                }
                for line in data.lines
            ],
            "address": address(data.recipient),
            "promisedShipByTime": _instant(data),
        }
    )


def _instant(data: OrderCreate) -> str | None:
    if data.ship_by is None:
        return None
    return data.ship_by.isoformat().replace("+00:00", "Z")


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}

"""F3 create, F4 update and F8 add-line bodies: validation, then typed input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .model import Fields, Order
from .validate import Checker, join
from .vocabulary import (
    ADDRESS_FIELDS,
    RECIPIENT_FIELDS,
    REQUIRED_ADDRESS_FIELDS,
    REQUIRED_RECIPIENT_FIELDS,
    RESERVATIONS,
    SHIPPING_FIELDS,
)

ORDER_FIELDS = (
    "externalId",
    "reservationId",
    "labels",
    "recipient",
    "shipping",
    "lines",
)
UPDATE_FIELDS = ("labels", "recipient", "shipping", "reservationId")
LINE_FIELDS = ("externalId", "sku", "quantity", "unitOfMeasure", "labels")
MAX_QUANTITY = 1_000_000
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass
class LineInput:
    external_id: str | None
    sku: str
    quantity: int
    # None: take the catalogue's unit for the SKU.
    unit_of_measure: str | None
    labels: dict[str, str]


@dataclass
class OrderInput:
    external_id: str
    reservation_id: str
    labels: dict[str, str]
    recipient: Fields
    address: Fields
    shipping: Fields
    lines: list[LineInput]


@dataclass
class OrderPatch:
    reservation_id: str | None
    labels: dict[str, str] | None
    recipient: Fields
    address: Fields
    shipping: Fields


def parse_line(c: Checker, value: Any, prefix: str) -> LineInput | None:
    if not c.fields(value, prefix, LINE_FIELDS):
        return None
    external_id = c.text(value, "externalId", prefix)
    sku = c.text(value, "sku", prefix, required=True)
    quantity = c.integer(value, "quantity", prefix, required=True)
    if quantity is not None and quantity > MAX_QUANTITY:
        c.fail(join(prefix, "quantity"), f"{join(prefix, 'quantity')} is too large")
    unit = c.text(value, "unitOfMeasure", prefix)
    labels = c.labels(value, "labels", prefix) or {}
    if sku is None or quantity is None:
        return None
    return LineInput(external_id, sku, quantity, unit, labels)


def _merge(
    c: Checker,
    value: dict[str, Any],
    path: str,
    names: tuple[str, ...],
    required: tuple[str, ...],
    base: Fields | None,
) -> Fields:
    """Overlay the given keys on `base` (None when creating: required keys needed)."""
    merged: Fields = dict(base) if base is not None else dict.fromkeys(names)
    for name in names:
        if name not in value:
            if base is None and name in required:
                c.fail(join(path, name), f"{join(path, name)} is required")
            continue
        text = c.text(value, name, path, required=name in required)
        if text is not None or name not in required:
            merged[name] = text
    return merged


def _recipient(
    c: Checker, value: Any, base: Order | None
) -> tuple[Fields | None, Fields | None]:
    if not c.fields(value, "recipient", (*RECIPIENT_FIELDS, "address")):
        return None, None
    recipient = _merge(
        c,
        value,
        "recipient",
        RECIPIENT_FIELDS,
        REQUIRED_RECIPIENT_FIELDS,
        None if base is None else base.recipient,
    )
    email = recipient.get("email")
    if "email" in value and email is not None and "@" not in email:
        c.fail("recipient.email", "recipient.email must be an email address")
    raw_address = value.get("address")
    if raw_address is None and base is not None:
        return recipient, dict(base.address)
    if raw_address is None:
        c.fail("recipient.address", "recipient.address is required")
        return recipient, None
    if not c.fields(raw_address, "recipient.address", ADDRESS_FIELDS):
        return recipient, None
    address = _merge(
        c,
        raw_address,
        "recipient.address",
        ADDRESS_FIELDS,
        REQUIRED_ADDRESS_FIELDS,
        None if base is None else base.address,
    )
    country = address.get("country")
    if "country" in raw_address and country and not _COUNTRY.fullmatch(country):
        c.fail(
            "recipient.address.country",
            "recipient.address.country must be an ISO 3166-1 alpha-2 code",
        )
    return recipient, address


def _shipping(c: Checker, value: Any, base: Fields | None) -> Fields:
    if value is None:
        return dict(base) if base is not None else dict.fromkeys(SHIPPING_FIELDS)
    if not c.fields(value, "shipping", SHIPPING_FIELDS):
        return {}
    return _merge(c, value, "shipping", SHIPPING_FIELDS, (), base)


def parse_order_create(body: dict[str, Any]) -> OrderInput:
    c = Checker()
    c.fields(body, "", ORDER_FIELDS)
    external_id = c.text(body, "externalId", required=True)
    reservation = c.choice(body, "reservationId", RESERVATIONS)
    labels = c.labels(body) or {}
    recipient, address = None, None
    if body.get("recipient") is None:
        c.fail("recipient", "recipient is required")
    else:
        recipient, address = _recipient(c, body["recipient"], None)
    shipping = _shipping(c, body.get("shipping"), None)
    lines: list[LineInput] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(c.array(body, "lines", required=True) or []):
        line = parse_line(c, item, f"lines.{index}")
        if line is None:
            continue
        if line.external_id is not None and line.external_id in seen:
            c.fail(
                f"lines.{index}.externalId",
                f"lines.{index}.externalId repeats lines.{seen[line.external_id]}",
            )
        elif line.external_id is not None:
            seen[line.external_id] = index
        lines.append(line)
    c.done()
    assert external_id is not None
    assert recipient is not None
    assert address is not None
    return OrderInput(
        external_id,
        reservation or RESERVATIONS[0],
        labels,
        recipient,
        address,
        shipping,
        lines,
    )


def parse_order_update(body: dict[str, Any], order: Order) -> OrderPatch:
    """PATCH semantics: nested objects merge key by key; `labels` replaces the map."""
    c = Checker()
    c.fields(body, "", UPDATE_FIELDS)
    reservation = c.choice(body, "reservationId", RESERVATIONS)
    labels = c.labels(body)
    recipient: Fields | None = dict(order.recipient)
    address: Fields | None = dict(order.address)
    if "recipient" in body:
        recipient, address = _recipient(c, body["recipient"], order)
    shipping = _shipping(c, body.get("shipping"), order.shipping)
    c.done()
    assert recipient is not None
    assert address is not None
    return OrderPatch(reservation, labels, recipient, address, shipping)

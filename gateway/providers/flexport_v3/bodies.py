"""V3 create-or-amend bodies: from a domain input, and from a PO read back (replace).

V3 amends by **full replace**: every field a body omits becomes null
(providers.md §3.2). A status change is therefore the whole PO as V2 returned
it, turned back into a request: read-only keys dropped, refs turned into
`external_ref`s, ports into UN/LOCODEs. Everything else is copied as it came,
so a field this module has never heard of survives the write; if Flexport
adds a read-only one, the write fails loudly (422) rather than losing data.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from gateway.models import PurchaseOrderCreate, PurchaseOrderLineCreate

Json = dict[str, Any]

PO_READ_ONLY = frozenset({"id", "archived_at", "created_at", "updated_at"})
"""`/purchase_order` keys the server sets; never part of a V3 body."""
LINE_READ_ONLY = frozenset(
    {"id", "purchase_order", "line_item_number", "booking_line_items"}
)
"""`/purchase_orders/line_item` keys the server sets (or links)."""
PORTS = ("origin_port", "destination_port")


def create_body(data: PurchaseOrderCreate) -> Json:
    """The V3 body for a new PO (or a full replace of the one with the same key)."""
    body: Json = {
        "name": data.number,
        "order_class": "purchase_order",
        "incoterm": data.incoterm,
        "transportation_mode": data.transportation_mode,
        "parties": [
            {"role": "buyer", "external_ref": data.buyer_ref},
            {"role": "seller", "external_ref": data.supplier_ref},
        ],
        "line_items": [line_body(line) for line in data.lines],
    }
    if data.cargo_ready_date is not None:
        body["cargo_ready_date"] = data.cargo_ready_date.isoformat()
    if data.expected_arrival is not None:
        body["must_arrive_date"] = data.expected_arrival.isoformat()
    currency = _one_currency(line.currency_code for line in data.lines)
    if currency is not None:
        body["currency_code"] = currency
    return body


def line_body(line: PurchaseOrderLineCreate) -> Json:
    """One V3 `line_items[]` entry as the caller describes the line."""
    return _present(
        {
            "item_key": line.item_key,
            "units": line.quantity,
            "unit_of_measure": line.unit_of_measure,
            "product": _present({"sku": line.sku, "name": line.product_name}),
            "unit_cost": _money(line.unit_cost, line.currency_code),
        }
    )


def replace_body(po: Json, lines: list[Json], status: str) -> Json:
    """The V3 body that writes `po` back unchanged but for `status`.

    `lines` is every line of the PO as V2/V4 return them. `currency_code` is
    request-only (never returned); it is restored from the lines' unit costs
    when they all agree, so an unchanged PO still compares equal.
    """
    body = {
        key: _port(value) if key in PORTS else _plain(value)
        for key, value in po.items()
        if key not in PO_READ_ONLY and key != "_object"
    }
    body["order_class"] = "purchase_order"
    body["status"] = status
    body["parties"] = [_party(party) for party in po.get("parties") or []]
    body["line_items"] = [_line(line) for line in lines]
    currency = _one_currency(
        (line.get("unit_cost") or {}).get("currency_code") for line in lines
    )
    if currency is not None and "currency_code" not in body:
        body["currency_code"] = currency
    return body


def _line(line: Json) -> Json:
    body = {
        key: _port(value) if key in PORTS else _plain(value)
        for key, value in line.items()
        if key not in LINE_READ_ONLY and key != "_object"
    }
    assigned = line.get("assigned_party")
    if isinstance(assigned, dict):
        body["assigned_party"] = {"external_ref": assigned.get("ref")}
    return body


def _party(party: Json) -> Json:
    """A returned party carries its `company_entity`; a body names its ref."""
    body = {
        key: _plain(value)
        for key, value in party.items()
        if key not in ("_object", "company_entity")
    }
    entity = party.get("company_entity") or {}
    body["external_ref"] = entity.get("ref")
    return body


def _port(place: Any) -> Any:
    """A returned `/place` as the `{"unlocode"}` a body names a port by."""
    if not isinstance(place, dict):
        return place
    code = place.get("unlocode") or (place.get("address") or {}).get("unlocode")
    return {"unlocode": code} if code else _plain(place)


def _plain(value: Any) -> Any:
    """`value` without the descriptive `_object` keys of returned JSON."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "_object"}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _money(amount: Decimal | None, currency: str | None) -> Json | None:
    if amount is None:
        return None
    # `format(..., "f")` never gives exponent notation ("1E+2") that v3 rejects.
    return _present({"amount": format(amount, "f"), "currency_code": currency})


def _one_currency(codes: Iterable[str | None]) -> str | None:
    found = {code for code in codes if code}
    return found.pop() if len(found) == 1 else None


def _present(values: Json) -> Json:
    return {key: value for key, value in values.items() if value is not None}

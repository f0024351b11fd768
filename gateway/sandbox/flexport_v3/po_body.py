"""V3 body -> (PoSpec, [LineSpec]): shapes, vocabularies and the S3 422 messages.

Rules that need the stored PO (matching, status moves, booked units, the
creation date) are upsert.py's; this module only reads one body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import body_fields as f
from . import reader as r
from .errors import unprocessable
from .line_body import parse_line
from .model import LineSpec, PartySpec, PoSpec
from .vocabulary import (
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
    FREIGHT_PAYMENT_TERMS,
    PARTY_ROLES,
    PO_STATUSES,
)

Body = dict[str, Any]

PO_FIELDS = (
    "name", "status", "priority", "order_type", "order_class", "currency_code",
    "incoterm", "transportation_mode", "cargo_ready_date", "must_arrive_date",
    "issue_date", "origin_port", "origin_address", "destination_port",
    "destination_addresses", "line_items", "memo", "freight_payment_terms",
    "parties", "metadata",
)  # fmt: skip
NO_LINES = "You must specify at least one line item under po_line_items"


def _status(body: Body) -> str:
    value = body.get("status")
    if value is None:
        return "open"
    if value not in PO_STATUSES:
        raise unprocessable(f"{value} is not a valid Purchase Order Status")
    return str(value)


def _parties(body: Body) -> list[PartySpec]:
    parties: list[PartySpec] = []
    for index, raw in enumerate(r.array(body, "parties")):
        where = r.path("parties", index)
        obj = r.known(
            raw, where, ("role", "external_ref", "contacts", "location_address")
        )
        role = r.text(obj, "role", where, required=True)
        if role not in PARTY_ROLES:
            raise unprocessable(f"{role} is not a valid party role")
        ref = f.entity_ref(obj.get("external_ref"), r.path(where, "external_ref"))
        contacts = [
            r.flat(c, r.path(r.path(where, "contacts"), i), CONTACT_FIELDS)
            for i, c in enumerate(r.array(obj, "contacts", where))
        ]
        location = f.address(
            obj.get("location_address"), r.path(where, "location_address")
        )
        parties.append(PartySpec(role, ref, contacts, location))
    roles = [p.role for p in parties]
    if roles.count("buyer") != 1 or roles.count("seller") != 1:
        raise unprocessable("parties must name exactly one buyer and one seller")
    return parties


def parse_po(body: Body, products: Mapping[str, str]) -> tuple[PoSpec, list[LineSpec]]:
    """Raise 422 at the first problem; `products` is the SKU -> name library."""
    r.known(body, "", PO_FIELDS)
    name = r.text(body, "name", required=True)
    assert name is not None
    if body.get("order_class") != "purchase_order":
        raise unprocessable("order_class must be purchase_order")
    status = _status(body)
    mode = f.mode(body, "", required=True)
    term = f.incoterm(body, "", required=True)
    assert mode is not None
    assert term is not None
    ready, arrive = f.dates(body, "")
    currency = r.currency(body, "currency_code")
    terms = r.text(body, "freight_payment_terms")
    if terms is not None and terms not in FREIGHT_PAYMENT_TERMS:
        raise unprocessable(
            f"freight_payment_terms must be one of {', '.join(FREIGHT_PAYMENT_TERMS)}"
        )
    spec = PoSpec(
        name=name,
        status=status,
        parties=_parties(body),
        incoterm=term,
        transportation_mode=mode,
        priority=r.text(body, "priority"),
        order_type=r.text(body, "order_type"),
        currency_code=currency,
        cargo_ready_date=ready,
        must_arrive_date=arrive,
        issue_date=r.day(body, "issue_date"),
        origin_port=f.port(body, "origin_port", ""),
        origin_address=f.address(body.get("origin_address"), "origin_address"),
        destination_port=f.port(body, "destination_port", ""),
        destination_addresses=[
            r.flat(a, r.path("destination_addresses", i), ADDRESS_FIELDS)
            for i, a in enumerate(r.array(body, "destination_addresses"))
        ],
        memo=r.text(body, "memo", max_length=r.MAX_MEMO),
        freight_payment_terms=terms,
        metadata=r.metadata(body),
    )
    return spec, _lines(body, spec, products)


def _lines(body: Body, spec: PoSpec, products: Mapping[str, str]) -> list[LineSpec]:
    raw = body.get("line_items")
    if raw is None or raw == []:
        raise unprocessable(NO_LINES)
    lines = [
        parse_line(item, r.path("line_items", i), spec, products)
        for i, item in enumerate(r.array(body, "line_items"))
    ]
    keys = [line.item_key for line in lines]
    if len(set(keys)) != len(keys):
        raise unprocessable(
            f"Purchase Order {spec.name} has multiple line items with same item key"
        )
    for where, line in enumerate(lines):
        if line.parent_line_key is not None and line.parent_line_key not in keys:
            raise unprocessable(
                f"line_items[{where}].parent_line_key {line.parent_line_key} "
                "matches no item_key"
            )
    return lines

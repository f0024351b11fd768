"""Stored POs and lines to v3 JSON, `_object` spellings verbatim from S3."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..clock import iso, iso_or_none
from .envelope import ref_collection, ref_object
from .model import Fields, LineItem, Money, PartySpec, PurchaseOrder
from .network import ENTITIES_BY_REF, PORTS, CompanyEntity
from .pagination import embedded
from .vocabulary import ADDRESS_FIELDS, CONTACT_FIELDS, PRODUCT_FIELDS

Json = dict[str, Any]

PO_PATH = "/purchase_orders"
LINE_PATH = "/purchase_order_line_items"
BOOKING_LINE_PATH = "/booking_line_items"
LINE_REF_TYPE = "/purchase_orders/line_item"


def address_json(fields: Fields | None) -> Json | None:
    if fields is None:
        return None
    return {"_object": "/address", **{k: fields.get(k) for k in ADDRESS_FIELDS}}


def place_json(unlocode: str | None) -> Json | None:
    port = PORTS.get(unlocode or "")
    if port is None:
        return None
    return {
        "_object": "/place",
        "name": port.name,
        "address": address_json(port.address),
        "details": [{"_object": "/ocean/port", "port_code": port.port_code}],
    }


def entity_json(entity: CompanyEntity) -> Json:
    return {
        "_object": "/company_entity",
        "id": entity.id,
        "name": entity.name,
        "mailing_address": address_json(entity.mailing_address),
        "ref": entity.ref,
        "vat_numbers": [
            {"_object": "/company_entity/vat_number", "country_code": cc, "number": n}
            for cc, n in entity.vat_numbers
        ],
    }


def _entity_or_none(ref: str | None) -> Json | None:
    entity = ENTITIES_BY_REF.get(ref or "")
    return None if entity is None else entity_json(entity)


def party_json(party: PartySpec) -> Json:
    return {
        "_object": "purchase_orders/party",
        "role": party.role,
        "company_entity": _entity_or_none(party.entity_ref),
        "location_address": address_json(party.location_address),
        "contacts": [
            {
                "_object": "purchase_orders/contact",
                **{k: c.get(k) for k in CONTACT_FIELDS},
            }
            for c in party.contacts
        ],
    }


def money_json(money: Money | None) -> Json | None:
    if money is None:
        return None
    return {
        "_object": "/money",
        "amount": money.amount,
        "currency_code": money.currency_code,
    }


def po_header(po: PurchaseOrder) -> Json:
    """Everything but `line_items`: the `purchase_order` of a webhook event (S3)."""
    spec = po.spec
    return {
        "_object": "/purchase_order",
        "id": po.id,
        "name": spec.name,
        "status": spec.status,
        "priority": spec.priority,
        "order_type": spec.order_type,
        "incoterm": spec.incoterm,
        "transportation_mode": spec.transportation_mode,
        "cargo_ready_date": spec.cargo_ready_date,
        "must_arrive_date": spec.must_arrive_date,
        "issue_date": spec.issue_date,
        "origin_port": place_json(spec.origin_port),
        "origin_address": address_json(spec.origin_address),
        "destination_port": place_json(spec.destination_port),
        "destination_addresses": [address_json(a) for a in spec.destination_addresses],
        "memo": spec.memo,
        "archived_at": iso_or_none(po.archived_at),
        "created_at": iso(po.created_at),
        "updated_at": iso(po.updated_at),
        "freight_payment_terms": spec.freight_payment_terms,
        "parties": [party_json(p) for p in spec.parties],
        "metadata": dict(spec.metadata),
    }


def po_json(request: web.Request, po: PurchaseOrder, *, expand: bool) -> Json:
    """V1/V2/V3: `line_items` embedded when expanded, else a collection ref."""
    body = po_header(po)
    if expand:
        lines = sorted(po.lines, key=lambda line: line.line_item_number)
        items = embedded(lines, lambda line: line_json(request, line, po))
    else:
        items = ref_collection(
            request, LINE_REF_TYPE, LINE_PATH, [("f.purchase_order.id", str(po.id))]
        )
    ordered = list(body.items())
    at = next(i for i, (key, _) in enumerate(ordered) if key == "memo")
    return dict([*ordered[:at], ("line_items", items), *ordered[at:]])


def line_json(request: web.Request, line: LineItem, po: PurchaseOrder) -> Json:
    spec = line.spec
    return {
        "_object": "/purchase_orders/line_item",
        "id": line.id,
        "purchase_order": ref_object(request, "/purchase_order", PO_PATH, po.id),
        "line_item_number": line.line_item_number,
        "item_key": spec.item_key,
        "line_type": spec.line_type,
        "parent_line_key": spec.parent_line_key,
        "units": spec.units,
        "unit_cost": money_json(spec.unit_cost),
        "product": {
            "_object": "purchase_orders/line_item_product",
            **{k: spec.product.get(k) for k in PRODUCT_FIELDS},
        },
        "incoterm": spec.incoterm,
        "transportation_mode": spec.transportation_mode,
        "unit_of_measure": spec.unit_of_measure,
        "must_arrive_date": spec.must_arrive_date,
        "cargo_ready_date": spec.cargo_ready_date,
        "assigned_party": _entity_or_none(spec.assigned_party_ref),
        "origin_port": place_json(spec.origin_port),
        "origin_address": address_json(spec.origin_address),
        "destination_port": place_json(spec.destination_port),
        "destination_addresses": [
            {
                "_object": "/purchase_orders/line_items/destination_address",
                "units": units,
                "address": address_json(addr),
            }
            for units, addr in spec.destination_addresses
        ],
        "hs_codes": [{"_object": "/hs_code", **h} for h in spec.hs_codes],
        "measurements": [
            {"_object": "/line_item_measurement", **m} for m in spec.measurements
        ],
        "booking_line_items": ref_collection(
            request,
            "/purchase_orders/booking_line_item",
            BOOKING_LINE_PATH,
            [("f.purchase_order_line_item.id", str(line.id))],
        ),
        "metadata": dict(spec.metadata),
    }

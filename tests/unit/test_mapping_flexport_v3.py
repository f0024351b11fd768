"""Flexport v3 wire JSON -> domain models, status map, bodies, cursors, error bodies."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pytest

from gateway import errors
from gateway.errors import InvalidArgument, error_from_response
from gateway.models import (
    Company,
    PurchaseOrderCreate,
    PurchaseOrderLineCreate,
    PurchaseOrderStatus,
)
from gateway.providers.flexport_v3 import bodies, listing, mapping, messages, wire

FIXTURES = Path(__file__).parent.parent / "fixtures" / "flexport_v3"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def po_from(raw: dict[str, Any]) -> Any:
    return mapping.to_purchase_order(wire.PurchaseOrder.model_validate(raw), raw)


def test_expanded_purchase_order_maps_every_field_and_embeds_lines() -> None:
    raw = load("purchase_order_expanded.json")["data"]
    po = po_from(raw)
    assert po.provider == "flexport_v3"
    assert (po.id, po.number) == ("171020", "PO-10020")
    assert (po.status, po.raw_status) == (PurchaseOrderStatus.OPEN, "open")
    assert po.supplier == Company(name="Midwest Paper Co", ref="midwest-paper-us")
    assert po.buyer == Company(name="Northwind Goods Canada Ltd.", ref="northwind-ca")
    assert (po.incoterm, po.transportation_mode) == ("DDP", "truck")
    assert po.cargo_ready_date == date(2026, 7, 25)
    assert po.expected_arrival == date(2026, 7, 28)
    assert po.created_at == datetime(2026, 7, 2, 21, 14, 48, 282000, tzinfo=UTC)
    assert po.updated_at == datetime(2026, 8, 12, 11, 6, 50, 896000, tzinfo=UTC)
    assert po.archived_at is None
    assert po.raw["futureField"] == {"kept": True}
    assert po.lines is not None
    first, second = po.lines
    assert (first.id, first.purchase_order_id) == ("5137098", "171020")
    assert (first.line_number, first.item_key) == (1, "1")
    assert (first.sku, first.product_name) == (
        "SKU-10108",
        "Notebook A5 Dotted - Forest",
    )
    assert (first.quantity, first.unit_of_measure) == (288, "EA")
    assert first.unit_cost is not None
    assert first.unit_cost.amount == Decimal("60.42")
    assert isinstance(first.unit_cost.amount, Decimal)
    assert first.unit_cost.currency_code == "USD"
    assert first.received_quantity is None, "v3 reports booked, never received"
    assert second.unit_cost is None
    assert first.raw["hs_codes"][0]["code"] == "4820.10.20"


def test_unexpanded_purchase_order_leaves_lines_to_be_fetched() -> None:
    po = po_from(load("purchase_order.json")["data"])
    assert po.lines is None
    assert po.raw["line_items"]["_object"] == "/api/refs/collection"


def test_embedded_lines_that_page_on_are_not_trusted() -> None:
    raw = load("purchase_order_expanded.json")["data"]
    raw["line_items"]["next"] = "https://api.flexport.com/x?page=2"
    assert po_from(raw).lines is None
    raw = load("purchase_order_expanded.json")["data"]
    raw["line_items"]["total_count"] = 9
    assert po_from(raw).lines is None


def test_cancelled_purchase_order_is_archived() -> None:
    raw = load("purchase_orders_archived_page.json")["data"]["data"][0]
    po = po_from(raw)
    assert (po.status, po.raw_status) == (PurchaseOrderStatus.CANCELLED, "cancelled")
    assert po.archived_at == datetime(2026, 4, 15, 11, 54, 10, 26000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("open", PurchaseOrderStatus.OPEN),
        ("closed", PurchaseOrderStatus.CLOSED),
        ("cancelled", PurchaseOrderStatus.CANCELLED),
        ("ope", PurchaseOrderStatus.UNKNOWN),
        ("archived", PurchaseOrderStatus.UNKNOWN),
    ],
)
def test_to_status_follows_status_map(raw: str, expected: PurchaseOrderStatus) -> None:
    assert mapping.to_status(raw) is expected


def test_every_status_map_entry_is_covered_and_reversible() -> None:
    assert mapping.STATUS_MAP == {
        "open": PurchaseOrderStatus.OPEN,
        "closed": PurchaseOrderStatus.CLOSED,
        "cancelled": PurchaseOrderStatus.CANCELLED,
    }
    assert {mapping.RAW_STATUSES[s] for s in mapping.STATUS_MAP.values()} == set(
        mapping.STATUS_MAP
    )


def test_unknown_status_is_logged_and_kept_raw(
    caplog: pytest.LogCaptureFixture,
) -> None:
    raw = load("purchase_order.json")["data"]
    raw["status"] = "on_hold"
    with caplog.at_level(logging.WARNING, logger="gateway.providers.flexport_v3"):
        po = po_from(raw)
    assert (po.status, po.raw_status) == (PurchaseOrderStatus.UNKNOWN, "on_hold")
    assert any(r.__dict__.get("status") == "on_hold" for r in caplog.records)


def test_documents_map_to_attachments_of_the_purchase_order() -> None:
    raw_page = load("documents_page.json")["data"]
    page = wire.Page[wire.Document].model_validate(raw_page)
    found = [
        mapping.to_attachment(d, r, "171003")
        for d, r in zip(page.data, raw_page["data"], strict=True)
    ]
    live, archived = found[0], found[1]
    assert (live.id, live.owner_id, live.owner_kind) == (
        "880001",
        "171003",
        "PurchaseOrder",
    )
    assert live.type == "packing_list"
    assert live.name == "PO-10003-700101-packing_list.pdf"
    assert live.url == "https://api.flexport.com/_files/880001"
    assert live.size == 77
    assert live.created_at == datetime(2026, 5, 4, 15, 18, 5, 668000, tzinfo=UTC)
    assert live.removed_at is None
    assert archived.removed_at is not None
    assert live.raw["shipment"]["id"] == 700101


def test_parse_error_reads_the_envelope_and_the_bare_error() -> None:
    wrapped = mapping.parse_error(load("error_422_active_booking.json"))
    assert wrapped.code == "unprocessable_entity"
    assert wrapped.message is not None
    assert wrapped.message.endswith(
        "may not be cancelled since it has an active booking"
    )
    bare = mapping.parse_error(load("error_bare_404.json"))
    assert (bare.code, bare.message) == (
        "not_found",
        "Couldn't find PurchaseOrder with id 999",
    )
    version = mapping.parse_error(load("error_400_invalid_version.json"))
    assert version.code == "invalid_version"


@pytest.mark.parametrize(
    ("name", "status", "exc_type", "code"),
    [
        ("error_bare_404.json", 404, errors.NotFound, "not_found"),
        ("error_422_active_booking.json", 422, errors.Rejected, "unprocessable_entity"),
        ("error_400_invalid_version.json", 400, errors.Rejected, "invalid_version"),
    ],
)
def test_error_bodies_map_through_error_from_response(
    name: str, status: int, exc_type: type[errors.ProviderError], code: str
) -> None:
    body = (FIXTURES / name).read_bytes()
    exc = error_from_response("flexport_v3", status, body, {}, mapping.parse_error)
    assert type(exc) is exc_type
    assert exc.provider_code == code
    assert exc.detail != f"HTTP {status}"


def test_unreadable_error_body_still_maps_by_status() -> None:
    exc = error_from_response(
        "flexport_v3", 503, b"<html>oops", {"Retry-After": "2"}, mapping.parse_error
    )
    assert isinstance(exc, errors.ProviderUnavailable)
    assert (exc.detail, exc.retry_after) == ("HTTP 503", 2.0)
    null = error_from_response("flexport_v3", 500, b"null", {}, mapping.parse_error)
    assert null.provider_code is None


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("name is required", "name"),
        ("line_items[0].units must be a whole number >= 1", "line_items[0].units"),
        (
            "line_items[0].product: product_sku must be specified",
            "line_items[0].product",
        ),
        ("Unknown attribute line_items[0].colour", "line_items[0].colour"),
        ("ope is not a valid Purchase Order Status", "status"),
        (
            "boat is an invalid transportation mode. allowed values: ocean, air, truck",
            "transportation_mode",
        ),
        ("Invalid incoterm XYZ. allowed values: EXW, FCA", "incoterm"),
        ("You must specify at least one line item under po_line_items", "line_items"),
        (
            "Purchase Order PO-1 has multiple line items with same item key",
            "line_items",
        ),
        ("Company does not exist for reference nobody", "parties"),
        ("Unknown unit of measure", "unit_of_measure"),
        ("Must arrive date must be after the cargo ready date", "must_arrive_date"),
        ("Cannot remove line items that have been booked", "line_items"),
        (
            "Cannot update a line item to request fewer units than have already "
            "been booked",
            "line_items",
        ),
        ("Too many requests", None),
        ("Purchase order 171020 is closed and cannot be reopened", None),
    ],
)
def test_field_named_by_a_message(message: str, field: str | None) -> None:
    assert messages.field_of(message) == field
    parsed = mapping.parse_error({"error": {"code": "x", "message": message}})
    assert parsed.fields == ({field: message} if field else {})


@pytest.mark.parametrize(
    ("message", "conflict"),
    [
        (
            "Purchase order 171020 may not be cancelled since it has an active booking",
            True,
        ),
        ("Purchase order 171001 is closed and cannot be reopened", True),
        ("Purchase order 171001 is closed and cannot be cancelled", True),
        ("Purchase order 171009 is cancelled and cannot be closed", True),
        ("Purchase order 171001 is closed and cannot be amended", True),
        ("Cannot remove line items that have been booked", False),
        ("Invalid incoterm XYZ. allowed values: EXW", False),
        (None, False),
    ],
)
def test_illegal_transition_messages(message: str | None, conflict: bool) -> None:
    assert messages.is_illegal_transition(message) is conflict


def test_create_body_is_the_v3_upsert_shape() -> None:
    data = PurchaseOrderCreate(
        number="PO-NEW-1",
        supplier_ref="hanoi-knitworks-vn",
        buyer_ref="northwind-us",
        incoterm="FOB",
        transportation_mode="ocean",
        cargo_ready_date=date(2026, 12, 1),
        expected_arrival=date(2027, 1, 10),
        lines=(
            PurchaseOrderLineCreate(
                item_key="1",
                sku="SKU-1",
                product_name="Wool hat",
                quantity=48,
                unit_cost=Decimal("1E+1"),
                currency_code="USD",
            ),
            PurchaseOrderLineCreate(item_key="2", sku="SKU-2", quantity=5),
        ),
    )
    assert bodies.create_body(data) == {
        "name": "PO-NEW-1",
        "order_class": "purchase_order",
        "incoterm": "FOB",
        "transportation_mode": "ocean",
        "cargo_ready_date": "2026-12-01",
        "must_arrive_date": "2027-01-10",
        "currency_code": "USD",
        "parties": [
            {"role": "buyer", "external_ref": "northwind-us"},
            {"role": "seller", "external_ref": "hanoi-knitworks-vn"},
        ],
        "line_items": [
            {
                "item_key": "1",
                "units": 48,
                "unit_of_measure": "EA",
                "product": {"sku": "SKU-1", "name": "Wool hat"},
                "unit_cost": {"amount": "10", "currency_code": "USD"},
            },
            {
                "item_key": "2",
                "units": 5,
                "unit_of_measure": "EA",
                "product": {"sku": "SKU-2"},
            },
        ],
    }


def test_replace_body_keeps_every_field_but_read_only_ones() -> None:
    raw = load("purchase_orders_archived_page.json")["data"]["data"][0]
    lines = load("purchase_order_expanded.json")["data"]["line_items"]["data"]
    body = bodies.replace_body(raw, lines, "closed")
    assert b'"_object"' not in orjson.dumps(body)
    assert not {"id", "archived_at", "created_at", "updated_at"} & set(body)
    assert body["status"] == "closed"
    assert body["order_class"] == "purchase_order"
    assert body["currency_code"] == "USD"
    for key in ("name", "memo", "priority", "issue_date", "freight_payment_terms"):
        assert body[key] == raw[key]
    assert body["origin_port"] == {"unlocode": "PTLEI"}
    assert body["destination_port"] == {"unlocode": "USSEA"}
    assert body["destination_addresses"][0]["ref"] == "dc-seattle"
    assert [p["role"] for p in body["parties"]] == [p["role"] for p in raw["parties"]]
    assert body["parties"][0]["external_ref"] == "northwind-us"
    assert "company_entity" not in body["parties"][0]
    assert (
        body["parties"][0]["contacts"][0]["name"]
        == raw["parties"][0]["contacts"][0]["name"]
    )
    line = body["line_items"][0]
    assert not {"id", "purchase_order", "line_item_number", "booking_line_items"} & set(
        line
    )
    assert line["unit_cost"] == {"amount": "60.42", "currency_code": "USD"}
    assert line["hs_codes"] == [
        {
            "description": "Registers, notebooks, diaries and similar articles",
            "code": "4820.10.20",
            "country_code": "US",
        }
    ]


def test_replace_body_names_the_assigned_party_by_ref() -> None:
    raw = load("purchase_order_expanded.json")["data"]
    lines = raw["line_items"]["data"]
    lines[0]["assigned_party"] = {"_object": "/company_entity", "id": 1, "ref": "acme"}
    body = bodies.replace_body(raw, lines, "cancelled")
    assert body["line_items"][0]["assigned_party"] == {"external_ref": "acme"}
    assert body["line_items"][1]["assigned_party"] is None


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), [listing.Segment(False, None)]),
        ((PurchaseOrderStatus.OPEN,), [listing.Segment(False, "open")]),
        ((PurchaseOrderStatus.CLOSED,), [listing.Segment(False, "closed")]),
        (
            (PurchaseOrderStatus.OPEN, PurchaseOrderStatus.CLOSED),
            [listing.Segment(False, None)],
        ),
        ((PurchaseOrderStatus.CANCELLED,), [listing.Segment(True, "cancelled")]),
        (
            (PurchaseOrderStatus.OPEN, PurchaseOrderStatus.CANCELLED),
            [listing.Segment(False, "open"), listing.Segment(True, "cancelled")],
        ),
        ((PurchaseOrderStatus.UNKNOWN,), []),
    ],
)
def test_status_filters_become_v1_segments(
    statuses: tuple[PurchaseOrderStatus, ...], expected: list[listing.Segment]
) -> None:
    assert listing.segments(statuses) == expected


def test_cursors_round_trip_and_reject_strangers() -> None:
    assert listing.parse_cursor(None, 2) == listing.Position(0, 0)
    for position, count in ((listing.Position(0, 3), 1), (listing.Position(1, 2), 2)):
        cursor = listing.cursor_of(position)
        assert listing.parse_cursor(cursor, count) == position
    assert listing.cursor_of(listing.Position(1, 2)) == "archived:2"
    for bad in ("x", "archived:1", "-1", "archived:"):
        with pytest.raises(InvalidArgument):
            listing.parse_cursor(bad, 1)


@pytest.mark.parametrize(
    ("index", "size", "expected"),
    [
        (0, 7, listing.Window(page=1, per=7, skip=0)),
        (7, 7, listing.Window(page=2, per=7, skip=0)),
        (10, 11, listing.Window(page=1, per=21, skip=10)),
        (21, 9, listing.Window(page=3, per=10, skip=1)),
        # No page of up to 100 holds [150, 250): the one holding 150 does.
        (150, 100, listing.Window(page=2, per=100, skip=50)),
    ],
)
def test_window_is_one_v1_page_around_the_cursor(
    index: int, size: int, expected: listing.Window
) -> None:
    assert listing.window(index, size, 100) == expected

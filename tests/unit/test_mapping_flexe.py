"""Flexe wire JSON -> domain models, status normalisation, error bodies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gateway.models import OrderStatus, line_status, refine_status
from gateway.providers.flexe import mapping, wire

FIXTURES = Path(__file__).parent.parent / "fixtures" / "flexe"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def test_to_order_maps_every_field_and_keeps_raw() -> None:
    raw = load("order.json")
    order = mapping.to_order(wire.Order.model_validate(raw), raw)
    assert order.provider == "flexe"
    assert order.id == raw["id"]
    assert order.external_id == "SO-100123"
    assert order.raw_status == "in_progress"
    assert order.status is OrderStatus.IN_PROGRESS
    assert order.status_needs_lines is True
    assert order.location_id == "res-seattle-01"
    assert order.shipping_service == "ground"
    assert order.labels == {"channel": "shopify"}
    assert order.shipment_ids == ("5001",)
    assert order.recipient is not None
    assert order.recipient.line2 == "Apt 2, Rear"
    assert order.recipient.postal_code == "98101"
    assert order.recipient.email == "ada@example.com"
    assert order.raw["futureField"] == {"kept": True}


@pytest.mark.parametrize(
    ("state", "has_errors", "expected"),
    [
        ("new", False, OrderStatus.PENDING),
        ("new", True, OrderStatus.EXCEPTION),
        ("allocated", False, OrderStatus.ALLOCATED),
        ("allocated", True, OrderStatus.EXCEPTION),
        ("in_progress", False, OrderStatus.IN_PROGRESS),
        ("shipped", False, OrderStatus.SHIPPED),
        ("shipped", True, OrderStatus.SHIPPED),
        ("cancelled", True, OrderStatus.CANCELLED),
        ("teleported", False, OrderStatus.UNKNOWN),
    ],
)
def test_to_status_follows_status_map(
    state: str, has_errors: bool, expected: OrderStatus
) -> None:
    assert mapping.to_status(state, has_errors) is expected


def test_every_status_map_entry_is_covered() -> None:
    assert set(mapping.STATUS_MAP) == {
        "new",
        "allocated",
        "in_progress",
        "shipped",
        "cancelled",
    }


def test_lines_map_quantities_and_derive_status() -> None:
    raw_page = load("lines_page.json")
    page = wire.LinePage.model_validate(raw_page)
    lines = [
        mapping.to_line(w, r)
        for w, r in zip(page.lines, raw_page["lines"], strict=True)
    ]
    shipped_some, cancelled = lines
    assert shipped_some.id == "44"  # numeric ids become strings
    assert shipped_some.shipped_quantity == 1
    assert cancelled.cancelled_quantity == 2
    assert (
        line_status(shipped_some, OrderStatus.IN_PROGRESS)
        is OrderStatus.PARTIALLY_SHIPPED
    )
    assert line_status(cancelled, OrderStatus.IN_PROGRESS) is OrderStatus.CANCELLED
    raw = load("order.json")
    order = mapping.to_order(wire.Order.model_validate(raw), raw)
    assert refine_status(order, lines) is OrderStatus.PARTIALLY_SHIPPED
    assert refine_status(order, [cancelled]) is OrderStatus.IN_PROGRESS


def test_parse_error_reads_codes_messages_and_fields() -> None:
    parsed = mapping.parse_error(load("error_422.json"))
    assert parsed.code == "VALIDATION_FAILED"
    assert parsed.message == "recipient.address.postcode is required"
    assert parsed.fields == {
        "recipient.address.postcode": "recipient.address.postcode is required"
    }
    assert mapping.parse_error({"errors": []}).code is None

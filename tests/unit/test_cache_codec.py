"""Cached values round-trip exactly: every domain model, `raw` included, and lists."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

import gateway.models
from gateway.cache import dumps, list_codec, loads, loads_list, model_codec
from gateway.models import (
    Address,
    AllocationError,
    Attachment,
    Company,
    InboundShipment,
    InventoryLevel,
    Money,
    Order,
    OrderKind,
    OrderLine,
    OrderStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    Weight,
)
from gateway.models.common import Domain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AT = datetime(2026, 10, 30, 14, 5, 0, 123456, tzinfo=UTC)
PLUS_2 = datetime(2026, 10, 31, 9, 0, tzinfo=timezone(timedelta(hours=2)))
NAIVE = datetime(2026, 11, 1, 8, 30)

# What providers put in `raw`: their JSON, with whatever it holds.
TRICKY: dict[str, Any] = {
    "int": 2**63 + 1,
    "negative": -7,
    "float": 0.1,
    "whole_float": 1.0,
    "exp": 1e-300,
    "text": 'quote " backslash \\ newline \n tab \t nul \u0000 é 日本 🚚',
    "empty": {},
    "list": [1, "two", None, True, False, [3.5, {"deep": []}]],
    "null": None,
    "": "empty key",
}


def fixture(path: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / path).read_text())
    return data


def line(n: int = 1) -> OrderLine:
    return OrderLine(
        provider="flexe",
        raw={**TRICKY, "n": n},
        id=f"l-{n}",
        order_id="o-1",
        external_id="SO-1-1",
        sku="SKU-10001",
        provider_sku="P-1",
        quantity=3,
        unit_of_measure="EA",
        allocated_quantity=2,
        shipped_quantity=1,
        cancelled_quantity=0,
        unit_price=Money(amount=Decimal("12.50"), currency_code="USD"),
        created_at=AT,
        cancelled_at=NAIVE,
    )


def shipment(n: int = 1) -> Shipment:
    return Shipment(
        provider="flexe",
        raw=fixture("flexport_logistics/outbound_shipped_parcel.json"),
        id=f"s-{n}",
        order_id="o-1",
        status=ShipmentStatus.IN_TRANSIT,
        raw_status="in_transit",
        carrier="UPS",
        service="Ground",
        tracking_numbers=("1Z999", "1Z998"),
        tracking_url="https://ups.test/1Z999",
        shipped_at=AT,
        delivered_at=None,
        items=(ShipmentItem(sku="SKU-10001", quantity=1, line_id="l-1"),),
        weight=Weight(value=1.25, unit="lb"),
        created_at=PLUS_2,
        updated_at=NAIVE,
    )


def po_line(n: int = 1) -> PurchaseOrderLine:
    return PurchaseOrderLine(
        provider="flexport_v3",
        raw=TRICKY,
        id=f"pol-{n}",
        purchase_order_id="po-1",
        line_number=n,
        item_key="ik-1",
        sku="SKU-1",
        product_name="Widget",
        quantity=100,
        unit_of_measure="EA",
        received_quantity=40,
        unit_cost=Money(amount=Decimal("0.0100"), currency_code="EUR"),
    )


SAMPLES: list[Domain] = [
    Order(
        provider="flexe",
        raw=fixture("flexe/order.json"),
        id="o-1",
        kind=OrderKind.DTC,
        external_id="SO-1",
        status=OrderStatus.PARTIALLY_SHIPPED,
        raw_status="in_progress",
        status_needs_lines=True,
        has_errors=True,
        created_at=AT,
        updated_at=PLUS_2,
        ship_by=NAIVE,
        shipping_service="ground",
        location_id="res-1",
        recipient=Address(
            name="Ada",
            company="AE",
            line1="1 Main St",
            line2="Apt 2",
            city="Seattle",
            region="WA",
            postal_code="98101",
            country="US",
            phone="+1 206 555 0100",
            email="ada@example.com",
        ),
        labels={"channel": "shopify", "ü": ""},
        shipment_ids=("s-1", "s-2"),
        cancelled_at=None,
        acknowledged=False,
        shipping_status="PARTIAL",
        lines=(line(1), line(2)),
        shipments=(shipment(1),),
    ),
    Order(
        provider="flxpoint",
        id="fr-1",
        kind=OrderKind.FULFILLMENT_REQUEST,
        status=OrderStatus.UNKNOWN,
        raw_status="???",
    ),
    line(),
    AllocationError(
        provider="flexe",
        raw=TRICKY,
        order_id="o-1",
        line_id="l-1",
        order_external_id="SO-1",
        line_external_id="SO-1-1",
        code="INSUFFICIENT_INVENTORY",
        details="short by 2",
        created_at=AT,
    ),
    shipment(),
    InventoryLevel(
        provider="flexport_logistics",
        raw=TRICKY,
        sku="SKU-1",
        provider_sku="p1",
        location_id="wh-1",
        on_hand=10,
        available=7,
        allocated=3,
        incoming=0,
        updated_at=AT,
    ),
    po_line(),
    PurchaseOrder(
        provider="flexport_v3",
        raw=fixture("flexport_v3/purchase_order.json"),
        id="po-1",
        number="PO-1",
        status=PurchaseOrderStatus.OPEN,
        raw_status="open",
        supplier=Company(name="Acme", ref="sup-1"),
        buyer=Company(name="Us"),
        incoterm="FOB",
        transportation_mode="ocean",
        cargo_ready_date=date(2026, 12, 1),
        expected_arrival=date(2027, 1, 15),
        created_at=AT,
        updated_at=PLUS_2,
        archived_at=None,
        lines=(po_line(1), po_line(2)),
    ),
    InboundShipment(
        provider="flexport_logistics",
        raw=TRICKY,
        id="in-1",
        purchase_order_number="PO-1",
        status=PurchaseOrderStatus.CLOSED,
        raw_status="received",
        supplier=Company(ref="sup-1"),
        location_id="wh-1",
        expected_arrival=AT,
        arrived_at=PLUS_2,
        created_at=NAIVE,
        updated_at=AT,
        lines=(po_line(3),),
    ),
    Attachment(
        provider="flexport_v3",
        raw=TRICKY,
        id="doc-1",
        owner_id="po-1",
        owner_kind="PurchaseOrder",
        type="COMMERCIAL_INVOICE",
        name="invoice.pdf",
        url="https://files.test/doc-1",
        content_type="application/pdf",
        size=10_485_760,
        created_at=AT,
        removed_at=PLUS_2,
    ),
]


def same_json_types(a: Any, b: Any) -> bool:
    """Equal and of the same type all the way down (1 is not 1.0, a list not a tuple)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_json_types(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(map(same_json_types, a, b))
    if isinstance(a, BaseModel):
        return same_json_types(dict(a), dict(b))
    return bool(a == b)


def domain_models() -> set[type[Domain]]:
    public = {getattr(gateway.models, name) for name in gateway.models.__all__}
    return {
        m
        for m in public
        if isinstance(m, type) and issubclass(m, Domain) and m is not Domain
    }


def test_every_domain_model_has_a_round_trip_sample() -> None:
    assert {type(m) for m in SAMPLES} == domain_models()


@pytest.mark.parametrize("model", SAMPLES, ids=lambda m: type(m).__name__)
def test_a_model_round_trips_exactly(model: Domain) -> None:
    data = dumps(model)
    back = loads(type(model), data)
    assert back == model
    assert back.raw == model.raw
    assert same_json_types(back, model)
    assert dumps(back) == data


@pytest.mark.parametrize("model", SAMPLES, ids=lambda m: type(m).__name__)
def test_a_list_of_models_round_trips_exactly(model: Domain) -> None:
    models = [model, model.model_copy(update={"provider": "other"})]
    back = loads_list(type(model), dumps(models))
    assert back == models
    assert all(same_json_types(b, m) for b, m in zip(back, models, strict=True))
    assert dumps(back) == dumps(models)


def test_empty_list_and_tuple_round_trip() -> None:
    assert dumps([]) == b"[]"
    assert loads_list(OrderLine, dumps([])) == []
    lines = (line(1), line(2))
    assert loads_list(OrderLine, dumps(lines)) == list(lines)


def test_times_keep_their_offset_and_decimals_their_exponent() -> None:
    back = loads(Shipment, dumps(shipment()))
    assert back.shipped_at is not None
    assert back.shipped_at.utcoffset() == timedelta(0)
    assert back.created_at is not None
    assert back.created_at.utcoffset() == timedelta(hours=2)
    assert back.updated_at is not None
    assert back.updated_at.tzinfo is None
    price = loads(OrderLine, dumps(line())).unit_price
    assert price is not None
    assert str(price.amount) == "12.50"


def test_codecs_wrap_dumps_and_loads() -> None:
    order = SAMPLES[0]
    assert isinstance(order, Order)
    one = model_codec(Order)
    assert one.decode(one.encode(order)) == order
    many = list_codec(OrderLine)
    assert many.decode(many.encode([line(1), line(2)])) == [line(1), line(2)]


def test_bytes_of_another_shape_do_not_decode() -> None:
    with pytest.raises(ValidationError):
        loads(Order, dumps(line()))
    with pytest.raises(ValidationError):
        loads_list(OrderLine, b"not json")

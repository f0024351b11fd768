"""LAPI wire JSON -> domain models, status normalisation, events, error bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gateway.models import (
    AddressInput,
    OrderCreate,
    OrderKind,
    OrderLineCreate,
    OrderStatus,
    PurchaseOrderStatus,
    ShipmentStatus,
    Shipping,
    line_status,
)
from gateway.paging import InvalidCursor
from gateway.providers.base import OrderFilter
from gateway.providers.flexport_logistics import (
    bodies,
    feed,
    mapping,
    mapping_dtc,
    mapping_stock,
    problems,
    refs,
    status,
    wire,
)
from gateway.providers.flexport_logistics.catalog import Catalog
from gateway.providers.flexport_logistics.index import (
    IndexEntry,
    decode_cursor,
    encode_cursor,
    merge,
)
from gateway.providers.flexport_logistics.listing import index_filter

FIXTURES = Path(__file__).parent.parent / "fixtures" / "flexport_logistics"
SKUS = {"LS47676199": "SKU-10047", "LS74974492": "SKU-10088"}


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def outbound(name: str, skus: dict[str, str] | None = None) -> Any:
    raw = load(name)
    return mapping.to_outbound(wire.Outbound.model_validate(raw), raw, skus or SKUS)


def dtc(name: str, raw: Any = None) -> Any:
    raw = raw or load(name)
    return mapping_dtc.to_dtc_order(wire.DtcOrder.model_validate(raw), raw, SKUS)


# B2B outbounds ------------------------------------------------------------------


def test_outbound_partly_shipped_maps_lines_shipments_and_status() -> None:
    order = outbound("outbound_partial.json")
    assert order.id == "B2B-71071"
    assert order.kind is OrderKind.B2B
    assert order.external_id == "WHS-300071"
    assert order.raw_status == "IN_PROGRESS"
    # One shipment SHIPPED while another is still IN_PROGRESS.
    assert order.status is OrderStatus.PARTIALLY_SHIPPED
    assert order.status_needs_lines is False
    assert order.location_id == "ATL2"
    assert order.shipping_service == "FTL Dry Van, STANDARD"
    assert order.recipient is not None
    assert order.recipient.company == "Walmart"
    assert order.recipient.line2 == "Apt 36"
    assert order.recipient.region == "WA"
    assert order.recipient.postal_code == "98141"
    assert order.created_at is None, "outbounds carry no createdAt; the index has it"
    assert order.ship_by == datetime(2026, 11, 1, 8, 17, 37, 510000, tzinfo=UTC)
    first, second = order.lines or ()
    assert (first.id, first.external_id, first.sku) == ("B2B-71071/1", "1", "SKU-10220")
    assert first.provider_sku == "LS88660578"
    assert (first.quantity, first.shipped_quantity) == (12, 5)
    assert first.unit_price is not None
    assert first.unit_price.amount == Decimal("93.02")
    assert (second.unit_of_measure, second.quantity, second.shipped_quantity) == (
        "CASE",
        27,
        24,
    )
    assert line_status(first, order.status) is OrderStatus.PARTIALLY_SHIPPED
    shipped, packing = order.shipments or ()
    assert order.shipment_ids == ("B2B-810088", "B2B-810089")
    assert (shipped.status, packing.status) == (
        ShipmentStatus.SHIPPED,
        ShipmentStatus.PACKED,
    )
    assert shipped.order_id == "B2B-71071"
    assert shipped.carrier == "XPO Logistics"
    assert shipped.service == "FTL"
    assert shipped.tracking_numbers == ("4298723155", "BOL8100882984")
    assert shipped.weight is not None
    assert (shipped.weight.value, shipped.weight.unit) == (436.6, "lb")
    assert [(i.sku, i.quantity, i.line_id) for i in shipped.items] == [
        ("SKU-10220", 5, "B2B-71071/1"),
        ("SKU-10268", 24, "B2B-71071/2"),
    ]
    # Not shipped yet: what the shipment holds, not its (zero) shipped quantity.
    assert [i.quantity for i in packing.items] == [7, 3]


def test_outbound_line_without_product_data_uses_the_catalogue() -> None:
    order = outbound("outbound_shipped_parcel.json")
    assert order.status is OrderStatus.SHIPPED
    third = (order.lines or ())[2]
    assert third.raw["productData"] is None
    assert (third.sku, third.provider_sku) == ("SKU-10047", "LS47676199")
    unknown = outbound("outbound_shipped_parcel.json", {"other": "x"})
    assert (unknown.lines or ())[2].sku == "LS47676199", "falls back to logisticsSku"
    (shipment,) = order.shipments or ()
    assert shipment.carrier == "UPS"
    assert len(shipment.tracking_numbers) == 10
    assert all(t.startswith("1Z") for t in shipment.tracking_numbers)
    assert order.ship_by == datetime(2026, 10, 25, 6, 0, 20, 118000, tzinfo=UTC)


def test_outbound_cancelled_cancels_every_line() -> None:
    order = outbound("outbound_cancelled.json")
    assert order.status is OrderStatus.CANCELLED
    assert order.lines
    for line in order.lines:
        assert line.cancelled_quantity == line.quantity
        assert line_status(line, order.status) is OrderStatus.CANCELLED


def test_outbound_keeps_raw_and_tolerates_new_fields() -> None:
    raw = load("outbound_partial.json")
    raw["futureField"] = {"kept": True}
    raw["shipments"][0]["packDetails"] = None
    order = mapping.to_outbound(wire.Outbound.model_validate(raw), raw, {})
    assert order.raw["futureField"] == {"kept": True}
    shipment = (order.shipments or ())[0]
    assert shipment.raw == raw["shipments"][0]
    assert shipment.carrier == "XPO Logistics", "from freightDetails when no packs"


# DTC orders ---------------------------------------------------------------------


def test_dtc_partial_fulfilment_is_partially_shipped() -> None:
    order = dtc("dtc_partial.json")
    assert order.id == "DTC-49201824082"
    assert order.kind is OrderKind.DTC
    assert order.raw_status == "PACKED"
    assert order.shipping_status == "PARTIALLY_FULFILLED"
    assert order.status is OrderStatus.PARTIALLY_SHIPPED
    assert order.created_at == datetime(2026, 10, 28, 18, 58, 25, 368000, tzinfo=UTC)
    assert order.ship_by is not None
    assert order.recipient is not None
    assert order.recipient.country == "GB"
    (line,) = order.lines or ()
    assert (line.id, line.sku, line.provider_sku) == (
        "DTC-49201824082/1",
        "SKU-10088",
        "LS74974492",
    )
    assert (line.quantity, line.shipped_quantity) == (2, 1)
    (shipment,) = order.shipments or ()
    assert shipment.id == "DTC-560085"
    assert (shipment.carrier, shipment.service) == ("Royal Mail", "Royal Mail Ground")
    assert shipment.tracking_numbers == ("RM950702715GB",)
    assert shipment.shipped_at == datetime(2026, 10, 31, 11, 54, 12, 276000, tzinfo=UTC)
    assert [(i.sku, i.quantity, i.line_id) for i in shipment.items] == [
        ("SKU-10088", 1, "DTC-49201824082/1")
    ]


def test_dtc_error_is_exception_with_errors() -> None:
    order = dtc("dtc_error.json")
    assert order.status is OrderStatus.EXCEPTION
    assert order.has_errors is True
    assert order.shipments == ()


def test_dtc_delivered_and_shipment_without_status() -> None:
    order = dtc("dtc_delivered.json")
    assert order.status is OrderStatus.DELIVERED
    assert all(line.shipped_quantity == line.quantity for line in order.lines or ())
    raw = load("dtc_delivered.json")
    # LAPI itself documents no DTC shipment status: the order's dates decide.
    for shipment in raw["shipments"]:
        shipment["status"] = None
    inferred = dtc("", raw)
    assert [s.status for s in inferred.shipments or ()] == [ShipmentStatus.DELIVERED]
    assert all(line.shipped_quantity == 1 for line in inferred.lines or ())


# Status maps ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shipped", "expected"),
    [
        ("PLANNED", False, OrderStatus.PENDING),
        ("BOOKED", False, OrderStatus.ACCEPTED),
        ("IN_PROGRESS", False, OrderStatus.IN_PROGRESS),
        ("IN_PROGRESS", True, OrderStatus.PARTIALLY_SHIPPED),
        ("SHIPPED", True, OrderStatus.SHIPPED),
        ("DELIVERED", True, OrderStatus.DELIVERED),
        ("CANCELLED", False, OrderStatus.CANCELLED),
        ("TELEPORTED", True, OrderStatus.UNKNOWN),
    ],
)
def test_outbound_status(raw: str, shipped: bool, expected: OrderStatus) -> None:
    assert status.outbound_status(raw, shipped) is expected


@pytest.mark.parametrize(
    ("internal", "fulfillment", "delivered", "expected"),
    [
        ("CREATED", "UNFULFILLED", False, OrderStatus.PENDING),
        ("PROCESSING", "UNFULFILLED", False, OrderStatus.IN_PROGRESS),
        ("PICKED", "UNFULFILLED", False, OrderStatus.IN_PROGRESS),
        ("PACKED", "UNFULFILLED", False, OrderStatus.IN_PROGRESS),
        ("PACKED", "PARTIALLY_FULFILLED", False, OrderStatus.PARTIALLY_SHIPPED),
        ("SHIPPED", "FULFILLED", False, OrderStatus.SHIPPED),
        ("SHIPPED", "FULFILLED", True, OrderStatus.DELIVERED),
        ("DELIVERED", "FULFILLED", False, OrderStatus.DELIVERED),
        ("CANCELLED", "CANCELLED", False, OrderStatus.CANCELLED),
        ("ERROR", "UNFULFILLED", False, OrderStatus.EXCEPTION),
        ("ERROR", "PARTIALLY_FULFILLED", False, OrderStatus.PARTIALLY_SHIPPED),
        ("ERROR", "FULFILLED", False, OrderStatus.SHIPPED),
        ("PACKED", "SOMETHING_NEW", False, OrderStatus.IN_PROGRESS),
        ("BEAMED_UP", "UNFULFILLED", False, OrderStatus.UNKNOWN),
    ],
)
def test_dtc_status(
    internal: str, fulfillment: str, delivered: bool, expected: OrderStatus
) -> None:
    assert status.dtc_status(internal, fulfillment, delivered) is expected


def test_every_status_map_entry_is_covered() -> None:
    assert set(status.OUTBOUND_STATUS_MAP) == {
        "PLANNED",
        "BOOKED",
        "IN_PROGRESS",
        "SHIPPED",
        "DELIVERED",
        "CANCELLED",
    }
    assert set(status.DTC_STATUS_MAP) == {
        "CREATED",
        "PROCESSING",
        "PICKED",
        "PACKED",
        "SHIPPED",
        "DELIVERED",
        "CANCELLED",
        "ERROR",
    }
    assert status.shipment_status("IN_PROGRESS") is ShipmentStatus.PACKED
    assert status.shipment_status("LOST_AT_SEA") is ShipmentStatus.UNKNOWN
    assert status.shipment_status(None) is ShipmentStatus.UNKNOWN
    for raw in ("WORKING", "READY_TO_SHIP", "IN_TRANSIT", "ARRIVED"):
        assert status.inbound_status(raw) is PurchaseOrderStatus.OPEN
    assert status.inbound_status("COMPLETED") is PurchaseOrderStatus.CLOSED
    assert status.inbound_status("SUNK") is PurchaseOrderStatus.UNKNOWN


def test_raw_candidates_cover_every_mapped_status() -> None:
    """Every raw status lands in the candidates of the status it maps to."""
    for raw, unified in status.OUTBOUND_STATUS_MAP.items():
        assert raw in status.RAW_FOR_STATUS[OrderKind.B2B][unified]
    for raw, unified in status.DTC_STATUS_MAP.items():
        assert raw in status.RAW_FOR_STATUS[OrderKind.DTC][unified]
    both = (OrderKind.B2B, OrderKind.DTC)
    assert status.raw_candidates(both, ()) is None
    assert status.raw_candidates(both, (OrderStatus.UNKNOWN,)) is None
    assert status.raw_candidates((OrderKind.B2B,), (OrderStatus.EXCEPTION,)) == set()


def test_index_filter_narrows_or_gives_up() -> None:
    query = index_filter(OrderFilter(statuses=(OrderStatus.PARTIALLY_SHIPPED,)))
    assert query is not None
    assert query.statuses is not None
    assert {"IN_PROGRESS", "PACKED"} <= query.statuses
    assert index_filter(OrderFilter(kinds=(OrderKind.RETAIL,))) is None
    assert index_filter(OrderFilter(statuses=(OrderStatus.ALLOCATED,))) is None
    errors_only = index_filter(OrderFilter(has_errors=True))
    assert errors_only is not None
    assert errors_only.statuses == {"ERROR"}
    assert (
        index_filter(OrderFilter(has_errors=True, statuses=(OrderStatus.SHIPPED,)))
        is None
    )


# Stock --------------------------------------------------------------------------


def test_inventory_per_warehouse_derives_allocated() -> None:
    raw = load("warehouses.json")
    stock = [wire.WarehouseStock.model_validate(item) for item in raw]
    levels = mapping_stock.to_inventory("SKU-10001", stock[0], raw[0])
    assert [
        (lv.location_id, lv.on_hand, lv.available, lv.allocated) for lv in levels
    ] == [
        ("ATL2", 455, 437, 18),
        ("CMH1", 1, 1, 0),
        ("RNO1", 503, 488, 15),
    ]
    assert {lv.sku for lv in levels} == {"SKU-10001"}
    assert {lv.provider_sku for lv in levels} == {"LS43343463"}


def test_inbound_shipments_map_po_number_status_and_lines() -> None:
    raw = load("inbound_shipments.json")
    in_transit, completed = (
        mapping_stock.to_inbound_shipment(wire.InboundShipment.model_validate(r), r)
        for r in raw
    )
    assert in_transit.purchase_order_number == "PO-10042"
    assert in_transit.status is PurchaseOrderStatus.OPEN
    assert in_transit.location_id == "ATL2"
    assert in_transit.supplier is not None
    assert in_transit.supplier.name == "Shenzhen Brightline"
    assert completed.status is PurchaseOrderStatus.CLOSED
    line = (completed.lines or ())[0]
    assert (line.id, line.sku, line.item_key) == ("5100012", "SKU-10013", "PO-10051-1")
    assert (line.quantity, line.received_quantity) == (132, 132)


# Events -------------------------------------------------------------------------


def test_events_become_index_entries() -> None:
    events = [wire.Event.model_validate(e) for e in load("events.json")]
    entries = {e.type: feed.to_entry(e) for e in events}
    assert entries["Inbound.ShipmentStatusChanged"] is None
    assert entries["Outbound.ShipmentStatusChanged"] is None
    assert entries["Shipment.Created"] is None
    created = entries["Outbound.Created"]
    assert created == IndexEntry(
        id="B2B-71001",
        kind=OrderKind.B2B,
        status="PLANNED",
        created_at=datetime(2026, 8, 4, 10, 59, 11, 796000, tzinfo=UTC),
        external_id="WHS-300001",
        version=1000002,
    )
    changed = entries["Outbound.StatusChanged"]
    assert changed is not None
    assert (changed.status, changed.provisional, changed.version) == (
        "BOOKED",
        True,
        1000013,
    )
    dtc_created = entries["Order.Created"]
    assert dtc_created is not None
    assert (dtc_created.id, dtc_created.external_id) == (
        "DTC-49201824001",
        "279-7091323-5449120",
    )
    for kind in ("Order.StatusChanged", "Order.Shipped", "Order.Cancelled"):
        entry = entries[kind]
        assert entry is not None
        assert entry.kind is OrderKind.DTC
    assert entries["Order.Shipped"].status == "SHIPPED"  # type: ignore[union-attr]


def test_link_header_and_feed_position() -> None:
    link = (
        "<http://h/flexport-logistics/logistics/api/2024-04/events?limit=100"
        '&page_info=eyJwIjo1fQ>; rel="next"'
    )
    assert feed.next_page_info(link) == "eyJwIjo1fQ"
    assert feed.next_page_info(None) is None
    assert feed.next_page_info('<http://h/events?limit=1>; rel="prev"') is None
    position = feed.FeedPosition("abc", 7)
    assert feed.FeedPosition.decode(position.encode()) == position
    assert feed.FeedPosition.decode(None) == feed.FeedPosition()
    assert feed.FeedPosition.decode("not json") == feed.FeedPosition()


def test_merge_rules() -> None:
    guess = IndexEntry(
        "B2B-1",
        OrderKind.B2B,
        "BOOKED",
        datetime(2026, 9, 2, tzinfo=UTC),
        None,
        5,
        True,
    )
    exact = IndexEntry(
        "B2B-1", OrderKind.B2B, "PLANNED", datetime(2026, 9, 1, tzinfo=UTC), "X", 3
    )
    merged = merge(guess, exact)
    assert merged.created_at == datetime(2026, 9, 1, tzinfo=UTC)
    assert merged.provisional is False
    assert (merged.status, merged.version) == ("BOOKED", 5), "older event loses"
    assert merged.external_id == "X"
    read = merge(merged, IndexEntry("B2B-1", OrderKind.B2B, status="SHIPPED"))
    assert (read.status, read.version) == ("SHIPPED", 5), "a read always applies"
    later_guess = merge(
        read,
        IndexEntry(
            "B2B-1",
            OrderKind.B2B,
            created_at=datetime(2027, 1, 1, tzinfo=UTC),
            provisional=True,
        ),
    )
    assert later_guess.created_at == datetime(2026, 9, 1, tzinfo=UTC)


def test_cursor_codec_rejects_foreign_cursors() -> None:
    key = "001785000000000|B2B-71001"
    assert decode_cursor(encode_cursor(key)) == key
    for bad in ("!!", encode_cursor("nonsense"), encode_cursor("12|B2B-1")):
        with pytest.raises(InvalidCursor):
            decode_cursor(bad)


# Ids, bodies, errors ------------------------------------------------------------


def test_domain_ids_carry_the_kind() -> None:
    assert refs.parse("B2B-71001") == refs.OrderRef(OrderKind.B2B, "71001")
    assert refs.parse("DTC-49201824001") == refs.OrderRef(OrderKind.DTC, "49201824001")
    for foreign in ("71001", "B2B-", "DTC-12a", "RETAIL-1", "b2b-1"):
        assert refs.parse(foreign) is None
    assert refs.OrderRef(OrderKind.DTC, "5").id == "DTC-5"


def test_bodies_use_lapi_names() -> None:
    data = OrderCreate(
        kind=OrderKind.B2B,
        external_id="PO-1",
        recipient=AddressInput(
            name="DC 1",
            line1="1 Main",
            city="Reno",
            region="NV",
            postal_code="89502",
            country="US",
        ),
        lines=(
            OrderLineCreate(sku="SKU-10001", quantity=2),
            OrderLineCreate(
                sku="SKU-10002", quantity=1, unit_of_measure="cs", external_id="L9"
            ),
        ),
        shipping=Shipping(service="LTL"),
        ship_by=datetime(2026, 11, 5, tzinfo=UTC),
    )
    body = bodies.outbound_body(data)
    assert body["type"] == "B2B"
    assert body["shipToAddress"] == {
        "name": "DC 1",
        "street1": "1 Main",
        "city": "Reno",
        "zip": "89502",
        "state": "NV",
        "country": "US",
    }
    assert body["transportationDetails"] == {
        "shippingPartner": "FLEXPORT",
        "shippingType": "LTL",
    }
    assert body["orderItems"][1] == {
        "quantity": 1,
        "quantityUOM": "CASE",
        "lineItemId": "L9",
        "productData": {"sku": "SKU-10002"},
    }
    assert body["shipBy"] == "2026-11-05T00:00:00Z"
    assert bodies.outbound_body(data) == body, "same input, same body (replays)"
    catalog = Catalog({"LS1": "SKU-10001"}, {"SKU-10001": "LS1"})
    dtc_body = bodies.dtc_body(data.model_copy(update={"kind": OrderKind.DTC}), catalog)
    assert dtc_body["lineItems"] == [
        {"logisticsSku": "LS1", "quantity": 2},
        {"logisticsSku": "SKU-10002", "quantity": 1},
    ]
    assert set(dtc_body) == {
        "externalOrderId",
        "lineItems",
        "address",
        "promisedShipByTime",
    }
    assert bodies.transportation("UPS Ground")["shippingMethod"] == "UPS Ground"
    assert bodies.transportation("two_day")["shippingSpeed"] == "TWO_DAY"


def test_parse_error_on_each_body_shape() -> None:
    conflict = problems.parse_error(load("error_400_invalid_status.json"))
    assert conflict.code == "407001"
    assert conflict.code in problems.CONFLICT_CODES
    assert conflict.message == "Order 71058 is IN_PROGRESS and cannot be cancelled"
    assert problems.parse_error(load("error_404.json")).code == "404"
    unauthorized = problems.parse_error(load("error_401.json"))
    assert (unauthorized.code, unauthorized.message) == (
        "401",
        "The access token is invalid",
    )
    invalid = problems.parse_error(load("error_422.json"))
    assert invalid.code == "422"
    assert invalid.fields["lineItems[0].quantity"].endswith("must be an integer >= 1")
    assert invalid.fields["address.street1"] == "address.street1 is required"
    assert len(invalid.fields) == 6
    minimal = problems.parse_error(load("error_minimal.json"))
    assert (minimal.code, minimal.message, minimal.fields) == (
        None,
        "The account is frozen",
        {},
    )
    assert problems.parse_error({"title": "Locked"}).message == "Locked"

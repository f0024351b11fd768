"""Flxpoint wire JSON -> domain models, status normalisation, filters, error bodies."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gateway.errors import Rejected
from gateway.models import OrderKind, OrderStatus, ShipmentStatus, line_status
from gateway.providers.base import OrderFilter
from gateway.providers.flxpoint import mapping, status, wire
from gateway.providers.flxpoint.api import Pages
from gateway.providers.flxpoint.query import instant, order_query
from gateway.providers.flxpoint.tail import Position

FIXTURES = Path(__file__).parent.parent / "fixtures" / "flxpoint"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def order_from(name: str) -> Any:
    raw = load(name)
    return mapping.to_order(wire.FulfillmentRequest.model_validate(raw), raw)


def test_to_order_maps_every_field_and_keeps_raw() -> None:
    order = order_from("fulfillment_request.json")
    assert order.provider == "flxpoint"
    assert order.kind is OrderKind.FULFILLMENT_REQUEST
    assert order.id == "4585457"  # JSON integer -> string
    assert order.external_id == "FR-310030"
    assert order.raw_status == "Acknowledged"
    assert order.shipping_status == "Shipped"
    assert order.status is OrderStatus.SHIPPED
    assert order.status_needs_lines is False
    assert order.acknowledged is True
    assert order.has_errors is False
    assert order.location_id == "30872"
    assert order.created_at == datetime(2026, 8, 21, 23, 43, 59, 763000, tzinfo=UTC)
    assert order.updated_at == datetime(2026, 9, 27, 2, 15, 58, 301000, tzinfo=UTC)
    assert order.cancelled_at is None
    assert order.recipient is not None
    assert order.recipient.name == "Kenji Silva"
    assert order.recipient.company == "Trailhead Outfitters LLC"
    assert order.recipient.line1 == "8568 Harbor Blvd"
    assert order.recipient.region == "TX"  # stateCode, not the state's name
    assert order.recipient.postal_code == "78774"
    assert order.recipient.country == "US"
    assert order.recipient.phone == "+1-555-437-9868"
    assert order.recipient.email == "kenji.silva92@example.com"
    assert order.raw["orderId"] == 2310022  # the channel order stays in raw
    assert order.raw == load("fulfillment_request.json")


def test_to_order_embeds_lines_with_quantities_and_cost() -> None:
    order = order_from("fulfillment_request.json")
    assert order.lines is not None
    shipped, cancelled, two = order.lines
    assert [line.id for line in order.lines] == ["8812061", "8812062", "8812063"]
    assert all(line.order_id == "4585457" for line in order.lines)
    assert shipped.sku == shipped.provider_sku == "SKU-10092"
    assert shipped.allocated_quantity == 1  # acknowledgedQuantity
    assert shipped.shipped_quantity == 1
    assert cancelled.cancelled_quantity == 1
    assert cancelled.allocated_quantity == 0
    assert two.unit_price is not None
    assert two.unit_price.amount == Decimal("70.33")
    assert two.raw["id"] == 8812063
    assert line_status(shipped, order.status) is OrderStatus.SHIPPED
    assert line_status(cancelled, order.status) is OrderStatus.CANCELLED


def test_voided_request_is_cancelled_at_voided_at() -> None:
    order = order_from("fulfillment_request_voided.json")
    assert order.status is OrderStatus.CANCELLED
    assert order.raw_status == "Voided"
    assert order.acknowledged is False
    assert order.cancelled_at == datetime(2026, 10, 16, 3, 20, 42, 523000, tzinfo=UTC)


def test_item_without_id_gets_a_positional_line_id() -> None:
    raw = load("fulfillment_request.json")
    del raw["fulfillmentRequestItems"][1]["id"]
    order = mapping.to_order(wire.FulfillmentRequest.model_validate(raw), raw)
    assert order.lines is not None
    assert order.lines[1].id == "4585457/1"


def test_null_item_lists_map_to_no_lines_or_items() -> None:
    raw = load("fulfillment_request.json") | {"fulfillmentRequestItems": None}
    order = mapping.to_order(wire.FulfillmentRequest.model_validate(raw), raw)
    assert order.lines == ()
    ship = load("shipments.json")[0] | {"shipmentItems": None}
    assert mapping.to_shipment(wire.Shipment.model_validate(ship), ship).items == ()


def test_recipient_name_falls_back_to_first_and_last_name() -> None:
    raw = load("fulfillment_request.json")
    raw["shippingAddress"] |= {"name": None, "stateCode": None, "countryCode": None}
    order = mapping.to_order(wire.FulfillmentRequest.model_validate(raw), raw)
    assert order.recipient is not None
    assert order.recipient.name == "Kenji Silva"
    assert order.recipient.region == "Texas"
    assert order.recipient.country == "United States"


@pytest.mark.parametrize(
    ("request_status", "shipping", "expected"),
    [
        ("Unprocessed", "Awaiting Shipment", OrderStatus.PENDING),
        ("Processing", "Awaiting Shipment", OrderStatus.PENDING),
        ("Processing", "Partially Shipped", OrderStatus.PARTIALLY_SHIPPED),
        ("Acknowledged", "Awaiting Shipment", OrderStatus.ACCEPTED),
        ("Acknowledged", "Shipped", OrderStatus.SHIPPED),
        ("Processed", "Awaiting Shipment", OrderStatus.ACCEPTED),
        ("Processed", None, OrderStatus.ACCEPTED),
        ("Cross Docked", "Awaiting Shipment", OrderStatus.IN_PROGRESS),
        ("Cross Docked", "Shipped", OrderStatus.SHIPPED),
        ("Canceled", "Canceled", OrderStatus.CANCELLED),
        ("Canceled", "Partially Shipped", OrderStatus.CANCELLED),
        ("Voided", "Canceled", OrderStatus.CANCELLED),
        ("Acknowledged", "Canceled", OrderStatus.CANCELLED),
        ("Failed", "Awaiting Shipment", OrderStatus.EXCEPTION),
        ("Additional Info Required", "Awaiting Shipment", OrderStatus.EXCEPTION),
        ("PO/FR # Exceeds Max Length", "Awaiting Shipment", OrderStatus.EXCEPTION),
        ("Duplicate PO/FR #", None, OrderStatus.EXCEPTION),
        # EXCEPTION only while nothing shipped; CANCELLED beats EXCEPTION.
        ("Failed", "Partially Shipped", OrderStatus.PARTIALLY_SHIPPED),
        ("Failed", "Canceled", OrderStatus.CANCELLED),
        ("Teleported", "Awaiting Shipment", OrderStatus.UNKNOWN),
        ("Acknowledged", "Lost At Sea", OrderStatus.UNKNOWN),
    ],
)
def test_to_status_follows_section_7_2(
    request_status: str, shipping: str | None, expected: OrderStatus
) -> None:
    assert status.to_status(request_status, shipping) is expected


def test_every_status_map_entry_is_covered() -> None:
    assert set(status.REQUEST_STATUS_MAP) == {
        "Unprocessed",
        "Processing",
        "Processed",
        "Acknowledged",
        "Canceled",
        "Failed",
        "Voided",
        "Additional Info Required",
        "PO/FR # Exceeds Max Length",
        "Duplicate PO/FR #",
        "Cross Docked",
    }
    assert set(status.SHIPPING_STATUS_MAP) == {
        "Awaiting Shipment",
        "Partially Shipped",
        "Shipped",
        "Canceled",
    }


def test_unknown_status_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert status.to_status("Teleported", None) is OrderStatus.UNKNOWN
    assert "unknown Flxpoint FR status" in caplog.text


def test_has_errors_reads_the_exception_set() -> None:
    raw = load("fulfillment_request.json")
    raw["fulfillmentRequestStatus"] = {"name": "Additional Info Required"}
    raw["fulfillmentStatus"] = "Awaiting Shipment"
    order = mapping.to_order(wire.FulfillmentRequest.model_validate(raw), raw)
    assert order.has_errors is True
    assert order.status is OrderStatus.EXCEPTION


@pytest.mark.parametrize(
    ("statuses", "has_errors", "params"),
    [
        ((), None, {}),
        (
            (OrderStatus.PENDING,),
            None,
            {
                "filterStatus": "Processing,Unprocessed",
                "filterFulfilmentStatus": "Awaiting Shipment",
            },
        ),
        ((OrderStatus.CANCELLED,), None, {"filterStatus": "Canceled,Voided"}),
        (
            (OrderStatus.SHIPPED,),
            None,
            {
                "filterStatus": ",".join(sorted(status.LIVE_STATUSES)),
                "filterFulfilmentStatus": "Shipped",
            },
        ),
        (
            (OrderStatus.EXCEPTION,),
            True,
            {
                "filterStatus": ",".join(sorted(status.EXCEPTION_STATUSES)),
                "filterFulfilmentStatus": "Awaiting Shipment",
            },
        ),
        (
            (),
            True,
            {"filterStatus": ",".join(sorted(status.EXCEPTION_STATUSES))},
        ),
        # A union of different pairs is a superset that keep() narrows again.
        (
            (OrderStatus.ACCEPTED, OrderStatus.SHIPPED),
            None,
            {
                "filterStatus": ",".join(sorted(status.LIVE_STATUSES)),
                "filterFulfilmentStatus": "Awaiting Shipment,Shipped",
            },
        ),
    ],
)
def test_order_query_maps_statuses_to_both_status_filters(
    statuses: tuple[OrderStatus, ...], has_errors: bool | None, params: dict[str, str]
) -> None:
    query = order_query(OrderFilter(statuses=statuses, has_errors=has_errors))
    assert not query.nothing
    assert dict(query.params) == params


@pytest.mark.parametrize(
    "filter",
    [
        OrderFilter(kinds=(OrderKind.DTC,)),
        OrderFilter(statuses=(OrderStatus.DELIVERED, OrderStatus.ALLOCATED)),
        OrderFilter(statuses=(OrderStatus.EXCEPTION,), has_errors=False),
    ],
)
def test_order_query_knows_when_nothing_can_match(filter: OrderFilter) -> None:
    assert order_query(filter).nothing


def test_order_query_keep_rechecks_what_x1_cannot_filter() -> None:
    order = order_from("fulfillment_request.json")
    assert order_query(OrderFilter(statuses=(OrderStatus.SHIPPED,))).keep(order)
    assert not order_query(OrderFilter(statuses=(OrderStatus.ACCEPTED,))).keep(order)
    assert order_query(OrderFilter(skus=("SKU-10072",))).keep(order)
    assert not order_query(OrderFilter(skus=("SKU-99999",))).keep(order)
    before = OrderFilter(created_before=datetime(2026, 8, 21, tzinfo=UTC))
    assert not order_query(before).keep(order)
    after = order_query(OrderFilter(created_after=datetime(2026, 9, 1)))  # naive: UTC
    assert after.too_old(order)
    assert not order_query(OrderFilter()).too_old(order)


def test_instant_is_utc_with_milliseconds() -> None:
    assert instant(datetime(2026, 10, 1, 12, tzinfo=UTC)) == "2026-10-01T12:00:00.000Z"
    assert instant(datetime(2026, 10, 1, 12)) == "2026-10-01T12:00:00.000Z"


def test_shipments_map_tracking_items_and_line_ids() -> None:
    raw = load("shipments.json")
    first = mapping.to_shipment(wire.Shipment.model_validate(raw[0]), raw[0])
    assert first.id == "9120031"
    assert first.order_id == "4585457"
    assert first.status is ShipmentStatus.SHIPPED
    assert first.raw_status is None
    assert first.carrier == "USPS"
    assert first.service == "USPS Priority Mail"
    assert first.tracking_numbers == ("9400903052088450209162",)
    assert first.tracking_url is not None
    assert first.tracking_url.endswith("9400903052088450209162")
    assert first.shipped_at == datetime(2026, 9, 12, 19, 51, 40, 263000, tzinfo=UTC)
    assert first.created_at == datetime(2026, 9, 12, 22, 53, 54, 805000, tzinfo=UTC)
    assert [(i.sku, i.quantity, i.line_id) for i in first.items] == [
        ("SKU-10065", 2, "8812063")
    ]
    assert first.raw == raw[0]


def test_inventory_variants_map_one_level_per_source() -> None:
    raw = load("variants.json")
    levels = [
        mapping.to_inventory(wire.InventoryVariant.model_validate(v), v) for v in raw
    ]
    assert [lv.location_id for lv in levels] == ["30871", "30872", "30874"]
    second = levels[1]
    assert second.sku == "SKU-10003"
    assert second.provider_sku == "7100303"
    assert second.available == 259
    assert second.on_hand == 287
    assert second.allocated == 28
    assert second.incoming == 144
    assert second.updated_at == datetime(2026, 10, 19, 13, 26, 37, 992000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "code", "conflict"),
    [
        ("error_already_acknowledged.json", mapping.ALREADY_ACKNOWLEDGED, True),
        ("error_cancel_shipped.json", mapping.CANCEL_SHIPPED, True),
        ("error_not_found.json", "NOT_FOUND", False),
        ("error_unauthorized.json", "UNAUTHORIZED", False),
    ],
)
def test_parse_error_reads_the_message_and_derives_a_code(
    name: str, code: str, conflict: bool
) -> None:
    body = load(name)
    parsed = mapping.parse_error(body)
    assert parsed.message == body["error"]
    assert parsed.code == code
    assert (parsed.code in mapping.CONFLICT_CODES) is conflict


@pytest.mark.parametrize(
    ("message", "code"),
    [
        (
            "Fulfillment request 4585401 is not in Processing status",
            mapping.NOT_PROCESSING,
        ),
        (
            "Fulfillment request 4585533 is Voided and cannot be canceled",
            mapping.CANCEL_VOIDED,
        ),
        (
            "Shipment with tracking number 1Z9 already exists for this purchase order",
            mapping.DUPLICATE_TRACKING_NUMBER,
        ),
        (
            "Fulfillment request 4585533 is Voided and cannot be shipped",
            mapping.NOT_SHIPPABLE,
        ),
        (
            "Cannot ship 3 units of SKU-1: fulfillment request 7 has 1 unshipped",
            mapping.OVER_SHIPPED,
        ),
        ("Fulfillment request 7 has no unshipped units", mapping.NOTHING_TO_SHIP),
        ("Rate limit exceeded (2 requests/second)", "RATE_LIMITED"),
        ("shipment.trackingNumber is required", None),
    ],
)
def test_parse_error_codes_every_illegal_transition(
    message: str, code: str | None
) -> None:
    assert mapping.parse_error({"error": message}).code == code


@pytest.mark.parametrize("body", [{}, {"error": None}, {"unexpected": True}])
def test_parse_error_without_a_message_is_empty(body: Any) -> None:
    parsed = mapping.parse_error(body)
    assert parsed.code is None
    assert parsed.message is None


def test_parse_error_rejects_other_shapes() -> None:
    with pytest.raises(ValueError, match="validation error"):
        mapping.parse_error([{"error": "x"}])


def test_position_cursor_round_trips_and_rejects_foreign_tokens() -> None:
    assert Position.decode(Position(150, 4585650).encode()) == Position(150, 4585650)
    assert Position.decode(Position(200).encode()) == Position(200)
    for token in ("", "12", "x.1", "1.y", "-1.2"):
        with pytest.raises(Rejected):
            Position.decode(token)


class FakeApi:
    """Serves a list of `total` FRs by page number and records each call."""

    slug = "flxpoint"

    def __init__(self, total: int) -> None:
        self.total = total
        self.calls: list[tuple[int, int]] = []

    async def page(
        self, path: str, params: Any, model: Any, number: int, size: int
    ) -> Any:
        self.calls.append((size, number))
        ids = range((number - 1) * size, min(number * size, self.total))
        return [(i, {"id": i}) for i in ids]


@pytest.mark.parametrize(
    ("low", "high", "calls"),
    [
        (180, 200, [(20, 10)]),  # aligned with its own size
        (150, 200, [(50, 4)]),
        (135, 165, [(33, 5)]),  # no multiple of 30 fits, 33 does
        (150, 250, [(100, 2), (100, 3)]),  # a 100-window off the grid: two pages
    ],
)
async def test_pages_read_a_window_as_one_page_where_a_size_fits(
    low: int, high: int, calls: list[tuple[int, int]]
) -> None:
    api = FakeApi(300)
    pages = Pages(api, "/x", [], object)  # type: ignore[arg-type]
    rows = await pages.span(low, high)
    assert api.calls == calls
    assert {i for i, _ in rows} >= set(range(low, high))
    await pages.span(low, high)
    assert api.calls == calls, "a page already read is not read again"

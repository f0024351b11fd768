"""X7-X9: shipment lists and reads, and creating shipments against FRs."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.sandbox import SandboxConfig

from .conftest import FakeClock, FlxpointApi, flxpoint_error

FRS = "/fulfillment-requests"
SHIPMENTS = "/shipments"


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(order_count=5, clock=clock, rate_limits=False)


async def _fr(flxpoint: FlxpointApi, status: str, shipping: str) -> dict[str, Any]:
    found = await flxpoint.get(
        FRS,
        {
            "filterStatus": status,
            "filterFulfilmentStatus": shipping,
            "filterPageSize": "100",
        },
    )
    for fr in found:
        if (
            sum(
                i["quantity"] - i["shippedQuantity"] - i["cancelledQuantity"]
                for i in fr["fulfillmentRequestItems"]
            )
            >= 3
        ):
            return dict(fr)
    return dict(found[0])


def _body(fr: dict[str, Any], tracking: str, **shipment: Any) -> dict[str, Any]:
    return {
        "purchaseOrderId": fr["id"],
        "shipment": {"trackingNumber": tracking, "carrier": "UPS", **shipment},
    }


async def test_list_walks_to_the_end_in_inserted_order(flxpoint: FlxpointApi) -> None:
    small, requests = await flxpoint.pages(SHIPMENTS, size=7)
    assert len(small) >= 60
    assert requests == len(small) // 7 + 1
    big, _ = await flxpoint.pages(SHIPMENTS, names=("page", "pageSize"), size=100)
    assert big == small
    stamps = [(s["insertedAt"], s["id"]) for s in small]
    assert stamps == sorted(stamps)
    assert [s["id"] for s in small] == sorted(s["id"] for s in small)
    assert len(await flxpoint.get(SHIPMENTS)) == 20, "default page size"


async def test_seeded_shipments_match_their_frs(flxpoint: FlxpointApi) -> None:
    shipments, _ = await flxpoint.pages(SHIPMENTS)
    frs, _ = await flxpoint.pages(
        FRS, {"filterFulfilmentStatus": "Shipped,Partially Shipped"}
    )
    assert {s["fulfillmentRequestId"] for s in shipments} == {fr["id"] for fr in frs}
    by_fr: dict[int, int] = {}
    for shipment in shipments:
        assert shipment["purchaseOrderId"] == shipment["fulfillmentRequestId"]
        assert shipment["trackingUrl"].startswith("https://")
        assert shipment["trackingNumber"] in shipment["trackingUrl"]
        assert shipment["shippedAt"] <= shipment["insertedAt"]
        for item in shipment["shipmentItems"]:
            assert item["shipmentId"] == shipment["id"]
            assert item["purchaseOrderItemId"] == item["fulfillmentRequestItemId"]
            key = item["fulfillmentRequestItemId"]
            by_fr[key] = by_fr.get(key, 0) + item["quantity"]
    for fr in frs:
        for item in fr["fulfillmentRequestItems"]:
            assert by_fr.get(item["id"], 0) == item["shippedQuantity"]


async def test_list_filters(flxpoint: FlxpointApi) -> None:
    shipments, _ = await flxpoint.pages(SHIPMENTS)
    some = shipments[len(shipments) // 2]
    by_fr = await flxpoint.get(
        SHIPMENTS, {"findByPurchaseOrderId": str(some["fulfillmentRequestId"])}
    )
    assert some in by_fr
    assert {s["fulfillmentRequestId"] for s in by_fr} == {some["fulfillmentRequestId"]}
    by_order = await flxpoint.get(SHIPMENTS, {"findByOrderId": str(some["orderId"])})
    assert some in by_order
    assert {s["orderId"] for s in by_order} == {some["orderId"]}
    created, _ = await flxpoint.pages(
        SHIPMENTS, {"filterCreatedAfter": some["insertedAt"]}
    )
    assert created == [s for s in shipments if s["insertedAt"] >= some["insertedAt"]]
    updated, _ = await flxpoint.pages(
        SHIPMENTS, {"filterUpdatedAfter": some["updatedAt"]}
    )
    assert updated == [s for s in shipments if s["updatedAt"] >= some["updatedAt"]]
    assert await flxpoint.get(SHIPMENTS, {"findByPurchaseOrderId": "1"}) == []
    body = await flxpoint.get(SHIPMENTS, {"findByOrderId": "x"}, expect=400)
    assert flxpoint_error(body) == "findByOrderId must be an integer"
    body = await flxpoint.get(SHIPMENTS, {"filterCreatedAfter": "soon"}, expect=400)
    assert "filterCreatedAfter must be an ISO 8601" in flxpoint_error(body)


async def test_get_one_and_404(flxpoint: FlxpointApi) -> None:
    first = (await flxpoint.get(SHIPMENTS, {"filterPageSize": "1"}))[0]
    assert await flxpoint.get(f"{SHIPMENTS}/{first['id']}") == first
    body = await flxpoint.get(f"{SHIPMENTS}/77", expect=404)
    assert flxpoint_error(body) == "Shipment 77 not found"


async def test_partial_then_full_shipment_moves_the_shipping_status(
    flxpoint: FlxpointApi, clock: FakeClock
) -> None:
    fr = await _fr(flxpoint, "Acknowledged", "Awaiting Shipment")
    item = fr["fulfillmentRequestItems"][0]
    clock.now += 10
    first = await flxpoint.post(
        SHIPMENTS,
        _body(
            fr,
            "1ZTEST0001",
            method="UPS Ground",
            note="box 1 of 2",
            shippingCost=7.5,
            shippedAt="2026-11-01T00:00:05Z",
            shipmentItems=[{"sku": item["sku"], "quantity": 1}],
        ),
    )
    assert first["fulfillmentRequestId"] == first["purchaseOrderId"] == fr["id"]
    assert (first["orderId"], first["sourceId"]) == (fr["orderId"], fr["sourceId"])
    assert (first["carrier"], first["method"], first["note"]) == (
        "UPS",
        "UPS Ground",
        "box 1 of 2",
    )
    assert first["shippingCost"] == 7.5
    assert first["shippedAt"] == "2026-11-01T00:00:05.000Z"
    assert first["partial"] is True
    assert first["insertedAt"] == first["updatedAt"]
    assert [
        (i["sku"], i["quantity"], i["fulfillmentRequestItemId"])
        for i in first["shipmentItems"]
    ] == [(item["sku"], 1, item["id"])]
    after = await flxpoint.get(f"{FRS}/{fr['id']}")
    assert after["fulfillmentStatus"] == "Partially Shipped"
    assert after["fulfillmentRequestItems"][0]["shippedQuantity"] == 1
    assert after["updatedAt"] == first["insertedAt"]
    rest = await flxpoint.post(
        SHIPMENTS,
        {
            "purchaseOrderNumber": fr["fulfillmentRequestNumber"],
            "sourceId": fr["sourceId"],
            "shipment": {"trackingNumber": "1ZTEST0002"},
        },
    )
    assert rest["partial"] is False
    assert rest["id"] > first["id"]
    done = await flxpoint.get(f"{FRS}/{fr['id']}")
    assert done["fulfillmentStatus"] == "Shipped"
    assert done["fulfillmentRequestStatus"]["name"] == "Acknowledged"
    assert all(
        i["shippedQuantity"] == i["quantity"] - i["cancelledQuantity"]
        for i in done["fulfillmentRequestItems"]
    )
    listed = await flxpoint.get(SHIPMENTS, {"findByPurchaseOrderId": str(fr["id"])})
    assert [s["id"] for s in listed][-2:] == [first["id"], rest["id"]]
    body = await flxpoint.post(SHIPMENTS, _body(fr, "1ZTEST0003"), expect=400)
    assert (
        flxpoint_error(body) == f"Fulfillment request {fr['id']} has no unshipped units"
    )
    body = await flxpoint.json("PATCH", f"{FRS}/{fr['id']}/cancel", 400)
    assert flxpoint_error(body) == "Cannot cancel a shipped fulfillment request"


async def test_items_match_by_any_documented_key(flxpoint: FlxpointApi) -> None:
    found = await flxpoint.get(
        FRS,
        {"filterStatus": "Processing", "filterFulfilmentStatus": "Awaiting Shipment"},
    )
    keys = ("sku", "sourceVariantId", "orderItemId", "purchaseOrderItemId")
    for key, fr in zip(keys, found, strict=False):
        item = fr["fulfillmentRequestItems"][-1]
        value = {
            "sku": item["sku"],
            "sourceVariantId": item["inventoryVariantId"],
            "orderItemId": item["orderItemId"],
            "purchaseOrderItemId": item["id"],
        }[key]
        shipment = await flxpoint.post(
            SHIPMENTS,
            _body(fr, f"T-{key}", shipmentItems=[{key: value, "quantity": 1}]),
        )
        shipped = shipment["shipmentItems"]
        assert [i["fulfillmentRequestItemId"] for i in shipped] == [item["id"]], key
        assert shipped[0]["inventoryVariantId"] == item["inventoryVariantId"]
        assert shipped[0]["orderItemId"] == item["orderItemId"]


async def test_duplicate_tracking_and_over_shipping_are_400(
    flxpoint: FlxpointApi,
) -> None:
    fr = await _fr(flxpoint, "Processed", "Awaiting Shipment")
    item = fr["fulfillmentRequestItems"][0]
    one = [{"sku": item["sku"], "quantity": 1}]
    await flxpoint.post(SHIPMENTS, _body(fr, "DUP-1", shipmentItems=one))
    body = await flxpoint.post(
        SHIPMENTS, _body(fr, "DUP-1", shipmentItems=one), expect=400
    )
    assert flxpoint_error(body) == (
        "Shipment with tracking number DUP-1 already exists for this purchase order"
    )
    if item["quantity"] >= 2:
        allowed = {
            **_body(fr, "DUP-1", shipmentItems=one),
            "allowDuplicateTrackingNumbers": True,
        }
        assert (await flxpoint.post(SHIPMENTS, allowed))["trackingNumber"] == "DUP-1"
    current = await flxpoint.get(f"{FRS}/{fr['id']}")
    left = current["fulfillmentRequestItems"][0]
    open_units = left["quantity"] - left["shippedQuantity"] - left["cancelledQuantity"]
    too_many = [{"sku": item["sku"], "quantity": open_units + 1}]
    body = await flxpoint.post(
        SHIPMENTS, _body(fr, "OVER-1", shipmentItems=too_many), expect=400
    )
    assert flxpoint_error(body) == (
        f"Cannot ship {open_units + 1} units of {item['sku']}: fulfillment request"
        f" {fr['id']} has {open_units} unshipped"
    )
    split = [
        {"sku": item["sku"], "quantity": open_units},
        {"purchaseOrderItemId": item["id"], "quantity": 1},
    ]
    body = await flxpoint.post(
        SHIPMENTS, _body(fr, "OVER-2", shipmentItems=split), expect=400
    )
    assert "Cannot ship" in flxpoint_error(body), "items naming one FR item add up"
    assert await flxpoint.get(f"{FRS}/{fr['id']}") == current


async def test_closed_or_unrouted_frs_cannot_ship(flxpoint: FlxpointApi) -> None:
    for status in ("Unprocessed", "Canceled", "Voided", "Failed"):
        fr = (await flxpoint.get(FRS, {"filterStatus": status}))[0]
        body = await flxpoint.post(SHIPMENTS, _body(fr, "NOPE-1"), expect=400)
        assert flxpoint_error(body) == (
            f"Fulfillment request {fr['id']} is {status} and cannot be shipped"
        )


async def test_create_validation(flxpoint: FlxpointApi) -> None:
    fr = await _fr(flxpoint, "Acknowledged", "Awaiting Shipment")
    other = (await flxpoint.get(FRS, {"filterStatus": "Processing"}))[0]
    item = fr["fulfillmentRequestItems"][0]
    cases: list[tuple[Any, int, str]] = [
        (
            {"shipment": {"trackingNumber": "T"}},
            400,
            "purchaseOrderId or purchaseOrderNumber is required",
        ),
        ({"purchaseOrderId": fr["id"]}, 400, "shipment must be an object"),
        (
            {"purchaseOrderId": fr["id"], "shipment": {}},
            400,
            "shipment.trackingNumber is required",
        ),
        (
            {"purchaseOrderId": fr["id"], "shipment": {"trackingNumber": "  "}},
            400,
            "shipment.trackingNumber must not be empty",
        ),
        (
            {"purchaseOrderId": 5, "shipment": {"trackingNumber": "T"}},
            404,
            "Fulfillment request 5 not found",
        ),
        (
            {"purchaseOrderNumber": "FR-1", "shipment": {"trackingNumber": "T"}},
            404,
            "Fulfillment request FR-1 not found",
        ),
        (
            {
                "purchaseOrderId": fr["id"],
                "purchaseOrderNumber": other["fulfillmentRequestNumber"],
                "shipment": {"trackingNumber": "T"},
            },
            400,
            "purchaseOrderId and purchaseOrderNumber name different fulfillment requests",
        ),
        (
            {
                "purchaseOrderId": fr["id"],
                "sourceId": 1,
                "shipment": {"trackingNumber": "T"},
            },
            404,
            f"Fulfillment request {fr['id']} not found for source 1",
        ),
        (
            _body(fr, "T", shipmentItems=[{"sku": item["sku"]}]),
            400,
            "shipment.shipmentItems[0].quantity is required",
        ),
        (
            _body(fr, "T", shipmentItems=[{"sku": item["sku"], "quantity": 0}]),
            400,
            "shipment.shipmentItems[0].quantity must be an integer >= 1",
        ),
        (
            _body(fr, "T", shipmentItems=[{"quantity": 1}]),
            400,
            "shipment.shipmentItems[0] needs exactly one of sku, sourceVariantId, orderItemId, purchaseOrderItemId",
        ),
        (
            _body(
                fr,
                "T",
                shipmentItems=[
                    {
                        "quantity": 1,
                        "sku": item["sku"],
                        "orderItemId": item["orderItemId"],
                    }
                ],
            ),
            400,
            "shipment.shipmentItems[0] needs exactly one of sku, sourceVariantId, orderItemId, purchaseOrderItemId",
        ),
        (
            _body(fr, "T", shipmentItems=[{"quantity": 1, "sku": "SKU-99999"}]),
            400,
            f"No item with sku SKU-99999 on fulfillment request {fr['id']}",
        ),
        (
            _body(fr, "T", shipmentItems=[]),
            400,
            "shipment.shipmentItems must not be empty",
        ),
        (
            _body(fr, "T", shippedAt="last tuesday"),
            400,
            "shipment.shippedAt must be an ISO 8601 date-time",
        ),
        (
            _body(fr, "T", shippingCost=-1),
            400,
            "shipment.shippingCost must be a number between 0 and 10000000",
        ),
        (
            {**_body(fr, "T"), "allowDuplicateTrackingNumbers": "yes"},
            400,
            "allowDuplicateTrackingNumbers must be true or false",
        ),
        (
            {**_body(fr, "T"), "fulfillmentRequestId": 1},
            400,
            "Unknown field fulfillmentRequestId",
        ),
    ]
    for body, status, message in cases:
        answer = await flxpoint.post(SHIPMENTS, body, expect=status)
        assert flxpoint_error(answer) == message, body
    assert await flxpoint.get(f"{FRS}/{fr['id']}") == fr

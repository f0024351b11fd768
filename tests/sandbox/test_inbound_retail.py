"""F17-F18 and F20-F22: inbound shipments, retail orders, correlationId replay."""

from __future__ import annotations

from typing import Any

from .conftest import Api, only_error

INBOUND: dict[str, Any] = {
    "correlationId": "corr-inbound-1",
    "customerUUID": "7d4f1f0e-0000-4000-8000-000000000001",
    "purchaseOrderId": "po-uuid-1",
    "poNumber": "PO-10007",
    "dropoffDate": "2026-11-20",
    "expectedInboundShipmentType": "container",
    "containerNumber": "MSCU1234567",
    "items": [
        {"sku": "SKU-10001", "quantity": 240, "unit": "each", "lotCode": "LOT-1"}
    ],
}
RETAIL: dict[str, Any] = {
    "correlationId": "corr-retail-1",
    "customerUUID": "7d4f1f0e-0000-4000-8000-000000000001",
    "id": "RFO-9001",
    "type": "retail",
    "items": [{"sku": "SKU-10001", "quantity": {"value": 24, "unit": "each"}}],
    "shipTo": {
        "name": "Target DC 579",
        "addressLine1": "1 Distribution Way",
        "locality": "Tifton",
        "region": "GA",
        "postcode": "31794",
        "country": "US",
    },
    "shipWindow": {"start": "2026-11-10", "end": "2026-11-17"},
    "destinationRetailer": "Target",
}


async def test_inbound_shipments_list_and_filters(flexe: Api) -> None:
    shipments, total = await flexe.collect(
        "/v2/inbound-shipments", "inboundShipments", {"pageSize": "15"}
    )
    assert total == len(shipments) == 40
    created = [s["createdAt"] for s in shipments]
    assert created == sorted(created, reverse=True)
    assert all(
        s["purchaseOrder"] == s["poNumber"] and s["poNumber"].startswith("PO-")
        for s in shipments
    )
    po = shipments[0]["poNumber"]
    by_po, _ = await flexe.collect(
        "/v2/inbound-shipments", "inboundShipments", {"purchaseOrder": po}
    )
    assert by_po
    assert {s["poNumber"] for s in by_po} == {po}
    received, _ = await flexe.collect(
        "/v2/inbound-shipments", "inboundShipments", {"state": "received"}
    )
    assert received
    assert all(s["receivedAt"] for s in received)
    customer = shipments[0]["customerUUID"]
    mine = await flexe.get(
        "/v2/inbound-shipments", {"customerUUID": customer, "pageSize": "500"}
    )
    assert mine["total"] == 40


async def test_create_inbound_shipment_and_replay(flexe: Api) -> None:
    created = await flexe.post("/v2/inbound-shipments", INBOUND, expect=201)
    assert (created["state"], created["poNumber"], created["purchaseOrder"]) == (
        "expected",
        "PO-10007",
        "PO-10007",
    )
    assert created["items"][0]["lotCode"] == "LOT-1"
    replay = await flexe.post(
        "/v2/inbound-shipments", {**INBOUND, "poNumber": "PO-99999"}, expect=200
    )
    assert replay == created
    listed = await flexe.get("/v2/inbound-shipments", {"ids": created["id"]})
    assert listed["inboundShipments"] == [created]


async def test_create_inbound_validation(flexe: Api) -> None:
    body = {
        **INBOUND,
        "correlationId": "corr-2",
        "dropoffDate": "soon",
        "items": [{"sku": "SKU-10001", "unit": "each"}],
    }
    errors = (await flexe.post("/v2/inbound-shipments", body, expect=422))["errors"]
    assert {e["field"] for e in errors} == {"dropoffDate", "items.0.quantity"}


async def test_create_retail_order_get_and_replay(flexe: Api) -> None:
    created = await flexe.post("/v2/retail-fulfillment-orders", RETAIL, expect=201)
    assert set(created) == {"id", "shipmentId", "state", "correlationId", "createdAt"}
    assert (created["id"], created["state"]) == ("RFO-9001", "new")
    replay = await flexe.post(
        "/v2/retail-fulfillment-orders", {**RETAIL, "id": "other"}, expect=200
    )
    assert replay == created
    full = await flexe.get(f"/v2/retail-fulfillment-orders/{created['shipmentId']}")
    assert full["items"] == RETAIL["items"]
    assert full["shipTo"]["addressLine2"] is None
    assert full["destinationRetailer"] == "Target"
    missing = await flexe.get("/v2/retail-fulfillment-orders/nope", expect=404)
    assert only_error(missing)["code"] == "RETAIL_FULFILLMENT_ORDER_NOT_FOUND"


async def test_create_retail_order_validation(flexe: Api) -> None:
    body = {
        **RETAIL,
        "correlationId": "corr-retail-2",
        "items": [{"sku": "SKU-00000", "quantity": {"value": 0, "unit": "each"}}],
        "shipWindow": {"start": "2026-11-17", "end": "2026-11-10"},
    }
    errors = (await flexe.post("/v2/retail-fulfillment-orders", body, expect=422))[
        "errors"
    ]
    assert {e["field"] for e in errors} == {
        "items.0.sku",
        "items.0.quantity.value",
        "shipWindow.end",
    }


async def test_update_retail_order_moves_forward_only(flexe: Api) -> None:
    created = await flexe.post("/v2/retail-fulfillment-orders", RETAIL, expect=201)
    path = f"/v2/retail-fulfillment-orders/{created['shipmentId']}"
    updated = await flexe.patch(
        path,
        {
            "state": "in_progress",
            "scac": "XPOL",
            "bolNumber": "BOL-1",
            "meta": {"dock": "4"},
        },
    )
    assert (
        updated["state"],
        updated["scac"],
        updated["bolNumber"],
        updated["meta"],
    ) == (
        "in_progress",
        "XPOL",
        "BOL-1",
        {"dock": "4"},
    )
    backwards = await flexe.patch(path, {"state": "new"}, expect=409)
    assert only_error(backwards)["code"] == "ORDER_NOT_UPDATABLE"
    late_cancel = await flexe.patch(path, {"state": "cancelled"}, expect=409)
    assert only_error(late_cancel)["code"] == "ORDER_NOT_UPDATABLE"
    assert (
        only_error(await flexe.patch(path, {"scac": "x"}, expect=422))["field"]
        == "scac"
    )
    assert (await flexe.patch(path, {"state": "shipped"}))["state"] == "shipped"

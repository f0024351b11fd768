"""LAPI DTC orders (L6-L8): create, read, cancel, advance and auto-advance."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from .conftest import Api, FakeClock, LapiApi

ADDRESS = {
    "name": "Ada Lovelace",
    "street1": "1 Analytical Way",
    "city": "Seattle",
    "zip": "98101",
    "state": "WA",
    "country": "US",
    "email": "ada@example.com",
}


async def order_body(lapi: LapiApi, **changes: Any) -> dict[str, Any]:
    """A valid L6 body for two well-stocked products."""
    stock = await lapi.get("/products/inventory/all", {"limit": "500"})
    skus = [row["logisticsSku"] for row in stock if row["available"] >= 10][:2]
    body: dict[str, Any] = {
        "externalOrderId": "#TEST-1",
        "lineItems": [
            {"logisticsSku": skus[0], "quantity": 2},
            {"logisticsSku": skus[1], "quantity": 1},
        ],
        "address": dict(ADDRESS),
        "promisedShipByTime": "2026-11-02T00:00:00Z",
        "deliveryDays": 3,
    }
    return {**copy.deepcopy(body), **changes}


async def advance(control: Api, order_id: int) -> dict[str, Any]:
    result: dict[str, Any] = await control.post(
        "/_sandbox/advance",
        {"provider": "flexport_logistics", "type": "order", "id": str(order_id)},
    )
    return result


async def test_create_and_read_by_id_and_encoded_external_id(lapi: LapiApi) -> None:
    created = await lapi.post("/orders", await order_body(lapi))
    assert created["state"] == {
        "internalStatus": "CREATED",
        "fulfillmentStatus": "UNFULFILLED",
    }
    assert isinstance(created["id"], int)
    assert created["shipments"] == []
    assert created["cost"] == round(3.25 + 0.85 * 3, 2)
    assert created["currency"] == "USD"
    assert created["address"]["name"] == "Ada Lovelace"
    assert created["promisedShipByTime"] == "2026-11-02T00:00:00Z"
    assert (created["shippedAt"], created["deliveredAt"]) == (None, None)
    assert await lapi.get(f"/orders/{created['id']}") == created
    assert await lapi.get(f"/orders/external_id/{quote('#TEST-1', safe='')}") == created


async def test_create_validation(lapi: LapiApi) -> None:
    body = await order_body(lapi)
    sku = body["lineItems"][0]["logisticsSku"]
    bad = {
        **body,
        "lineItems": [
            {"logisticsSku": sku, "quantity": 0},
            {"logisticsSku": "LS0", "quantity": 1},
            {"logisticsSku": sku, "quantity": 1},
        ],
        "packingSlipUrl": "http://x.example/slip.pdf",
        "duties": {"incoterm": "EXW"},
        "marketplace": "TIKTOK",
    }
    problem = await lapi.problem("POST", "/orders", 422, json=bad)
    assert problem["detail"] == (
        "marketplace is not a known field; lineItems[0].quantity must be an integer >= 1; "
        "lineItems[1].logisticsSku LS0 is not a known product; "
        "lineItems[2].logisticsSku duplicates lineItems[0].logisticsSku; "
        "packingSlipUrl must be an https URL; duties.incoterm must be DDP or DAP"
    )
    problem = await lapi.problem("POST", "/orders", 422, json={"lineItems": []})
    assert (
        problem["detail"]
        == "externalOrderId is required; lineItems must not be empty; address is required"
    )


async def test_duplicate_external_order_id_is_409(lapi: LapiApi) -> None:
    body = await order_body(lapi)
    await lapi.post("/orders", body)
    problem = await lapi.problem("POST", "/orders", 409, json=body)
    assert problem["detail"] == "Order with externalOrderId #TEST-1 already exists"


async def test_unknown_orders_are_404(lapi: LapiApi) -> None:
    for path in (
        "/orders/71001",
        "/orders/x",
        f"/orders/external_id/{quote('#0', safe='')}",
    ):
        assert (await lapi.problem("GET", path, 404))["detail"].startswith(
            "Cannot find order"
        )
    await lapi.problem("POST", "/orders/5/cancel", 404)


async def test_cancel_from_created_and_processing_only(
    lapi: LapiApi, control: Api
) -> None:
    first = await lapi.post("/orders", await order_body(lapi))
    cancelled = await lapi.post(f"/orders/{first['id']}/cancel")
    assert cancelled["state"] == {
        "internalStatus": "CANCELLED",
        "fulfillmentStatus": "CANCELLED",
    }
    assert await lapi.post(f"/orders/{first['id']}/cancel") == cancelled, (
        "repeat is unchanged"
    )
    second = await lapi.post("/orders", await order_body(lapi, externalOrderId="T-2"))
    assert (await advance(control, second["id"]))["state"] == "PROCESSING"
    assert (await lapi.post(f"/orders/{second['id']}/cancel"))["state"][
        "internalStatus"
    ] == "CANCELLED"
    third = await lapi.post("/orders", await order_body(lapi, externalOrderId="T-3"))
    await advance(control, third["id"])
    assert (await advance(control, third["id"]))["state"] == "PICKED"
    problem = await lapi.problem("POST", f"/orders/{third['id']}/cancel", 400)
    assert problem["code"] == 407001
    assert problem["detail"] == f"Order {third['id']} is PICKED and cannot be cancelled"


async def test_advance_walks_the_whole_machine(lapi: LapiApi, control: Api) -> None:
    order = await lapi.post("/orders", await order_body(lapi))
    steps = [(await advance(control, order["id"]))["state"] for _ in range(5)]
    assert steps == ["PROCESSING", "PICKED", "PACKED", "SHIPPED", "DELIVERED"]
    final = await lapi.get(f"/orders/{order['id']}")
    assert final["state"] == {
        "internalStatus": "DELIVERED",
        "fulfillmentStatus": "FULFILLED",
    }
    (shipment,) = final["shipments"]
    assert shipment["status"] == "DELIVERED"
    assert shipment["warehouseId"] in ("RNO1", "ATL2", "CMH1")
    packed = {}
    for package in shipment["packages"]:
        assert package["label"]["trackingCode"]
        assert package["label"]["carrier"] in ("UPS", "FedEx", "USPS")
        assert set(package["label"]["packageDimensions"]) == {
            "weight",
            "weightUnit",
            "length",
            "width",
            "height",
        }
        for line in package["lineItems"]:
            packed[line["logisticsSku"]] = (
                packed.get(line["logisticsSku"], 0) + line["quantity"]
            )
    assert packed == {
        line["logisticsSku"]: line["quantity"] for line in final["lineItems"]
    }
    assert final["shippedAt"]
    assert final["deliveredAt"]
    terminal = await control.call(
        "POST",
        "/_sandbox/advance",
        json={
            "provider": "flexport_logistics",
            "type": "order",
            "id": str(order["id"]),
        },
    )
    assert terminal.status == 409
    assert (await terminal.json())["errors"][0]["code"] == "NOT_ADVANCEABLE"


async def test_short_stock_sends_an_order_to_error(lapi: LapiApi, control: Api) -> None:
    stock = await lapi.get("/products/inventory/all", {"limit": "500"})
    empty = next(row["logisticsSku"] for row in stock if row["available"] == 0)
    order = await lapi.post(
        "/orders",
        await order_body(lapi, lineItems=[{"logisticsSku": empty, "quantity": 1}]),
    )
    assert (await advance(control, order["id"]))["state"] == "ERROR"
    assert (await lapi.problem("POST", f"/orders/{order['id']}/cancel", 400))[
        "code"
    ] == 407001
    assert (
        await control.call(
            "POST",
            "/_sandbox/advance",
            json={
                "provider": "flexport_logistics",
                "type": "order",
                "id": str(order["id"]),
            },
        )
    ).status == 409


async def test_api_orders_ship_by_themselves_within_the_hour(
    lapi: LapiApi, clock: FakeClock
) -> None:
    order = await lapi.post("/orders", await order_body(lapi))
    clock.now += 9 * 60
    assert (await lapi.get(f"/orders/{order['id']}"))["state"][
        "internalStatus"
    ] == "CREATED"
    clock.now += 61
    assert (await lapi.get(f"/orders/{order['id']}"))["state"][
        "internalStatus"
    ] == "PROCESSING"
    clock.now += 35 * 60
    shipped = await lapi.get(f"/orders/{order['id']}")
    assert shipped["state"] == {
        "internalStatus": "SHIPPED",
        "fulfillmentStatus": "FULFILLED",
    }
    created = datetime.fromisoformat(order["createdAt"])
    due = (created + timedelta(minutes=45)).isoformat(timespec="milliseconds")
    assert shipped["shippedAt"] == due.replace("+00:00", "Z"), (
        "stamped when it fell due"
    )
    events = await lapi.get("/events", {"orderId": str(order["id"])})
    assert [e["type"] for e in events] == [
        "Order.Created",
        "Order.StatusChanged",
        "Order.StatusChanged",
        "Shipment.Created",
        "Order.StatusChanged",
        "Shipment.Shipped",
        "Order.StatusChanged",
        "Order.Shipped",
    ]
    clock.now += 24 * 3600
    assert (await lapi.get(f"/orders/{order['id']}"))["state"][
        "internalStatus"
    ] == "SHIPPED", "delivery is not automatic"

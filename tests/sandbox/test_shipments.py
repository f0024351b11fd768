"""F16 and F19 over HTTP: shipments by ids / orderIds, webhook subscriptions."""

from __future__ import annotations

from .conftest import Api, only_error

SHIPMENT_KEYS = {
    "id",
    "orderId",
    "state",
    "carrier",
    "serviceType",
    "trackingNumbers",
    "shippedAt",
    "deliveredAt",
    "lines",
}


async def test_shipments_page_to_the_end_with_their_shape(flexe: Api) -> None:
    shipments, total = await flexe.collect(
        "/v2/shipments", "shipments", {"pageSize": "25"}
    )
    assert total == len(shipments) > 0
    assert all(set(s) == SHIPMENT_KEYS for s in shipments)
    assert {s["state"] for s in shipments} <= {
        "packed",
        "shipped",
        "delivered",
        "cancelled",
    }
    assert {"packed", "delivered"} <= {s["state"] for s in shipments}
    for shipment in shipments:
        assert (shipment["shippedAt"] is None) == (shipment["state"] == "packed")
        assert (shipment["deliveredAt"] is not None) == (
            shipment["state"] == "delivered"
        )
        assert bool(shipment["trackingNumbers"]) == (shipment["state"] != "packed")
        assert all(
            set(line) == {"lineId", "sku", "quantity"} for line in shipment["lines"]
        )


async def test_shipments_batch_by_order_ids_match_order_shipment_ids(
    flexe: Api,
) -> None:
    orders = (await flexe.get("/v2/orders", {"state": "shipped", "pageSize": "4"}))[
        "outboundOrders"
    ]
    expected: set[str] = set()
    for order in orders:
        expected |= set((await flexe.get(f"/v2/orders/{order['id']}"))["shipmentIds"])
    page = await flexe.get(
        "/v2/shipments", {"orderIds": ",".join(o["id"] for o in orders)}
    )
    assert {s["id"] for s in page["shipments"]} == expected
    some = sorted(expected)[:2]
    by_ids = await flexe.get(
        "/v2/shipments", [("ids", some[0]), ("ids", some[1]), ("ids", "missing")]
    )
    assert {s["id"] for s in by_ids["shipments"]} == set(some)


async def test_webhook_subscription_create_and_delete(flexe: Api) -> None:
    body = {
        "name": "gateway",
        "url": "http://127.0.0.1:9/webhooks/flexe",
        "events": ["outbound_order.state_changed", "shipment.shipped"],
        "secret": "s3cret",
    }
    created = await flexe.post("/v2/webhooks", body, expect=201)
    assert set(created) == {"id", "name", "url", "events", "createdAt"}
    assert created["events"] == body["events"]
    bad = await flexe.post(
        "/v2/webhooks", {**body, "events": ["order.exploded"]}, expect=422
    )
    assert only_error(bad)["field"] == "events.0"
    response = await flexe.call("DELETE", f"/v2/webhooks/{created['id']}")
    assert response.status == 204
    gone = await flexe.json("DELETE", f"/v2/webhooks/{created['id']}", 404)
    assert only_error(gone)["code"] == "WEBHOOK_NOT_FOUND"

"""LAPI under /_sandbox/: advance for outbounds, errors, reset and the index."""

from __future__ import annotations

from typing import Any

from gateway.sandbox import Sandbox, SandboxEvent

from .conftest import Api, LapiApi
from .test_flexport_logistics_outbounds import outbound_body


async def advance(
    control: Api, kind: str, object_id: int | str, expect: int = 200
) -> Any:
    return await control.post(
        "/flexport-logistics/_sandbox/advance",
        {"type": kind, "id": str(object_id)},
        expect=expect,
    )


async def test_advance_outbound_through_every_status(
    lapi: LapiApi, control: Api, sandbox: Sandbox
) -> None:
    seen: list[SandboxEvent] = []
    sandbox.events.subscribe(seen.append)
    order = await lapi.post("/outbounds", outbound_body())
    order_id = order["orderId"]
    steps = []
    for _ in range(4):
        answer = await advance(control, "outbound", order_id)
        assert (answer["provider"], answer["type"], answer["id"]) == (
            "flexport_logistics",
            "outbound",
            str(order_id),
        )
        steps.append((answer["previousState"], answer["state"]))
    assert steps == [
        ("PLANNED", "BOOKED"),
        ("BOOKED", "IN_PROGRESS"),
        ("IN_PROGRESS", "SHIPPED"),
        ("SHIPPED", "DELIVERED"),
    ]
    final = await lapi.get(f"/outbounds/{order_id}")
    (shipment,) = final["shipments"]
    assert shipment["status"] == "DELIVERED"
    assert {
        i["logisticsSku"]: (i["quantity"], i["shippedQuantity"])
        for i in shipment["shipmentItems"]
    } == {
        i["logisticsSku"]: (i["quantity"], i["quantity"]) for i in final["orderItems"]
    }
    packs = shipment["packDetails"]
    assert packs
    carriers = {(p["carrierName"], p["carrierSCAC"]) for p in packs}
    assert carriers == {("UPS", "UPSN")}, "from shippingMethod"
    assert all(
        p["trackingNumber"].startswith("1Z") and p["packageStatus"] == "DELIVERED"
        for p in packs
    )
    assert all(len(p["sscc"]) == 18 for p in packs)
    packed = sum(pi["quantity"] for p in packs for pi in p["packItems"])
    assert packed == sum(i["quantity"] for i in final["orderItems"])
    assert shipment["shipmentChargedWeight"] > 0
    assert (await advance(control, "outbound", order_id, expect=409))["errors"][0][
        "code"
    ] == "NOT_ADVANCEABLE"
    assert [e.type for e in seen] == [
        "Outbound.Created",
        "Outbound.StatusChanged",
        "Outbound.ShipmentStatusChanged",
        "Outbound.StatusChanged",
        "Outbound.ShipmentStatusChanged",
        "Outbound.ShipmentStatusChanged",
        "Outbound.StatusChanged",
        "Outbound.ShipmentStatusChanged",
        "Outbound.StatusChanged",
    ]
    assert seen[1].data["previousStatus"] == "PLANNED"
    assert seen[1].data["orderStatus"] == "BOOKED"
    assert seen[2].data == {
        **seen[2].data,
        "previousStatus": None,
        "status": "BOOKED",
        "shipmentId": shipment["shipmentId"],
    }


async def test_freight_outbounds_get_pallets_bol_and_pro(
    lapi: LapiApi, control: Api
) -> None:
    body = outbound_body()
    body["transportationDetails"] = {
        "shippingPartner": "FLEXPORT",
        "shippingType": "LTL",
    }
    order_id = (await lapi.post("/outbounds", body))["orderId"]
    await advance(control, "outbound", order_id)
    await advance(control, "outbound", order_id)
    packed = (await lapi.get(f"/outbounds/{order_id}"))["shipments"][0]
    assert all(
        p["trackingNumber"] is None and p["boxId"].startswith("PLT-")
        for p in packed["packDetails"]
    )
    ((freight),) = packed["freightDetails"]
    assert freight["bolId"].startswith("BOL")
    assert freight["proNumber"] is None
    await advance(control, "outbound", order_id)
    shipped = (await lapi.get(f"/outbounds/{order_id}"))["shipments"][0]
    assert shipped["freightDetails"][0]["proNumber"]


async def test_advance_errors(control: Api) -> None:
    assert (await advance(control, "parcel", 1, expect=400))["errors"][0][
        "field"
    ] == "type"
    for kind, object_id in (("outbound", 1), ("order", 71001), ("inbound", "x")):
        assert (await advance(control, kind, object_id, expect=404))["errors"][0][
            "code"
        ] == "NOT_FOUND"
    root = await control.post(
        "/_sandbox/advance",
        {"provider": "flexport_logistics", "type": "outbound", "id": "71001"},
        expect=409,
    )
    assert root["errors"][0]["message"] == "Order 71001 is DELIVERED"


async def test_reset_restores_the_seed_and_forgets_api_state(
    lapi: LapiApi, control: Api
) -> None:
    before = await lapi.get("/outbounds/71002")
    await lapi.post("/outbounds", outbound_body())
    await lapi.json(
        "POST",
        "/webhooks",
        202,
        json={"type": "Order.Shipped", "url": "https://h.example/x"},
    )
    await lapi.json(
        "POST",
        "/outbounds",
        json=outbound_body(externalId="K-1"),
        headers={"idempotency-key": "k"},
    )
    if before["orderStatus"] in ("PLANNED", "BOOKED"):
        await lapi.post("/outbounds/71002/cancel")
    assert (await control.call("POST", "/_sandbox/reset")).status == 204
    assert await lapi.get("/outbounds/71002") == before
    await lapi.problem("GET", "/outbounds/external_id/PO-TEST-1001", 404)
    assert await lapi.get("/webhooks") == []
    again = await lapi.call(
        "POST",
        "/outbounds",
        json=outbound_body(externalId="K-1"),
        headers={"idempotency-key": "k"},
    )
    assert (again.status, again.headers.get("idempotent-replayed")) == (200, None)
    index = await control.get("/_sandbox")
    assert index["providers"]["flexport_logistics"] == {
        "prefix": "/flexport-logistics",
        "token": "sandbox-flexport-logistics-token",
    }


async def test_partly_shipped_orders_complete_on_advance(
    lapi: LapiApi, control: Api, unlimited: None
) -> None:
    outbound = None
    for n in range(150):
        candidate = await lapi.get(f"/outbounds/{71001 + n}")
        if {s["status"] for s in candidate["shipments"]} == {"SHIPPED", "IN_PROGRESS"}:
            outbound = candidate
            break
    assert outbound is not None
    answer = await advance(control, "outbound", outbound["orderId"])
    assert (answer["previousState"], answer["state"]) == ("IN_PROGRESS", "SHIPPED")
    shipped = await lapi.get(f"/outbounds/{outbound['orderId']}")
    assert {s["status"] for s in shipped["shipments"]} == {"SHIPPED"}
    assert len(shipped["shipments"]) == len(outbound["shipments"])
    order = None
    for n in range(150):
        candidate = await lapi.get(f"/orders/{49201824001 + n}")
        if candidate["state"]["fulfillmentStatus"] == "PARTIALLY_FULFILLED":
            order = candidate
            break
    assert order is not None
    answer = await advance(control, "order", order["id"])
    assert (answer["previousState"], answer["state"]) == ("PACKED", "SHIPPED")
    done = await lapi.get(f"/orders/{order['id']}")
    assert done["state"]["fulfillmentStatus"] == "FULFILLED"
    assert {s["status"] for s in done["shipments"]} == {"SHIPPED"}
    packed: dict[str, int] = {}
    for shipment in done["shipments"]:
        for package in shipment["packages"]:
            for line in package["lineItems"]:
                sku = line["logisticsSku"]
                packed[sku] = packed.get(sku, 0) + line["quantity"]
    assert packed == {
        line["logisticsSku"]: line["quantity"] for line in done["lineItems"]
    }
    cancelled = await lapi.get("/outbounds/71002")
    assert cancelled["orderStatus"] == "CANCELLED"
    refused = await advance(control, "outbound", 71002, expect=409)
    assert refused["errors"][0]["message"] == "Order 71002 is CANCELLED"

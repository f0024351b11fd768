"""LAPI inbound shipments (L14-L15): paging, `shipmentIds` batch, seed, advance."""

from __future__ import annotations

from typing import Any

from gateway.sandbox import Sandbox

from .conftest import Api, LapiApi


async def test_inbounds_page_to_the_end_oldest_first(lapi: LapiApi) -> None:
    everything = await lapi.get("/inbounds/shipments")
    assert len(everything) == 40, "default limit 100 holds them all"
    walked: list[Any] = []
    requests = 0
    while True:
        page = await lapi.get(
            "/inbounds/shipments", {"limit": "7", "offset": str(len(walked))}
        )
        requests += 1
        walked.extend(page)
        if len(page) < 7:
            break
    assert (walked, requests) == (everything, 6)
    ids = [s["id"] for s in everything]
    assert ids == sorted(ids)
    assert ids[0] == 3100001
    for path, params, detail in [
        (
            "/inbounds/shipments",
            {"limit": "101"},
            "limit must be an integer between 1 and 100",
        ),
        ("/inbounds/shipments", {"shipmentIds": "1,x"}, "shipmentIds must be integers"),
        (
            "/inbounds/shipments",
            {"shipmentIds": ",".join(str(n) for n in range(101))},
            "shipmentIds accepts at most 100 values",
        ),
        (
            "/inbounds/shipments",
            {"status": "WORKING"},
            "Unknown query parameter status",
        ),
    ]:
        assert (await lapi.problem("GET", path, 400, params=params))["detail"] == detail


async def test_batch_by_shipment_ids_and_get_one(lapi: LapiApi) -> None:
    batch = await lapi.get(
        "/inbounds/shipments",
        [("shipmentIds", "3100005,3100002"), ("shipmentIds", "9")],
    )
    assert [s["id"] for s in batch] == [3100002, 3100005]
    assert (
        await lapi.get(
            "/inbounds/shipments",
            {"shipmentIds": "3100005,3100002", "limit": "1", "offset": "1"},
        )
        == batch[1:]
    )
    assert await lapi.get("/inbounds/shipments/3100002") == batch[0]
    assert (await lapi.problem("GET", "/inbounds/shipments/71001", 404))[
        "detail"
    ] == "Cannot find shipment 71001"


async def test_seed_statuses_fields_and_catalogue_po_numbers(
    lapi: LapiApi, sandbox: Sandbox
) -> None:
    shipments = await lapi.get("/inbounds/shipments")
    assert {s["status"] for s in shipments} == {
        "WORKING",
        "READY_TO_SHIP",
        "IN_TRANSIT",
        "ARRIVED",
        "COMPLETED",
    }
    for shipment in shipments:
        arrived = shipment["status"] in ("ARRIVED", "COMPLETED")
        assert (shipment["arrivedAt"] is not None) == arrived
        assert (shipment["completedAt"] is not None) == (
            shipment["status"] == "COMPLETED"
        )
        assert shipment["from"]["name"]
        assert len(shipment["from"]["country"]) == 2
        assert shipment["to"]["name"].endswith(f"({shipment['destination']})")
        for item in shipment["items"]:
            assert item["merchantSku"].startswith("SKU-")
            assert item["lineItemId"].startswith(
                shipment["shippingPlanExternalId"] + "-"
            )
            assert item["sellable"] + item["damaged"] <= item["expected"]
            assert (item["sellable"] > 0) == arrived
    numbers = {s["shippingPlanExternalId"] for s in shipments}
    assert numbers <= {f"PO-{10001 + n}" for n in range(60)}
    assert len(numbers) == 28, "some POs arrive in several shipments"
    plans = {(s["shippingPlanExternalId"], s["shippingPlanId"]) for s in shipments}
    assert len(plans) == len(numbers), "one shipping plan per PO"
    flexe = {s.po_number for s in sandbox.providers["flexe"].state.inbound.values()}  # type: ignore[attr-defined]
    shared = numbers & flexe
    assert 0.25 <= len(shared) / len(numbers) <= 0.75, (len(shared), len(numbers))


async def test_advance_to_completed_counts_units_into_stock(
    lapi: LapiApi, control: Api
) -> None:
    shipments = await lapi.get("/inbounds/shipments")
    working = next(s for s in shipments if s["status"] == "WORKING")
    skus = [i["logisticsSku"] for i in working["items"]]
    before = await lapi.get("/products/inventory", {"logisticsSkus": ",".join(skus)})
    since = await lapi.get("/events", {"type": "Inventory.Adjusted"})
    assert since == [], "seed history adjusts no stock"
    states = []
    for _ in range(4):
        answer = await control.post(
            "/_sandbox/advance",
            {
                "provider": "flexport_logistics",
                "type": "inbound",
                "id": str(working["id"]),
            },
        )
        states.append((answer["previousState"], answer["state"]))
    assert states == [
        ("WORKING", "READY_TO_SHIP"),
        ("READY_TO_SHIP", "IN_TRANSIT"),
        ("IN_TRANSIT", "ARRIVED"),
        ("ARRIVED", "COMPLETED"),
    ]
    done = await lapi.get(f"/inbounds/shipments/{working['id']}")
    assert done["arrivedAt"]
    assert done["completedAt"]
    after = await lapi.get("/products/inventory", {"logisticsSkus": ",".join(skus)})
    for item, old, new in zip(done["items"], before, after, strict=True):
        assert item["sellable"] + item["damaged"] > 0
        assert new["available"] == old["available"] + item["sellable"]
        assert new["unavailable"] == old["unavailable"] + item["damaged"]
    events = await lapi.get("/events", {"shipmentId": str(working["id"])})
    assert [e["type"] for e in events] == ["Inbound.ShipmentStatusChanged"] * 4 + [
        "Inbound.Received"
    ] + ["Inbound.ShipmentStatusChanged"]
    adjusted = await lapi.get("/events", {"type": "Inventory.Adjusted"})
    assert [e["payload"]["logisticsSku"] for e in adjusted] == skus
    assert adjusted[-1]["payload"]["onHand"] == after[-1]["onHand"]
    final = await control.call(
        "POST",
        "/_sandbox/advance",
        json={
            "provider": "flexport_logistics",
            "type": "inbound",
            "id": str(working["id"]),
        },
    )
    assert final.status == 409

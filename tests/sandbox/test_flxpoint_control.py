"""The control surface for Flxpoint: faults, advance, events, reset, log, seeds."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpClient

from gateway.sandbox import Sandbox, SandboxConfig, SandboxEvent, create_sandbox

from .conftest import FLXPOINT_AUTH, Api, FakeClock, FlxpointApi, flxpoint_error

FRS = "/fulfillment-requests"


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(order_count=5, clock=clock, fault_timeout_s=0.05)


async def test_header_faults_answer_in_flxpoint_format(flxpoint: FlxpointApi) -> None:
    for fault, status, message in (
        ("404", 404, "Not found"),
        ("409", 409, "The request conflicts with the current state"),
        ("429", 429, "Rate limit exceeded (2 requests/second)"),
        ("500", 500, "Internal server error"),
        ("503", 503, "Service temporarily unavailable"),
        ("timeout", 504, "Gateway timeout"),
    ):
        response = await flxpoint.call(
            "GET",
            "/shipments",
            headers={"X-Sandbox-Fault": fault, "X-Sandbox-Retry-After": "3"},
        )
        assert response.status == status
        assert flxpoint_error(await response.json()) == message
        retry = "3" if status in (429, 503) else None
        assert response.headers.get("Retry-After") == retry
        assert response.headers["X-Auth-Pool-Size"] == "40"
        used = response.headers["X-Auth-Pool-Used"]
        assert used == "40" if status == 429 else int(used) < 40


async def test_404_fault_names_the_object_and_shape_faults_are_200s(
    flxpoint: FlxpointApi,
) -> None:
    for path, message in (
        (f"{FRS}/123", "Fulfillment request 123 not found"),
        ("/shipments/9", "Shipment 9 not found"),
        ("/orders/5/status", "Order 5 not found"),
    ):
        response = await flxpoint.call("GET", path, headers={"X-Sandbox-Fault": "404"})
        assert flxpoint_error(await response.json()) == message
    garbage = await flxpoint.call("GET", FRS, headers={"X-Sandbox-Fault": "garbage"})
    assert garbage.status == 200
    with pytest.raises(ValueError, match=r"Expecting|Unterminated"):
        await garbage.json()
    shape = await flxpoint.call("GET", FRS, headers={"X-Sandbox-Fault": "shape"})
    assert (shape.status, await shape.json()) == (200, {"unexpected": True})
    bad = await flxpoint.call("GET", FRS, headers={"X-Sandbox-Fault": "teapot"})
    assert bad.status == 400
    assert "X-Sandbox-Fault must be one of" in flxpoint_error(await bad.json())
    unauthenticated = await flxpoint.call(
        "GET", FRS, auth=False, headers={"X-Sandbox-Fault": "500"}
    )
    assert unauthenticated.status == 401, "faults apply after auth"


async def test_scheduled_rules_fire_then_stop(
    flxpoint: FlxpointApi, control: Api
) -> None:
    rule = await control.post(
        "/flxpoint/_sandbox/faults",
        {"method": "PATCH", "path": f"{FRS}/*/acknowledge", "fault": "503", "times": 2},
        expect=201,
    )
    assert rule["provider"] == "flxpoint"
    processing = (await flxpoint.get(FRS, {"filterStatus": "Processing"}))[0]
    path = f"{FRS}/{processing['id']}/acknowledge"
    assert (await flxpoint.call("GET", f"{FRS}/{processing['id']}")).status == 200
    for _ in range(2):
        response = await flxpoint.call("PATCH", path)
        assert (response.status, response.headers["Retry-After"]) == (503, "1")
    assert (await flxpoint.get(f"{FRS}/{processing['id']}")) == processing
    assert (await flxpoint.call("PATCH", path)).status == 200
    assert (await control.get("/_sandbox/faults"))["faults"] == []
    log = (await control.get("/_sandbox/requests", {"provider": "flxpoint"}))[
        "requests"
    ]
    patches = [e for e in log if e["method"] == "PATCH"]
    assert [(e["method"], e["status"], e["fault"]) for e in patches] == [
        ("PATCH", 503, "503"),
        ("PATCH", 503, "503"),
        ("PATCH", 200, None),
    ]
    assert all(e["provider"] == "flxpoint" for e in log)
    assert patches[-1]["path"] == path


async def test_request_log_keeps_query_params_as_sent(
    flxpoint: FlxpointApi, control: Api
) -> None:
    await flxpoint.get(
        FRS, [("frNumbers", "FR-310001,FR-310002"), ("frNumbers", "FR-310003")]
    )
    await flxpoint.call("GET", FRS, auth=False)
    entries = (await control.get("/flxpoint/_sandbox/requests"))["requests"]
    assert [(e["path"], e["status"]) for e in entries] == [(FRS, 200), (FRS, 401)]
    assert entries[0]["params"] == {"frNumbers": ["FR-310001,FR-310002", "FR-310003"]}


async def _advance(control: Api, fr_id: Any, expect: int = 200) -> Any:
    return await control.post(
        "/_sandbox/advance",
        {"provider": "flxpoint", "type": "fulfillment_request", "id": str(fr_id)},
        expect=expect,
    )


async def test_advance_walks_an_fr_to_shipped_and_publishes_events(
    flxpoint: FlxpointApi, control: Api, sandbox: Sandbox
) -> None:
    seen: list[SandboxEvent] = []
    unsubscribe = sandbox.events.subscribe(seen.append)
    candidates = await flxpoint.get(
        FRS, {"filterStatus": "Unprocessed", "filterPageSize": "100"}
    )
    fr = next(
        f
        for f in candidates
        if sum(i["quantity"] for i in f["fulfillmentRequestItems"]) >= 2
    )
    steps = [
        ("Unprocessed", "Processing"),
        ("Processing", "Acknowledged"),
        ("Acknowledged", "Partially Shipped"),
        ("Partially Shipped", "Shipped"),
    ]
    for previous, state in steps:
        result = await _advance(control, fr["id"])
        assert result == {
            "provider": "flxpoint",
            "type": "fulfillment_request",
            "id": str(fr["id"]),
            "previousState": previous,
            "state": state,
        }
    final = await flxpoint.get(f"{FRS}/{fr['id']}")
    assert final["fulfillmentRequestStatus"]["name"] == "Acknowledged"
    assert final["fulfillmentStatus"] == "Shipped"
    shipments = await flxpoint.get(
        "/shipments", {"findByPurchaseOrderId": str(fr["id"])}
    )
    assert len(shipments) == 2
    assert all(s["trackingNumber"] and s["trackingUrl"] for s in shipments)
    assert [s["partial"] for s in shipments] == [True, False]
    conflict = await _advance(control, fr["id"], expect=409)
    assert conflict["errors"][0]["code"] == "NOT_ADVANCEABLE"
    unsubscribe()
    assert all(e.provider == "flxpoint" for e in seen)
    assert [e.type for e in seen] == [
        "fulfillment_request.status_changed",
        "fulfillment_request.status_changed",
        "shipment.created",
        "fulfillment_request.fulfillment_status_changed",
        "shipment.created",
        "fulfillment_request.fulfillment_status_changed",
    ]
    assert seen[0].data == {
        "id": fr["id"],
        "fulfillmentRequestNumber": fr["fulfillmentRequestNumber"],
        "orderId": fr["orderId"],
        "sourceId": fr["sourceId"],
        "previousStatus": "Unprocessed",
        "status": "Processing",
    }
    assert seen[-1].data["fulfillmentStatus"] == "Shipped"
    assert seen[2].data["fulfillmentRequestId"] == fr["id"]


async def test_api_changes_publish_events(
    flxpoint: FlxpointApi, sandbox: Sandbox
) -> None:
    seen: list[SandboxEvent] = []
    sandbox.events.subscribe(seen.append)
    fr = (await flxpoint.get(FRS, {"filterStatus": "Processing"}))[0]
    await flxpoint.post(f"{FRS}/{fr['id']}/adjust")
    await flxpoint.json("PATCH", f"{FRS}/{fr['id']}/cancel", 200)
    await flxpoint.json(
        "PUT",
        "/inventory/variants",
        200,
        json=[{"inventoryVariantId": 7100001, "quantity": 1}],
    )
    await flxpoint.json(
        "PATCH", f"/orders/{fr['orderId']}/status", 200, params={"status": "Canceled"}
    )
    types = [e.type for e in seen]
    assert types[:4] == [
        "fulfillment_request.adjusted",
        "fulfillment_request.status_changed",
        "fulfillment_request.status_changed",
        "fulfillment_request.fulfillment_status_changed",
    ]
    assert "inventory_variant.updated" in types
    assert types[-1] == "order.status_changed"
    assert seen[-1].data["status"] == "Canceled"


async def test_advance_errors(flxpoint: FlxpointApi, control: Api) -> None:
    await _advance(control, "999", expect=404)
    await _advance(control, "abc", expect=404)
    bad = await control.post(
        "/flxpoint/_sandbox/advance", {"type": "order", "id": "1"}, expect=400
    )
    assert bad["errors"][0]["field"] == "type"
    for status in ("Canceled", "Voided", "Failed", "Duplicate PO/FR #"):
        fr = (await flxpoint.get(FRS, {"filterStatus": status}))[0]
        body = await _advance(control, fr["id"], expect=409)
        assert status in body["errors"][0]["message"]
    processed = (
        await flxpoint.get(
            FRS,
            {
                "filterStatus": "Processed",
                "filterFulfilmentStatus": "Awaiting Shipment",
            },
        )
    )[0]
    result = await _advance(control, processed["id"])
    assert result["previousState"] == "Processed"
    assert result["state"] in ("Partially Shipped", "Shipped")


async def test_reset_restores_the_seed(flxpoint: FlxpointApi, control: Api) -> None:
    before = await flxpoint.get(FRS, {"sinceId": "4585600", "filterPageSize": "100"})
    fr = next(
        f for f in before if f["fulfillmentRequestStatus"]["name"] == "Processing"
    )
    await flxpoint.json("PATCH", f"{FRS}/{fr['id']}/acknowledge", 200)
    await _advance(control, fr["id"])
    assert (
        await flxpoint.get(FRS, {"sinceId": "4585600", "filterPageSize": "100"})
        != before
    )
    assert (await control.call("POST", "/flxpoint/_sandbox/reset")).status == 204
    assert (
        await flxpoint.get(FRS, {"sinceId": "4585600", "filterPageSize": "100"})
        == before
    )
    again = await flxpoint.get("/shipments", {"findByPurchaseOrderId": str(fr["id"])})
    assert again == []


async def _bytes(aiohttp_client: AiohttpClient, seed: int) -> bytes:
    app: web.Application = create_sandbox(
        SandboxConfig(seed=seed, order_count=5, clock=FakeClock())
    )
    client = await aiohttp_client(app)
    chunks = []
    for path, params in (
        (FRS, {"filterPageSize": "100", "filterPageNumber": "2"}),
        ("/shipments", {"filterPageSize": "100"}),
        ("/inventory/variants", {"pageSize": "100", "page": "5"}),
        ("/orders/2310007", {}),
    ):
        response = await client.get(
            f"/flxpoint{path}", params=params, headers=FLXPOINT_AUTH
        )
        assert response.status == 200
        chunks.append(await response.read())
    return b"\n".join(chunks)


async def test_same_seed_serves_identical_bytes(aiohttp_client: AiohttpClient) -> None:
    first = await _bytes(aiohttp_client, 7)
    assert first == await _bytes(aiohttp_client, 7)
    assert first != await _bytes(aiohttp_client, 8)

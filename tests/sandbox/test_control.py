"""The /_sandbox/ surface: request log, reset, settings, latency, advance, seeds."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web
from pytest_aiohttp import AiohttpClient
from yarl import URL

from gateway.sandbox import Sandbox, SandboxConfig, SandboxEvent, create_sandbox

from .conftest import AUTH, Api, FakeClock, order_body


async def test_request_log_records_every_provider_request(
    flexe: Api, control: Api
) -> None:
    raw = URL(
        str(flexe.client.make_url("/flexe/v2/orders")) + "?ids=a%2Cb&ids=c",
        encoded=True,
    )
    await (await flexe.client.session.get(raw, headers=AUTH)).read()
    await flexe.call("GET", "/v2/orders", auth=False)
    await flexe.call("GET", "/v2/shipments", headers={"X-Sandbox-Fault": "503"})
    await control.get("/_sandbox/settings")
    log = await control.get("/_sandbox/requests", {"provider": "flexe"})
    entries = log["requests"]
    assert [(e["method"], e["path"], e["status"], e["fault"]) for e in entries] == [
        ("GET", "/v2/orders", 200, None),
        ("GET", "/v2/orders", 401, None),
        ("GET", "/v2/shipments", 503, "503"),
    ]
    assert entries[0]["query"] == "ids=a%2Cb&ids=c", "the query exactly as sent"
    assert entries[0]["params"] == {"ids": ["a,b", "c"]}
    assert entries[0]["provider"] == "flexe"
    seqs = [e["seq"] for e in entries]
    assert seqs == sorted(seqs)
    assert log["lastSeq"] == seqs[-1]
    since = await control.get("/flexe/_sandbox/requests", {"since": str(seqs[0])})
    assert [e["seq"] for e in since["requests"]] == seqs[1:]
    assert (await control.call("DELETE", "/_sandbox/requests")).status == 204
    assert (await control.get("/_sandbox/requests"))["requests"] == []
    await flexe.call("GET", "/v2/lines", params={"pageSize": "1"})
    after = (await control.get("/_sandbox/requests"))["requests"]
    assert [e["seq"] for e in after] == [seqs[-1] + 1], "seq keeps counting"


async def test_reset_restores_seed_state_settings_and_rules(
    flexe: Api, control: Api
) -> None:
    before = await flexe.get("/v2/orders", {"pageSize": "5"})
    await flexe.post("/v2/orders", order_body(), expect=201)
    await control.patch("/_sandbox/settings", {"latencyMs": 5, "rateLimits": False})
    await control.post(
        "/_sandbox/faults",
        {"provider": "flexe", "fault": "500", "path": "/v2/inventory"},
        expect=201,
    )
    assert (await control.call("POST", "/flexe/_sandbox/reset")).status == 204
    assert await control.get("/_sandbox/settings") == {
        "latencyMs": 0.0,
        "rateLimits": True,
    }
    assert (await control.get("/_sandbox/faults"))["faults"] == []
    assert (await control.get("/_sandbox/requests"))["requests"] == []
    assert await flexe.get("/v2/orders", {"pageSize": "5"}) == before


async def test_latency_setting_delays_provider_requests_only(
    flexe: Api, control: Api
) -> None:
    settings = await control.patch("/_sandbox/settings", {"latencyMs": 120})
    assert settings == {"latencyMs": 120.0, "rateLimits": True}
    started = time.monotonic()
    assert (await flexe.call("GET", "/v2/orders/none")).status == 404
    assert time.monotonic() - started >= 0.12
    started = time.monotonic()
    await control.get("/_sandbox/settings")
    assert time.monotonic() - started < 0.1
    bad = await control.call("PATCH", "/_sandbox/settings", json={"latencyMs": -1})
    assert bad.status == 400


async def _advance(control: Api, order_id: str, expect: int = 200) -> Any:
    return await control.post(
        "/_sandbox/advance",
        {"provider": "flexe", "type": "order", "id": order_id},
        expect=expect,
    )


async def test_advance_walks_an_order_through_every_state(
    flexe: Api, control: Api
) -> None:
    order = await flexe.post(
        "/v2/orders",
        order_body(
            lines=[{"sku": "SKU-10001", "quantity": 2}, {"sku": "NOPE", "quantity": 1}]
        ),
        expect=201,
    )
    assert order["hasErrors"] is True
    oid = order["id"]
    steps = [
        ("new", "allocated"),
        ("allocated", "in_progress"),
        ("in_progress", "shipped"),
        ("shipped", "shipped"),
    ]
    for previous, state in steps:
        result = await _advance(control, oid)
        assert result == {
            "provider": "flexe",
            "type": "order",
            "id": oid,
            "previousState": previous,
            "state": state,
        }
        current = await flexe.get(f"/v2/orders/{oid}")
        assert current["state"] == state
        lines = (await flexe.get(f"/v2/orders/{oid}/lines"))["lines"]
        shipments = (await flexe.get("/v2/shipments", {"orderIds": oid}))["shipments"]
        if state == "allocated":
            assert current["hasErrors"] is False
            assert all(line["percentAllocated"] == 100 for line in lines)
        if previous == "allocated":
            assert [s["state"] for s in shipments] == ["packed"]
            assert current["shipmentIds"] == [shipments[0]["id"]]
        if previous == "in_progress":
            assert all(
                line["percentShipped"] == 100 and line["completelyShippedAt"]
                for line in lines
            )
            assert [s["state"] for s in shipments] == ["shipped"]
            assert shipments[0]["trackingNumbers"]
    assert [s["state"] for s in shipments] == ["delivered"]
    terminal = only_error_like(await _advance(control, oid, expect=409))
    assert terminal == "NOT_ADVANCEABLE"


def only_error_like(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["code"]
    return code


async def test_advance_rejects_unknown_ids_types_and_cancelled_orders(
    flexe: Api, control: Api
) -> None:
    await _advance(control, "missing", expect=404)
    bad_type = await control.post(
        "/flexe/_sandbox/advance", {"type": "pallet", "id": "x"}, expect=400
    )
    assert bad_type["errors"][0]["field"] == "type"
    cancelled = (
        await flexe.get("/v2/orders", {"state": "cancelled", "pageSize": "1"})
    )["outboundOrders"][0]
    await _advance(control, cancelled["id"], expect=409)


async def test_advance_inbound_and_retail(flexe: Api, control: Api) -> None:
    expected = (
        await flexe.get("/v2/inbound-shipments", {"state": "expected", "pageSize": "1"})
    )["inboundShipments"][0]
    body = {"provider": "flexe", "type": "inbound_shipment", "id": expected["id"]}
    assert (await control.post("/_sandbox/advance", body))["state"] == "receiving"
    assert (await control.post("/_sandbox/advance", body))["state"] == "received"
    received = (await flexe.get("/v2/inbound-shipments", {"ids": expected["id"]}))[
        "inboundShipments"
    ][0]
    assert received["receivedAt"] is not None
    assert all(
        item["receivedQuantity"] == item["quantity"] for item in received["items"]
    )
    await control.post("/_sandbox/advance", body, expect=409)


async def test_events_hook_sees_api_and_advance_changes(
    flexe: Api, control: Api, sandbox: Sandbox
) -> None:
    seen: list[SandboxEvent] = []
    unsubscribe = sandbox.events.subscribe(seen.append)
    order = await flexe.post("/v2/orders", order_body(), expect=201)
    await _advance(control, order["id"])
    unsubscribe()
    await _advance(control, order["id"])
    assert [(e.provider, e.type) for e in seen] == [
        ("flexe", "outbound_order.created"),
        ("flexe", "outbound_order.state_changed"),
    ]
    assert seen[1].data == {
        "orderId": order["id"],
        "externalId": "SO-TEST-1",
        "previousState": "new",
        "state": "allocated",
        "hasErrors": False,
    }


async def test_control_surface_is_open_and_lists_providers(control: Api) -> None:
    index = await control.get("/_sandbox")
    assert index["providers"] == {
        "flexe": {"prefix": "/flexe", "token": "sandbox-flexe-token"},
        "flexport_logistics": {
            "prefix": "/flexport-logistics",
            "token": "sandbox-flexport-logistics-token",
        },
        "flexport_v3": {"prefix": "/flexport-v3", "token": "sandbox-flexport-v3-token"},
        "flxpoint": {"prefix": "/flxpoint", "token": "sandbox-flxpoint-token"},
    }
    response = await control.call("GET", "/flexe/_sandbox/requests", auth=False)
    assert response.status == 200
    wrong = await control.call(
        "POST", "/flexe/_sandbox/faults", json={"provider": "other", "fault": "500"}
    )
    assert wrong.status == 400


async def _first_page(aiohttp_client: AiohttpClient, seed: int) -> bytes:
    app: web.Application = create_sandbox(SandboxConfig(seed=seed, clock=FakeClock()))
    client = await aiohttp_client(app)
    response = await client.get(
        "/flexe/v2/orders", params={"pageSize": "500"}, headers=AUTH
    )
    assert response.status == 200
    return await response.read()


async def test_same_seed_serves_identical_bytes(aiohttp_client: AiohttpClient) -> None:
    first = await _first_page(aiohttp_client, 7)
    assert first == await _first_page(aiohttp_client, 7)
    assert first != await _first_page(aiohttp_client, 8)
    assert b'"total": 600' in first


async def test_errors_on_the_control_surface(control: Api) -> None:
    response = await control.call("POST", "/_sandbox/advance", data=b"nope")
    assert response.status == 400
    assert only_error_like(await response.json()) == "INVALID_BODY"
    missing = await control.call("DELETE", "/_sandbox/faults/99")
    assert missing.status == 404
    error = await control.get("/_sandbox/requests", {"since": "x"}, expect=400)
    assert error["errors"][0]["field"] == "since"


async def test_request_log_keeps_only_the_newest_entries(
    aiohttp_client: AiohttpClient,
) -> None:
    client = await aiohttp_client(create_sandbox(SandboxConfig(request_log_size=3)))
    for _ in range(5):
        resp = await client.get(
            "/flexe/v2/orders", params={"pageSize": "1"}, headers=AUTH
        )
        assert resp.status == 200
    resp = await client.get("/_sandbox/requests")
    entries = (await resp.json())["requests"]
    assert len(entries) == 3
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    assert entries[-1]["seq"] - entries[0]["seq"] == 2

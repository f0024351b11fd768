"""Flexport v3 on the /_sandbox/ surface: advance, reset, request log, determinism."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpClient

from gateway.sandbox import Sandbox, SandboxConfig, SandboxEvent, create_sandbox

from .conftest import (
    FLEXPORT_V3_HEADERS,
    Api,
    FakeClock,
    FlexportV3Api,
    po_body,
    v3_error,
)


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(
        order_count=5, clock=clock, rate_limits=False, fault_timeout_s=0.05
    )


async def _advance(control: Api, po_id: Any, expect: int = 200) -> Any:
    return await control.post(
        "/_sandbox/advance",
        {"provider": "flexport_v3", "type": "purchase_order", "id": str(po_id)},
        expect=expect,
    )


async def _booked_units(api: FlexportV3Api, po_id: int) -> int:
    page = await api.data(
        "/booking_line_items", {"f.purchase_order.id": str(po_id), "per": "100"}
    )
    return sum(item["units"] for item in page["data"])


async def test_advance_walks_a_po_from_open_to_closed(
    flexport_v3: FlexportV3Api, control: Api, sandbox: Sandbox, clock: FakeClock
) -> None:
    seen: list[SandboxEvent] = []
    sandbox.events.subscribe(seen.append)
    po = await flexport_v3.upsert(po_body(), expect=201)
    pid = po["id"]
    steps = [("open", "acknowledged"), ("acknowledged", "booked"), ("booked", "closed")]
    for previous, state in steps:
        clock.now += 1
        result = await _advance(control, pid if previous != "open" else "PO-TEST-1")
        assert result == {
            "provider": "flexport_v3",
            "type": "purchase_order",
            "id": str(pid),
            "previousState": previous,
            "state": state,
        }
        current = await flexport_v3.data(f"/purchase_orders/{pid}")
        if state == "acknowledged":
            assert current["updated_at"] == po["updated_at"], "status stays open"
            assert current["status"] == "open"
        if state == "booked":
            assert current["status"] == "open"
            assert await _booked_units(flexport_v3, pid) == 740, "every unit booked"
            error = v3_error(
                await flexport_v3.post(
                    "/purchase_orders", po_body(status="cancelled"), expect=422
                )
            )
            assert error["message"] == (
                f"Purchase order {pid} may not be cancelled since it has an active "
                "booking"
            )
        if state == "closed":
            assert current["status"] == "closed"
    assert [e.type for e in seen] == [
        "/purchase_order#created",
        "/purchase_order#acknowledged",
        "/purchase_order#updated",
        "/purchase_order#closed",
    ]
    shipment = seen[2].data["data"]["shipment"]["id"]
    pos = await flexport_v3.data("/purchase_orders", {"f.shipment.id": str(shipment)})
    assert [p["id"] for p in pos["data"]] == [pid]
    terminal = await _advance(control, pid, expect=409)
    assert terminal["errors"][0]["code"] == "NOT_ADVANCEABLE"


async def test_advance_rejects_unknown_pos_types_and_cancelled_ones(
    flexport_v3: FlexportV3Api, control: Api
) -> None:
    missing = await _advance(control, 999, expect=404)
    assert missing["errors"][0]["code"] == "NOT_FOUND"
    bad = await control.post(
        "/flexport-v3/_sandbox/advance", {"type": "booking", "id": "1"}, expect=400
    )
    assert bad["errors"][0]["field"] == "type"
    cancelled = await flexport_v3.data(
        "/purchase_orders", {"f.archived_at.exists": "true", "per": "1"}
    )
    await _advance(control, cancelled["data"][0]["id"], expect=409)
    await flexport_v3.upsert(po_body(), expect=201)
    other = po_body()
    other["parties"][1]["external_ref"] = "porto-footwear-pt"
    await flexport_v3.upsert(other, expect=201)
    ambiguous = await _advance(control, "PO-TEST-1", expect=409)
    assert ambiguous["errors"][0]["code"] == "AMBIGUOUS"


async def test_reset_restores_the_seed(
    flexport_v3: FlexportV3Api, control: Api
) -> None:
    before = await flexport_v3.get("/purchase_orders", {"per": "100"})
    events = await flexport_v3.data("/events", {"per": "1"})
    po = await flexport_v3.upsert(po_body(), expect=201)
    assert (await control.call("POST", "/flexport-v3/_sandbox/reset")).status == 204
    await flexport_v3.get(f"/purchase_orders/{po['id']}", expect=404)
    assert await flexport_v3.get("/purchase_orders", {"per": "100"}) == before
    assert (await flexport_v3.data("/events", {"per": "1"}))["total_count"] == (
        events["total_count"]
    )
    again = await flexport_v3.upsert(po_body(), expect=201)
    assert again["id"] == po["id"], "ids restart with the seed"


async def test_request_log_and_index(flexport_v3: FlexportV3Api, control: Api) -> None:
    await flexport_v3.call("GET", "/purchase_orders", params={"f.status": "open"})
    await flexport_v3.call("GET", "/purchase_orders", auth=False)
    await flexport_v3.call("GET", "/documents", headers={"X-Sandbox-Fault": "timeout"})
    log = await control.get("/flexport-v3/_sandbox/requests")
    assert [
        (e["provider"], e["path"], e["query"], e["status"], e["fault"])
        for e in log["requests"]
    ] == [
        ("flexport_v3", "/purchase_orders", "f.status=open", 200, None),
        ("flexport_v3", "/purchase_orders", "", 401, None),
        ("flexport_v3", "/documents", "", 504, "timeout"),
    ]
    index = await control.get("/_sandbox")
    assert index["providers"]["flexport_v3"] == {
        "prefix": "/flexport-v3",
        "token": FLEXPORT_V3_HEADERS["Authorization"].split()[1],
    }


async def _dump(aiohttp_client: AiohttpClient, seed: int) -> bytes:
    """Every list of one fresh sandbox, with its origin blanked out."""
    app: web.Application = create_sandbox(
        SandboxConfig(seed=seed, order_count=5, clock=FakeClock(), rate_limits=False)
    )
    client = await aiohttp_client(app)
    chunks = []
    for path, params in [
        ("/purchase_orders", {"per": "100", "expand": "line_items"}),
        ("/purchase_orders", {"f.archived_at.exists": "true", "expand": "line_items"}),
        ("/events", {"per": "100", "page": "2"}),
        ("/documents", {"per": "100"}),
        ("/booking_line_items", {"per": "100"}),
    ]:
        response = await client.get(
            f"/flexport-v3{path}", params=params, headers=FLEXPORT_V3_HEADERS
        )
        assert response.status == 200
        origin = str(client.make_url("/")).rstrip("/").encode()
        chunks.append((await response.read()).replace(origin, b"ORIGIN"))
    return b"\n".join(chunks)


async def test_same_seed_serves_identical_bytes(aiohttp_client: AiohttpClient) -> None:
    first = await _dump(aiohttp_client, 7)
    assert first == await _dump(aiohttp_client, 7)
    assert first != await _dump(aiohttp_client, 8)
    assert b'"total_count": 53' in first
    assert b"ORIGIN/flexport-v3/purchase_orders/" in first

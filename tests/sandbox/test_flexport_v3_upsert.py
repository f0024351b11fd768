"""Flexport v3 V3: create-or-amend by full replace, concurrency and the event log."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from gateway.sandbox import Sandbox, SandboxConfig, SandboxEvent
from gateway.sandbox.catalog import build_catalog

from .conftest import FakeClock, FlexportV3Api, po_body, po_body_from, v3_error


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    # A small Flexe world and no 429s: these tests make many calls at one instant.
    return SandboxConfig(order_count=5, clock=clock, rate_limits=False)


async def _error(api: FlexportV3Api, body: Any, status: int = 422) -> str:
    error = v3_error(await api.post("/purchase_orders", body, expect=status))
    assert error["status"] == status
    if status == 422:
        assert error["code"] == "unprocessable_entity"
    message: str = error["message"]
    return message


async def _expanded(api: FlexportV3Api, po_id: int) -> Any:
    return await api.data(f"/purchase_orders/{po_id}", {"expand": "line_items"})


async def test_create_answers_201_with_lines_and_library_names(
    flexport_v3: FlexportV3Api,
) -> None:
    po = await flexport_v3.upsert(po_body(), expect=201)
    assert isinstance(po["id"], int)
    assert po["id"] > 171060
    assert (po["name"], po["status"], po["archived_at"]) == ("PO-TEST-1", "open", None)
    assert po["created_at"] == po["updated_at"] == "2026-11-01T00:00:00.000Z"
    lines = po["line_items"]["data"]
    assert [line["line_item_number"] for line in lines] == [1, 2]
    assert lines[0]["units"] == 500, "digit strings are accepted for units"
    catalogued = build_catalog(7).product("SKU-10001")
    assert catalogued is not None
    # A catalogue SKU sent without a name takes it from the product library.
    assert lines[0]["product"]["name"] == catalogued.name
    assert lines[0]["unit_cost"] == {
        "_object": "/money",
        "amount": "4.65",
        "currency_code": "USD",
    }, "the PO currency fills the line's"
    assert lines[1]["unit_cost"] is None
    assert lines[1]["product"]["name"] == "Cool Product 123"
    parties = {p["role"]: p["company_entity"]["name"] for p in po["parties"]}
    assert parties == {"buyer": "Northwind Goods Co.", "seller": "Hanoi Knitworks JSC"}
    assert await _expanded(flexport_v3, po["id"]) == po


async def test_a_new_sku_joins_the_library(flexport_v3: FlexportV3Api) -> None:
    await flexport_v3.upsert(po_body(), expect=201)
    body = po_body(name="PO-TEST-2")
    body["line_items"][1]["product"] = {"sku": "NEW-SKU-1"}
    po = await flexport_v3.upsert(body, expect=201)
    assert po["line_items"]["data"][1]["product"]["name"] == "Cool Product 123"


async def test_resending_is_an_amendment_that_moves_updated_at(
    flexport_v3: FlexportV3Api, clock: FakeClock
) -> None:
    first = await flexport_v3.upsert(po_body(), expect=201)
    clock.now += 5
    second = await flexport_v3.upsert(po_body())
    assert second["id"] == first["id"]
    assert second["created_at"] == first["created_at"]
    assert second["updated_at"] == "2026-11-01T00:00:05.000Z"
    ids = [line["id"] for line in second["line_items"]["data"]]
    assert ids == [line["id"] for line in first["line_items"]["data"]]


async def test_amendment_is_a_full_replace(
    flexport_v3: FlexportV3Api, clock: FakeClock
) -> None:
    created = await flexport_v3.upsert(
        po_body(
            memo="Hold for QA", order_type="Apparel", metadata={"season": ["FW26"]}
        ),
        expect=201,
    )
    old_lines = created["line_items"]["data"]
    body = po_body()
    body["line_items"] = [
        body["line_items"][0],
        {"item_key": "3", "product": {"sku": "SKU-10003"}, "units": 12},
    ]
    del body["priority"]
    clock.now += 1
    amended = await flexport_v3.upsert(body)
    assert (amended["memo"], amended["order_type"], amended["priority"]) == (None,) * 3
    assert amended["metadata"] == {}
    lines = amended["line_items"]["data"]
    assert [(line["item_key"], line["line_item_number"]) for line in lines] == [
        ("1", 1),
        ("3", 3),
    ]
    assert lines[0]["id"] == old_lines[0]["id"]
    assert lines[1]["unit_of_measure"] is None
    gone = await flexport_v3.get(
        f"/purchase_order_line_items/{old_lines[1]['id']}", expect=404
    )
    assert v3_error(gone)["message"].startswith("Couldn't find PurchaseOrderLineItem")


async def test_resending_an_expanded_po_changes_nothing_but_updated_at(
    flexport_v3: FlexportV3Api, clock: FakeClock
) -> None:
    page = await flexport_v3.data(
        "/purchase_orders", {"f.status": "open", "expand": "line_items", "per": "100"}
    )
    for po in page["data"][:5]:
        clock.now += 1
        again = await flexport_v3.upsert(po_body_from(po))
        assert again["updated_at"] > po["updated_at"]
        assert {**again, "updated_at": None} == {**po, "updated_at": None}


async def test_another_seller_makes_another_po(flexport_v3: FlexportV3Api) -> None:
    first = await flexport_v3.upsert(po_body(), expect=201)
    body = po_body()
    body["parties"][1]["external_ref"] = "porto-footwear-pt"
    second = await flexport_v3.upsert(body, expect=201)
    assert second["id"] != first["id"]
    named = await flexport_v3.data("/purchase_orders", {"f.name": "PO-TEST-1"})
    assert named["total_count"] == 2


async def test_the_seller_may_not_change_role(flexport_v3: FlexportV3Api) -> None:
    po = await flexport_v3.upsert(po_body(), expect=201)
    body = po_body()
    body["parties"] = [
        {"role": "buyer", "external_ref": "hanoi-knitworks-vn"},
        {"role": "seller", "external_ref": "porto-footwear-pt"},
    ]
    message = await _error(flexport_v3, body)
    assert message == (
        f"Purchase order {po['id']}: can not change the seller role of "
        "hanoi-knitworks-vn"
    )


async def test_concurrent_writes_to_one_po_conflict(
    flexport_v3: FlexportV3Api, control: FlexportV3Api
) -> None:
    await control.patch("/_sandbox/settings", {"latencyMs": 60})
    answers = await asyncio.gather(
        flexport_v3.call("POST", "/purchase_orders", json=po_body()),
        flexport_v3.call("POST", "/purchase_orders", json=po_body(memo="other")),
    )
    statuses = sorted(a.status for a in answers)
    assert statuses == [201, 409]
    loser = next(a for a in answers if a.status == 409)
    error = v3_error(await loser.json())
    assert error == {
        "_object": "/api/error",
        "status": 409,
        "code": "conflict",
        "message": "Purchase order PO-TEST-1 is being amended by another request",
    }
    others = await asyncio.gather(
        flexport_v3.call("POST", "/purchase_orders", json=po_body(memo="a")),
        flexport_v3.call("POST", "/purchase_orders", json=po_body(name="PO-TEST-9")),
    )
    assert sorted(a.status for a in others) == [200, 201], "different POs do not clash"
    await control.patch("/_sandbox/settings", {"latencyMs": 0})
    assert (await flexport_v3.upsert(po_body()))["memo"] is None


async def test_api_changes_are_logged_and_published(
    flexport_v3: FlexportV3Api, sandbox: Sandbox, clock: FakeClock
) -> None:
    seen: list[SandboxEvent] = []
    sandbox.events.subscribe(seen.append)
    po = await flexport_v3.upsert(po_body(), expect=201)
    clock.now += 1
    await flexport_v3.upsert(po_body())
    clock.now += 1
    await flexport_v3.upsert(po_body(memo="Revised"))
    clock.now += 1
    await flexport_v3.upsert(po_body(memo="Revised", status="cancelled"))
    log = await flexport_v3.data("/events", {"f.occurred_at.gte": po["created_at"]})
    types = [e["type"].split("#")[1] for e in log["data"]]
    assert types == ["created", "updated", "cancelled", "archived"]
    assert [(e.provider, e.type) for e in seen] == [
        ("flexport_v3", e["type"]) for e in log["data"]
    ]
    assert [e.data for e in seen] == log["data"]
    assert {e["data"]["purchase_order"]["id"] for e in log["data"]} == {po["id"]}
    versions = [e["data"]["context"]["purchase_order_version_id"] for e in log["data"]]
    assert versions == sorted(versions)

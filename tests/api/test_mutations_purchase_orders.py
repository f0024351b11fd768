"""purchaseOrderCreate, -Update, -Close and -Cancel at Flexport API v3."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from tests.api.mutations import (
    PO_CANCEL,
    PO_CLOSE,
    PO_CREATE,
    PO_UPDATE,
    PURCHASE_ORDER,
    mutate,
    ok,
    writes,
)
from tests.api.world import all_provider_gql
from tests.conftest import GQL, SandboxControl

V3 = "flexport_v3"


@pytest.fixture
async def every(aiohttp_client: Any, sandbox: TestServer) -> GQL:
    return await all_provider_gql(aiohttp_client, sandbox)


def po_input(number: str = "PO-GW-1", **changes: Any) -> dict[str, Any]:
    return {
        "number": number,
        "supplierRef": "hanoi-knitworks-vn",
        "buyerRef": "northwind-us",
        "incoterm": "FOB",
        "transportationMode": "ocean",
        "cargoReadyDate": "2027-03-01",
        "expectedArrival": "2027-04-15",
        "lines": [
            {"itemKey": "1", "sku": "GW-SKU-1", "productName": "One", "quantity": 10},
            {"itemKey": "2", "sku": "GW-SKU-2", "productName": "Two", "quantity": 20},
        ],
        **changes,
    }


async def created(gql: GQL, number: str = "PO-GW-1") -> dict[str, Any]:
    payload = await ok(gql, PO_CREATE, input=po_input(number))
    po: dict[str, Any] = payload["purchaseOrder"]
    return po


async def test_purchase_order_create_and_repeat_is_the_same_po(
    every: GQL, control: SandboxControl
) -> None:
    first = await created(every)
    assert (first["number"], first["status"]) == ("PO-GW-1", "OPEN")
    assert [(line["itemKey"], line["quantity"]) for line in first["lines"]] == [
        ("1", 10),
        ("2", 20),
    ]
    second = await created(every)
    assert second["id"] == first["id"]
    assert await writes(control, V3) == [("POST", "/purchase_orders")] * 2


async def test_purchase_order_create_invalid_values_never_reach_the_provider(
    every: GQL, control: SandboxControl
) -> None:
    await control.clear()
    payload = await mutate(every, PO_CREATE, input=po_input(incoterm="XYZ"))
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["input", "incoterm"], "INVALID")
    twice = [
        {"itemKey": "1", "sku": "A", "quantity": 1},
        {"itemKey": "1", "sku": "B", "quantity": 1},
    ]
    payload = await mutate(every, PO_CREATE, input=po_input(lines=twice))
    [error] = payload["userErrors"]
    assert error["field"] == ["input"]
    assert "itemKey must be unique" in error["message"]
    late = po_input(cargoReadyDate="2027-05-01")
    payload = await mutate(every, PO_CREATE, input=late)
    [error] = payload["userErrors"]
    assert "cargoReadyDate must be before expectedArrival" in error["message"]
    assert await writes(control, V3) == []


async def test_purchase_order_close_then_cancel_is_a_conflict(every: GQL) -> None:
    po = await created(every)
    closed = await ok(every, PO_CLOSE, id=po["id"])
    assert closed["purchaseOrder"]["status"] == "CLOSED"
    payload = await mutate(every, PO_CANCEL, id=po["id"])
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["id"], "CONFLICT")
    read = await every(PURCHASE_ORDER, {"id": po["id"]})
    assert read["data"]["purchaseOrder"]["status"] == "CLOSED"


async def test_purchase_order_cancel_shows_cancelled_on_the_next_read(
    every: GQL,
) -> None:
    po = await created(every)
    before = await every(PURCHASE_ORDER, {"id": po["id"]})
    assert before["data"]["purchaseOrder"]["status"] == "OPEN"
    await ok(every, PO_CANCEL, id=po["id"])
    after = await every(PURCHASE_ORDER, {"id": po["id"]})
    assert after["data"]["purchaseOrder"]["status"] == "CANCELLED"


async def test_purchase_order_update_changes_only_what_is_given(
    every: GQL, control: SandboxControl
) -> None:
    po = await created(every)
    await control.clear()
    payload = await ok(
        every,
        PO_UPDATE,
        id=po["id"],
        input={
            "transportationMode": "air",
            "lines": [
                {
                    "itemKey": "3",
                    "sku": "GW-SKU-3",
                    "productName": "Three",
                    "quantity": 5,
                }
            ],
            "removeItemKeys": ["1"],
        },
    )
    after = payload["purchaseOrder"]
    assert after["transportationMode"] == "air"
    assert after["incoterm"] == "FOB"
    assert [(line["itemKey"], line["quantity"]) for line in after["lines"]] == [
        ("2", 20),
        ("3", 5),
    ]
    assert await writes(control, V3) == [("POST", "/purchase_orders")]


async def test_purchase_order_update_since_a_stale_read_is_a_conflict(
    every: GQL, control: SandboxControl
) -> None:
    po = await created(every)
    await ok(every, PO_UPDATE, id=po["id"], input={"incoterm": "DAP"})
    await control.clear()
    payload = await mutate(
        every,
        PO_UPDATE,
        id=po["id"],
        input={"incoterm": "CIF", "expectedUpdatedAt": po["updatedAt"]},
    )
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["id"], "CONFLICT")
    assert await writes(control, V3) == []
    read = await every(PURCHASE_ORDER, {"id": po["id"]})
    assert read["data"]["purchaseOrder"]["incoterm"] == "DAP"


async def test_purchase_order_updates_at_once_both_land(every: GQL) -> None:
    po = await created(every)
    first, second = await asyncio.gather(
        mutate(every, PO_UPDATE, id=po["id"], input={"incoterm": "DDP"}),
        mutate(every, PO_UPDATE, id=po["id"], input={"transportationMode": "truck"}),
    )
    outcomes = [p["userErrors"] for p in (first, second)]
    assert all(
        errors == [] or [e["code"] for e in errors] == ["CONFLICT"]
        for errors in outcomes
    )
    read = await every(PURCHASE_ORDER, {"id": po["id"]})
    final = read["data"]["purchaseOrder"]
    # No update is lost silently: each either landed or answered CONFLICT.
    if first["userErrors"] == []:
        assert final["incoterm"] == "DDP"
    if second["userErrors"] == []:
        assert final["transportationMode"] == "truck"

"""Flexe through the mutations: retail orders, updates, lines, inbound notices."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from gateway import ids
from tests.api.mutations import (
    INBOUND_CREATE,
    ORDER,
    ORDER_CANCEL,
    ORDER_CREATE,
    ORDER_LINE_CANCEL,
    ORDER_LINE_CREATE,
    ORDER_UPDATE,
    mutate,
    ok,
    order_input,
    recipient,
    writes,
)
from tests.api.world import all_provider_gql
from tests.conftest import GQL, SandboxControl

CUSTOMER = "3f0c2b1e-5d7a-4c1e-9a51-0c2f6e8b7d11"
RETAIL = {
    "customerUuid": CUSTOMER,
    "shipWindowStart": "2027-01-04T00:00:00Z",
    "shipWindowEnd": "2027-01-08T00:00:00Z",
    "purchaseOrder": "TGT-PO-77",
}


@pytest.fixture
async def every(aiohttp_client: Any, sandbox: TestServer) -> GQL:
    return await all_provider_gql(aiohttp_client, sandbox)


async def dtc(gql: GQL, external_id: str, **changes: Any) -> dict[str, Any]:
    payload = await ok(
        gql, ORDER_CREATE, input=order_input("FLEXE", "DTC", external_id, **changes)
    )
    order: dict[str, Any] = payload["order"]
    return order


async def test_flexe_create_503_then_retry_leaves_exactly_one_order(
    every: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/orders", "503", provider="flexe", method="POST")
    order = await dtc(every, "GW-F503")
    posts = [
        r["status"]
        for r in await control.requests("flexe")
        if (r["method"], r["path"]) == ("POST", "/v2/orders")
    ]
    assert posts == [503, 201]
    found = await every(
        """{ orders(first: 5, filter: {providers: [FLEXE],
             externalIds: ["GW-F503"]}) { edges { node { id } } } }"""
    )
    assert [e["node"]["id"] for e in found["data"]["orders"]["edges"]] == [order["id"]]


async def test_flexe_repeat_with_the_key_returns_the_first_order(
    every: GQL, control: SandboxControl
) -> None:
    first = await dtc(every, "GW-FK", idempotencyKey="client-key-1")
    again = await dtc(every, "GW-FK", idempotencyKey="client-key-1")
    assert again["id"] == first["id"]
    other = await mutate(
        every,
        ORDER_CREATE,
        input=order_input("FLEXE", "DTC", "GW-FK", idempotencyKey="client-key-2"),
    )
    [error] = other["userErrors"]
    assert error["code"] == "CONFLICT"
    assert "GW-FK" in error["message"]


async def test_flexe_order_update_changes_only_what_is_given(every: GQL) -> None:
    order = await dtc(
        every, "GW-FU", flexe={"labels": [{"key": "channel", "value": "web"}]}
    )
    payload = await ok(
        every,
        ORDER_UPDATE,
        id=order["id"],
        input={"recipient": recipient(city="Reston", postalCode="20190")},
    )
    updated = payload["order"]
    assert updated["recipient"] == {
        "name": "Grace Hopper",
        "city": "Reston",
        "postalCode": "20190",
    }
    assert {"key": "channel", "value": "web"} in updated["labels"]
    bad = await mutate(
        every, ORDER_UPDATE, id=order["id"], input={"recipient": recipient(country="X")}
    )
    [error] = bad["userErrors"]
    assert error["field"] == ["input", "recipient", "country"]


async def test_flexe_order_line_create_and_cancel(
    every: GQL, control: SandboxControl
) -> None:
    order = await dtc(every, "GW-FL")
    added = await ok(
        every,
        ORDER_LINE_CREATE,
        orderId=order["id"],
        input={"sku": "SKU-10002", "quantity": 4, "idempotencyKey": "line-key-1"},
    )
    line = added["orderLine"]
    assert (line["sku"], line["quantity"]) == ("SKU-10002", 4)
    again = await ok(
        every,
        ORDER_LINE_CREATE,
        orderId=order["id"],
        input={"sku": "SKU-10002", "quantity": 4, "idempotencyKey": "line-key-1"},
    )
    assert again["orderLine"]["id"] == line["id"]
    read = await every(ORDER, {"id": order["id"]})
    assert len(read["data"]["order"]["lines"]) == 3
    cancelled = await ok(every, ORDER_LINE_CANCEL, id=line["id"])
    assert cancelled["orderLine"]["status"] == "CANCELLED"
    assert cancelled["orderLine"]["cancelledQuantity"] == 4
    await control.clear()
    wrong = await mutate(every, ORDER_LINE_CANCEL, id=order["id"])
    [error] = wrong["userErrors"]
    assert (error["field"], error["code"]) == (["id"], "INVALID")
    assert await writes(control, "flexe") == []


async def test_flexe_order_cancel_after_shipping_is_a_conflict(
    every: GQL, control: SandboxControl
) -> None:
    order = await dtc(every, "GW-FS")
    for _ in range(3):  # new -> allocated -> in_progress -> shipped
        await control.advance("flexe", "order", order["providerId"])
    payload = await mutate(every, ORDER_CANCEL, id=order["id"])
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["id"], "CONFLICT")
    update = await mutate(every, ORDER_UPDATE, id=order["id"], input={"notes": "x"})
    assert [e["code"] for e in update["userErrors"]] == ["CONFLICT"]


async def test_flexe_retail_order_create_update_cancel(
    every: GQL, control: SandboxControl
) -> None:
    created = await ok(
        every,
        ORDER_CREATE,
        input=order_input("FLEXE", "RETAIL", "GW-RET-1", flexe={"retail": RETAIL}),
    )
    order = created["order"]
    assert (order["kind"], order["status"]) == ("RETAIL", "PENDING")
    assert order["providerId"].startswith("RFO-")
    updated = await ok(
        every,
        ORDER_UPDATE,
        id=order["id"],
        input={"flexe": {"retail": {"scac": "ODFL", "bolNumber": "BOL-1"}}},
    )
    assert updated["order"]["id"] == order["id"]
    refused = await mutate(
        every, ORDER_UPDATE, id=order["id"], input={"notes": "not for retail"}
    )
    [error] = refused["userErrors"]
    assert error["field"] == ["input", "notes"]
    cancelled = await ok(every, ORDER_CANCEL, id=order["id"])
    assert cancelled["order"]["status"] == "CANCELLED"
    read = await every(ORDER, {"id": order["id"]})
    assert read["data"]["order"]["status"] == "CANCELLED"


async def test_inbound_shipment_create_and_its_replay(
    every: GQL, control: SandboxControl
) -> None:
    notice = {
        "purchaseOrderNumber": "PO-GW-IN-1",
        "customerUuid": CUSTOMER,
        "dropoffDate": "2027-02-01",
        "asnNumber": "ASN-GW-1",
        "items": [{"sku": "SKU-10001", "quantity": 120}],
        "idempotencyKey": "asn-key-1",
    }
    first = await ok(every, INBOUND_CREATE, input=notice)
    inbound = first["inboundShipment"]
    assert inbound["purchaseOrderNumber"] == "PO-GW-IN-1"
    again = await ok(every, INBOUND_CREATE, input=notice)
    assert again["inboundShipment"]["id"] == inbound["id"]
    by_number = await every(
        """{ purchaseOrderByNumber(number: "PO-GW-IN-1") { number } }"""
    )
    assert "errors" not in by_number
    listed = await every(
        "query($id: ID!) { node(id: $id) { id } }", {"id": inbound["id"]}
    )
    assert listed["data"]["node"]["id"] == inbound["id"]
    assert ids.decode(inbound["id"]).provider == "flexe"
    bad = await mutate(every, INBOUND_CREATE, input={**notice, "items": []})
    [error] = bad["userErrors"]
    assert error["field"] == ["input", "items"]

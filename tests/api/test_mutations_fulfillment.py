"""fulfillmentRequestAcknowledge, shipmentCreate and orderCancel at Flxpoint."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from gateway import ids
from tests.api.mutations import (
    ACKNOWLEDGE,
    ORDER,
    ORDER_CANCEL,
    SHIPMENT_CREATE,
    mutate,
    ok,
    writes,
)
from tests.api.world import all_provider_gql
from tests.conftest import GQL, SandboxControl

PROCESSING = """{ orders(first: 100, filter: {providers: [FLXPOINT],
  statuses: [PENDING]}) { edges { node { id rawStatus
  lines { id sku quantity } } } } }"""


@pytest.fixture
async def every(aiohttp_client: Any, sandbox: TestServer) -> GQL:
    return await all_provider_gql(aiohttp_client, sandbox)


async def processing(gql: GQL, skip: int = 0) -> dict[str, Any]:
    """A Flxpoint fulfilment request in Processing, with at least two lines."""
    body = await gql(PROCESSING)
    found = [
        edge["node"]
        for edge in body["data"]["orders"]["edges"]
        if edge["node"]["rawStatus"] == "Processing" and len(edge["node"]["lines"]) >= 2
    ]
    return found[skip]


async def test_acknowledge_in_full_accepts_every_line(
    every: GQL, control: SandboxControl
) -> None:
    fr = await processing(every)
    await control.clear()
    payload = await ok(every, ACKNOWLEDGE, id=fr["id"])
    order = payload["order"]
    assert (order["status"], order["rawStatus"]) == ("ACCEPTED", "Acknowledged")
    assert all(line["allocatedQuantity"] == line["quantity"] for line in order["lines"])
    fr_id = ids.decode(fr["id"]).id
    assert await writes(control, "flxpoint") == [
        ("PATCH", f"/fulfillment-requests/{fr_id}/acknowledge")
    ]
    again = await mutate(every, ACKNOWLEDGE, id=fr["id"])
    [error] = again["userErrors"]
    assert (error["field"], error["code"]) == (["id"], "CONFLICT")
    assert "already acknowledged" in error["message"]


async def test_acknowledge_lines_from_another_request_is_invalid(every: GQL) -> None:
    fr, other = await processing(every), await processing(every, skip=1)
    line = other["lines"][0]
    payload = await mutate(
        every,
        ACKNOWLEDGE,
        id=fr["id"],
        lines=[{"lineId": line["id"], "acknowledgedQuantity": 1}],
    )
    [error] = payload["userErrors"]
    assert error["field"] == ["lines", "0", "lineId"]
    assert error["code"] == "INVALID"


async def test_acknowledge_negative_quantity_is_invalid(every: GQL) -> None:
    fr = await processing(every)
    line = fr["lines"][0]
    payload = await mutate(
        every,
        ACKNOWLEDGE,
        id=fr["id"],
        lines=[{"lineId": line["id"], "acknowledgedQuantity": -1}],
    )
    [error] = payload["userErrors"]
    assert error["field"] == ["lines", "0", "acknowledgedQuantity"]


async def test_shipment_create_records_tracking_and_the_order_shows_it(
    every: GQL, control: SandboxControl
) -> None:
    fr = await processing(every)
    await ok(every, ACKNOWLEDGE, id=fr["id"])
    shipment = await ok(
        every,
        SHIPMENT_CREATE,
        input={"orderId": fr["id"], "trackingNumber": "1ZGW0001", "carrier": "UPS"},
    )
    assert shipment["shipment"]["trackingNumbers"] == ["1ZGW0001"]
    assert shipment["shipment"]["carrier"] == "UPS"
    # A repeat (the same tracking number) records nothing more.
    await ok(
        every,
        SHIPMENT_CREATE,
        input={"orderId": fr["id"], "trackingNumber": "1ZGW0001", "carrier": "UPS"},
    )
    shipped = await every(
        "query($id: ID!) { order(id: $id) { status shipments { trackingNumbers } } }",
        {"id": fr["id"]},
    )
    order = shipped["data"]["order"]
    assert order["status"] == "SHIPPED"
    assert [s["trackingNumbers"] for s in order["shipments"]] == [["1ZGW0001"]]


async def test_shipment_create_for_a_bad_order_id_is_invalid(every: GQL) -> None:
    payload = await mutate(
        every, SHIPMENT_CREATE, input={"orderId": "nope", "trackingNumber": "1Z"}
    )
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["input", "orderId"], "INVALID")


async def test_cancel_a_request_then_read_it_cancelled(every: GQL) -> None:
    fr = await processing(every)
    await ok(every, ORDER_CANCEL, id=fr["id"])
    body = await every(ORDER, {"id": fr["id"]})
    assert body["data"]["order"]["status"] == "CANCELLED"
    shipped = await mutate(
        every, SHIPMENT_CREATE, input={"orderId": fr["id"], "trackingNumber": "1ZX"}
    )
    [error] = shipped["userErrors"]
    assert error["code"] == "CONFLICT"


async def test_acknowledge_per_line_accepts_part_and_cancels_the_rest(
    every: GQL, control: SandboxControl
) -> None:
    fr = await processing(every)
    line = next(line for line in fr["lines"] if line["quantity"] >= 2)
    await control.clear()
    payload = await ok(
        every,
        ACKNOWLEDGE,
        id=fr["id"],
        lines=[{"lineId": line["id"], "acknowledgedQuantity": line["quantity"] - 1}],
    )
    after = {row["id"]: row for row in payload["order"]["lines"]}[line["id"]]
    assert after["allocatedQuantity"] == line["quantity"] - 1
    assert after["cancelledQuantity"] == 1
    fr_id = ids.decode(fr["id"]).id
    assert await writes(control, "flxpoint") == [
        ("POST", f"/fulfillment-requests/{fr_id}/adjust")
    ]


async def test_acknowledge_a_line_the_request_lacks_names_that_line(
    every: GQL,
) -> None:
    fr = await processing(every)
    ghost = ids.encode(ids.Ref("flxpoint", "OrderLine", f"{ids.decode(fr['id']).id}/9"))
    payload = await mutate(
        every,
        ACKNOWLEDGE,
        id=fr["id"],
        lines=[{"lineId": ghost, "acknowledgedQuantity": 1}],
    )
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["lines", "0", "lineId"], "INVALID")
    assert error["message"].startswith("FLXPOINT: ")

"""X3-X6 and X12-X13: the FR state machine and channel-order cancel, with every
illegal transition's 400."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.sandbox import SandboxConfig

from .conftest import FakeClock, FlxpointApi, flxpoint_error

FRS = "/fulfillment-requests"


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(order_count=5, clock=clock, rate_limits=False)


async def _frs(
    flxpoint: FlxpointApi, status: str, shipping: str | None = None
) -> list[dict[str, Any]]:
    params = {"filterStatus": status, "filterPageSize": "100"}
    if shipping is not None:
        params["filterFulfilmentStatus"] = shipping
    found: list[dict[str, Any]] = await flxpoint.get(FRS, params)
    assert found, (status, shipping)
    return found


async def _multi_item(flxpoint: FlxpointApi) -> dict[str, Any]:
    """A Processing FR, nothing shipped, with two or more items."""
    for fr in await _frs(flxpoint, "Processing", "Awaiting Shipment"):
        if len(fr["fulfillmentRequestItems"]) >= 2:
            return fr
    raise AssertionError("no multi-item Processing FR in the seed")


async def _patch(
    flxpoint: FlxpointApi, fr_id: int, action: str, expect: int = 200
) -> Any:
    return await flxpoint.json("PATCH", f"{FRS}/{fr_id}/{action}", expect)


async def test_acknowledge_from_processing_then_repeat_is_400(
    flxpoint: FlxpointApi, clock: FakeClock
) -> None:
    fr = (await _frs(flxpoint, "Processing", "Awaiting Shipment"))[0]
    clock.now += 5
    acked = await _patch(flxpoint, fr["id"], "acknowledge")
    assert acked["fulfillmentRequestStatus"] == {"name": "Acknowledged"}
    assert acked["acknowledgedAt"] == acked["updatedAt"]
    assert acked["updatedAt"] > fr["updatedAt"]
    assert acked["fulfillmentStatus"] == "Awaiting Shipment"
    for item in acked["fulfillmentRequestItems"]:
        assert item["acknowledgedQuantity"] == item["quantity"]
    assert await flxpoint.get(f"{FRS}/{fr['id']}") == acked
    again = await _patch(flxpoint, fr["id"], "acknowledge", expect=400)
    assert flxpoint_error(again) == (
        f"Fulfillment request {fr['id']} is already acknowledged"
    )


async def test_acknowledge_and_processed_need_processing(
    flxpoint: FlxpointApi,
) -> None:
    for status in ("Unprocessed", "Processed", "Canceled", "Failed", "Cross Docked"):
        fr = (await _frs(flxpoint, status))[0]
        expected = f"Fulfillment request {fr['id']} is not in Processing status"
        body = await _patch(flxpoint, fr["id"], "acknowledge", expect=400)
        assert flxpoint_error(body) == expected
        if status != "Processed":
            body = await _patch(flxpoint, fr["id"], "processed", expect=400)
            assert flxpoint_error(body) == expected
        assert await flxpoint.get(f"{FRS}/{fr['id']}") == fr, "nothing changed"


async def test_processed_from_processing_and_repeat_is_a_quiet_200(
    flxpoint: FlxpointApi, clock: FakeClock
) -> None:
    fr = (await _frs(flxpoint, "Processing"))[0]
    clock.now += 1
    done = await _patch(flxpoint, fr["id"], "processed")
    assert done["fulfillmentRequestStatus"]["name"] == "Processed"
    assert done["acknowledgedAt"] is None
    clock.now += 1
    assert await _patch(flxpoint, fr["id"], "processed") == done, "updatedAt kept"
    body = await _patch(flxpoint, fr["id"], "acknowledge", expect=400)
    assert "not in Processing status" in flxpoint_error(body)
    acked = (await _frs(flxpoint, "Acknowledged"))[0]
    body = await _patch(flxpoint, acked["id"], "processed", expect=400)
    assert flxpoint_error(body).endswith("is not in Processing status")


async def test_state_changes_take_no_body_or_query(flxpoint: FlxpointApi) -> None:
    fr = (await _frs(flxpoint, "Processing"))[0]
    path = f"{FRS}/{fr['id']}/acknowledge"
    body = await flxpoint.json("PATCH", path, 400, json={"note": "x"})
    assert flxpoint_error(body) == "This endpoint takes no request body"
    body = await flxpoint.json("PATCH", path, 400, data=b"{oops")
    assert flxpoint_error(body) == "Request body is not valid JSON"
    body = await flxpoint.json("PATCH", path, 400, params={"force": "true"})
    assert flxpoint_error(body) == "Unknown parameter force"
    assert (await flxpoint.json("PATCH", path, 200, json={}))["acknowledgedAt"]
    for action in ("acknowledge", "processed", "cancel"):
        body = await _patch(flxpoint, 999, action, expect=404)
        assert flxpoint_error(body) == "Fulfillment request 999 not found"


# --- X4 adjust ----------------------------------------------------------------


async def test_adjust_without_items_acknowledges_everything(
    flxpoint: FlxpointApi,
) -> None:
    fr = await _multi_item(flxpoint)
    adjusted = await flxpoint.post(f"{FRS}/{fr['id']}/adjust")
    assert adjusted["fulfillmentRequestStatus"]["name"] == "Acknowledged"
    for item in adjusted["fulfillmentRequestItems"]:
        assert (item["acknowledgedQuantity"], item["cancelledQuantity"]) == (
            item["quantity"],
            0,
        )
    again = await flxpoint.post(f"{FRS}/{fr['id']}/adjust", {}, expect=400)
    assert flxpoint_error(again).endswith("is already acknowledged")


async def test_adjust_fill_keeps_the_rest_open_and_kill_cancels_it(
    flxpoint: FlxpointApi,
) -> None:
    fr = await _multi_item(flxpoint)
    first, second = fr["fulfillmentRequestItems"][:2]
    body = {
        "items": [
            {
                "id": first["id"],
                "acknowledgedQuantity": 0,
                "secondaryAcknowledgedQuantity": 1,
            },
            {"sku": second["sku"], "acknowledgedQuantity": second["quantity"]},
        ]
    }
    filled = await flxpoint.post(f"{FRS}/{fr['id']}/adjust", body)
    items = {i["id"]: i for i in filled["fulfillmentRequestItems"]}
    assert items[first["id"]]["acknowledgedQuantity"] == 0
    assert items[first["id"]]["secondaryAcknowledgedQuantity"] == 1
    assert items[first["id"]]["cancelledQuantity"] == 0, "fill leaves it open"
    assert items[second["id"]]["acknowledgedQuantity"] == second["quantity"]
    assert filled["fulfillmentStatus"] == "Awaiting Shipment"

    other = [f for f in await _frs(flxpoint, "Processing") if f["id"] != fr["id"]]
    target = next(f for f in other if f["fulfillmentRequestItems"][0]["quantity"] >= 2)
    item = target["fulfillmentRequestItems"][0]
    killed = await flxpoint.post(
        f"{FRS}/{target['id']}/adjust",
        {
            "items": [{"id": item["id"], "acknowledgedQuantity": 1}],
            "killOrFillType": "kill",
        },
    )
    got = killed["fulfillmentRequestItems"][0]
    assert (got["acknowledgedQuantity"], got["cancelledQuantity"]) == (
        1,
        item["quantity"] - 1,
    )


async def test_adjust_cancels_unlisted_items_and_all_cancelled_is_canceled(
    flxpoint: FlxpointApi,
) -> None:
    fr = await _multi_item(flxpoint)
    first, *rest = fr["fulfillmentRequestItems"]
    adjusted = await flxpoint.post(
        f"{FRS}/{fr['id']}/adjust",
        {
            "items": [{"id": first["id"], "acknowledgedQuantity": first["quantity"]}],
            "cancelUnacknowledgedItemQuantity": True,
        },
    )
    items = {i["id"]: i for i in adjusted["fulfillmentRequestItems"]}
    for item in rest:
        assert items[item["id"]]["cancelledQuantity"] == item["quantity"]
    assert adjusted["fulfillmentRequestStatus"]["name"] == "Acknowledged"

    other = await _multi_item(flxpoint)
    cancelled = await flxpoint.post(
        f"{FRS}/{other['id']}/adjust",
        {
            "items": [
                {"id": i["id"], "cancelledQuantity": i["quantity"]}
                for i in other["fulfillmentRequestItems"]
            ]
        },
    )
    assert cancelled["fulfillmentRequestStatus"]["name"] == "Canceled"
    assert cancelled["fulfillmentStatus"] == "Canceled"
    assert cancelled["acknowledgedAt"] is None


async def test_adjust_validation(flxpoint: FlxpointApi) -> None:
    fr = await _multi_item(flxpoint)
    first, second = fr["fulfillmentRequestItems"][:2]
    path = f"{FRS}/{fr['id']}/adjust"
    cases = [
        ({"items": [{"id": 1}]}, f"Item 1 is not on fulfillment request {fr['id']}"),
        (
            {"items": [{"sku": "SKU-99999"}]},
            f"SKU SKU-99999 is not on fulfillment request {fr['id']}",
        ),
        (
            {"items": [{"id": first["id"], "sku": second["sku"]}]},
            f"items[0].sku {second['sku']} does not match item {first['id']}",
        ),
        ({"items": [{"acknowledgedQuantity": 1}]}, "items[0] needs id or sku"),
        (
            {"items": [{"id": first["id"]}, {"sku": first["sku"]}]},
            f"items[1] repeats item {first['id']}",
        ),
        (
            {
                "items": [
                    {
                        "id": first["id"],
                        "acknowledgedQuantity": first["quantity"],
                        "cancelledQuantity": 1,
                    }
                ]
            },
            f"acknowledgedQuantity plus cancelledQuantity ({first['quantity'] + 1}) exceeds quantity {first['quantity']} of item {first['id']}",
        ),
        (
            {"items": [{"id": first["id"], "acknowledgedQuantity": -1}]},
            "items[0].acknowledgedQuantity must be an integer >= 0",
        ),
        ({"items": []}, "items must not be empty"),
        ({"items": [{"id": first["id"], "qty": 1}]}, "Unknown field items[0].qty"),
        ({"killOrFillType": "both"}, "killOrFillType must be one of fill, kill"),
        (
            {"cancelUnacknowledgedItemQuantity": "yes"},
            "cancelUnacknowledgedItemQuantity must be true or false",
        ),
        ([1], "body must be an object"),
    ]
    for body, message in cases:
        answer = await flxpoint.post(path, body, expect=400)
        assert flxpoint_error(answer) == message, body
    assert await flxpoint.get(f"{FRS}/{fr['id']}") == fr, "all-or-nothing"


# --- X6 cancel ----------------------------------------------------------------


async def test_cancel_open_fr_then_repeat_is_a_quiet_200(flxpoint: FlxpointApi) -> None:
    fr = (await _frs(flxpoint, "Acknowledged", "Awaiting Shipment"))[0]
    cancelled = await _patch(flxpoint, fr["id"], "cancel")
    assert cancelled["fulfillmentRequestStatus"]["name"] == "Canceled"
    assert cancelled["fulfillmentStatus"] == "Canceled"
    for item in cancelled["fulfillmentRequestItems"]:
        assert item["cancelledQuantity"] == item["quantity"] - item["shippedQuantity"]
    assert await _patch(flxpoint, fr["id"], "cancel") == cancelled


async def test_cancel_partly_shipped_keeps_what_shipped(flxpoint: FlxpointApi) -> None:
    fr = (await _frs(flxpoint, "Acknowledged", "Partially Shipped"))[0]
    cancelled = await _patch(flxpoint, fr["id"], "cancel")
    assert cancelled["fulfillmentRequestStatus"]["name"] == "Canceled"
    assert cancelled["fulfillmentStatus"] == "Partially Shipped"
    for before, after in zip(
        fr["fulfillmentRequestItems"], cancelled["fulfillmentRequestItems"], strict=True
    ):
        assert after["shippedQuantity"] == before["shippedQuantity"]
        assert after["cancelledQuantity"] == (
            before["quantity"] - before["shippedQuantity"]
        )


async def test_cancel_shipped_or_voided_is_400(flxpoint: FlxpointApi) -> None:
    shipped = (await _frs(flxpoint, "Acknowledged", "Shipped"))[0]
    body = await _patch(flxpoint, shipped["id"], "cancel", expect=400)
    assert flxpoint_error(body) == "Cannot cancel a shipped fulfillment request"
    voided = (await _frs(flxpoint, "Voided"))[0]
    assert voided["voidedAt"] is not None
    body = await _patch(flxpoint, voided["id"], "cancel", expect=400)
    assert flxpoint_error(body) == (
        f"Fulfillment request {voided['id']} is Voided and cannot be canceled"
    )


# --- X12 / X13 channel orders -------------------------------------------------


async def test_get_order_lists_its_frs(flxpoint: FlxpointApi) -> None:
    fr = (await _frs(flxpoint, "Acknowledged", "Shipped"))[0]
    order = await flxpoint.get(f"/orders/{fr['orderId']}")
    assert order["id"] == fr["orderId"]
    assert {
        "id": fr["id"],
        "fulfillmentRequestNumber": fr["fulfillmentRequestNumber"],
    } in order["fulfillmentRequests"]
    ordered = {i["id"] for i in order["orderItems"]}
    assert {i["orderItemId"] for i in fr["fulfillmentRequestItems"]} <= ordered
    assert order["status"] in ("Shipped", "Partially Shipped")
    body = await flxpoint.get("/orders/42", expect=404)
    assert flxpoint_error(body) == "Order 42 not found"


async def test_cancel_order_cancels_its_unshipped_frs(
    flxpoint: FlxpointApi,
) -> None:
    fr = (await _frs(flxpoint, "Processing", "Awaiting Shipment"))[0]
    path = f"/orders/{fr['orderId']}/status"
    params = {"status": "Canceled", "updateNote": "Canceled Via API--- customer"}
    order = await flxpoint.json("PATCH", path, 200, params=params)
    assert order["status"] == "Canceled"
    assert order["canceledAt"] is not None
    assert order["note"].endswith("Canceled Via API--- customer")
    for ref in order["fulfillmentRequests"]:
        current = await flxpoint.get(f"{FRS}/{ref['id']}")
        assert current["fulfillmentRequestStatus"]["name"] in (
            "Canceled",
            "Voided",
        ) or (current["fulfillmentStatus"] == "Shipped")
    assert (await flxpoint.get(f"{FRS}/{fr['id']}"))["fulfillmentStatus"] == "Canceled"
    repeat = await flxpoint.json("PATCH", path, 200, params={"status": "Canceled"})
    assert repeat == order


async def test_cancel_order_errors(flxpoint: FlxpointApi) -> None:
    shipped = await _frs(flxpoint, "Acknowledged", "Shipped")
    order = None
    for fr in shipped:
        candidate = await flxpoint.get(f"/orders/{fr['orderId']}")
        if candidate["status"] == "Shipped":
            order = candidate
            break
    assert order is not None
    path = f"/orders/{order['id']}/status"
    body = await flxpoint.json("PATCH", path, 400, params={"status": "Canceled"})
    assert flxpoint_error(body) == f"Cannot cancel a shipped order {order['id']}"
    body = await flxpoint.json("PATCH", path, 400)
    assert flxpoint_error(body) == "status is required"
    body = await flxpoint.json("PATCH", path, 400, params={"status": "Open"})
    assert flxpoint_error(body) == "status must be one of Canceled; got 'Open'"
    body = await flxpoint.json(
        "PATCH", "/orders/1/status", 404, params={"status": "Canceled"}
    )
    assert flxpoint_error(body) == "Order 1 not found"


async def test_cancel_order_after_its_frs_were_cancelled_records_it_once(
    flxpoint: FlxpointApi, clock: FakeClock
) -> None:
    fr = (await _frs(flxpoint, "Processing", "Awaiting Shipment"))[-1]
    order = await flxpoint.get(f"/orders/{fr['orderId']}")
    for ref in order["fulfillmentRequests"]:
        current = await flxpoint.get(f"{FRS}/{ref['id']}")
        if current["fulfillmentStatus"] != "Shipped":
            await _patch(flxpoint, ref["id"], "cancel")
    path = f"/orders/{order['id']}/status"
    clock.now += 2
    first = await flxpoint.json(
        "PATCH", path, 200, params={"status": "Canceled", "updateNote": "dup"}
    )
    assert first["canceledAt"] is not None
    assert first["note"] == "dup"
    clock.now += 2
    again = await flxpoint.json(
        "PATCH", path, 200, params={"status": "Canceled", "updateNote": "other"}
    )
    assert again == first, "a second cancel changes nothing"

"""F5-F11 over HTTP: lines, line creation and cancellation rules, allocation errors."""

from __future__ import annotations

from typing import Any

from .conftest import Api, only_error, order_body

LINE_KEYS = {
    "id",
    "orderId",
    "externalId",
    "sku",
    "quantity",
    "unitOfMeasure",
    "labels",
    "createdAt",
    "updatedAt",
    "cancelledAt",
    "completelyShippedAt",
    "percentAllocated",
    "percentShipped",
    "hasErrors",
    "shipmentIds",
    "allocatedQuantity",
    "shippedQuantity",
}


async def _first(flexe: Api, state: str, **params: str) -> dict[str, Any]:
    page = await flexe.get("/v2/orders", {"state": state, "pageSize": "500", **params})
    assert page["outboundOrders"], f"no seeded {state} order"
    order: dict[str, Any] = page["outboundOrders"][0]
    return order


async def test_all_lines_page_to_the_end_and_filter(flexe: Api) -> None:
    lines, total = await flexe.collect("/v2/lines", "lines", {"pageSize": "100"})
    assert total == len(lines) > 120
    assert all(set(line) == LINE_KEYS for line in lines)
    created = [line["createdAt"] for line in lines]
    assert created == sorted(created), "oldest first"
    sku = lines[0]["sku"]
    by_sku, _ = await flexe.collect("/v2/lines", "lines", {"skus": sku})
    assert by_sku
    assert all(line["sku"] == sku for line in by_sku)
    errored, _ = await flexe.collect("/v2/lines", "lines", {"hasErrors": "true"})
    assert errored
    assert all(line["hasErrors"] for line in errored)


async def test_lines_batch_by_order_ids(flexe: Api) -> None:
    orders = (await flexe.get("/v2/orders", {"pageSize": "3"}))["outboundOrders"]
    ids = [o["id"] for o in orders]
    lines, _ = await flexe.collect(
        "/v2/lines", "lines", {"orderIds": ",".join([*ids, "unknown"])}
    )
    assert {line["orderId"] for line in lines} == set(ids)
    per_order = 0
    for order_id in ids:
        per_order += (await flexe.get(f"/v2/orders/{order_id}/lines"))["total"]
    assert per_order == len(lines)
    too_many = ",".join(str(n) for n in range(101))
    assert (
        only_error(await flexe.get("/v2/lines", {"orderIds": too_many}, expect=400))[
            "field"
        ]
        == "orderIds"
    )


async def test_order_lines_and_errors_page_one_by_one(flexe: Api) -> None:
    skus = [f"SKU-{10001 + n}" for n in range(5)] + ["GONE-1", "GONE-2"]
    body = order_body(lines=[{"sku": sku, "quantity": 1} for sku in skus])
    order = await flexe.post("/v2/orders", body, expect=201)
    path = f"/v2/orders/{order['id']}"
    lines, total = await flexe.collect(f"{path}/lines", "lines", {"pageSize": "1"})
    assert total == 7
    assert [line["sku"] for line in lines] == skus
    errors, total = await flexe.collect(
        f"{path}/allocation-errors", "allocationErrors", {"pageSize": "1"}
    )
    assert total == 2
    assert [e["orderLineId"] for e in errors] == [lines[5]["id"], lines[6]["id"]]


async def test_order_lines_filters_and_get_one(flexe: Api) -> None:
    order = await flexe.post("/v2/orders", order_body(), expect=201)
    lines = (await flexe.get(f"/v2/orders/{order['id']}/lines", {"externalIds": "L2"}))[
        "lines"
    ]
    assert [line["externalId"] for line in lines] == ["L2"]
    one = await flexe.get(f"/v2/orders/{order['id']}/lines/{lines[0]['id']}")
    assert one == lines[0]
    missing = await flexe.get(f"/v2/orders/{order['id']}/lines/nope", expect=404)
    assert only_error(missing)["code"] == "LINE_NOT_FOUND"
    assert (
        only_error(await flexe.get("/v2/orders/nope/lines", expect=404))["code"]
        == "ORDER_NOT_FOUND"
    )


async def test_line_counters_match_the_order_state(flexe: Api) -> None:
    for state in ("allocated", "shipped", "cancelled"):
        order = await _first(flexe, state)
        lines = (await flexe.get(f"/v2/orders/{order['id']}/lines"))["lines"]
        open_lines = [line for line in lines if line["cancelledAt"] is None]
        if state == "cancelled":
            assert not open_lines
            assert all(line["allocatedQuantity"] == 0 for line in lines)
        else:
            assert all(line["percentAllocated"] == 100 for line in open_lines)
        if state == "shipped":
            assert all(
                line["percentShipped"] == 100 and line["completelyShippedAt"]
                for line in open_lines
            )
            assert all(line["shipmentIds"] for line in open_lines)


async def test_partially_shipped_in_progress_orders_exist(flexe: Api) -> None:
    orders, _ = await flexe.collect(
        "/v2/orders", "outboundOrders", {"state": "in_progress"}
    )
    ids = ",".join(o["id"] for o in orders)
    lines, _ = await flexe.collect("/v2/lines", "lines", {"orderIds": ids})
    partial = {line["orderId"] for line in lines if line["percentShipped"] > 0}
    assert partial, "some in_progress orders have shipped units"
    assert len(partial) < len(orders), "and some have none"


async def test_add_line_to_new_order(flexe: Api) -> None:
    order = await flexe.post("/v2/orders", order_body(), expect=201)
    line = await flexe.post(
        f"/v2/orders/{order['id']}/lines",
        {
            "externalId": "L3",
            "sku": "SKU-10003",
            "quantity": 5,
            "labels": {"gift": "yes"},
        },
        expect=201,
    )
    assert set(line) == LINE_KEYS
    assert (line["orderId"], line["quantity"], line["labels"]) == (
        order["id"],
        5,
        {"gift": "yes"},
    )
    assert (await flexe.get(f"/v2/orders/{order['id']}/lines"))["total"] == 3
    invalid = await flexe.post(
        f"/v2/orders/{order['id']}/lines", {"sku": "SKU-1", "quantity": -1}, expect=422
    )
    assert only_error(invalid)["field"] == "quantity"
    again = await flexe.post(
        f"/v2/orders/{order['id']}/lines",
        {"externalId": "L3", "sku": "SKU-10003", "quantity": 1},
        expect=409,
    )
    assert only_error(again)["code"] == "DUPLICATE_EXTERNAL_ID"


async def test_add_line_sends_allocated_order_back_to_new(flexe: Api) -> None:
    order = await _first(flexe, "allocated")
    await flexe.post(
        f"/v2/orders/{order['id']}/lines",
        {"sku": "SKU-10004", "quantity": 1},
        expect=201,
    )
    assert (await flexe.get(f"/v2/orders/{order['id']}"))["state"] == "new"


async def test_add_line_after_picking_started_conflicts(flexe: Api) -> None:
    order = await _first(flexe, "in_progress")
    body = await flexe.post(
        f"/v2/orders/{order['id']}/lines",
        {"sku": "SKU-10004", "quantity": 1},
        expect=409,
    )
    assert only_error(body)["code"] == "ORDER_NOT_UPDATABLE"


async def test_cancel_line_then_repeat_is_unchanged(flexe: Api) -> None:
    order = await flexe.post("/v2/orders", order_body(), expect=201)
    line_id = (await flexe.get(f"/v2/orders/{order['id']}/lines"))["lines"][0]["id"]
    cancelled = await flexe.post(f"/v2/orders/{order['id']}/lines/{line_id}/cancel")
    assert cancelled["cancelledAt"] is not None
    assert (await flexe.get(f"/v2/orders/{order['id']}"))["state"] == "new"
    repeat = await flexe.post(f"/v2/orders/{order['id']}/lines/{line_id}/cancel")
    assert repeat == cancelled


async def test_cancelling_every_line_cancels_the_order(flexe: Api) -> None:
    order = await _first(flexe, "allocated")
    lines = (await flexe.get(f"/v2/orders/{order['id']}/lines"))["lines"]
    for line in lines:
        assert (await flexe.get(f"/v2/orders/{order['id']}"))["state"] == "allocated"
        await flexe.post(f"/v2/orders/{order['id']}/lines/{line['id']}/cancel")
    final = await flexe.get(f"/v2/orders/{order['id']}")
    assert final["state"] == "cancelled"
    assert final["hasErrors"] is False


async def test_cancel_line_with_shipped_units_or_started_order_conflicts(
    flexe: Api,
) -> None:
    shipped = await _first(flexe, "shipped")
    line = next(
        line
        for line in (await flexe.get(f"/v2/orders/{shipped['id']}/lines"))["lines"]
        if line["cancelledAt"] is None
    )
    body = await flexe.post(
        f"/v2/orders/{shipped['id']}/lines/{line['id']}/cancel", expect=409
    )
    assert only_error(body)["code"] == "LINE_NOT_CANCELLABLE"
    in_progress, _ = await flexe.collect(
        "/v2/orders", "outboundOrders", {"state": "in_progress"}
    )
    ids = ",".join(o["id"] for o in in_progress)
    lines, _ = await flexe.collect("/v2/lines", "lines", {"orderIds": ids})
    unshipped = next(
        x for x in lines if x["shippedQuantity"] == 0 and x["cancelledAt"] is None
    )
    body = await flexe.post(
        f"/v2/orders/{unshipped['orderId']}/lines/{unshipped['id']}/cancel", expect=409
    )
    assert only_error(body)["code"] == "LINE_NOT_CANCELLABLE"


async def test_allocation_errors_for_order_and_line(flexe: Api) -> None:
    errored, _ = await flexe.collect(
        "/v2/orders", "outboundOrders", {"hasErrors": "true"}
    )
    codes: set[str] = set()
    for order in errored:
        page = await flexe.get(f"/v2/orders/{order['id']}/allocation-errors")
        assert page["total"] == len(page["allocationErrors"]) >= 1
        for error in page["allocationErrors"]:
            codes.add(error["code"])
            assert error["orderId"] == order["id"]
            if error["orderLineId"] is not None:
                per_line = await flexe.get(
                    f"/v2/orders/{order['id']}/lines/{error['orderLineId']}/allocation-errors"
                )
                assert error in per_line["allocationErrors"]
    assert codes <= {
        "INSUFFICIENT_INVENTORY",
        "UNKNOWN_SKU",
        "INVALID_ADDRESS",
        "NO_RESERVATION",
        "UOM_MISMATCH",
    }
    assert len(codes) >= 3

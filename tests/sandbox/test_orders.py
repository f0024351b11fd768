"""F1-F4 over HTTP: listing, filters, pagination rules, get, create and update."""

from __future__ import annotations

from .conftest import Api, only_error, order_body

ORDER_KEYS = {
    "id",
    "externalId",
    "state",
    "hasErrors",
    "createdAt",
    "updatedAt",
    "reservationId",
    "labels",
    "recipient",
    "shipping",
}


async def test_list_orders_pages_to_the_end_newest_first(flexe: Api) -> None:
    orders, total = await flexe.collect(
        "/v2/orders", "outboundOrders", {"pageSize": "7"}
    )
    assert total == 120
    assert len(orders) == 120
    assert len({o["id"] for o in orders}) == 120
    keys = [(o["createdAt"], o["id"]) for o in orders]
    assert keys == sorted(keys, reverse=True)
    assert all(set(o) == ORDER_KEYS for o in orders), "list items omit shipmentIds"


async def test_list_orders_default_page_is_fifty(flexe: Api) -> None:
    page = await flexe.get("/v2/orders")
    assert len(page["outboundOrders"]) == 50
    assert page["continuationToken"] is not None


async def test_list_orders_filters_by_state_and_errors(flexe: Api) -> None:
    page = await flexe.get("/v2/orders", {"state": "new,cancelled", "pageSize": "500"})
    assert page["total"] == len(page["outboundOrders"]) > 0
    assert {o["state"] for o in page["outboundOrders"]} == {"new", "cancelled"}
    errored = await flexe.get("/v2/orders", {"hasErrors": "true", "pageSize": "500"})
    assert errored["total"] > 0
    assert all(
        o["hasErrors"] and o["state"] == "new" for o in errored["outboundOrders"]
    )


async def test_list_orders_filters_by_labels_and_dates(flexe: Api) -> None:
    everything, _ = await flexe.collect(
        "/v2/orders", "outboundOrders", {"pageSize": "500"}
    )
    target = everything[10]
    wanted = [("labels", f"channel:{target['labels']['channel']}")]
    if "priority" in target["labels"]:
        wanted.append(("labels", "priority:high"))
    labelled, _ = await flexe.collect("/v2/orders", "outboundOrders", wanted)
    assert target["id"] in {o["id"] for o in labelled}
    assert all(o["labels"]["channel"] == target["labels"]["channel"] for o in labelled)
    window = {
        "createdAtFrom": everything[20]["createdAt"],
        "createdAtTo": everything[10]["createdAt"],
    }
    ranged, total = await flexe.collect("/v2/orders", "outboundOrders", window)
    # From is inclusive, To exclusive: items 11..20 of the newest-first list.
    assert [o["id"] for o in ranged] == [o["id"] for o in everything[11:21]]
    assert total == 10


async def test_list_orders_by_ids_comma_or_repeated_unknown_absent(flexe: Api) -> None:
    first = (await flexe.get("/v2/orders", {"pageSize": "3"}))["outboundOrders"]
    ids = [o["id"] for o in first]
    comma = await flexe.get("/v2/orders", {"ids": ",".join([*ids[:2], "nope"])})
    assert {o["id"] for o in comma["outboundOrders"]} == set(ids[:2])
    repeated = await flexe.get(
        "/v2/orders", [("ids", ids[0]), ("ids", f"{ids[1]},{ids[2]}")]
    )
    assert repeated["total"] == 3
    by_external = await flexe.get("/v2/orders", {"externalIds": first[0]["externalId"]})
    assert [o["id"] for o in by_external["outboundOrders"]] == [ids[0]]


async def test_list_filter_rejects_more_than_one_hundred_values(flexe: Api) -> None:
    hundred = ",".join(f"id-{n}" for n in range(100))
    assert (await flexe.get("/v2/orders", {"ids": hundred}))["total"] == 0
    body = await flexe.get("/v2/orders", {"ids": hundred + ",id-100"}, expect=400)
    error = only_error(body)
    assert (error["code"], error["field"]) == ("INVALID_PARAMETER", "ids")


async def test_page_size_outside_one_to_five_hundred_is_rejected(flexe: Api) -> None:
    for size in ("0", "501", "ten"):
        error = only_error(
            await flexe.get("/v2/orders", {"pageSize": size}, expect=400)
        )
        assert (error["code"], error["field"]) == ("INVALID_PARAMETER", "pageSize")
    assert (
        len((await flexe.get("/v2/orders", {"pageSize": "500"}))["outboundOrders"])
        == 120
    )


async def test_continuation_token_is_bound_to_its_filters(flexe: Api) -> None:
    page = await flexe.get("/v2/orders", {"state": "shipped", "pageSize": "2"})
    token = page["continuationToken"]
    same = await flexe.get(
        "/v2/orders", {"state": "shipped", "pageSize": "5", "continuationToken": token}
    )
    assert same["outboundOrders"][0]["state"] == "shipped"
    body = await flexe.get(
        "/v2/orders", {"state": "new", "continuationToken": token}, expect=400
    )
    error = only_error(body)
    assert (error["code"], error["field"]) == ("INVALID_PARAMETER", "continuationToken")
    garbled = await flexe.get(
        "/v2/orders", {"continuationToken": "not-a-token"}, expect=400
    )
    assert only_error(garbled)["field"] == "continuationToken"


async def test_bad_query_parameters_name_the_field(flexe: Api) -> None:
    cases = {
        "hasErrors": "maybe",
        "createdAtFrom": "last tuesday",
        "state": "lost",
        "labels": "no-colon",
        "orderId": "x",
        "ids": ",",
    }
    for name, value in cases.items():
        error = only_error(await flexe.get("/v2/orders", {name: value}, expect=400))
        assert (error["code"], error["field"]) == ("INVALID_PARAMETER", name)


async def test_get_order_includes_shipment_ids_and_404_body(flexe: Api) -> None:
    shipped = (await flexe.get("/v2/orders", {"state": "shipped", "pageSize": "1"}))[
        "outboundOrders"
    ][0]
    order = await flexe.get(f"/v2/orders/{shipped['id']}")
    assert set(order) == ORDER_KEYS | {"shipmentIds"}
    assert order["shipmentIds"]
    response = await flexe.call("GET", "/v2/orders/does-not-exist")
    assert response.status == 404
    body = await response.json()
    assert response.headers["X-Correlation-Id"] == body["correlationId"]
    error = only_error(body)
    assert error["code"] == "ORDER_NOT_FOUND"
    assert error["field"] is None


async def test_create_order_returns_201_new_order(flexe: Api) -> None:
    order = await flexe.post("/v2/orders", order_body(), expect=201)
    assert order["state"] == "new"
    assert order["hasErrors"] is False
    assert order["shipmentIds"] == []
    assert order["recipient"]["address"]["line2"] is None
    assert order["shipping"]["serviceType"] == "ground"
    newest = (await flexe.get("/v2/orders", {"pageSize": "1"}))["outboundOrders"][0]
    assert newest["id"] == order["id"]
    lines = (await flexe.get(f"/v2/orders/{order['id']}/lines"))["lines"]
    assert [(ln["sku"], ln["quantity"], ln["unitOfMeasure"]) for ln in lines] == [
        ("SKU-10001", 2, "each"),
        ("SKU-10002", 3, "each"),
    ]


async def test_create_order_validation_reports_every_field(flexe: Api) -> None:
    body = order_body(
        recipient={
            "name": "X",
            "address": {
                "line1": "1 Road",
                "city": "Leeds",
                "region": "England",
                "country": "gb",
            },
        },
        lines=[
            {"sku": "SKU-10001", "quantity": 1},
            {"sku": "SKU-10002"},
            {"sku": "SKU-10003", "quantity": 0},
        ],
        colour="red",
    )
    response = await flexe.json("POST", "/v2/orders", 422, json=body)
    fields = {e["field"] for e in response["errors"]}
    assert {e["code"] for e in response["errors"]} == {"VALIDATION_FAILED"}
    assert fields == {
        "recipient.address.postcode",
        "recipient.address.country",
        "lines.1.quantity",
        "lines.2.quantity",
        "colour",
    }


async def test_create_order_needs_lines_and_a_json_object(flexe: Api) -> None:
    error = only_error(
        await flexe.json("POST", "/v2/orders", 422, json=order_body(lines=[]))
    )
    assert error["field"] == "lines"
    response = await flexe.call(
        "POST",
        "/v2/orders",
        data=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 400
    assert only_error(await response.json())["code"] == "INVALID_BODY"


async def test_create_order_with_existing_external_id_conflicts(flexe: Api) -> None:
    await flexe.post("/v2/orders", order_body(), expect=201)
    error = only_error(await flexe.post("/v2/orders", order_body(), expect=409))
    assert error["code"] == "DUPLICATE_EXTERNAL_ID"
    seeded = (await flexe.get("/v2/orders", {"pageSize": "1", "state": "shipped"}))[
        "outboundOrders"
    ][0]
    clash = await flexe.post(
        "/v2/orders", order_body(externalId=seeded["externalId"]), expect=409
    )
    assert only_error(clash)["code"] == "DUPLICATE_EXTERNAL_ID"


async def test_create_order_with_unknown_sku_gets_allocation_error(flexe: Api) -> None:
    body = order_body(
        lines=[
            {"externalId": "A", "sku": "SKU-10001", "quantity": 1},
            {"externalId": "B", "sku": "NOPE-1", "quantity": 4},
        ]
    )
    order = await flexe.post("/v2/orders", body, expect=201)
    assert order["state"] == "new"
    assert order["hasErrors"] is True
    errors = (await flexe.get(f"/v2/orders/{order['id']}/allocation-errors"))[
        "allocationErrors"
    ]
    assert [(e["code"], e["lineExternalId"], e["orderExternalId"]) for e in errors] == [
        ("UNKNOWN_SKU", "B", "SO-TEST-1")
    ]
    lines = (await flexe.get(f"/v2/orders/{order['id']}/lines"))["lines"]
    assert [ln["hasErrors"] for ln in lines] == [False, True]


async def test_update_order_merges_nested_fields(flexe: Api) -> None:
    order = await flexe.post("/v2/orders", order_body(), expect=201)
    patch = {
        "labels": {"channel": "amazon"},
        "recipient": {"phone": None, "address": {"line2": "Suite 9"}},
        "shipping": {"instructions": "Leave with concierge"},
        "reservationId": "res-atlanta-02",
    }
    updated = await flexe.patch(f"/v2/orders/{order['id']}", patch)
    assert updated["labels"] == {"channel": "amazon"}
    assert updated["recipient"]["phone"] is None
    assert updated["recipient"]["name"] == "Ada Lovelace"
    assert updated["recipient"]["address"]["line2"] == "Suite 9"
    assert updated["recipient"]["address"]["city"] == "Seattle"
    assert updated["shipping"] == {
        **order["shipping"],
        "instructions": "Leave with concierge",
    }
    assert updated["reservationId"] == "res-atlanta-02"
    assert updated["updatedAt"] > order["updatedAt"]
    assert "shipmentIds" in updated
    bad = await flexe.patch(
        f"/v2/orders/{order['id']}",
        {"recipient": {"address": {"city": ""}}},
        expect=422,
    )
    assert only_error(bad)["field"] == "recipient.address.city"


async def test_update_order_after_picking_started_conflicts(flexe: Api) -> None:
    for state in ("in_progress", "shipped", "cancelled"):
        order = (await flexe.get("/v2/orders", {"state": state, "pageSize": "1"}))[
            "outboundOrders"
        ][0]
        body = await flexe.patch(
            f"/v2/orders/{order['id']}", {"labels": {}}, expect=409
        )
        assert only_error(body)["code"] == "ORDER_NOT_UPDATABLE"
    missing = await flexe.patch("/v2/orders/nope", {"labels": {}}, expect=404)
    assert only_error(missing)["code"] == "ORDER_NOT_FOUND"

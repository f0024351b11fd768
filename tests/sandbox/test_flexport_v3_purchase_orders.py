"""Flexport v3 V1/V2: listing, paging, filtering and reading purchase orders."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.sandbox import SandboxConfig

from .conftest import FakeClock, FlexportV3Api, v3_error


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    # A small Flexe world and no 429s: these tests make many calls at one instant.
    return SandboxConfig(order_count=5, clock=clock, rate_limits=False)


SEEDED, ARCHIVED = 53, 7


async def _all(api: FlexportV3Api, **params: str) -> list[Any]:
    items, total, _ = await api.walk("/purchase_orders", {"per": "100", **params})
    assert len(items) == total
    return items


def _ref(po: dict[str, Any], role: str) -> str:
    return next(p["company_entity"]["ref"] for p in po["parties"] if p["role"] == role)


async def test_list_pages_through_every_unarchived_po_by_id(
    flexport_v3: FlexportV3Api,
) -> None:
    items, total, pages = await flexport_v3.walk("/purchase_orders", {"per": "7"})
    assert (len(items), total, pages) == (SEEDED, SEEDED, 8)
    ids = [po["id"] for po in items]
    assert ids == sorted(ids)
    assert len(set(ids)) == SEEDED
    assert all(po["archived_at"] is None for po in items)
    assert {po["status"] for po in items} == {"open", "closed"}
    assert items[0]["line_items"] == {
        "_object": "/api/refs/collection",
        "ref_type": "/purchase_orders/line_item",
        "link": items[0]["line_items"]["link"],
    }
    assert items[0]["line_items"]["link"].endswith(
        f"/flexport-v3/purchase_order_line_items?f.purchase_order.id={ids[0]}"
    )


async def test_archived_filter_shows_only_the_cancelled_pos(
    flexport_v3: FlexportV3Api,
) -> None:
    archived = await _all(flexport_v3, **{"f.archived_at.exists": "true"})
    assert len(archived) == ARCHIVED
    assert {po["status"] for po in archived} == {"cancelled"}
    assert all(po["archived_at"] for po in archived)
    live = await _all(flexport_v3, **{"f.archived_at.exists": "false"})
    names = sorted(po["name"] for po in archived + live)
    assert names == [f"PO-{10001 + i}" for i in range(60)]


async def test_links_count_pages_and_a_page_past_the_end_is_empty(
    flexport_v3: FlexportV3Api,
) -> None:
    first = await flexport_v3.data("/purchase_orders", {"f.status": "open"})
    assert first["prev"] is None
    assert "page=2" in first["next"]
    assert "f.status=open" in first["next"]
    last = await flexport_v3.data("/purchase_orders", {"page": "3"})
    assert (last["next"], len(last["data"])) == (None, SEEDED - 40)
    assert last["prev"].split("?")[1] == "page=2"
    beyond = await flexport_v3.data("/purchase_orders", {"page": "9"})
    assert (beyond["data"], beyond["total_count"], beyond["next"]) == ([], SEEDED, None)


async def test_direction_desc_reverses_and_a_bad_direction_is_the_s3_sample(
    flexport_v3: FlexportV3Api,
) -> None:
    asc = await _all(flexport_v3)
    desc = await _all(flexport_v3, sort="id", direction="desc")
    assert [po["id"] for po in desc] == [po["id"] for po in reversed(asc)]
    body = await flexport_v3.get("/purchase_orders", {"direction": "up"}, expect=400)
    assert body["self"].endswith("/flexport-v3/purchase_orders?direction=up")
    assert body["error"] == {
        "_object": "/api/error",
        "status": 400,
        "code": "invalid_pagination",
        "message": "Invalid Sort Direction. allowed values: desc, asc",
    }


BAD_QUERIES: list[tuple[Any, str, str | None]] = [
    (
        {"sort": "name"},
        "invalid_pagination",
        "Invalid Sort Field. allowed values: id",
    ),
    (
        {"per": "0"},
        "invalid_pagination",
        "Invalid Per Page. allowed values: 1 to 100",
    ),
    (
        {"per": "101"},
        "invalid_pagination",
        "Invalid Per Page. allowed values: 1 to 100",
    ),
    ({"page": "0"}, "invalid_pagination", "Invalid Page. must be an integer >= 1"),
    (
        {"page": "two"},
        "invalid_pagination",
        "Invalid Page. must be an integer >= 1",
    ),
    ({"f.foo": "1"}, "invalid_parameter", "Unknown parameter f.foo"),
    (
        {"f.status": "ope"},
        "invalid_parameter",
        "f.status must be one of open, closed, cancelled",
    ),
    (
        {"f.archived_at.exists": "yes"},
        "invalid_parameter",
        "f.archived_at.exists must be true or false",
    ),
    (
        {"f.shipment.id": "abc"},
        "invalid_parameter",
        "f.shipment.id must be an integer >= 1",
    ),
    ({"f.roles": "king"}, "invalid_parameter", None),
    (
        {"f.created_at.gt": "yesterday"},
        "invalid_parameter",
        "f.created_at.gt must be an ISO 8601 date or date-time",
    ),
    (
        {"expand": "parties"},
        "invalid_parameter",
        "expand must be one of line_items",
    ),
    (
        [("f.name", "a"), ("f.name", "b")],
        "invalid_parameter",
        "f.name may be given only once",
    ),
]


async def test_bad_query_parameters_are_400(flexport_v3: FlexportV3Api) -> None:
    for params, code, message in BAD_QUERIES:
        body = await flexport_v3.get("/purchase_orders", params, expect=400)
        error = v3_error(body)
        assert (error["status"], error["code"]) == (400, code), params
        if message is not None:
            assert error["message"] == message


async def test_status_filter_partitions_the_list(flexport_v3: FlexportV3Api) -> None:
    opened = await _all(flexport_v3, **{"f.status": "open"})
    closed = await _all(flexport_v3, **{"f.status": "closed"})
    assert len(opened) + len(closed) == SEEDED
    assert opened
    assert closed
    assert await _all(flexport_v3, **{"f.status": "cancelled"}) == []
    cancelled = await _all(
        flexport_v3, **{"f.status": "cancelled", "f.archived_at.exists": "true"}
    )
    assert len(cancelled) == ARCHIVED


async def test_party_reference_filters(flexport_v3: FlexportV3Api) -> None:
    every = await _all(flexport_v3)
    brightline = {
        po["id"]
        for po in every
        if _ref(po, "seller") in ("brightline-sz", "brightline-hk")
    }
    by_company = await _all(flexport_v3, **{"f.seller_ref": "brightline"})
    assert {po["id"] for po in by_company} == brightline
    assert brightline
    seller = _ref(every[0], "seller")
    by_entity = await _all(flexport_v3, **{"f.seller_entity_ref": seller})
    assert {po["id"] for po in by_entity} == {
        po["id"] for po in every if _ref(po, "seller") == seller
    }
    canada = await _all(flexport_v3, **{"f.buyer_entity_ref": "northwind-ca"})
    assert canada
    assert all(_ref(po, "buyer") == "northwind-ca" for po in canada)
    assert len(await _all(flexport_v3, **{"f.buyer_ref": "northwind"})) == SEEDED
    assert await _all(flexport_v3, **{"f.buyer_ref": "nobody"}) == []


async def test_roles_filter_is_what_the_account_plays(
    flexport_v3: FlexportV3Api,
) -> None:
    every = await _all(flexport_v3)
    assert len(await _all(flexport_v3, **{"f.roles": "buyer"})) == SEEDED
    assert await _all(flexport_v3, **{"f.roles": "seller"}) == []
    consignee = {
        po["id"] for po in every if any(p["role"] == "consignee" for p in po["parties"])
    }
    found = await _all(flexport_v3, **{"f.roles": "seller,consignee"})
    assert {po["id"] for po in found} == consignee
    assert 0 < len(consignee) < SEEDED


async def test_shipment_filter_leads_from_a_document_to_its_po(
    flexport_v3: FlexportV3Api,
) -> None:
    doc = (await flexport_v3.data("/documents", {"per": "1"}))["data"][0]
    shipment = doc["shipment"]["id"]
    pos = await _all(flexport_v3, **{"f.shipment.id": str(shipment)})
    if not pos:
        pos = await _all(
            flexport_v3,
            **{"f.shipment.id": str(shipment), "f.archived_at.exists": "true"},
        )
    assert len(pos) == 1
    bookings = await flexport_v3.data(
        "/booking_line_items", {"f.purchase_order.id": str(pos[0]["id"])}
    )
    booking_ids = {item["booking"]["id"] for item in bookings["data"]}
    shipments = [
        (await flexport_v3.data(f"/bookings/{b}"))["shipment"]["id"]
        for b in booking_ids
    ]
    assert shipment in shipments
    assert await _all(flexport_v3, **{"f.shipment.id": "1"}) == []


async def test_name_and_timestamp_filters(flexport_v3: FlexportV3Api) -> None:
    every = await _all(flexport_v3)
    middle = every[len(every) // 2]
    named = await _all(flexport_v3, **{"f.name": middle["name"]})
    assert [po["id"] for po in named] == [middle["id"]]
    newer = await _all(flexport_v3, **{"f.created_at.gt": middle["created_at"]})
    older = await _all(flexport_v3, **{"f.created_at.lt": middle["created_at"]})
    assert len(newer) + len(older) == SEEDED - 1, "both bounds are strict"
    assert all(po["created_at"] > middle["created_at"] for po in newer)
    updated = await _all(flexport_v3, **{"f.updated_at.gt": middle["updated_at"]})
    assert {po["id"] for po in updated} == {
        po["id"] for po in every if po["updated_at"] > middle["updated_at"]
    }
    window = await _all(
        flexport_v3,
        **{"f.updated_at.gt": "2026-01-01", "f.updated_at.lt": "2026-10-01T00:00:00Z"},
    )
    assert all("2026-01-01" < po["updated_at"] < "2026-10-01" for po in window)


async def test_expand_embeds_every_line(flexport_v3: FlexportV3Api) -> None:
    page = await flexport_v3.data(
        "/purchase_orders", {"expand": "line_items", "per": "5"}
    )
    for po in page["data"]:
        lines = po["line_items"]
        assert lines["_object"] == "/api/collections/paginated"
        assert (lines["prev"], lines["next"]) == (None, None)
        assert lines["total_count"] == len(lines["data"]) >= 1
        numbers = [line["line_item_number"] for line in lines["data"]]
        assert numbers == sorted(numbers)
        assert {line["purchase_order"]["id"] for line in lines["data"]} == {po["id"]}


async def test_get_by_id_expand_and_not_found(flexport_v3: FlexportV3Api) -> None:
    archived = await _all(flexport_v3, **{"f.archived_at.exists": "true"})
    po = await flexport_v3.data(f"/purchase_orders/{archived[0]['id']}")
    assert po == archived[0], "V2 finds archived POs by id"
    expanded = await flexport_v3.data(
        f"/purchase_orders/{po['id']}", {"expand": "line_items"}
    )
    assert expanded["line_items"]["total_count"] >= 1
    for path, message in [
        ("/purchase_orders/999", "Couldn't find PurchaseOrder with id 999"),
        ("/purchase_orders/abc", "Couldn't find PurchaseOrder with id abc"),
        ("/nowhere", "No route matches GET /nowhere"),
    ]:
        error = v3_error(await flexport_v3.get(path, expect=404))
        assert (error["code"], error["message"]) == ("not_found", message)
    wrong = await flexport_v3.call("DELETE", "/purchase_orders/1")
    assert wrong.status == 405
    assert v3_error(await wrong.json())["code"] == "method_not_allowed"


async def test_seed_fills_every_field_the_gateway_maps(
    flexport_v3: FlexportV3Api,
) -> None:
    every = await _all(flexport_v3, expand="line_items")
    every += await _all(
        flexport_v3, expand="line_items", **{"f.archived_at.exists": "true"}
    )
    assert {po["status"] for po in every} == {"open", "closed", "cancelled"}
    for po in every:
        assert isinstance(po["id"], int)
        assert po["name"].startswith("PO-100")
        assert po["incoterm"]
        assert po["transportation_mode"] in ("ocean", "air", "truck")
        assert po["cargo_ready_date"] < po["must_arrive_date"]
        assert po["created_at"] <= po["updated_at"]
        assert _ref(po, "buyer").startswith("northwind")
        assert _ref(po, "seller")
        lines = po["line_items"]["data"]
        assert 1 <= len(lines) <= 10
        for line in lines:
            assert line["product"]["sku"].startswith("SKU-1")
            assert line["product"]["name"]
            assert line["units"] > 0
            assert line["unit_of_measure"] in ("EA", "PR", "CTN", "PK")
            assert line["unit_cost"]["_object"] == "/money"
            assert isinstance(line["unit_cost"]["amount"], str)
            assert line["unit_cost"]["currency_code"] == "USD"
    assert any(po["archived_at"] for po in every)

"""Flexport v3 V4-V7: line items, booking line items, documents and events."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from gateway.sandbox import SandboxConfig

from .conftest import FakeClock, FlexportV3Api, v3_error

EVENT_TYPES = {
    f"/purchase_order#{action}"
    for action in (
        "created",
        "updated",
        "acknowledged",
        "closed",
        "cancelled",
        "archived",
    )
}


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    # A small Flexe world and no 429s: these tests make many calls at one instant.
    return SandboxConfig(order_count=5, clock=clock, rate_limits=False)


async def _every_po(api: FlexportV3Api) -> dict[int, Any]:
    live, _, _ = await api.walk("/purchase_orders", {"per": "100"})
    archived, _, _ = await api.walk(
        "/purchase_orders", {"per": "100", "f.archived_at.exists": "true"}
    )
    return {po["id"]: po for po in live + archived}


async def test_line_items_page_newest_first_and_reverse(
    flexport_v3: FlexportV3Api,
) -> None:
    items, total, pages = await flexport_v3.walk(
        "/purchase_order_line_items", {"per": "40"}
    )
    ids = [line["id"] for line in items]
    assert total == len(items) == len(set(ids)) > 60
    assert pages == -(-total // 40)
    assert ids == sorted(ids, reverse=True), "created_at desc, then id desc"
    asc, _, _ = await flexport_v3.walk(
        "/purchase_order_line_items", {"per": "100", "direction": "asc"}
    )
    assert [line["id"] for line in asc] == sorted(ids)


async def test_line_items_sort_by_cargo_ready_date(flexport_v3: FlexportV3Api) -> None:
    pos = await _every_po(flexport_v3)
    items, _, _ = await flexport_v3.walk(
        "/purchase_order_line_items",
        {"per": "100", "sort": "cargo_ready_date", "direction": "asc"},
    )
    dates = [
        line["cargo_ready_date"]
        or pos[line["purchase_order"]["id"]]["cargo_ready_date"]
        for line in items
    ]
    assert dates == sorted(dates)
    assert any(line["cargo_ready_date"] for line in items), "some lines have their own"


async def test_line_item_filters(flexport_v3: FlexportV3Api) -> None:
    pos = await _every_po(flexport_v3)
    po = next(iter(pos.values()))
    expanded = await flexport_v3.data(
        f"/purchase_orders/{po['id']}", {"expand": "line_items"}
    )
    of_po, total, _ = await flexport_v3.walk(
        "/purchase_order_line_items", {"f.purchase_order.id": str(po["id"])}
    )
    assert total == expanded["line_items"]["total_count"]
    assert sorted(of_po, key=lambda line: line["id"]) == sorted(
        expanded["line_items"]["data"], key=lambda line: line["id"]
    )
    firsts, total, _ = await flexport_v3.walk(
        "/purchase_order_line_items", {"f.line_item_number": "1", "per": "100"}
    )
    assert total == len(pos), "every PO has a line 1"
    assert {line["line_item_number"] for line in firsts} == {1}
    keyed = await flexport_v3.data("/purchase_order_line_items", {"f.item_key": "2"})
    assert all(line["item_key"] == "2" for line in keyed["data"])
    assert keyed["total_count"] > 0
    one = await flexport_v3.data(
        "/purchase_order_line_items",
        {"f.purchase_order.id": str(po["id"]), "f.line_item_number": "1"},
    )
    assert one["total_count"] == 1
    for params, code in [
        ({"f.purchase_order.id": "abc"}, "invalid_parameter"),
        ({"f.line_item_number": "0"}, "invalid_parameter"),
        ({"sort": "units"}, "invalid_pagination"),
        ({"direction": "sideways"}, "invalid_pagination"),
        ({"f.sku": "SKU-10001"}, "invalid_parameter"),
    ]:
        body = await flexport_v3.get("/purchase_order_line_items", params, expect=400)
        assert v3_error(body)["code"] == code, params


async def test_get_line_item_and_its_booking_ref(flexport_v3: FlexportV3Api) -> None:
    page = await flexport_v3.data("/purchase_order_line_items", {"per": "1"})
    listed = page["data"][0]
    line = await flexport_v3.data(f"/purchase_order_line_items/{listed['id']}")
    assert line == listed
    assert line["booking_line_items"]["link"].endswith(
        f"/booking_line_items?f.purchase_order_line_item.id={line['id']}"
    )
    error = v3_error(await flexport_v3.get("/purchase_order_line_items/42", expect=404))
    assert error["message"] == "Couldn't find PurchaseOrderLineItem with id 42"


async def test_booking_line_items_resolve_to_lines_bookings_and_shipments(
    flexport_v3: FlexportV3Api,
) -> None:
    items, total, _ = await flexport_v3.walk("/booking_line_items", {"per": "25"})
    assert total == len(items) > 0
    assert all(
        item["_object"] == "/purchase_orders/booking_line_item" for item in items
    )
    item = items[0]
    single = await flexport_v3.data(f"/booking_line_items/{item['id']}")
    assert single == item
    line = await flexport_v3.data(
        f"/purchase_order_line_items/{item['purchase_order_line_item']['id']}"
    )
    booking = await flexport_v3.data(f"/bookings/{item['booking']['id']}")
    assert booking["purchase_order"]["id"] == line["purchase_order"]["id"]
    assert booking["shipment"]["ref_type"] == "/shipment"
    booked = Counter[int]()
    for each in items:
        booked[each["purchase_order_line_item"]["id"]] += each["units"]
    by_line = await flexport_v3.data(
        "/booking_line_items", {"f.purchase_order_line_item.id": str(line["id"])}
    )
    assert sum(i["units"] for i in by_line["data"]) == booked[line["id"]]
    assert booked[line["id"]] <= line["units"]
    by_po = await flexport_v3.data(
        "/booking_line_items",
        {"f.purchase_order.id": str(line["purchase_order"]["id"]), "per": "100"},
    )
    assert item["id"] in {i["id"] for i in by_po["data"]}
    for path in ("/bookings/1", "/booking_line_items/1"):
        assert v3_error(await flexport_v3.get(path, expect=404))["code"] == "not_found"


async def test_documents_list_filter_and_open_their_links(
    flexport_v3: FlexportV3Api,
) -> None:
    docs, total, pages = await flexport_v3.walk("/documents", {"per": "10"})
    assert total == len(docs) > 10
    assert pages == -(-total // 10)
    assert [d["id"] for d in docs] == sorted(d["id"] for d in docs)
    assert any(d["archived_at"] for d in docs)
    assert any(d["archived_at"] is None for d in docs)
    doc = docs[0]
    same = await flexport_v3.data(
        "/documents", {"f.shipment.id": str(doc["shipment"]["id"])}
    )
    assert {d["shipment"]["id"] for d in same["data"]} == {doc["shipment"]["id"]}
    assert doc["id"] in {d["id"] for d in same["data"]}
    assert await flexport_v3.data(f"/documents/{doc['id']}") == doc
    opened = await flexport_v3.client.session.get(doc["file_link"])
    content = await opened.read()
    assert opened.status == 200, "file links need no token"
    assert opened.content_type == "application/pdf"
    assert content.startswith(b"%PDF")
    assert len(content) == doc["file_metadata"]["size"]
    download = await flexport_v3.call("GET", f"/documents/{doc['id']}/download")
    assert await download.read() == content
    bare = await flexport_v3.call("GET", f"/documents/{doc['id']}/download", auth=False)
    assert bare.status == 401
    missing = await flexport_v3.call("GET", "/_files/12", auth=False)
    assert missing.status == 404
    assert v3_error(await missing.json())["message"] == (
        "Couldn't find Document with id 12"
    )
    bad = await flexport_v3.get("/documents", {"sort": "id"}, expect=400)
    assert v3_error(bad)["message"] == "Unknown parameter sort"


async def test_events_log_in_order_with_every_filter(
    flexport_v3: FlexportV3Api,
) -> None:
    events, total, _ = await flexport_v3.walk("/events", {"per": "100"})
    assert total == len(events)
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert [e["occurred_at"] for e in events] == sorted(
        e["occurred_at"] for e in events
    )
    assert {e["type"] for e in events} == EVENT_TYPES
    for event in events:
        assert event["_object"] == "/event"
        assert event["created_at"] == event["occurred_at"]
        assert event["data"]["_object"] == "/order_management_event_data"
        action = event["type"].split("#")[1]
        assert event["data"]["context"]["_object"] == (
            f"/order_management_event_data/{action}_context"
        )
        assert "line_items" not in event["data"]["purchase_order"]
    middle = events[len(events) // 2]["occurred_at"]
    later, _, _ = await flexport_v3.walk(
        "/events", {"per": "100", "f.occurred_at.gte": middle}
    )
    earlier, _, _ = await flexport_v3.walk(
        "/events", {"per": "100", "f.occurred_at.lte": middle}
    )
    at_middle = sum(e["occurred_at"] == middle for e in events)
    assert len(later) + len(earlier) == total + at_middle, "both bounds inclusive"
    booked = next(e for e in events if "shipment" in e["data"])
    shipment = booked["data"]["shipment"]["id"]
    on_shipment = await flexport_v3.data(
        "/events", {"f.data.shipment.id": str(shipment)}
    )
    assert on_shipment["total_count"] >= 1
    assert all(e["data"]["shipment"]["id"] == shipment for e in on_shipment["data"])
    assert all(e["type"] == "/purchase_order#updated" for e in on_shipment["data"])
    pos = await flexport_v3.data(
        "/purchase_orders",
        {"f.shipment.id": str(shipment), "f.archived_at.exists": "false"},
    )
    assert {e["data"]["purchase_order"]["id"] for e in on_shipment["data"]} <= {
        po["id"] for po in pos["data"]
    }
    resource = await flexport_v3.data(
        "/events", {"f.data.resource._object": "/purchase_order"}
    )
    assert resource["total_count"] == total
    other = await flexport_v3.data("/events", {"f.data.resource._object": "/shipment"})
    assert other["total_count"] == 0
    assert await flexport_v3.data(f"/events/{booked['id']}") == booked
    assert v3_error(await flexport_v3.get("/events/7", expect=404))["message"] == (
        "Couldn't find Event with id 7"
    )


async def test_seeded_history_agrees_with_each_po(flexport_v3: FlexportV3Api) -> None:
    pos = await _every_po(flexport_v3)
    events, _, _ = await flexport_v3.walk("/events", {"per": "100"})
    actions: dict[int, list[str]] = {}
    for event in events:
        po_id = event["data"]["purchase_order"]["id"]
        actions.setdefault(po_id, []).append(event["type"].split("#")[1])
    assert set(actions) == set(pos)
    for po_id, po in pos.items():
        done = actions[po_id]
        assert done[0] == "created"
        if po["status"] == "closed":
            assert done[-1] == "closed"
        if po["status"] == "cancelled":
            assert done[-2:] == ["cancelled", "archived"]
        last = next(
            e for e in reversed(events) if e["data"]["purchase_order"]["id"] == po_id
        )
        assert last["data"]["purchase_order"]["status"] == po["status"]
    assert sum("acknowledged" in done for done in actions.values()) > 20

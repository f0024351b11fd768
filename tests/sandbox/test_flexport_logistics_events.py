"""LAPI events feed (L16): Link-header cursor to the end, discovery, filters."""

from __future__ import annotations

import re
from typing import Any

from yarl import URL

from gateway.sandbox import Sandbox, SandboxEvent

from .conftest import LAPI_AUTH, LapiApi

_LINK = re.compile(r'^<([^>]+)>; rel="next"$')


async def walk(lapi: LapiApi, params: dict[str, str]) -> tuple[list[Any], int]:
    """Follow `Link: rel="next"` verbatim until it is gone: (events, requests)."""
    response = await lapi.call("GET", "/events", params=params)
    events: list[Any] = []
    requests = 1
    while True:
        assert response.status == 200, await response.text()
        events.extend(await response.json())
        link = response.headers.get("Link")
        if link is None:
            return events, requests
        match = _LINK.match(link)
        assert match, link
        target = URL(match.group(1))
        assert set(target.query) == {"limit", "page_info"}
        response = await lapi.client.session.get(target, headers=LAPI_AUTH)
        requests += 1


async def test_feed_walks_to_the_end_and_discovers_every_order(
    lapi: LapiApi, unlimited: None
) -> None:
    events, requests = await walk(lapi, {})
    assert requests == -(-len(events) // 100)
    assert [e["id"] for e in events] == list(range(1_000_001, 1_000_001 + len(events)))
    times = [e["time"] for e in events]
    assert times == sorted(times), "oldest first"
    assert all(set(e) == {"id", "type", "time", "payload"} for e in events)
    created = [e for e in events if e["type"] == "Outbound.Created"]
    assert [e["payload"]["orderId"] for e in created] == list(range(71001, 71151))
    assert set(created[0]["payload"]) == {
        "orderId",
        "externalId",
        "status",
        "createdAt",
    }
    dtc = [e for e in events if e["type"] == "Order.Created"]
    assert sorted(e["payload"]["orderId"] for e in dtc) == list(
        range(49201824001, 49201824151)
    )
    assert set(dtc[0]["payload"]) == {
        "orderId",
        "externalOrderId",
        "status",
        "createdAt",
    }
    for order_id in (71001, 71075, 71150):
        order = await lapi.get(f"/outbounds/{order_id}")
        changes = [
            e["payload"]
            for e in events
            if e["type"] == "Outbound.StatusChanged"
            and e["payload"]["orderId"] == order_id
        ]
        last = changes[-1]["orderStatus"] if changes else "PLANNED"
        assert last == order["orderStatus"], "the feed replays to the current status"
    for order_id in (49201824001, 49201824100):
        order = await lapi.get(f"/orders/{order_id}")
        changes = [
            e["payload"]
            for e in events
            if e["type"] == "Order.StatusChanged"
            and e["payload"]["orderId"] == order_id
        ]
        assert changes[-1]["status"] == order["state"]["internalStatus"]
        assert changes[-1]["fulfillmentStatus"] == order["state"]["fulfillmentStatus"]
    small, small_requests = await walk(
        lapi, {"limit": "40", "type": "Outbound.Created"}
    )
    assert (small, small_requests) == (created, 4)


async def test_filters_combine_and_page_info_keeps_them(lapi: LapiApi) -> None:
    by_order = await lapi.get("/events", {"orderId": "71001"})
    assert by_order[0]["type"] == "Outbound.Created"
    assert all(e["payload"]["orderId"] == 71001 for e in by_order)
    shipment_id = next(
        e["payload"]["shipmentId"] for e in by_order if "shipmentId" in e["payload"]
    )
    by_shipment = await lapi.get("/events", {"shipmentId": str(shipment_id)})
    assert by_shipment
    assert all(e["payload"]["shipmentId"] == shipment_id for e in by_shipment)
    chosen = [by_order[0]["id"], by_order[-1]["id"]]
    assert [
        e["id"] for e in await lapi.get("/events", {"ids": f"{chosen[1]},{chosen[0]}"})
    ] == chosen
    after = await lapi.get(
        "/events", {"orderId": "71001", "after": by_order[0]["time"]}
    )
    assert after == [e for e in by_order if e["time"] > by_order[0]["time"]]
    first = await lapi.call(
        "GET", "/events", params={"type": "Order.Shipped", "limit": "2"}
    )
    cursor = dict(URL(_LINK.match(first.headers["Link"]).group(1)).query)["page_info"]  # type: ignore[union-attr]
    again = await lapi.get(
        "/events", {"type": "Order.Shipped", "limit": "2", "page_info": cursor}
    )
    bare = await lapi.get("/events", {"limit": "2", "page_info": cursor})
    assert again == bare
    assert all(e["type"] == "Order.Shipped" for e in again)
    assert again[0]["id"] > (await first.json())[-1]["id"]


async def test_parameter_errors(lapi: LapiApi) -> None:
    first = await lapi.call(
        "GET", "/events", params={"type": "Order.Shipped", "limit": "1"}
    )
    cursor = dict(URL(_LINK.match(first.headers["Link"]).group(1)).query)["page_info"]  # type: ignore[union-attr]
    for params, detail in [
        ({"limit": "0"}, "limit must be an integer between 1 and 100"),
        ({"limit": "101"}, "limit must be an integer between 1 and 100"),
        ({"type": "Order Shipped"}, r"type must match [\w.]{0,50}"),
        ({"type": "x" * 51}, r"type must match [\w.]{0,50}"),
        ({"after": "yesterday"}, "after must be an ISO 8601 date-time"),
        ({"orderId": "abc"}, "orderId must be an integer"),
        ({"ids": "evt_1"}, "ids must be integers"),
        ({"page_info": "%%%"}, "page_info is not a valid cursor"),
        (
            {"page_info": cursor, "type": "Order.Cancelled"},
            "page_info was issued for different filters",
        ),
        ({"cursor": "x"}, "Unknown query parameter cursor"),
    ]:
        assert (await lapi.problem("GET", "/events", 400, params=params))[
            "detail"
        ] == detail, params
    assert await lapi.get("/events", {"type": "Return.Updated"}) == []
    assert len(await lapi.get("/events", {"type": ""})) == 100, (
        "an empty type filters nothing"
    )


async def test_api_changes_append_events_and_publish_webhook_bodies(
    lapi: LapiApi, sandbox: Sandbox
) -> None:
    seen: list[SandboxEvent] = []
    sandbox.events.subscribe(seen.append)
    stock = await lapi.get("/products/inventory/all", {"limit": "50"})
    sku = next(r["logisticsSku"] for r in stock if r["available"] > 5)
    body = {
        "externalOrderId": "EVT-1",
        "lineItems": [{"logisticsSku": sku, "quantity": 1}],
        "address": {
            "name": "A",
            "street1": "B",
            "city": "C",
            "zip": "1",
            "country": "GB",
        },
    }
    order = await lapi.post("/orders", body)
    await lapi.post(f"/orders/{order['id']}/cancel")
    tail = await lapi.get("/events", {"orderId": str(order["id"])})
    assert [e["type"] for e in tail] == [
        "Order.Created",
        "Order.StatusChanged",
        "Order.Cancelled",
    ]
    assert tail[0]["payload"] == {
        "orderId": order["id"],
        "externalOrderId": "EVT-1",
        "status": "CREATED",
        "createdAt": order["createdAt"],
    }
    assert tail[2]["payload"]["cancelledAt"] == tail[2]["time"]
    assert [(e.provider, e.type) for e in seen] == [
        ("flexport_logistics", e["type"]) for e in tail
    ]
    webhook = seen[0].data
    assert webhook == {
        "logisticsAccountId": webhook["logisticsAccountId"],
        "logisticsEventId": str(tail[0]["id"]),
        "logisticsEventType": "Order.Created",
        "logisticsEventTime": tail[0]["time"],
        **tail[0]["payload"],
    }
    assert webhook["logisticsAccountId"].isdigit()

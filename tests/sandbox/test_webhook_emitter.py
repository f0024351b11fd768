"""Each provider's webhook envelope, headers and signature, as a receiver sees them."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpServer

from gateway.sandbox import EMITTER_KEY, Sandbox, SandboxConfig, SandboxEvent

from .conftest import Api, FakeClock, FlexportV3Api, FlxpointApi, LapiApi, po_body
from .conftest import order_body as flexe_order
from .receiver import (
    FLEXE_SECRET,
    LAPI_TOKEN,
    V3_SECRET,
    Receiver,
    config_for,
    flexe_signature,
    hub_signatures,
    settled,
    until,
)
from .test_flexport_logistics_outbounds import outbound_body
from .test_inbound_retail import INBOUND

LAPI_ENVELOPE = {
    "logisticsAccountId",
    "logisticsEventId",
    "logisticsEventType",
    "logisticsEventTime",
}


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
async def config(
    aiohttp_server: AiohttpServer, receiver: Receiver, clock: FakeClock
) -> SandboxConfig:
    server = await aiohttp_server(receiver.app())
    return config_for(str(server.make_url("")).rstrip("/"), clock)


async def advance(control: Api, provider: str, kind: str, object_id: Any) -> Any:
    body = {"provider": provider, "type": kind, "id": str(object_id)}
    return await control.post("/_sandbox/advance", body)


def bodies(receiver: Receiver, path: str) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in receiver.at(path)]


async def test_flexe_create_sends_one_signed_envelope(
    flexe: Api, app: web.Application, receiver: Receiver, clock: FakeClock
) -> None:
    order = await flexe.post("/v2/orders", flexe_order(), expect=201)
    await until(lambda: len(receiver.requests) == 1)
    await settled(app)
    (sent,) = receiver.requests
    assert (sent.method, sent.path) == ("POST", "/webhooks/flexe")
    headers = sent.headers
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Flexe-Event"] == "outbound_order.created"
    assert str(uuid.UUID(headers["X-Flexe-Delivery"])) == headers["X-Flexe-Delivery"]
    assert headers["X-Flexe-Timestamp"] == str(int(clock.now))
    assert headers["X-Flexe-Signature"] == flexe_signature(
        FLEXE_SECRET, headers["X-Flexe-Timestamp"], sent.body
    )
    assert "X-Hub-Signature-256" not in headers
    envelope = json.loads(sent.body)
    assert set(envelope) == {"id", "type", "createdAt", "data"}
    assert re.fullmatch(r"evt_[0-9a-f]{32}", envelope["id"])
    assert (envelope["type"], envelope["createdAt"]) == (
        "outbound_order.created",
        order["createdAt"],
    )
    assert envelope["data"] == {
        "orderId": order["id"],
        "externalId": "SO-TEST-1",
        "state": "new",
    }


async def test_flexe_advance_and_line_cancels_arrive_in_order(
    flexe: Api, control: Api, app: web.Application, receiver: Receiver
) -> None:
    order = await flexe.post("/v2/orders", flexe_order(), expect=201)
    await advance(control, "flexe", "order", order["id"])
    lines = (await flexe.get(f"/v2/orders/{order['id']}/lines"))["lines"]
    for line in lines:
        await flexe.post(f"/v2/orders/{order['id']}/lines/{line['id']}/cancel")
    await until(lambda: len(receiver.requests) == 5)
    await settled(app)
    sent = bodies(receiver, "/webhooks/flexe")
    assert [e["type"] for e in sent] == [
        "outbound_order.created",
        "outbound_order.state_changed",
        "outbound_order_line.cancelled",
        "outbound_order_line.cancelled",
        "outbound_order.state_changed",
    ]
    assert [r.headers["X-Flexe-Event"] for r in receiver.requests] == [
        e["type"] for e in sent
    ]
    assert len({e["id"] for e in sent}) == 5
    assert sent[2]["data"]["lineId"] == lines[0]["id"]
    assert sent[4]["data"] == {
        "orderId": order["id"],
        "externalId": "SO-TEST-1",
        "previousState": "allocated",
        "state": "cancelled",
        "hasErrors": False,
    }


async def test_flexe_received_inbound_updates_inventory(
    flexe: Api, control: Api, app: web.Application, receiver: Receiver
) -> None:
    query = {"skus[]": "SKU-10001", "reservation_id": "res-seattle-01"}
    (before,) = (await flexe.get("/v2/inventory", query))["inventory"]
    inbound = await flexe.post(
        "/v2/inbound-shipments", {**INBOUND, "reservationId": "res-seattle-01"}, 201
    )
    for _ in range(2):
        await advance(control, "flexe", "inbound_shipment", inbound["id"])
    await until(lambda: len(receiver.requests) == 2)
    await settled(app)
    received, updated = bodies(receiver, "/webhooks/flexe")
    assert received["type"] == "inbound_shipment.received"
    assert received["data"]["inboundShipmentId"] == inbound["id"]
    (after,) = (await flexe.get("/v2/inventory", query))["inventory"]
    on_hand = before["quantity_on_hand"]["amount"] + 240
    assert after["quantity_on_hand"]["amount"] == on_hand
    assert updated["type"] == "inventory.updated"
    assert updated["data"] == {
        "sku": "SKU-10001",
        "reservationId": "res-seattle-01",
        "quantity_on_hand": after["quantity_on_hand"],
        "quantity_available": after["quantity_available"],
    }


async def test_lapi_envelope_token_header_and_contract_types_only(
    lapi: LapiApi, control: Api, app: web.Application, receiver: Receiver
) -> None:
    outbound = await lapi.post("/outbounds", outbound_body())
    order_id = outbound["orderId"]
    # PLANNED -> BOOKED also books a shipment (a sandbox-only event), then cancel.
    await advance(control, "flexport_logistics", "outbound", order_id)
    await lapi.post(f"/outbounds/{order_id}/cancel")
    await until(lambda: len(receiver.requests) == 3)
    await settled(app)
    assert {r.path for r in receiver.requests} == {"/webhooks/flexport_logistics"}
    for sent in receiver.requests:
        assert sent.method == "POST"
        assert sent.headers["Content-Type"] == "application/json"
        assert sent.headers["X-Webhook-Token"] == LAPI_TOKEN
        assert not {"Authorization", "X-Hub-Signature-256", "X-Flexe-Signature"} & set(
            sent.headers
        )
    created, booked, cancelled = bodies(receiver, "/webhooks/flexport_logistics")
    assert set(created) == LAPI_ENVELOPE | {
        "orderId",
        "externalId",
        "status",
        "createdAt",
    }
    assert (created["logisticsEventType"], created["orderId"], created["status"]) == (
        "Outbound.Created",
        order_id,
        "PLANNED",
    )
    assert [
        (e["logisticsEventType"], e["previousStatus"], e["orderStatus"])
        for e in (booked, cancelled)
    ] == [
        ("Outbound.StatusChanged", "PLANNED", "BOOKED"),
        ("Outbound.StatusChanged", "BOOKED", "CANCELLED"),
    ]
    # The same event as the L16 feed serves, under the same id.
    feed = await lapi.get("/events", {"ids": cancelled["logisticsEventId"]})
    (item,) = feed
    assert str(item["id"]) == cancelled["logisticsEventId"]
    assert item["payload"] == {
        k: v for k, v in cancelled.items() if k not in LAPI_ENVELOPE
    }
    statuses = [d.to_json()["status"] for d in app[EMITTER_KEY].log.entries()]
    assert statuses == [200, 200, 200]


async def test_v3_event_object_signed_with_both_hub_headers(
    flexport_v3: FlexportV3Api,
    control: Api,
    app: web.Application,
    receiver: Receiver,
) -> None:
    po = await flexport_v3.upsert(po_body(), expect=201)
    await advance(control, "flexport_v3", "purchase_order", po["id"])
    await flexport_v3.upsert(po_body(status="cancelled"))
    await until(lambda: len(receiver.requests) == 4)
    await settled(app)
    for sent in receiver.requests:
        assert (sent.method, sent.path) == ("POST", "/webhooks/flexport_v3")
        sha256, sha1 = hub_signatures(V3_SECRET, sent.body)
        assert sent.headers["X-Hub-Signature-256"] == sha256
        assert sent.headers["X-Hub-Signature"] == sha1
        assert sent.headers["Content-Type"] == "application/json"
    events = bodies(receiver, "/webhooks/flexport_v3")
    assert [e["type"] for e in events] == [
        "/purchase_order#created",
        "/purchase_order#acknowledged",
        "/purchase_order#cancelled",
        "/purchase_order#archived",
    ]
    for event in events:
        assert isinstance(event["id"], int)
        assert (event["_object"], event["version"]) == ("/event", 3)
        assert event["data"]["purchase_order"]["id"] == po["id"]
        assert event == await flexport_v3.data(f"/events/{event['id']}")


async def test_flxpoint_changes_send_nothing(
    flxpoint: FlxpointApi,
    control: Api,
    sandbox: Sandbox,
    app: web.Application,
    receiver: Receiver,
) -> None:
    seen: list[SandboxEvent] = []
    sandbox.events.subscribe(seen.append)
    frs = await flxpoint.get(
        "/fulfillment-requests", {"filterStatus": "Unprocessed", "filterPageSize": "1"}
    )
    await advance(control, "flxpoint", "fulfillment_request", frs[0]["id"])
    assert seen, "the change was published"
    # Deliveries are logged when an event is published, so none will follow.
    assert app[EMITTER_KEY].log.entries() == []
    assert receiver.requests == []

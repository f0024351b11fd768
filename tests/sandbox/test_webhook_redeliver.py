"""/_sandbox/webhooks/ (log, redeliver) and deliveries to F19 and L17 subscriptions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpServer

from gateway.sandbox import Sandbox, SandboxConfig

from .conftest import Api, FakeClock, FlexportV3Api, LapiApi, po_body
from .conftest import order_body as flexe_order
from .receiver import (
    FLEXE_SECRET,
    LAPI_TOKEN,
    Receiver,
    basic,
    config_for,
    flexe_signature,
    settled,
    until,
)
from .test_flexport_logistics_outbounds import outbound_body

DELIVERY_KEYS = {
    "seq", "provider", "type", "eventId", "deliveryId", "target", "method", "url",
    "state", "attempts", "status", "statuses", "error", "redeliveryOf",
    "occurredAt", "headers", "body",
}  # fmt: skip


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
async def receiver_url(aiohttp_server: AiohttpServer, receiver: Receiver) -> str:
    server = await aiohttp_server(receiver.app())
    return str(server.make_url("")).rstrip("/")


@pytest.fixture
def config(receiver_url: str, clock: FakeClock) -> SandboxConfig:
    return config_for(receiver_url, clock)


async def deliveries(control: Api, base: str = "", **params: str) -> Any:
    return (await control.get(f"{base}/_sandbox/webhooks/deliveries", params))[
        "deliveries"
    ]


async def test_the_index_names_the_target_and_secrets(
    control: Api, receiver_url: str
) -> None:
    webhooks = (await control.get("/_sandbox"))["webhooks"]
    assert webhooks == {
        "target": receiver_url,
        "secrets": {
            "flexe": FLEXE_SECRET,
            "flexport_logistics": LAPI_TOKEN,
            "flexport_v3": "sandbox-flexport-v3-webhook-secret",
        },
        "authHeader": "X-Webhook-Token",
        "liveSpeed": 0.0,
    }


async def test_the_log_lists_deliveries_with_what_was_sent(
    flexe: Api, control: Api, app: web.Application
) -> None:
    await flexe.post("/v2/orders", flexe_order(), expect=201)
    await settled(app)
    (entry,) = await deliveries(control)
    assert set(entry) == DELIVERY_KEYS
    assert (entry["provider"], entry["type"], entry["target"]) == (
        "flexe",
        "outbound_order.created",
        "gateway",
    )
    assert (entry["state"], entry["status"], entry["attempts"]) == ("delivered", 200, 1)
    assert entry["eventId"] == json.loads(entry["body"])["id"]
    assert entry["deliveryId"] == entry["headers"]["X-Flexe-Delivery"]
    # Enough to forge a variant of a genuine delivery.
    timestamp = entry["headers"]["X-Flexe-Timestamp"]
    assert entry["headers"]["X-Flexe-Signature"] == flexe_signature(
        FLEXE_SECRET, timestamp, entry["body"].encode()
    )
    assert await deliveries(control, provider="flexport_v3") == []
    assert await deliveries(control, since=str(entry["seq"])) == []
    assert await deliveries(control, "/flexe", eventId=entry["eventId"]) == [entry]
    cleared = await control.call("DELETE", "/flexport-v3/_sandbox/webhooks/deliveries")
    assert cleared.status == 204
    assert await deliveries(control) == [entry], "only v3's entries were cleared"
    cleared = await control.call("DELETE", "/_sandbox/webhooks/deliveries")
    assert cleared.status == 204
    assert await deliveries(control) == []


async def test_redeliver_by_event_id_resends_identical_bytes_and_headers(
    flexe: Api, control: Api, app: web.Application, receiver: Receiver
) -> None:
    await flexe.post("/v2/orders", flexe_order(), expect=201)
    await settled(app)
    (entry,) = await deliveries(control)
    answer = await control.post(
        "/_sandbox/webhooks/redeliver", {"eventId": entry["eventId"]}, expect=202
    )
    (again,) = answer["deliveries"]
    assert (again["redeliveryOf"], again["state"]) == (entry["seq"], "pending")
    await until(lambda: len(receiver.requests) == 2)
    await settled(app)
    first, duplicate = receiver.requests
    assert duplicate.body == first.body
    flexe_headers = {k: v for k, v in first.headers.items() if k.startswith("X-Flexe")}
    assert len(flexe_headers) == 4
    assert {k: duplicate.headers[k] for k in flexe_headers} == flexe_headers


async def test_redeliver_the_last_n_of_one_provider(
    flexe: Api,
    flexport_v3: FlexportV3Api,
    control: Api,
    app: web.Application,
    receiver: Receiver,
) -> None:
    await flexport_v3.upsert(po_body(), expect=201)
    await flexport_v3.upsert(po_body(memo="Revised"))
    await flexe.post("/v2/orders", flexe_order(), expect=201)
    await settled(app)
    answer = await control.post(
        "/flexport-v3/_sandbox/webhooks/redeliver", {"count": 5}, expect=202
    )
    assert [d["type"] for d in answer["deliveries"]] == [
        "/purchase_order#created",
        "/purchase_order#updated",
    ]
    await until(lambda: len(receiver.requests) == 5)
    await settled(app)
    v3 = receiver.at("/webhooks/flexport_v3")
    assert [r.body for r in v3[2:]] == [r.body for r in v3[:2]]
    assert [r.headers["X-Hub-Signature-256"] for r in v3[2:]] == [
        r.headers["X-Hub-Signature-256"] for r in v3[:2]
    ]
    # count defaults to 1, and only first deliveries are candidates.
    (last,) = (await control.post("/_sandbox/webhooks/redeliver", {}, 202))[
        "deliveries"
    ]
    assert (last["provider"], last["type"]) == ("flexe", "outbound_order.created")


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/_sandbox/webhooks/redeliver", {"eventId": "evt_nope"}, 404, "NOT_FOUND"),
        ("/flxpoint/_sandbox/webhooks/redeliver", {}, 404, "NOT_FOUND"),
        ("/_sandbox/webhooks/redeliver", {"count": 0}, 400, "INVALID_FIELD"),
        (
            "/_sandbox/webhooks/redeliver",
            {"count": 1, "eventId": "e"},
            400,
            "INVALID_FIELD",
        ),
        ("/_sandbox/webhooks/redeliver", {"provider": "acme"}, 400, "UNKNOWN_PROVIDER"),
        ("/_sandbox/webhooks/redeliver", {"n": 1}, 400, "INVALID_FIELD"),
    ],
)
async def test_redeliver_errors(
    flexe: Api,
    control: Api,
    app: web.Application,
    path: str,
    body: dict[str, Any],
    status: int,
    code: str,
) -> None:
    await flexe.post("/v2/orders", flexe_order(), expect=201)
    answer = await control.post(path, body, expect=status)
    assert answer["errors"][0]["code"] == code


async def test_flexe_subscriptions_get_their_own_signed_copy(
    flexe: Api,
    control: Api,
    app: web.Application,
    receiver: Receiver,
    receiver_url: str,
) -> None:
    hook = {"name": "mine", "url": f"{receiver_url}/hooks/flexe", "secret": "s3"}
    await flexe.post(
        "/v2/webhooks", {**hook, "events": ["outbound_order.created"]}, expect=201
    )
    await flexe.post(
        "/v2/webhooks",
        {
            **hook,
            "name": "other",
            "url": f"{receiver_url}/hooks/other",
            "events": ["shipment.shipped"],
        },
        expect=201,
    )
    await flexe.post("/v2/orders", flexe_order(), expect=201)
    await until(lambda: len(receiver.requests) == 2)
    await settled(app)
    (gateway,) = receiver.at("/webhooks/flexe")
    (mine,) = receiver.at("/hooks/flexe")
    assert mine.body == gateway.body, "one event, one id"
    assert mine.headers["X-Flexe-Delivery"] != gateway.headers["X-Flexe-Delivery"]
    assert mine.headers["X-Flexe-Signature"] == flexe_signature(
        "s3", mine.headers["X-Flexe-Timestamp"], mine.body
    )
    targets = {d["target"].split(":")[0] for d in await deliveries(control)}
    assert targets == {"gateway", "subscription"}


async def test_lapi_subscriptions_use_their_method_and_auth(
    lapi: LapiApi, control: Api, sandbox: Sandbox, app: web.Application
) -> None:
    # L17 takes https only; nothing listens there, so the attempts fail, but
    # the log shows exactly what was sent.
    dead = "https://127.0.0.1:1/hooks"
    await lapi.post(
        "/webhooks",
        {"type": "Outbound.Created", "url": dead, "method": "PUT",
         "authMethod": "BASIC_AUTH", "username": "me", "password": "pw"},
        expect=202,
    )  # fmt: skip
    await lapi.post(
        "/webhooks",
        {"type": "Outbound.StatusChanged", "url": dead, "authMethod": "TOKEN",
         "token": "tok", "tokenHeader": "X-Mine"},
        expect=202,
    )  # fmt: skip
    sandbox.config.webhook_username = "gw"
    outbound = await lapi.post("/outbounds", outbound_body())
    await lapi.post(f"/outbounds/{outbound['orderId']}/cancel")
    await settled(app)
    sent = {
        (d["type"], d["target"].split(":")[0]): d
        for d in await deliveries(control, "/flexport-logistics")
    }
    created = sent["Outbound.Created", "subscription"]
    assert (created["method"], created["url"]) == ("PUT", dead)
    assert created["headers"]["Authorization"] == basic("me", "pw")
    assert created["state"] == "failed"
    assert created["status"] is None
    assert created["error"]
    changed = sent["Outbound.StatusChanged", "subscription"]
    assert changed["headers"]["X-Mine"] == "tok"
    assert "Authorization" not in changed["headers"]
    gateway = sent["Outbound.Created", "gateway"]
    assert gateway["headers"]["Authorization"] == basic("gw", LAPI_TOKEN)
    assert gateway["state"] == "delivered"
    assert gateway["body"] == created["body"]

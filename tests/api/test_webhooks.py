"""POST /webhooks/{provider}: verified, parsed, published once, seen by subscribers."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from gateway import ids
from gateway.app import BROKER, ENTITY_CACHE, create_app
from gateway.broker import Broker
from gateway.cache.base import CacheKey
from gateway.settings import Settings
from tests.api.ws import Socket
from tests.conftest import FAST_RETRY, GQL, NO_POLLING, provider_settings

Client = TestClient  # type: ignore[type-arg]
FLEXE_SECRET = "whsec-flexe-test"
V3_SECRET = "whsec-v3-test"
ORDER_STATUS = """subscription { orderStatusChanged {
  eventId provider orderId previousStatus status rawStatus } }"""
PO_STATUS = """subscription { purchaseOrderStatusChanged {
  eventId purchaseOrderId number status } }"""


@pytest.fixture
def settings(sandbox: TestServer) -> Settings:
    return Settings(
        sandbox=True,
        providers={
            "flexe": provider_settings(
                sandbox, "flexe", webhook_secret=SecretStr(FLEXE_SECRET)
            ),
            "flexport_v3": provider_settings(
                sandbox, "flexport_v3", webhook_secret=SecretStr(V3_SECRET)
            ),
        },
        retry=FAST_RETRY,
        polling=NO_POLLING,
    )


def flexe_delivery(
    order_id: str, event_id: str, *, state: str = "cancelled", at: float | None = None
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {
            "id": event_id,
            "type": "outbound_order.state_changed",
            "createdAt": "2026-12-07T12:00:00Z",
            "data": {
                "orderId": order_id,
                "externalId": "EXT-1",
                "previousState": "new",
                "state": state,
                "hasErrors": False,
            },
        }
    ).encode()
    stamp = str(int(at if at is not None else time.time()))
    mac = hmac.new(FLEXE_SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    return body, {
        "Content-Type": "application/json",
        "X-Flexe-Event": "outbound_order.state_changed",
        "X-Flexe-Delivery": f"dlv-{event_id}",
        "X-Flexe-Timestamp": stamp,
        "X-Flexe-Signature": f"sha256={mac.hexdigest()}",
    }


def broker(client: Client) -> Broker:
    found: Broker = client.server.app[BROKER]
    return found


async def listening(client: Client, query: str) -> Socket:
    socket = await Socket.open(client)
    await socket.init()
    await socket.subscribe(query)
    for _ in range(200):
        if broker(client).subscriber_count():
            break
        await asyncio.sleep(0.01)
    return socket


async def a_flexe_order(gql: GQL) -> dict[str, Any]:
    body = await gql(
        "{ orders(first: 1, filter: {providers: [FLEXE]}) { edges { node { "
        "id providerId status } } } }"
    )
    order: dict[str, Any] = body["data"]["orders"]["edges"][0]["node"]
    return order


async def test_signed_flexe_webhook_reaches_the_subscriber(
    gateway: Client, gql: GQL
) -> None:
    order = await a_flexe_order(gql)
    socket = await listening(gateway, ORDER_STATUS)
    body, headers = flexe_delivery(order["providerId"], "evt_gw_1")
    resp = await gateway.post("/webhooks/flexe", data=body, headers=headers)
    assert resp.status == 200, await resp.text()
    assert await resp.json() == {"received": 1, "published": 1}
    event = (await socket.next_data())["orderStatusChanged"]
    assert event["orderId"] == order["id"]
    assert (event["previousStatus"], event["status"]) == ("PENDING", "CANCELLED")
    assert event["rawStatus"] == "cancelled"
    await socket.close()


async def test_a_redelivered_webhook_is_published_once(
    gateway: Client, gql: GQL
) -> None:
    order = await a_flexe_order(gql)
    socket = await listening(gateway, ORDER_STATUS)
    body, headers = flexe_delivery(order["providerId"], "evt_gw_2")
    first = await gateway.post("/webhooks/flexe", data=body, headers=headers)
    again = await gateway.post("/webhooks/flexe", data=body, headers=headers)
    assert (await first.json())["published"] == 1
    assert (await again.json()) == {"received": 1, "published": 0}
    await socket.next_data()
    with pytest.raises(TimeoutError):
        await socket.receive(wait=0.3)
    await socket.close()


@pytest.mark.parametrize(
    "tamper",
    ["signature", "body", "stale", "missing"],
)
async def test_a_forged_or_stale_webhook_is_401_and_publishes_nothing(
    gateway: Client, gql: GQL, tamper: str
) -> None:
    order = await a_flexe_order(gql)
    socket = await listening(gateway, ORDER_STATUS)
    at = time.time() - 3600 if tamper == "stale" else None
    body, headers = flexe_delivery(order["providerId"], f"evt_{tamper}", at=at)
    if tamper == "signature":
        headers["X-Flexe-Signature"] = "sha256=" + "0" * 64
    elif tamper == "body":
        body = body.replace(b"cancelled", b"shipped")
    elif tamper == "missing":
        del headers["X-Flexe-Signature"]
    resp = await gateway.post("/webhooks/flexe", data=body, headers=headers)
    assert resp.status == 401
    error = (await resp.json())["errors"][0]
    assert error["extensions"]["code"] == "WEBHOOK_REJECTED"
    assert FLEXE_SECRET not in error["message"]
    with pytest.raises(TimeoutError):
        await socket.receive(wait=0.3)
    await socket.close()


async def test_webhook_for_an_unknown_provider_or_one_without_webhooks_is_404(
    gateway: Client,
) -> None:
    for slug in ("acme", "flxpoint"):
        resp = await gateway.post(f"/webhooks/{slug}", data=b"{}")
        assert resp.status == 404


async def test_garbage_signed_body_is_400(gateway: Client) -> None:
    body = b"not json at all"
    stamp = str(int(time.time()))
    mac = hmac.new(FLEXE_SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    headers = {
        "X-Flexe-Timestamp": stamp,
        "X-Flexe-Signature": f"sha256={mac.hexdigest()}",
    }
    resp = await gateway.post("/webhooks/flexe", data=body, headers=headers)
    assert resp.status == 400
    assert (await resp.json())["errors"][0]["extensions"]["code"]


async def test_webhook_event_drops_the_cached_order(gateway: Client, gql: GQL) -> None:
    order = await a_flexe_order(gql)
    ref = ids.decode(order["id"])
    cache = gateway.server.app[ENTITY_CACHE]
    await gql("query($id: ID!) { order(id: $id) { status } }", {"id": order["id"]})
    before = await cache.get_many("orders", [CacheKey(ref.provider, ref.id)])
    assert before, "the read cached the order"
    body, headers = flexe_delivery(order["providerId"], "evt_gw_cache")
    resp = await gateway.post("/webhooks/flexe", data=body, headers=headers)
    assert resp.status == 200
    after = await cache.get_many("orders", [CacheKey(ref.provider, ref.id)])
    assert not after


async def test_signed_v3_webhook_reaches_a_purchase_order_subscriber(
    gateway: Client,
) -> None:
    socket = await listening(gateway, PO_STATUS)
    body = json.dumps(
        {
            "_object": "/event",
            "id": 990001,
            "version": 3,
            "created_at": "2026-12-07T12:00:00Z",
            "occurred_at": "2026-12-07T12:00:00Z",
            "type": "/purchase_order#closed",
            "data": {
                "_object": "/order_management_event_data",
                "purchase_order": {
                    "_object": "/purchase_order",
                    "id": 171047,
                    "name": "PO-GW-WH",
                    "status": "closed",
                },
            },
        }
    ).encode()
    mac = hmac.new(V3_SECRET.encode(), body, hashlib.sha256).hexdigest()
    resp = await gateway.post(
        "/webhooks/flexport_v3",
        data=body,
        headers={"X-Hub-Signature-256": f"sha256={mac}"},
    )
    assert resp.status == 200, await resp.text()
    event = (await socket.next_data())["purchaseOrderStatusChanged"]
    assert (event["number"], event["status"]) == ("PO-GW-WH", "CLOSED")
    await socket.close()


async def test_app_without_secret_rejects_every_delivery(
    aiohttp_client: Any, sandbox: TestServer
) -> None:
    bare = Settings(
        sandbox=True,
        providers={"flexe": provider_settings(sandbox, "flexe")},
        retry=FAST_RETRY,
        polling=NO_POLLING,
    )
    client: Client = await aiohttp_client(create_app(bare))
    body, headers = flexe_delivery("o-1", "evt_nosecret")
    resp = await client.post("/webhooks/flexe", data=body, headers=headers)
    assert resp.status == 401

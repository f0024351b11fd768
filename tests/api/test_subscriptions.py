"""Subscriptions over real websockets: events, filters, resume, slow subscribers."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from gateway import ids
from gateway.app import BROKER, create_app
from gateway.broker import Broker
from gateway.models import OrderStatus, OrderStatusEvent
from gateway.settings import BrokerSettings, Settings
from tests.api.ws import LEGACY_WS, Socket
from tests.conftest import (
    FAST_RETRY,
    GQL,
    REDIS_URL,
    SandboxControl,
    provider_settings,
)

Client = TestClient  # type: ignore[type-arg]

ORDER_STATUS = """subscription($orderIds: [ID!], $statuses: [OrderStatus!],
    $after: ID) {
  orderStatusChanged(orderIds: $orderIds, statuses: $statuses, after: $after) {
    eventId provider orderId previousStatus status rawStatus occurredAt } }"""
WITH_ORDER = """subscription { orderStatusChanged {
  eventId status order { id status externalId } } }"""
FIRST_ORDER = "{ orders(first: 2) { edges { node { id providerId status } } } }"


@pytest.fixture
def settings(sandbox: TestServer) -> Settings:
    return Settings(
        sandbox=True,
        providers={"flexe": provider_settings(sandbox, "flexe")},
        retry=FAST_RETRY,
        broker=BrokerSettings(queue_size=4),
    )


def broker(client: Client) -> Broker:
    found: Broker = client.server.app[BROKER]
    return found


def event(order_id: str, n: int, status: OrderStatus) -> OrderStatusEvent:
    return OrderStatusEvent(
        provider="flexe",
        occurred_at=datetime(2026, 12, 7, 12, n, tzinfo=UTC),
        dedupe_key=f"evt_{order_id}_{n}",
        order_id=order_id,
        previous_status=OrderStatus.PENDING,
        status=status,
        raw_status=status.value.lower(),
    )


async def some_orders(gql: GQL) -> list[dict[str, Any]]:
    body = await gql(FIRST_ORDER)
    return [edge["node"] for edge in body["data"]["orders"]["edges"]]


async def first_error(socket: Socket) -> dict[str, Any]:
    """The first GraphQL error the socket reports (in `next` or `error`)."""
    while True:
        message = await socket.receive(wait=10)
        payload = message.get("payload")
        if message["type"] == "error":
            found: dict[str, Any] = payload[0]
            return found
        if isinstance(payload, dict) and payload.get("errors"):
            found = payload["errors"][0]
            return found


async def subscribed(client: Client, query: str, **variables: Any) -> Socket:
    before = broker(client).subscriber_count()
    socket = await Socket.open(client)
    await socket.init()
    await socket.subscribe(query, variables)
    # The subscription is registered once the server has run it up to its
    # first await on the broker.
    for _ in range(200):
        if broker(client).subscriber_count() > before:
            break
        await asyncio.sleep(0.01)
    return socket


async def test_order_status_event_reaches_the_subscriber(
    gateway: Client, gql: GQL
) -> None:
    order = (await some_orders(gql))[0]
    ref = ids.decode(order["id"])
    socket = await subscribed(gateway, ORDER_STATUS)
    published = await broker(gateway).publish(event(ref.id, 1, OrderStatus.SHIPPED))
    assert published is not None
    data = (await socket.next_data())["orderStatusChanged"]
    assert data == {
        "eventId": published.event_id,
        "provider": "FLEXE",
        "orderId": order["id"],
        "previousStatus": "PENDING",
        "status": "SHIPPED",
        "rawStatus": "shipped",
        "occurredAt": "2026-12-07T12:01:00+00:00",
    }
    await socket.close()


async def test_event_order_field_is_read_fresh_each_time(
    gateway: Client, gql: GQL, control: SandboxControl
) -> None:
    order = (await some_orders(gql))[0]
    socket = await subscribed(gateway, WITH_ORDER)
    await broker(gateway).publish(event(order["providerId"], 1, OrderStatus.PENDING))
    first = (await socket.next_data())["orderStatusChanged"]
    assert first["order"]["id"] == order["id"]
    await control.clear()
    await broker(gateway).publish(event(order["providerId"], 2, OrderStatus.PENDING))
    second = (await socket.next_data())["orderStatusChanged"]
    assert second["order"]["id"] == order["id"]
    # The socket's loaders did not answer from the first read: one GET more.
    assert await control.count("flexe") == 1
    await socket.close()


async def test_filters_by_order_and_status(gateway: Client, gql: GQL) -> None:
    one, other = await some_orders(gql)
    socket = await subscribed(
        gateway, ORDER_STATUS, orderIds=[one["id"]], statuses=["CANCELLED"]
    )
    hub = broker(gateway)
    await hub.publish(event(other["providerId"], 1, OrderStatus.CANCELLED))
    await hub.publish(event(one["providerId"], 2, OrderStatus.SHIPPED))
    wanted = await hub.publish(event(one["providerId"], 3, OrderStatus.CANCELLED))
    assert wanted is not None
    data = (await socket.next_data())["orderStatusChanged"]
    assert (data["eventId"], data["status"]) == (wanted.event_id, "CANCELLED")
    await socket.close()


async def test_resume_after_an_event_gets_exactly_the_missed_ones(
    gateway: Client, gql: GQL
) -> None:
    order = (await some_orders(gql))[0]["providerId"]
    hub = broker(gateway)
    sent = [await hub.publish(event(order, n, OrderStatus.ALLOCATED)) for n in range(3)]
    assert all(sent)
    seen = sent[0]
    assert seen is not None
    socket = await subscribed(gateway, ORDER_STATUS, after=seen.event_id)
    live = await hub.publish(event(order, 9, OrderStatus.SHIPPED))
    assert live is not None
    got = [
        (await socket.next_data())["orderStatusChanged"]["eventId"] for _ in range(3)
    ]
    assert got == [e.event_id for e in (*sent[1:], live) if e]
    with pytest.raises(TimeoutError):
        await socket.receive(wait=0.3)
    await socket.close()


async def test_resume_with_a_bad_event_id_is_an_error(gateway: Client) -> None:
    socket = await Socket.open(gateway)
    await socket.init()
    await socket.subscribe(ORDER_STATUS, {"after": "last-tuesday"})
    error = await first_error(socket)
    assert "not an event id" in error["message"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    await socket.close()


async def test_slow_subscriber_is_closed_while_others_keep_receiving(
    gateway: Client, gql: GQL, control: SandboxControl
) -> None:
    order = (await some_orders(gql))[0]["providerId"]
    await control.settings(latencyMs=400)
    slow = await subscribed(gateway, WITH_ORDER)
    quick = await subscribed(gateway, ORDER_STATUS)
    hub = broker(gateway)
    sent = []
    for n in range(10):
        sent.append(await hub.publish(event(order, n, OrderStatus.ALLOCATED)))
        assert (await quick.next_data())["orderStatusChanged"]["eventId"] == (
            sent[-1].event_id if sent[-1] else None
        )
    closing = await first_error(slow)
    assert "fell more than 4 events behind" in closing["message"]
    assert closing["extensions"]["code"] == "SUBSCRIBER_TOO_SLOW"
    await control.settings(latencyMs=0)
    await quick.close()
    await slow.close()


async def test_complete_stops_one_subscription_and_keeps_the_socket(
    gateway: Client, gql: GQL
) -> None:
    order = (await some_orders(gql))[0]["providerId"]
    socket = await subscribed(gateway, ORDER_STATUS)
    await socket.send({"id": "1", "type": "complete"})
    for _ in range(100):
        if not broker(gateway).subscriber_count():
            break
        await asyncio.sleep(0.01)
    assert broker(gateway).subscriber_count() == 0
    await socket.subscribe(ORDER_STATUS)
    for _ in range(100):
        if broker(gateway).subscriber_count():
            break
        await asyncio.sleep(0.01)
    published = await broker(gateway).publish(event(order, 1, OrderStatus.SHIPPED))
    message = await socket.receive()
    assert message["id"] == "2"
    assert published is not None
    assert message["payload"]["data"]["orderStatusChanged"]["eventId"] == (
        published.event_id
    )
    await socket.close()


async def test_closing_the_socket_releases_its_subscriptions(gateway: Client) -> None:
    socket = await subscribed(gateway, ORDER_STATUS)
    assert broker(gateway).subscriber_count() == 1
    await socket.close()
    for _ in range(100):
        if not broker(gateway).subscriber_count():
            break
        await asyncio.sleep(0.01)
    assert broker(gateway).subscriber_count() == 0


async def test_client_close_1000_is_answered_with_1000(gateway: Client) -> None:
    socket = await Socket.open(gateway)
    await socket.init()
    await socket.ws.close(code=1000)
    assert socket.ws.close_code == 1000


async def test_protocol_violations_close_with_the_protocol_codes(
    gateway: Client,
) -> None:
    socket = await Socket.open(gateway)
    await socket.init()
    await socket.send({"type": "connection_init"})
    closed = await asyncio.wait_for(socket.ws.receive(), 5)
    assert closed.type == aiohttp.WSMsgType.CLOSE
    assert closed.data == 4429
    socket = await Socket.open(gateway)
    await socket.init()
    await socket.send({"type": "shout"})
    closed = await asyncio.wait_for(socket.ws.receive(), 5)
    assert closed.type == aiohttp.WSMsgType.CLOSE
    assert closed.data == 4400


async def test_legacy_graphql_ws_protocol_delivers_events(
    gateway: Client, gql: GQL
) -> None:
    order = (await some_orders(gql))[0]["providerId"]
    socket = await Socket.open(gateway, LEGACY_WS)
    await socket.send({"type": "connection_init", "payload": {}})
    assert (await socket.receive())["type"] == "connection_ack"
    await socket.send({"id": "a", "type": "start", "payload": {"query": ORDER_STATUS}})
    for _ in range(100):
        if broker(gateway).subscriber_count():
            break
        await asyncio.sleep(0.01)
    await broker(gateway).publish(event(order, 1, OrderStatus.DELIVERED))
    message = await socket.receive()
    assert (message["type"], message["id"]) == ("data", "a")
    assert message["payload"]["data"]["orderStatusChanged"]["status"] == "DELIVERED"
    await socket.send({"id": "a", "type": "stop"})
    assert (await socket.receive())["type"] == "complete"
    await socket.close()


async def test_two_gateways_on_one_redis_broker_share_events(
    aiohttp_client: Any, sandbox: TestServer, redis_prefix: str
) -> None:
    def app_settings() -> Settings:
        return Settings(
            sandbox=True,
            providers={"flexe": provider_settings(sandbox, "flexe")},
            retry=FAST_RETRY,
            broker_url=REDIS_URL,
            broker=BrokerSettings(key_prefix=redis_prefix),
        )

    one: Client = await aiohttp_client(create_app(app_settings()))
    other: Client = await aiohttp_client(create_app(app_settings()))
    socket = await subscribed(other, ORDER_STATUS)
    await broker(one).publish(event("o-shared", 1, OrderStatus.SHIPPED))
    data = (await socket.next_data())["orderStatusChanged"]
    assert data["status"] == "SHIPPED"
    await socket.close()


async def test_ping_is_answered_with_pong(gateway: Client) -> None:
    socket = await Socket.open(gateway)
    await socket.init()
    await socket.send({"type": "ping", "payload": {"at": 1}})
    for _ in range(5):
        msg = await asyncio.wait_for(socket.ws.receive(), 5)
        assert msg.type == aiohttp.WSMsgType.TEXT
        if json.loads(msg.data)["type"] == "pong":
            break
    else:
        raise AssertionError("no pong")
    await socket.close()


async def test_subscribe_before_connection_init_is_refused(gateway: Client) -> None:
    socket = await Socket.open(gateway)
    await socket.subscribe(ORDER_STATUS)
    closed = await asyncio.wait_for(socket.ws.receive(), 5)
    assert closed.type == aiohttp.WSMsgType.CLOSE
    assert closed.data == 4401

"""The whole path: a change in the sandbox, its signed webhook (or a poll), the
gateway, a subscriber. Nothing is published by hand here."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from gateway.app import BROKER, create_app
from gateway.broker import Broker
from gateway.sandbox import SandboxConfig
from gateway.settings import BrokerSettings, PollSettings, Settings
from tests.api.mutations import ORDER_CANCEL, ORDER_CREATE, ok, order_input
from tests.api.ws import Socket
from tests.conftest import (
    FAST_RETRY,
    NO_POLLING,
    REDIS_URL,
    SandboxControl,
    provider_settings,
)

Client = TestClient  # type: ignore[type-arg]
SECRETS = SandboxConfig().webhook_secrets
ORDER_STATUS = """subscription($after: ID) { orderStatusChanged(after: $after) {
  eventId provider orderId previousStatus status rawStatus
  order { id status } } }"""


def gateway_settings(sandbox: TestServer, **values: Any) -> Settings:
    """Every provider at the sandbox, verifying with the sandbox's secrets."""
    providers = {}
    for slug in ("flexe", "flexport_logistics", "flexport_v3", "flxpoint"):
        secret = SECRETS.get(slug)
        providers[slug] = provider_settings(
            sandbox, slug, webhook_secret=SecretStr(secret) if secret else None
        )
    return Settings(
        sandbox=True,
        providers=providers,
        retry=FAST_RETRY,
        **{"polling": NO_POLLING, **values},
    )


async def started(
    aiohttp_client: Any, sandbox_config: SandboxConfig, settings: Settings
) -> Client:
    client: Client = await aiohttp_client(create_app(settings))
    # The sandbox sends its webhooks to this gateway from now on.
    sandbox_config.webhook_target = str(client.make_url("")).rstrip("/")
    return client


async def listening(client: Client, query: str, **variables: Any) -> Socket:
    broker: Broker = client.server.app[BROKER]
    before = broker.subscriber_count()
    socket = await Socket.open(client)
    await socket.init()
    await socket.subscribe(query, variables)
    for _ in range(300):
        if broker.subscriber_count() > before:
            break
        await asyncio.sleep(0.01)
    return socket


async def events_for(
    socket: Socket, order_id: str, count: int, wait: float = 10
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while len(found) < count:
        data = (await socket.next_data(wait))["orderStatusChanged"]
        if data["orderId"] == order_id:
            found.append(data)
    return found


async def delivered(control: SandboxControl, count: int) -> None:
    """Wait until the gateway has accepted `count` of the sandbox's deliveries."""
    for _ in range(500):
        found = await control._call("GET", "/_sandbox/webhooks/deliveries")
        rows = found["deliveries"] if isinstance(found, dict) else found
        if sum(1 for row in rows if row["status"] == 200) >= count:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"fewer than {count} deliveries were accepted: {rows}")


async def gql_on(client: Client, query: str, variables: dict[str, Any]) -> Any:
    resp = await client.post("/graphql", json={"query": query, "variables": variables})
    assert resp.status == 200
    return await resp.json()


async def test_advancing_an_order_in_the_sandbox_reaches_the_subscriber(
    aiohttp_client: Any,
    sandbox: TestServer,
    sandbox_config: SandboxConfig,
    control: SandboxControl,
) -> None:
    client = await started(aiohttp_client, sandbox_config, gateway_settings(sandbox))

    async def gql(query: str, variables: dict[str, Any] | None = None) -> Any:
        return await gql_on(client, query, variables or {})

    created = await ok(gql, ORDER_CREATE, input=order_input("FLEXE", "DTC", "GW-LIVE"))
    order = created["order"]
    socket = await listening(client, ORDER_STATUS)
    await control.advance("flexe", "order", order["providerId"])
    [event] = await events_for(socket, order["id"], 1)
    assert (event["previousStatus"], event["status"]) == ("PENDING", "ALLOCATED")
    assert event["order"] == {"id": order["id"], "status": "ALLOCATED"}
    # A cancel through the gateway comes back as an event too.
    await ok(gql, ORDER_CANCEL, id=order["id"])
    [cancelled] = await events_for(socket, order["id"], 1)
    assert (cancelled["previousStatus"], cancelled["status"]) == (
        "ALLOCATED",
        "CANCELLED",
    )
    await socket.close()


async def test_a_redelivered_sandbox_webhook_arrives_once(
    aiohttp_client: Any,
    sandbox: TestServer,
    sandbox_config: SandboxConfig,
    control: SandboxControl,
) -> None:
    client = await started(aiohttp_client, sandbox_config, gateway_settings(sandbox))
    body = await gql_on(
        client,
        "{ orders(first: 1, filter: {providers: [FLEXE], statuses: [PENDING]}) "
        "{ edges { node { id providerId } } } }",
        {},
    )
    order = body["data"]["orders"]["edges"][0]["node"]
    socket = await listening(client, ORDER_STATUS)
    await control.advance("flexe", "order", order["providerId"])
    [event] = await events_for(socket, order["id"], 1)
    await control._call("POST", "/_sandbox/webhooks/redeliver", json={"count": 1})
    with pytest.raises(TimeoutError):
        await events_for(socket, order["id"], 1, wait=0.5)
    assert event["status"] == "ALLOCATED"
    await socket.close()


async def test_reconnecting_with_after_gets_exactly_the_missed_events(
    aiohttp_client: Any,
    sandbox: TestServer,
    sandbox_config: SandboxConfig,
    control: SandboxControl,
) -> None:
    client = await started(aiohttp_client, sandbox_config, gateway_settings(sandbox))

    async def gql(query: str, variables: dict[str, Any] | None = None) -> Any:
        return await gql_on(client, query, variables or {})

    order = (await ok(gql, ORDER_CREATE, input=order_input("FLEXE", "DTC", "GW-RC")))[
        "order"
    ]
    socket = await listening(client, ORDER_STATUS)
    await control.advance("flexe", "order", order["providerId"])
    [first] = await events_for(socket, order["id"], 1)
    await socket.close()
    # Missed while disconnected: allocated -> in progress -> shipped.
    for _ in range(2):
        await control.advance("flexe", "order", order["providerId"])
    await delivered(control, 3)
    again = await listening(client, ORDER_STATUS, after=first["eventId"])
    missed = await events_for(again, order["id"], 2)
    assert [(e["previousStatus"], e["status"]) for e in missed] == [
        ("ALLOCATED", "IN_PROGRESS"),
        ("IN_PROGRESS", "SHIPPED"),
    ]
    with pytest.raises(TimeoutError):
        await events_for(again, order["id"], 1, wait=0.5)
    await again.close()


async def test_a_flxpoint_change_arrives_through_polling(
    aiohttp_client: Any,
    sandbox: TestServer,
    sandbox_config: SandboxConfig,
) -> None:
    polling = PollSettings(interval_s=0.2)
    client = await started(
        aiohttp_client, sandbox_config, gateway_settings(sandbox, polling=polling)
    )
    body = await gql_on(
        client,
        "{ orders(first: 100, filter: {providers: [FLXPOINT], statuses: [PENDING]}) "
        "{ edges { node { id rawStatus } } } }",
        {},
    )
    fr = next(
        e["node"]
        for e in body["data"]["orders"]["edges"]
        if e["node"]["rawStatus"] == "Processing"
    )
    socket = await listening(client, ORDER_STATUS)
    await asyncio.sleep(0.5)  # the poller's first pass records the baseline
    await gql_on(client, ORDER_CANCEL, {"id": fr["id"]})
    [event] = await events_for(socket, fr["id"], 1, wait=15)
    assert event["provider"] == "FLXPOINT"
    assert event["status"] == "CANCELLED"
    await socket.close()


async def test_webhook_into_one_instance_reaches_a_subscriber_on_another(
    aiohttp_client: Any,
    sandbox: TestServer,
    sandbox_config: SandboxConfig,
    control: SandboxControl,
    redis_prefix: str,
) -> None:
    shared = {
        "broker_url": REDIS_URL,
        "broker": BrokerSettings(key_prefix=redis_prefix),
    }
    receiving = await started(
        aiohttp_client, sandbox_config, gateway_settings(sandbox, **shared)
    )
    serving: Client = await aiohttp_client(
        create_app(gateway_settings(sandbox, **shared))
    )
    body = await gql_on(
        serving,
        "{ orders(first: 1, filter: {providers: [FLEXE], statuses: [PENDING]}) "
        "{ edges { node { id providerId } } } }",
        {},
    )
    order = body["data"]["orders"]["edges"][0]["node"]
    socket = await listening(serving, ORDER_STATUS)
    await control.advance("flexe", "order", order["providerId"])
    [event] = await events_for(socket, order["id"], 1)
    assert event["status"] == "ALLOCATED"
    assert receiving.server.app[BROKER] is not serving.server.app[BROKER]
    await socket.close()

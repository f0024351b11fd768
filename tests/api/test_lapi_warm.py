"""Flexport Logistics orders kept warm from the events feed: exact LAPI requests
of repeated boards, with the gateway's entity cache off so that every board
reaches the adapter."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from gateway import ids
from gateway.app import PROVIDERS, create_app
from gateway.errors import ProviderUnavailable
from gateway.providers.flexport_logistics import FlexportLogisticsProvider
from gateway.settings import CacheSettings, Settings
from tests.api.mutations import ORDER_CANCEL, ok
from tests.api.test_order_board import ORDER_BOARD
from tests.api.world import LAPI
from tests.conftest import (
    FAST_RETRY,
    NO_POLLING,
    SandboxControl,
    all_providers,
    provider_settings,
)

SLUG = "flexport_logistics"
ORDER_GET = re.compile(rf"^{LAPI}/(outbounds|orders)/(\d+)$")
ORDER_KEY = re.compile(r"^GET (outbounds|orders)/\d+$")

Client = TestClient[web.Request, web.Application]


def no_cache(settings: Settings) -> Settings:
    return settings.model_copy(update={"cache": CacheSettings(enabled=False)})


async def gateway(
    aiohttp_client: Any, settings: Settings
) -> tuple[Client, FlexportLogisticsProvider]:
    client: Client = await aiohttp_client(create_app(settings))
    lapi = client.app[PROVIDERS][SLUG]
    assert isinstance(lapi, FlexportLogisticsProvider)
    return client, lapi


def lapi_only(sandbox: TestServer) -> Settings:
    return no_cache(
        Settings(
            sandbox=True,
            providers={SLUG: provider_settings(sandbox, SLUG)},
            retry=FAST_RETRY,
            polling=NO_POLLING,
        )
    )


async def board(client: Client, first: int = 50, **filter: Any) -> list[dict[str, Any]]:
    variables = {"first": first, **filter}
    resp = await client.post(
        "/graphql", json={"query": ORDER_BOARD, "variables": variables}
    )
    body = await resp.json()
    assert "errors" not in body, body["errors"]
    edges: list[dict[str, Any]] = body["data"]["orders"]["edges"]
    return [edge["node"] for edge in edges]


async def lapi_requests(control: SandboxControl) -> Counter[str]:
    """LAPI requests since the last call, by kind (the feed apart); then clear."""
    found: Counter[str] = Counter()
    for r in await control.requests(SLUG):
        match = ORDER_GET.match(r["path"])
        if r["method"] == "GET" and match:
            found[f"GET {match.group(1)}/{match.group(2)}"] += 1
        elif not r["path"].endswith("/events"):
            found[f"{r['method']} {r['path'].removeprefix(LAPI)}"] += 1
    await control.clear()
    return found


def order_gets(found: Counter[str]) -> int:
    """How many of those requests were single-order GETs (L2, L7)."""
    return sum(n for key, n in found.items() if ORDER_KEY.match(key))


def lapi_ids(nodes: list[dict[str, Any]]) -> list[str]:
    """The board's Flexport Logistics orders, as LAPI's domain ids (`B2B-…`)."""
    return [
        ids.decode(node["id"]).id
        for node in nodes
        if node["provider"] == "FLEXPORT_LOGISTICS"
    ]


async def test_second_board_reads_no_order_and_a_change_reads_exactly_it(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client, lapi = await gateway(aiohttp_client, no_cache(all_providers(sandbox)))
    await lapi.sync.ready()
    await control.clear()
    cold = await board(client)
    assert len(cold) == 50
    first = await lapi_requests(control)
    # Cold: one GET per order of the window, the catalogue, one stock call.
    assert order_gets(first) == 50
    assert sum(first.values()) == 52
    warm = await board(client)
    assert warm == cold
    second = await lapi_requests(control)
    # Warm: no order GET; the per-warehouse stock is not kept.
    assert second == {"POST /products/warehouses": 1}

    # The sandbox moves one order of the board on; the feed read brings its
    # event, and the next board reads that order and no other.
    on_board = lapi_ids(cold)
    target = next(
        i for i in on_board if i.startswith("B2B-") and _status(cold, i) != "DELIVERED"
    )
    moved = await control.advance(SLUG, "outbound", target.removeprefix("B2B-"))
    assert await lapi.sync.poll() > 0
    await control.clear()
    third = await board(client)
    found = await lapi_requests(control)
    assert order_gets(found) == 1
    assert found[f"GET outbounds/{target.removeprefix('B2B-')}"] == 1
    node = next(n for n in third if ids.decode(n["id"]).id == target)
    assert node["status"] != _status(cold, target)
    assert moved["state"] != moved["previousState"]


def _status(nodes: list[dict[str, Any]], order_id: str) -> str:
    return str(next(n["status"] for n in nodes if ids.decode(n["id"]).id == order_id))


async def test_a_cancel_through_the_gateway_reads_that_order_again(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client, lapi = await gateway(aiohttp_client, lapi_only(sandbox))
    await lapi.sync.ready()
    cold = await board(client)
    on_board = lapi_ids(cold)
    entries = await lapi.index.get(on_board)
    target = next(
        i for i in on_board if entries[i].status in ("PLANNED", "BOOKED", "CREATED")
    )
    node = next(n for n in cold if ids.decode(n["id"]).id == target)
    await lapi_requests(control)
    payload = await ok(_gql(client), ORDER_CANCEL, id=node["id"])
    assert payload["order"]["status"] == "CANCELLED"
    await lapi_requests(control)
    # No feed read between: the write itself drops the order.
    after = await board(client)
    found = await lapi_requests(control)
    assert order_gets(found) == 1
    assert _status(after, target) == "CANCELLED"


async def test_nothing_is_served_warm_while_the_feed_read_fails(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client, lapi = await gateway(aiohttp_client, lapi_only(sandbox))
    await lapi.sync.ready()
    await board(client)
    await lapi_requests(control)
    await control.fault(f"{LAPI}/events", "503", provider=SLUG, times=None)
    with pytest.raises(ProviderUnavailable):
        await lapi.sync.poll()
    # Changes would go unseen: every order is read again.
    await board(client)
    assert order_gets(await lapi_requests(control)) == 50
    await control.clear_faults()
    await lapi.sync.poll()
    # Following again from where it stopped, so what is kept is current again.
    await board(client)
    assert order_gets(await lapi_requests(control)) == 0


def _gql(client: Client) -> Any:
    async def run(query: str, variables: dict[str, Any] | None = None) -> Any:
        resp = await client.post(
            "/graphql", json={"query": query, "variables": variables}
        )
        assert resp.status == 200, await resp.text()
        return await resp.json()

    return run

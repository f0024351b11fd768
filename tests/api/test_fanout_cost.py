"""The upstream estimate: hostile fan-out refused unsent, the board let through."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from gateway import ids
from gateway.app import create_app
from tests.api.test_order_board import ORDER_BOARD
from tests.conftest import GQL, SandboxControl, all_providers

TEN_LAPI_PAGES = (
    "{ "
    + " ".join(
        f"p{i}: orders(first: 100, filter: {{providers: [FLEXPORT_LOGISTICS]}}) "
        "{ edges { node { id } } }"
        for i in range(10)
    )
    + " }"
)
NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { shipments { status } } } }"
LAPI_ORDER_IDS = [
    ids.encode(ids.Ref("flexport_logistics", "Order", f"B2B-{71001 + n}"))
    for n in range(100)
]


async def everything(aiohttp_client: Any, sandbox: TestServer) -> TestClient:  # type: ignore[type-arg]
    client: TestClient = await aiohttp_client(create_app(all_providers(sandbox)))  # type: ignore[type-arg]
    return client


async def post(
    client: TestClient,  # type: ignore[type-arg]
    query: str,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    resp = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = await resp.json()
    return body


async def sent(control: SandboxControl) -> Counter[str]:
    """Requests by provider, leaving out the LAPI index's background feed reads."""
    return Counter(
        r["provider"]
        for r in await control.requests()
        if not r["path"].endswith("/events")
    )


async def test_ten_lapi_pages_are_refused_before_any_request(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await everything(aiohttp_client, sandbox)
    await control.clear()
    body = await post(client, TEN_LAPI_PAGES)
    assert "data" not in body
    [error] = body["errors"]
    # 10 x (100 GETs + the catalogue).
    assert error["message"] == (
        "Query would send an estimated 1010 upstream requests, over the maximum "
        "of 200 by 810"
    )
    assert error["extensions"] == {
        "code": "MAX_COST_EXCEEDED",
        "limit": 200,
        "actual": 1010,
    }
    cost = body["extensions"]["cost"]
    assert cost["estimatedUpstreamRequests"] == 1010
    assert cost["requestedQueryCost"] == 1020  # under max_cost: only this error
    assert cost["upstreamRequests"] == 0
    assert await sent(control) == {}


async def test_nodes_of_a_hundred_orders_are_refused_before_any_request(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await everything(aiohttp_client, sandbox)
    await control.clear()
    body = await post(client, NODES, {"ids": LAPI_ORDER_IDS})
    [error] = body["errors"]
    # 100 single GETs (+ the catalogue, + one Flexe batch) and 100 Flxpoint
    # shipment calls, since any id could be anywhere before it is decoded.
    assert error["extensions"] == {
        "code": "MAX_COST_EXCEEDED",
        "limit": 200,
        "actual": 202,
    }
    assert body["extensions"]["cost"]["upstreamRequests"] == 0
    assert await sent(control) == {}
    # Ten of them are well inside the budget and run.
    body = await post(client, NODES, {"ids": LAPI_ORDER_IDS[:10]})
    assert "errors" not in body, body["errors"]
    assert body["extensions"]["cost"]["estimatedUpstreamRequests"] == 22


async def test_the_board_runs_and_its_estimate_bounds_what_it_sends(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await everything(aiohttp_client, sandbox)
    await control.clear()
    body = await post(client, ORDER_BOARD, {"first": 50})
    assert "errors" not in body, body["errors"]
    measured = await sent(control)
    cost = body["extensions"]["cost"]
    # Estimate: Flexe 1 list + 1 lines + 1 shipments + 1 attachments; LAPI 50
    # GETs + catalogue; Flxpoint 1 page + 3 count probes; 50 shipment calls
    # (each order could be Flxpoint's); inventory for 500 SKUs (10 lines an
    # order) at each: Flexe 5, LAPI 5 + catalogue, Flxpoint 5.
    assert cost["estimatedUpstreamRequests"] == 124
    assert cost["upstreamRequests"] == sum(measured.values()) == 73
    assert cost["estimatedUpstreamRequests"] >= cost["upstreamRequests"]


async def test_the_estimate_follows_variables_and_the_provider_filter(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await everything(aiohttp_client, sandbox)

    async def estimate(variables: dict[str, Any]) -> int:
        await control.clear()
        body = await post(client, ORDER_BOARD, variables)
        assert "errors" not in body, body["errors"]
        cost = body["extensions"]["cost"]
        # Never under what was sent, whatever the inputs.
        assert cost["estimatedUpstreamRequests"] >= cost["upstreamRequests"]
        value: int = cost["estimatedUpstreamRequests"]
        return value

    # 10: lists 1 + 11 + 4; Flexe lines and attachments 2; shipments 10 (at
    # most one call per order); inventory for 100 SKUs 1 + 2 + 1.
    assert await estimate({"first": 10}) == 32
    # Flexe alone: list, lines, shipments, attachments, 500 SKUs in 5 calls.
    assert await estimate({"first": 50, "providers": ["FLEXE"]}) == 9
    # Flxpoint alone (kept small: its rate limit is a burst of 36): 1 page +
    # 3 probes, a shipments call per order, 200 SKUs in 2 calls.
    assert await estimate({"first": 20, "providers": ["FLXPOINT"]}) == 26


async def test_only_configured_providers_count(
    gql: GQL, control: SandboxControl
) -> None:
    # The `gql` gateway has Flexe only: the LAPI pages cost it nothing.
    body = await gql(TEN_LAPI_PAGES)
    assert "errors" not in body, body["errors"]
    assert body["extensions"]["cost"]["estimatedUpstreamRequests"] == 0
    assert await control.count() == 0
    query = (
        "query($n: Int!) { orders(first: $n) { edges { node { id lines { sku } } } } }"
    )
    small = await gql(query, {"n": 5})
    assert small["extensions"]["cost"]["estimatedUpstreamRequests"] == 2
    assert small["extensions"]["cost"]["upstreamRequests"] == 2

"""extensions.cost on every response, and limits enforced before any upstream call."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from graphql import get_introspection_query

from gateway.app import create_app
from gateway.settings import LimitSettings, Settings
from tests.conftest import FAST_RETRY, GQL, SandboxControl, provider_settings

DEEP = (
    "{ orders { edges { node { lines { order { lines { order { lines { order "
    "{ lines { order { lines { order { id } } } } } } } } } } } } } }"
)
DEEP_WITH_FRAGMENTS = """
query Deep { orders { edges { node { ...Twice } } } }
fragment Twice on Order { lines { order { ...Once } } }
fragment Once on Order { lines { order { lines { order { lines { order {
  lines { order { id } } } } } } } } }
"""
# orders 1 + edges 1 + node 100 + lines 100 + 5 x (order 1,000 + lines 1,000
# + order 10,000), at depth 8.
COSTLY = (
    "{ orders(first: 100) { edges { node { lines { "
    + " ".join(f"o{i}: order {{ lines {{ order {{ id }} }} }}" for i in range(5))
    + " } } } } }"
)
COSTLY_COST = 1 + 1 + 100 + 100 + 5 * (1000 + 1000 + 10_000)


def by_code(body: dict[str, Any], code: str) -> dict[str, Any]:
    found = [e for e in body["errors"] if e["extensions"]["code"] == code]
    assert len(found) == 1, body["errors"]
    error: dict[str, Any] = found[0]
    return error


async def assert_rejected_upstream_free(
    body: dict[str, Any], control: SandboxControl
) -> None:
    assert "data" not in body
    cost = body["extensions"]["cost"]
    assert cost["actualQueryCost"] == 0
    assert cost["upstreamRequests"] == 0
    assert cost["upstreamByProvider"] == {}
    assert await control.count() == 0


async def test_cost_of_a_normal_query_matches_the_sandbox_log(
    gql: GQL, control: SandboxControl
) -> None:
    await control.clear()
    body = await gql("{ orders(first: 5) { edges { node { id lines { sku } } } } }")
    assert "errors" not in body
    assert len(body["data"]["orders"]["edges"]) == 5
    cost = body["extensions"]["cost"]
    logged = await control.count()
    assert logged == 2  # the order page, then one batched lines call
    assert cost == {
        "requestedQueryCost": 1 + 1 + 5 + 5,
        "actualQueryCost": 1 + 1 + 5 + 5,
        "estimatedUpstreamRequests": logged,  # Flexe batches: exact here
        "upstreamRequests": logged,
        "upstreamByProvider": {"FLEXE": logged},
    }


async def test_fifty_aliased_orders_are_allowed_and_cost_fifty(
    gql: GQL, control: SandboxControl
) -> None:
    listed = await gql("{ orders(first: 50) { edges { node { id } } } }")
    order_ids = [e["node"]["id"] for e in listed["data"]["orders"]["edges"]]
    await control.clear()
    fields = " ".join(
        f'o{i}: order(id: "{oid}") {{ id externalId }}'
        for i, oid in enumerate(order_ids)
    )
    # The listing cached these orders; no-cache makes the lookups go upstream.
    body = await gql("{ " + fields + " }", **{"Cache-Control": "no-cache"})
    assert "errors" not in body
    assert body["extensions"]["cost"] == {
        "requestedQueryCost": 50,
        "actualQueryCost": 50,
        # Each alias is priced alone; the loader batches them all into one.
        "estimatedUpstreamRequests": 50,
        "upstreamRequests": 1,
        "upstreamByProvider": {"FLEXE": 1},
    }
    assert await control.count() == 1


async def test_retries_count_as_upstream_requests(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/orders", "503", times=1)
    body = await gql("{ orders(first: 2) { edges { node { id } } } }")
    assert "errors" not in body
    cost = body["extensions"]["cost"]
    assert cost["upstreamRequests"] == await control.count() == 2
    assert cost["upstreamByProvider"] == {"FLEXE": 2}


async def test_depth_limit(gql: GQL, control: SandboxControl) -> None:
    body = await gql(DEEP)
    error = by_code(body, "MAX_DEPTH_EXCEEDED")
    assert error["message"] == "Query depth 14 exceeds the maximum of 10 by 4"
    assert error["extensions"] == {
        "code": "MAX_DEPTH_EXCEEDED",
        "limit": 10,
        "actual": 14,
    }
    await assert_rejected_upstream_free(body, control)


async def test_depth_follows_fragments(gql: GQL, control: SandboxControl) -> None:
    body = await gql(DEEP_WITH_FRAGMENTS)
    error = by_code(body, "MAX_DEPTH_EXCEEDED")
    assert error["extensions"]["actual"] == 14
    await assert_rejected_upstream_free(body, control)


async def test_alias_limit(gql: GQL, control: SandboxControl) -> None:
    fields = " ".join(f'o{i}: order(id: "x") {{ id }}' for i in range(61))
    body = await gql("{ " + fields + " }")
    [error] = body["errors"]
    assert error["message"] == "Query alias count 61 exceeds the maximum of 60 by 1"
    assert error["extensions"] == {
        "code": "MAX_ALIASES_EXCEEDED",
        "limit": 60,
        "actual": 61,
    }
    await assert_rejected_upstream_free(body, control)


async def test_page_size_limit_literal(gql: GQL, control: SandboxControl) -> None:
    body = await gql("{ orders(first: 150) { edges { node { id } } } }")
    [error] = body["errors"]
    assert error["message"] == (
        "Page size 150 (first on orders) exceeds the maximum of 100 by 50"
    )
    assert error["extensions"] == {
        "code": "MAX_PAGE_SIZE_EXCEEDED",
        "limit": 100,
        "actual": 150,
        "field": "orders",
    }
    assert error["locations"] == [{"line": 1, "column": 3}]
    await assert_rejected_upstream_free(body, control)


async def test_page_size_limit_variable(gql: GQL, control: SandboxControl) -> None:
    query = "query($n: Int!) { orders(first: $n) { edges { node { id } } } }"
    body = await gql(query, {"n": 101})
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "MAX_PAGE_SIZE_EXCEEDED",
        "limit": 100,
        "actual": 101,
        "field": "orders",
    }
    await assert_rejected_upstream_free(body, control)
    # The same document (now cached) with an allowed value runs, and its
    # requested cost follows the variable.
    body = await gql(query, {"n": 7})
    assert "errors" not in body
    assert body["extensions"]["cost"]["requestedQueryCost"] == 1 + 1 + 7
    assert body["extensions"]["cost"]["actualQueryCost"] == 1 + 1 + 7


async def test_cost_limit(gql: GQL, control: SandboxControl) -> None:
    body = await gql(COSTLY)
    [error] = body["errors"]
    over = COSTLY_COST - 50_000
    assert error["message"] == (
        f"Query cost {COSTLY_COST} exceeds the maximum of 50000 by {over}"
    )
    assert error["extensions"] == {
        "code": "MAX_COST_EXCEEDED",
        "limit": 50_000,
        "actual": COSTLY_COST,
    }
    assert body["extensions"]["cost"]["requestedQueryCost"] == COSTLY_COST
    await assert_rejected_upstream_free(body, control)


async def test_upstream_limit_comes_from_settings(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    settings = Settings(
        sandbox=True,
        providers={"flexe": provider_settings(sandbox, "flexe")},
        retry=FAST_RETRY,
        limits=LimitSettings(max_upstream_requests=3),
    )
    client = await aiohttp_client(create_app(settings))
    # A page, its lines, and allocation errors one call per order (F10).
    query = "{ orders(first: 5) { edges { node { id allocationErrors { code } } } } }"
    resp = await client.post("/graphql", json={"query": query})
    body = await resp.json()
    [error] = body["errors"]
    assert error["message"] == (
        "Query would send an estimated 6 upstream requests, over the maximum of 3 by 3"
    )
    assert error["extensions"] == {"code": "MAX_COST_EXCEEDED", "limit": 3, "actual": 6}
    await assert_rejected_upstream_free(body, control)


async def test_introspection_is_not_blocked(gql: GQL, control: SandboxControl) -> None:
    body = await gql(get_introspection_query(descriptions=True))
    assert "errors" not in body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    assert body["extensions"]["cost"]["requestedQueryCost"] == 0
    assert body["extensions"]["cost"]["estimatedUpstreamRequests"] == 0
    assert await control.count() == 0


async def test_over_limit_is_400_for_graphql_response_json(
    gateway: TestClient,  # type: ignore[type-arg]
) -> None:
    resp = await gateway.post(
        "/graphql",
        json={"query": "{ orders(first: 500) { edges { cursor } } }"},
        headers={"Accept": "application/graphql-response+json"},
    )
    assert resp.status == 400
    body = await resp.json(content_type=None)
    assert body["errors"][0]["extensions"]["code"] == "MAX_PAGE_SIZE_EXCEEDED"


async def test_limits_come_from_settings(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    settings = Settings(
        sandbox=True,
        providers={"flexe": provider_settings(sandbox, "flexe")},
        retry=FAST_RETRY,
        limits=LimitSettings(max_depth=3, max_cost=5),
    )
    client = await aiohttp_client(create_app(settings))
    resp = await client.post(
        "/graphql", json={"query": "{ orders(first: 5) { edges { node { id } } } }"}
    )
    body = await resp.json()
    codes = {e["extensions"]["code"] for e in body["errors"]}
    assert codes == {"MAX_DEPTH_EXCEEDED", "MAX_COST_EXCEEDED"}
    assert await control.count() == 0


async def test_fragment_bomb_is_rejected_with_a_saturated_cost(
    gql: GQL, control: SandboxControl
) -> None:
    fragments = "fragment F0 on Order { id }\n" + "\n".join(
        f"fragment F{i} on Order {{ a: lines {{ order {{ ...F{i - 1} }} }} "
        f"b: lines {{ order {{ ...F{i - 1} }} }} }}"
        for i in range(1, 30)
    )
    body = await gql("{ orders { edges { node { ...F29 } } } }\n" + fragments)
    assert by_code(body, "MAX_DEPTH_EXCEEDED")["extensions"]["actual"] == 62
    assert by_code(body, "MAX_COST_EXCEEDED")["extensions"]["actual"] == 2**53 - 1
    assert body["extensions"]["cost"]["requestedQueryCost"] == 2**53 - 1
    await assert_rejected_upstream_free(body, control)


async def test_huge_variable_page_size_is_reported_not_crashed_on(
    gql: GQL, control: SandboxControl
) -> None:
    query = "query($n: Int!) { orders(first: $n) { edges { cursor } } }"
    body = await gql(query, {"n": 10**30})
    error = by_code(body, "MAX_PAGE_SIZE_EXCEEDED")
    assert error["extensions"]["actual"] == 2**53 - 1
    await assert_rejected_upstream_free(body, control)


async def test_documents_that_never_execute_still_report_cost(gql: GQL) -> None:
    zero = {
        "requestedQueryCost": 0,
        "actualQueryCost": 0,
        "estimatedUpstreamRequests": 0,
        "upstreamRequests": 0,
        "upstreamByProvider": {},
    }
    syntax = await gql("{ orders { ")
    assert syntax["extensions"]["cost"] == zero
    invalid = await gql("{ orders { nope } }")
    assert invalid["errors"][0]["message"].startswith("Cannot query field 'nope'")
    assert invalid["extensions"]["cost"]["upstreamRequests"] == 0

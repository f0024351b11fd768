"""The entity cache end to end: exact upstream requests of repeated queries."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from gateway import ids
from gateway.app import ENTITY_CACHE, create_app
from gateway.cache import NullCache, RedisCache
from gateway.cache.invalidation import invalidate_order
from gateway.settings import CacheSettings, Settings
from tests.conftest import FAST_RETRY, GQL, REDIS_URL, SandboxControl, provider_settings

BOARD = """
{ orders(first: 50, filter: {providers: [FLEXE]}) { edges { node {
    id provider status externalId createdAt
    lines { sku quantity shippedQuantity inventory { provider available } }
    shipments { status carrier trackingNumbers }
    attachments { name url } } } } }
"""
ORDER = "query($id: ID!) { order(id: $id) { id externalId status } }"
NO_CACHE = {"Cache-Control": "no-cache"}

# The board's 50 orders have 164 distinct SKUs: inventory is asked 100 at a time.
FRESH_BOARD = sorted(
    ["/v2/orders", "/v2/lines", "/v2/shipments", "/v2/attachments"]
    + ["/v2/inventory"] * 2
)
FRESH_BOARD_REQUESTS = 6

Client = TestClient  # type: ignore[type-arg]


async def upstream(control: SandboxControl) -> list[str]:
    """The paths requested from Flexe since the last call, sorted; then clear."""
    paths = sorted(r["path"] for r in await control.requests("flexe"))
    await control.clear()
    return paths


async def post(client: Client, query: str) -> dict[str, Any]:
    """POST a query to one of several gateways; assert it answered without errors."""
    resp = await client.post("/graphql", json={"query": query})
    assert resp.status == 200, await resp.text()
    body: dict[str, Any] = await resp.json()
    assert "errors" not in body, body["errors"]
    return body


def flexe_settings(sandbox: TestServer, **values: Any) -> Settings:
    return Settings(
        sandbox=True,
        providers={"flexe": provider_settings(sandbox, "flexe")},
        retry=FAST_RETRY,
        **values,
    )


async def test_repeated_order_board_sends_no_upstream_requests(
    gql: GQL, control: SandboxControl
) -> None:
    first = await gql(BOARD)
    assert "errors" not in first
    assert len(first["data"]["orders"]["edges"]) == 50
    assert await upstream(control) == FRESH_BOARD
    assert first["extensions"]["cost"]["upstreamRequests"] == FRESH_BOARD_REQUESTS

    second = await gql(BOARD)
    assert await upstream(control) == []
    assert second["data"] == first["data"]
    assert second["extensions"]["cost"]["upstreamRequests"] == 0

    bypassed = await gql(BOARD, **NO_CACHE)
    assert await upstream(control) == FRESH_BOARD
    assert bypassed["data"] == first["data"]
    assert bypassed["extensions"]["cost"]["upstreamRequests"] == FRESH_BOARD_REQUESTS

    # The bypass refreshed the cache rather than skipping it.
    assert (await gql(BOARD))["data"] == first["data"]
    assert await upstream(control) == []


async def test_pragma_no_cache_also_bypasses(gql: GQL, control: SandboxControl) -> None:
    await gql(BOARD)
    await control.clear()
    await gql(BOARD, Pragma="no-cache")
    assert await upstream(control) == FRESH_BOARD


async def test_order_after_a_listing_is_served_from_the_cache(
    gql: GQL, control: SandboxControl
) -> None:
    listed = await gql(BOARD)
    node = listed["data"]["orders"]["edges"][7]["node"]
    await control.clear()
    body = await gql(ORDER, {"id": node["id"]})
    assert body["data"]["order"] == {
        "id": node["id"],
        "externalId": node["externalId"],
        "status": node["status"],
    }
    assert await upstream(control) == []


async def test_two_gateways_share_one_redis_cache(
    aiohttp_client: Any,
    sandbox: TestServer,
    control: SandboxControl,
    redis_prefix: str,
) -> None:
    settings = flexe_settings(
        sandbox, cache_url=REDIS_URL, cache=CacheSettings(key_prefix=redis_prefix)
    )
    first: Client = await aiohttp_client(create_app(settings))
    second: Client = await aiohttp_client(create_app(settings))
    assert isinstance(second.server.app[ENTITY_CACHE], RedisCache)
    await control.clear()

    on_first = await post(first, BOARD)
    assert await upstream(control) == FRESH_BOARD
    on_second = await post(second, BOARD)
    assert await upstream(control) == []
    assert on_second["data"] == on_first["data"]

    # An invalidation on one instance is seen by the other.
    ref = ids.decode(on_first["data"]["orders"]["edges"][0]["node"]["id"])
    await invalidate_order(first.server.app[ENTITY_CACHE], "flexe", ref.id)
    assert (await post(second, BOARD))["data"] == on_first["data"]
    assert await upstream(control) == ["/v2/lines", "/v2/orders", "/v2/shipments"]


async def test_cache_disabled_sends_every_request_again(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    settings = flexe_settings(sandbox, cache=CacheSettings(enabled=False))
    client: Client = await aiohttp_client(create_app(settings))
    assert isinstance(client.server.app[ENTITY_CACHE], NullCache)
    await control.clear()
    first = await post(client, BOARD)
    assert await upstream(control) == FRESH_BOARD
    assert (await post(client, BOARD))["data"] == first["data"]
    assert await upstream(control) == FRESH_BOARD


async def test_invalidating_an_order_refetches_only_what_it_needs(
    gateway: Client, gql: GQL, control: SandboxControl
) -> None:
    first = await gql(BOARD)
    ref = ids.decode(first["data"]["orders"]["edges"][3]["node"]["id"])
    await control.clear()

    await invalidate_order(gateway.server.app[ENTITY_CACHE], ref.provider, ref.id)
    again = await gql(BOARD)
    assert again["data"] == first["data"]
    requests = await control.requests("flexe")
    # The order list pages of Flexe went, and the order's lines and shipments;
    # the other 49 orders' lines, every attachment and the stock stayed.
    assert sorted(r["path"] for r in requests) == [
        "/v2/lines",
        "/v2/orders",
        "/v2/shipments",
    ]
    by_path = {r["path"]: r["params"] for r in requests}
    assert by_path["/v2/lines"]["orderIds"] == [ref.id]
    assert by_path["/v2/shipments"]["orderIds"] == [ref.id]
    assert "ids" not in by_path["/v2/orders"]  # the list page, not a lookup
    await control.clear()

    await invalidate_order(gateway.server.app[ENTITY_CACHE], ref.provider, ref.id)
    body = await gql(ORDER, {"id": first["data"]["orders"]["edges"][3]["node"]["id"]})
    assert body["data"]["order"]["externalId"]
    [lookup] = await control.requests("flexe")
    assert (lookup["path"], lookup["params"]["ids"]) == ("/v2/orders", [ref.id])


async def test_a_failing_nested_call_is_not_cached(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/lines", "503", times=None)
    failed = await gql(BOARD)
    assert {e["extensions"]["code"] for e in failed["errors"]} == {
        "UPSTREAM_UNAVAILABLE"
    }
    assert all(e["node"]["lines"] is None for e in failed["data"]["orders"]["edges"])
    await control.clear_faults()
    await control.clear()

    body = await gql(BOARD)
    assert "errors" not in body
    # Only the calls that failed (and the stock, which needs the lines) again.
    assert await upstream(control) == ["/v2/inventory", "/v2/inventory", "/v2/lines"]
    assert all(e["node"]["lines"] for e in body["data"]["orders"]["edges"])


async def test_a_failing_list_call_is_not_cached(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/orders", "garbage", times=None)
    failed = await gql(BOARD)
    assert failed["data"] == {"orders": None}
    assert failed["errors"][0]["extensions"]["code"] == "UPSTREAM_INVALID_RESPONSE"
    await control.clear_faults()
    await control.clear()

    body = await gql(BOARD)
    assert "errors" not in body
    assert len(body["data"]["orders"]["edges"]) == 50
    assert await upstream(control) == FRESH_BOARD

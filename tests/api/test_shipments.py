"""The shipments list: merged across Flexe and Flxpoint, filtered, paged, partial."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from gateway import ids
from gateway.app import create_app
from tests.conftest import SandboxControl, all_providers

SHIPMENTS = """
query Shipments($first: Int!, $after: String, $filter: ShipmentFilter) {
  shipments(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id provider providerId status trackingNumbers
                          order { id } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

ORDER_SHIPMENTS = """
query OrderShipments($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Order { id shipments { id } } }
}
"""


async def _client(aiohttp_client: Any, sandbox: TestServer) -> TestClient:  # type: ignore[type-arg]
    client: TestClient = await aiohttp_client(create_app(all_providers(sandbox)))  # type: ignore[type-arg]
    return client


async def _gql(
    client: TestClient,  # type: ignore[type-arg]
    query: str,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    resp = await client.post("/graphql", json={"query": query, "variables": variables})
    assert resp.status == 200, await resp.text()
    body: dict[str, Any] = await resp.json()
    return body


def _nodes(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["node"] for e in body["data"]["shipments"]["edges"]]


async def test_shipments_across_providers_page_without_gaps_or_repeats(
    aiohttp_client: Any, sandbox: TestServer
) -> None:
    client = await _client(aiohttp_client, sandbox)
    expected: list[str] = []
    after = None
    for _ in range(2):
        body = await _gql(client, SHIPMENTS, {"first": 100, "after": after})
        assert "errors" not in body, body["errors"]
        expected += [n["id"] for n in _nodes(body)]
        after = body["data"]["shipments"]["pageInfo"]["endCursor"]
    assert len(expected) == 200
    seen: list[str] = []
    providers: set[str] = set()
    after = None
    sizes = iter([30, 45] * 5)
    while len(seen) < 200:
        body = await _gql(client, SHIPMENTS, {"first": next(sizes), "after": after})
        assert "errors" not in body, body["errors"]
        page = body["data"]["shipments"]
        assert page["pageInfo"]["hasNextPage"] is True
        seen += [n["id"] for n in _nodes(body)]
        providers |= {n["provider"] for n in _nodes(body)}
        after = page["pageInfo"]["endCursor"]
    assert seen[:200] == expected
    assert len(set(expected)) == 200
    assert providers == {"FLEXE", "FLXPOINT"}


async def test_shipments_filter_by_provider_and_orders(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await _client(aiohttp_client, sandbox)
    body = await _gql(client, SHIPMENTS, {"first": 100, "filter": {"providers": []}})
    assert _nodes(body) == []
    assert body["data"]["shipments"]["pageInfo"]["hasNextPage"] is False
    only = await _gql(
        client, SHIPMENTS, {"first": 20, "filter": {"providers": ["FLXPOINT"]}}
    )
    assert {n["provider"] for n in _nodes(only)} == {"FLXPOINT"}
    assert len(_nodes(only)) == 20
    listed = _nodes(await _gql(client, SHIPMENTS, {"first": 100}))
    flexe_order = listed[0]["order"]["id"]
    flxpoint_order = next(n["order"]["id"] for n in _nodes(only))
    orders = [flexe_order, flxpoint_order]
    expected = await _gql(client, ORDER_SHIPMENTS, {"ids": orders})
    wanted = {s["id"] for node in expected["data"]["nodes"] for s in node["shipments"]}
    await control.clear()
    body = await _gql(client, SHIPMENTS, {"first": 100, "filter": {"orderIds": orders}})
    assert "errors" not in body, body["errors"]
    found = _nodes(body)
    assert {n["id"] for n in found} == wanted
    assert {n["order"]["id"] for n in found} == set(orders)
    assert body["data"]["shipments"]["pageInfo"]["hasNextPage"] is False
    # One list call each: Flexe takes the order ids, Flxpoint its one FR's id.
    flexe = [r["path"] for r in await control.requests("flexe")]
    assert flexe.count("/v2/shipments") == 1
    flxpoint = [r["path"] for r in await control.requests("flxpoint")]
    assert flxpoint.count("/shipments") == 1


async def test_shipments_created_after_is_not_supported_by_flexe(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await _client(aiohttp_client, sandbox)
    await control.clear()
    body = await _gql(
        client,
        SHIPMENTS,
        {"first": 10, "filter": {"createdAfter": "2026-10-01T00:00:00Z"}},
    )
    found = _nodes(body)
    assert len(found) == 10
    assert {n["provider"] for n in found} == {"FLXPOINT"}
    [error] = body["errors"]
    assert error["path"] == ["shipments"]
    assert error["extensions"] == {
        "code": "NOT_SUPPORTED",
        "provider": "FLEXE",
        "retryable": False,
    }
    # Flexe is not asked at all; Flxpoint filters upstream.
    assert await control.count("flexe") == 0
    [request] = [
        r for r in await control.requests("flxpoint") if r["path"] == "/shipments"
    ]
    assert request["params"]["filterCreatedAfter"] == ["2026-10-01T00:00:00.000Z"]


async def test_one_provider_down_leaves_the_other_shipments(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await _client(aiohttp_client, sandbox)
    await control.fault("/shipments*", "503", provider="flxpoint", times=None)
    body = await _gql(client, SHIPMENTS, {"first": 20})
    found = _nodes(body)
    assert len(found) == 20
    assert {n["provider"] for n in found} == {"FLEXE"}
    assert body["data"]["shipments"]["pageInfo"]["hasNextPage"] is True
    [error] = body["errors"]
    assert error["path"] == ["shipments"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["provider"] == "FLXPOINT"
    assert error["extensions"]["retryable"] is True


async def test_shipment_ids_from_the_list_decode_to_their_provider(
    aiohttp_client: Any, sandbox: TestServer
) -> None:
    client = await _client(aiohttp_client, sandbox)
    body = await _gql(
        client, SHIPMENTS, {"first": 5, "filter": {"providers": ["FLXPOINT"]}}
    )
    for node in _nodes(body):
        assert ids.decode(node["id"]) == ids.Ref(
            "flxpoint", "Shipment", node["providerId"]
        )
        assert node["status"] == "SHIPPED"
        assert node["trackingNumbers"]

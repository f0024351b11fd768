"""Every provider's orders through the one graph, each over its own dialect."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from gateway.app import create_app
from gateway.providers import REGISTRY
from gateway.providers.base import Capability
from tests.conftest import SandboxControl, all_providers

ORDERS = """
query Orders($provider: Provider!) {
  orders(first: 20, filter: {providers: [$provider]}) {
    edges { node { id provider providerId kind status rawStatus createdAt
                   lines { sku quantity } } }
    pageInfo { hasNextPage }
  }
}
"""

LISTING = sorted(
    slug for slug, cls in REGISTRY.items() if Capability.LIST_ORDERS in cls.capabilities
)


@pytest.mark.parametrize("slug", LISTING)
async def test_orders_filtered_to_one_provider_come_from_it(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl, slug: str
) -> None:
    client = await aiohttp_client(create_app(all_providers(sandbox)))
    await control.clear()
    resp = await client.post(
        "/graphql", json={"query": ORDERS, "variables": {"provider": slug.upper()}}
    )
    assert resp.status == 200
    body = await resp.json()
    assert "errors" not in body, body["errors"]
    edges = body["data"]["orders"]["edges"]
    assert len(edges) == 20
    assert {e["node"]["provider"] for e in edges} == {slug.upper()}
    assert all(e["node"]["lines"] for e in edges)
    created = [e["node"]["createdAt"] for e in edges]
    assert created == sorted(created, reverse=True)
    assert body["data"]["orders"]["pageInfo"]["hasNextPage"] is True
    # Only the provider asked for was called, apart from the Flexport Logistics
    # index following its events feed in the background.
    others = [
        (r["provider"], r["path"])
        for r in await control.requests()
        if r["provider"] != slug
    ]
    assert all(
        provider == "flexport_logistics" and path.endswith("/events")
        for provider, path in others
    ), others


async def test_orders_across_providers_are_merged_newest_first(
    aiohttp_client: Any, sandbox: TestServer
) -> None:
    client = await aiohttp_client(create_app(all_providers(sandbox)))
    resp = await client.post(
        "/graphql",
        json={
            "query": "{ orders(first: 40) { edges { node { provider createdAt } } } }"
        },
    )
    body = await resp.json()
    assert "errors" not in body, body["errors"]
    nodes = [e["node"] for e in body["data"]["orders"]["edges"]]
    assert len(nodes) == 40
    assert len({n["provider"] for n in nodes}) > 1, "the newest orders interleave"
    created = [n["createdAt"] for n in nodes]
    assert created == sorted(created, reverse=True)


async def test_one_provider_down_leaves_the_others_orders(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await aiohttp_client(create_app(all_providers(sandbox)))
    await control.fault(
        "/fulfillment-requests*", "503", provider="flxpoint", times=None
    )
    query = (
        "{ orders(first: 20) { edges { node { provider } } pageInfo { hasNextPage } } }"
    )
    resp = await client.post("/graphql", json={"query": query})
    body = await resp.json()
    edges = body["data"]["orders"]["edges"]
    assert len(edges) == 20
    assert "FLXPOINT" not in {e["node"]["provider"] for e in edges}
    assert body["data"]["orders"]["pageInfo"]["hasNextPage"] is True
    [error] = body["errors"]
    assert error["path"] == ["orders"]
    assert error["extensions"]["provider"] == "FLXPOINT"
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["retryable"] is True

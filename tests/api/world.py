"""Helpers for tests over every provider: a gateway on all of them, seeded facts.

The seeded facts (which PO numbers have inbound shipments where) are read
from the sandbox itself over HTTP, never guessed, so a change to the seed
moves the tests with it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiohttp import ClientSession
from aiohttp.test_utils import TestClient, TestServer

from gateway.app import create_app
from gateway.sandbox import SANDBOX_TOKENS
from tests.conftest import GQL, SandboxControl, all_providers

LAPI = "/logistics/api/2024-04"
"""Flexport Logistics paths, as the sandbox logs them (without its prefix)."""


async def all_provider_gql(aiohttp_client: Any, sandbox: TestServer) -> GQL:
    """A new gateway on every provider (its own cache), and a GraphQL caller."""
    client: TestClient = await aiohttp_client(create_app(all_providers(sandbox)))  # type: ignore[type-arg]

    async def run(query: str, variables: dict[str, Any] | None = None) -> Any:
        resp = await client.post(
            "/graphql", json={"query": query, "variables": variables}
        )
        assert resp.status == 200, await resp.text()
        return await resp.json()

    return run


async def upstream_paths(control: SandboxControl) -> dict[str, list[str]]:
    """Sorted upstream paths per provider, leaving out the Flexport Logistics
    order index following its events feed in the background."""
    paths: dict[str, list[str]] = {}
    for request in await control.requests():
        if not request["path"].endswith("/events"):
            paths.setdefault(request["provider"], []).append(request["path"])
    return {slug: sorted(found) for slug, found in paths.items()}


async def _sandbox_get(
    sandbox: TestServer, slug: str, path: str, params: dict[str, str]
) -> Any:
    headers = {"Authorization": f"Bearer {SANDBOX_TOKENS[slug]}"}
    if slug == "flexport_v3":
        headers["Flexport-Version"] = "3"
    async with (
        ClientSession() as session,
        session.get(sandbox.make_url(path), params=params, headers=headers) as resp,
    ):
        assert resp.status == 200, await resp.text()
        return await resp.json()


async def inbound_numbers(sandbox: TestServer) -> tuple[Counter[str], Counter[str]]:
    """How many inbound shipments each PO number has at Flexe and at Flexport
    Logistics."""
    flexe = await _sandbox_get(
        sandbox, "flexe", "/flexe/v2/inbound-shipments", {"pageSize": "500"}
    )
    assert flexe["continuationToken"] is None
    lapi = await _sandbox_get(
        sandbox,
        "flexport_logistics",
        f"/flexport-logistics{LAPI}/inbounds/shipments",
        {"limit": "100"},
    )
    assert len(lapi) < 100
    return (
        Counter(s["purchaseOrder"] for s in flexe["inboundShipments"]),
        Counter(s["shippingPlanExternalId"] for s in lapi),
    )


async def shared_po_number(sandbox: TestServer) -> tuple[str, int, int]:
    """The newest open v3 PO whose number is on inbound shipments at both Flexe and
    Flexport Logistics (the seed draws them all from one list of PO numbers),
    with how many inbound shipments each has for it."""
    flexe, lapi = await inbound_numbers(sandbox)
    v3 = await _sandbox_get(
        sandbox,
        "flexport_v3",
        "/flexport-v3/purchase_orders",
        {"f.status": "open", "sort": "id", "direction": "desc", "per": "100"},
    )
    names = [po["name"] for po in v3["data"]["data"]]
    number = next(n for n in names if flexe[n] and lapi[n])
    return number, flexe[number], lapi[number]

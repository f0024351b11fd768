"""The order-board query: exact upstream requests per provider, page size apart."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from gateway.app import create_app
from tests.conftest import GQL, SandboxControl, all_providers

ORDER_BOARD = """
query Board($first: Int!, $providers: [Provider!]) {
  orders(first: $first, filter: {providers: $providers}) { edges { node {
    id provider status externalId createdAt
    lines { sku quantity shippedQuantity inventory { provider available } }
    shipments { status carrier trackingNumbers }
    attachments { name url } } } } }
"""


@pytest.mark.parametrize(
    ("first", "inventory_calls"),
    # Flexe's inventory filter takes 100 SKUs a call: the 10 newest orders
    # hold fewer distinct SKUs, the 50 newest 164. Every other level is one
    # call whatever the page size.
    [(10, 1), (50, 2)],
)
async def test_flexe_board_is_one_call_per_level_whatever_the_page_size(
    gql: GQL, control: SandboxControl, first: int, inventory_calls: int
) -> None:
    body = await gql(ORDER_BOARD, {"first": first, "providers": ["FLEXE"]})
    assert "errors" not in body, body["errors"]
    assert len(body["data"]["orders"]["edges"]) == first
    paths = Counter(r["path"] for r in await control.requests("flexe"))
    assert paths == {
        "/v2/orders": 1,
        "/v2/lines": 1,
        "/v2/shipments": 1,
        "/v2/attachments": 1,
        "/v2/inventory": inventory_calls,
    }
    assert body["extensions"]["cost"]["upstreamRequests"] == 4 + inventory_calls


async def test_board_across_providers_sends_what_the_apis_force(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await aiohttp_client(create_app(all_providers(sandbox)))
    await control.clear()
    resp = await client.post(
        "/graphql", json={"query": ORDER_BOARD, "variables": {"first": 50}}
    )
    body = await resp.json()
    assert "errors" not in body, body["errors"]
    edges = body["data"]["orders"]["edges"]
    assert len(edges) == 50
    requests = [
        r
        for r in await control.requests()
        # The Flexport Logistics index follows its events feed in the background.
        if not r["path"].endswith("/events")
    ]
    by_provider = Counter(r["provider"] for r in requests)
    # Flexe: one call per level (orders, lines, shipments, attachments,
    # inventory). Flexport Logistics: no list endpoint and no batch get, so one
    # GET per order of its window (50: any of them could have been among the
    # newest), lines, shipments and documents inside each, plus the product
    # catalogue (merchant SKU to logistics SKU) and one warehouse call for the
    # stock. Flxpoint: the fulfilment-request list read to its end
    # (oldest first upstream, 4 pages of 100), one shipments call per request
    # on the board (no batch filter), one inventory call.
    assert by_provider == {"flexe": 5, "flexport_logistics": 52, "flxpoint": 16}
    assert body["extensions"]["cost"]["upstreamByProvider"] == {
        "FLEXE": 5,
        "FLEXPORT_LOGISTICS": 52,
        "FLXPOINT": 16,
    }

"""The unified graph: shipments, inventory and lookups across providers."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestServer

from gateway import ids
from gateway.app import create_app
from tests.conftest import GQL, SandboxControl, all_providers

BOARD = """
query Board($providers: [Provider!]) {
  orders(first: 50, filter: {providers: $providers}) { edges { node {
    id provider status externalId createdAt
    lines { sku quantity shippedQuantity inventory { provider available } }
    shipments { status carrier trackingNumbers }
    attachments { name url } } } }
}
"""


async def test_flexe_order_board_batches_every_level(
    gql: GQL, control: SandboxControl
) -> None:
    body = await gql(BOARD, {"providers": ["FLEXE"]})
    assert "errors" not in body, body["errors"]
    nodes = [e["node"] for e in body["data"]["orders"]["edges"]]
    assert len(nodes) == 50
    assert any(n["shipments"] for n in nodes)
    assert all(
        level["provider"] == "FLEXE"
        for n in nodes
        for line in n["lines"]
        for level in line["inventory"]
    )
    paths = sorted(r["path"] for r in await control.requests("flexe"))
    skus = {line["sku"] for n in nodes for line in n["lines"]}
    inventory_calls = -(-len(skus) // 100)
    # orders, lines, shipments, attachments: one call each; inventory: one per
    # 100 distinct SKUs.
    assert paths == sorted(
        ["/v2/orders", "/v2/lines", "/v2/shipments", "/v2/attachments"]
        + ["/v2/inventory"] * inventory_calls
    )


async def test_order_by_external_id_and_shipment_node(gql: GQL) -> None:
    listed = await gql(
        "{ orders(first: 50, filter: {statuses: [SHIPPED]}) { edges { node "
        "{ id externalId shipments { id status order { id } } } } } }"
    )
    node = listed["data"]["orders"]["edges"][0]["node"]
    found = await gql(
        "query($e: String!) { orderByExternalId(provider: FLEXE, externalId: $e) "
        "{ id } }",
        {"e": node["externalId"]},
    )
    assert found["data"]["orderByExternalId"] == {"id": node["id"]}
    shipment = node["shipments"][0]
    assert shipment["order"] == {"id": node["id"]}
    body = await gql(
        "query($id: ID!) { shipment(id: $id) { id status } "
        "node(id: $id) { ... on Shipment { trackingNumbers } } }",
        {"id": shipment["id"]},
    )
    assert body["data"]["shipment"] == {
        "id": shipment["id"],
        "status": shipment["status"],
    }
    assert body["data"]["node"]["trackingNumbers"]
    assert ids.decode(shipment["id"]).kind == "Shipment"


async def test_inventory_across_providers_with_totals(
    aiohttp_client: Any, sandbox: TestServer
) -> None:
    client = await aiohttp_client(create_app(all_providers(sandbox)))
    resp = await client.post(
        "/graphql",
        json={
            "query": '{ inventory(skus: ["SKU-10002", "SKU-10003"]) { sku totalOnHand '
            "totalAvailable levels { provider locationId onHand available } } }"
        },
    )
    body = await resp.json()
    assert "errors" not in body, body["errors"]
    for item in body["data"]["inventory"]:
        levels = item["levels"]
        assert {level["provider"] for level in levels} >= {"FLEXE", "FLXPOINT"}
        assert item["totalOnHand"] == sum(level["onHand"] or 0 for level in levels)
        assert item["totalAvailable"] == sum(
            level["available"] or 0 for level in levels
        )


async def test_inventory_of_a_failing_provider_names_it(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/inventory", "503", times=None)
    body = await gql(
        '{ inventory(skus: ["SKU-10002"]) { sku totalOnHand levels { sku } } }'
    )
    assert body["data"]["inventory"] == [
        {"sku": "SKU-10002", "totalOnHand": 0, "levels": None}
    ]
    assert body["errors"][0]["extensions"]["provider"] == "FLEXE"

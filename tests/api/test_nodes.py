"""`node` and `nodes` resolve every Node type from the IDs the graph hands out."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from gateway import ids
from gateway.app import create_app
from tests.api.test_purchase_orders import shared_po_number
from tests.conftest import SandboxControl, all_providers

FIND_IDS = """
query FindIds($number: String!) {
  orders(first: 1, filter: {providers: [FLEXE], statuses: [SHIPPED]}) {
    edges { node { id lines { id sku } shipments { id trackingNumbers } } }
  }
  purchaseOrderByNumber(number: $number) {
    id number lines { id lineSku: sku }
    inboundShipments { id provider purchaseOrderNumber lines { id lineSku: sku } }
  }
}
"""

# Order lines always have a SKU, purchase-order and inbound lines may not: the
# one selection set needs an alias to ask for both (GraphQL's field merging).
NODES = """
query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id
    ... on Order { provider }
    ... on OrderLine { sku }
    ... on Shipment { trackingNumbers }
    ... on PurchaseOrder { number }
    ... on PurchaseOrderLine { lineSku: sku }
    ... on InboundShipment { provider purchaseOrderNumber }
    ... on InboundShipmentLine { lineSku: sku }
  }
}
"""

NODE = """
query Node($id: ID!) { node(id: $id) { __typename id } }
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


async def _expected(
    client: TestClient,  # type: ignore[type-arg]
    sandbox: TestServer,
) -> list[dict[str, Any]]:
    """One object of every Node type, as `nodes` should give it back."""
    number, _, _ = await shared_po_number(sandbox)
    body = await _gql(client, FIND_IDS, {"number": number})
    assert "errors" not in body, body["errors"]
    order = body["data"]["orders"]["edges"][0]["node"]
    po = body["data"]["purchaseOrderByNumber"]
    by_provider = {s["provider"]: s for s in po["inboundShipments"]}
    flexe, lapi = by_provider["FLEXE"], by_provider["FLEXPORT_LOGISTICS"]
    return [
        {"__typename": "Order", "id": order["id"], "provider": "FLEXE"},
        {"__typename": "OrderLine", **order["lines"][0]},
        {"__typename": "Shipment", **order["shipments"][0]},
        {"__typename": "PurchaseOrder", "id": po["id"], "number": number},
        {"__typename": "PurchaseOrderLine", **po["lines"][-1]},
        *(
            {
                "__typename": "InboundShipment",
                "id": inbound["id"],
                "provider": inbound["provider"],
                "purchaseOrderNumber": number,
            }
            for inbound in (flexe, lapi)
        ),
        *(
            {"__typename": "InboundShipmentLine", **inbound["lines"][-1]}
            for inbound in (flexe, lapi)
        ),
    ]


async def test_nodes_round_trip_every_type_in_one_batch_per_provider(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    expected = await _expected(await _client(aiohttp_client, sandbox), sandbox)
    kinds = [ids.decode(item["id"]).kind for item in expected]
    assert kinds == [item["__typename"] for item in expected]
    # A second gateway: nothing it caches from the first query can answer. Two
    # gateways following the LAPI events feed can spend the token bucket LAPI
    # shares with v3, and a 429 retried would count twice.
    client = await _client(aiohttp_client, sandbox)
    await control.settings(rateLimits=False)
    await control.clear()
    body = await _gql(client, NODES, {"ids": [item["id"] for item in expected]})
    assert "errors" not in body, body["errors"]
    assert body["data"]["nodes"] == expected
    paths: dict[str, list[str]] = {}
    for request in await control.requests():
        if not request["path"].endswith("/events"):
            paths.setdefault(request["provider"], []).append(request["path"])
    # Flexe: the order, its lines, the shipment and both of its objects' inbound
    # shipment (one call by ids). v3: the PO once, for itself and its line.
    # Flexport Logistics: its inbound shipment, once for it and its line.
    assert {slug: sorted(found) for slug, found in paths.items()} == {
        "flexe": [
            "/v2/inbound-shipments",
            "/v2/lines",
            "/v2/orders",
            "/v2/shipments",
        ],
        "flexport_v3": [f"/purchase_orders/{ids.decode(expected[3]['id']).id}"],
        "flexport_logistics": ["/logistics/api/2024-04/inbounds/shipments"],
    }


async def test_node_resolves_each_type_on_its_own(
    aiohttp_client: Any, sandbox: TestServer
) -> None:
    client = await _client(aiohttp_client, sandbox)
    for item in await _expected(client, sandbox):
        body = await _gql(client, NODE, {"id": item["id"]})
        assert "errors" not in body, body["errors"]
        assert body["data"]["node"] == {
            "__typename": item["__typename"],
            "id": item["id"],
        }


async def test_node_of_a_missing_object_is_null_and_a_bad_id_an_error(
    aiohttp_client: Any, sandbox: TestServer
) -> None:
    client = await _client(aiohttp_client, sandbox)
    missing = [
        ids.Ref("flexport_v3", "PurchaseOrder", "999999999"),
        ids.Ref("flexport_v3", "PurchaseOrderLine", "999999999/1"),
        ids.Ref("flexe", "InboundShipment", "00000000-0000-4000-8000-000000000000"),
        ids.Ref(
            "flexe", "InboundShipmentLine", "00000000-0000-4000-8000-000000000000/0"
        ),
    ]
    body = await _gql(client, NODES, {"ids": [ids.encode(ref) for ref in missing]})
    assert "errors" not in body, body["errors"]
    assert body["data"]["nodes"] == [None] * len(missing)
    wrong = ids.encode(ids.Ref("flexe", "Warehouse", "1"))
    body = await _gql(client, NODE, {"id": wrong})
    assert body["data"] == {"node": None}
    assert body["errors"][0]["extensions"]["code"] == "INVALID_ID"

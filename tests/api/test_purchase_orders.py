"""Purchase orders and the inbound shipments that deliver them, across providers."""

from __future__ import annotations

from collections import Counter
from typing import Any

from aiohttp import ClientSession
from aiohttp.test_utils import TestClient, TestServer

from gateway.app import create_app
from gateway.sandbox import SANDBOX_TOKENS
from tests.conftest import SandboxControl, all_providers

LAPI = "/logistics/api/2024-04"
"""Flexport Logistics paths, as the sandbox logs them (without its prefix)."""

PURCHASE_ORDER_BY_NUMBER = """
query PurchaseOrderByNumber($number: String!) {
  purchaseOrderByNumber(number: $number) {
    id provider providerId number status rawStatus supplier { name } createdAt
    lines { id sku quantity unitCost { amount currencyCode }
            inventory { provider available } }
    inboundShipments { id provider purchaseOrderNumber status rawStatus
                       lines { sku quantity receivedQuantity }
                       purchaseOrder { id } }
  }
}
"""

PURCHASE_ORDERS = """
query PurchaseOrders($first: Int!, $after: String, $filter: PurchaseOrderFilter) {
  purchaseOrders(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id provider number status rawStatus createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


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
    Logistics, read from the sandbox itself."""
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
    Flexport Logistics, with how many each has (the seed shares PO numbers)."""
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


async def _paths(control: SandboxControl) -> dict[str, list[str]]:
    """Upstream paths per provider, without the Flexport Logistics index
    following its events feed in the background."""
    paths: dict[str, list[str]] = {}
    for request in await control.requests():
        if not request["path"].endswith("/events"):
            paths.setdefault(request["provider"], []).append(request["path"])
    return {slug: sorted(found) for slug, found in paths.items()}


async def test_purchase_order_by_number_joins_inbound_shipments_of_both_warehouses(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    number, at_flexe, at_lapi = await shared_po_number(sandbox)
    client = await _client(aiohttp_client, sandbox)
    # The LAPI events feed, read in the background, shares a token bucket with
    # v3: a 429 retried would count twice.
    await control.settings(rateLimits=False)
    await control.clear()
    body = await _gql(client, PURCHASE_ORDER_BY_NUMBER, {"number": number})
    assert "errors" not in body, body["errors"]
    po = body["data"]["purchaseOrderByNumber"]
    assert (po["provider"], po["number"], po["status"]) == (
        "FLEXPORT_V3",
        number,
        "OPEN",
    )
    assert po["rawStatus"] == "open"
    assert po["lines"]
    assert all(line["sku"] for line in po["lines"])
    assert all(line["unitCost"]["currencyCode"] for line in po["lines"])
    stocked = {level["provider"] for line in po["lines"] for level in line["inventory"]}
    assert stocked <= {"FLEXE", "FLEXPORT_LOGISTICS", "FLXPOINT"}
    assert "FLEXE" in stocked
    inbound = po["inboundShipments"]
    assert Counter(s["provider"] for s in inbound) == {
        "FLEXE": at_flexe,
        "FLEXPORT_LOGISTICS": at_lapi,
    }
    assert {s["purchaseOrderNumber"] for s in inbound} == {number}
    assert all(s["lines"] for s in inbound)
    assert all(s["purchaseOrder"] == {"id": po["id"]} for s in inbound)
    # v3: one V1 `f.name` list, lines embedded, the back-references answered
    # by the same loader key. Flexe: inbound shipments by PO number, and one
    # inventory call. Flexport Logistics: its inbound list, the product
    # catalogue (logistics SKUs) and one per-warehouse stock call. Flxpoint:
    # one inventory call.
    assert await _paths(control) == {
        "flexport_v3": ["/purchase_orders"],
        "flexe": ["/v2/inbound-shipments", "/v2/inventory"],
        "flexport_logistics": [
            f"{LAPI}/inbounds/shipments",
            f"{LAPI}/products",
            f"{LAPI}/products/warehouses",
        ],
        "flxpoint": ["/inventory/variants"],
    }
    counts = {slug: len(paths) for slug, paths in (await _paths(control)).items()}
    assert counts == {
        "flexport_v3": 1,
        "flexe": 2,
        "flexport_logistics": 3,
        "flxpoint": 1,
    }


async def test_purchase_order_by_unknown_number_is_null(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await _client(aiohttp_client, sandbox)
    await control.clear()
    body = await _gql(client, PURCHASE_ORDER_BY_NUMBER, {"number": "PO-99999"})
    assert body["data"] == {"purchaseOrderByNumber": None}
    assert "errors" not in body
    # Not among live POs, then not among archived (cancelled) ones either.
    assert await control.count("flexport_v3", "/purchase_orders") == 2


async def test_purchase_orders_second_page_follows_without_duplicates(
    aiohttp_client: Any, sandbox: TestServer
) -> None:
    client = await _client(aiohttp_client, sandbox)
    whole = await _gql(client, PURCHASE_ORDERS, {"first": 21})
    assert "errors" not in whole, whole["errors"]
    expected = [e["node"]["id"] for e in whole["data"]["purchaseOrders"]["edges"]]
    assert len(expected) == 21
    first = (await _gql(client, PURCHASE_ORDERS, {"first": 10}))["data"]
    page_info = first["purchaseOrders"]["pageInfo"]
    assert page_info["hasNextPage"] is True
    second = await _gql(
        client, PURCHASE_ORDERS, {"first": 11, "after": page_info["endCursor"]}
    )
    assert "errors" not in second, second["errors"]
    seen = [
        e["node"]["id"]
        for page in (first, second["data"])
        for e in page["purchaseOrders"]["edges"]
    ]
    assert len(set(seen)) == len(seen) == 21
    assert seen == expected
    nodes = [e["node"] for e in whole["data"]["purchaseOrders"]["edges"]]
    created = [n["createdAt"] for n in nodes]
    assert created == sorted(created, reverse=True)
    assert {n["provider"] for n in nodes} == {"FLEXPORT_V3"}


async def test_purchase_orders_filter_by_status(
    aiohttp_client: Any, sandbox: TestServer
) -> None:
    client = await _client(aiohttp_client, sandbox)
    everything = await _gql(client, PURCHASE_ORDERS, {"first": 100})
    live = {e["node"]["status"] for e in everything["data"]["purchaseOrders"]["edges"]}
    # Cancelled POs are archived at v3 and listed only when asked for.
    assert live == {"OPEN", "CLOSED"}
    for status in ("OPEN", "CLOSED", "CANCELLED"):
        body = await _gql(
            client, PURCHASE_ORDERS, {"first": 100, "filter": {"statuses": [status]}}
        )
        assert "errors" not in body, body["errors"]
        nodes = [e["node"] for e in body["data"]["purchaseOrders"]["edges"]]
        assert nodes, status
        assert {n["status"] for n in nodes} == {status}


async def test_purchase_orders_filter_by_number_and_status(
    aiohttp_client: Any, sandbox: TestServer
) -> None:
    client = await _client(aiohttp_client, sandbox)
    listed = await _gql(client, PURCHASE_ORDERS, {"first": 100})
    nodes = [e["node"] for e in listed["data"]["purchaseOrders"]["edges"]]
    open_number = next(n["number"] for n in nodes if n["status"] == "OPEN")
    closed_number = next(n["number"] for n in nodes if n["status"] == "CLOSED")
    numbers = [open_number, closed_number]
    body = await _gql(
        client, PURCHASE_ORDERS, {"first": 10, "filter": {"numbers": numbers}}
    )
    assert "errors" not in body, body["errors"]
    found = [e["node"] for e in body["data"]["purchaseOrders"]["edges"]]
    assert sorted(n["number"] for n in found) == sorted(numbers)
    assert body["data"]["purchaseOrders"]["pageInfo"]["hasNextPage"] is False
    body = await _gql(
        client,
        PURCHASE_ORDERS,
        {"first": 10, "filter": {"numbers": numbers, "statuses": ["CLOSED"]}},
    )
    found = [e["node"] for e in body["data"]["purchaseOrders"]["edges"]]
    assert [(n["number"], n["status"]) for n in found] == [(closed_number, "CLOSED")]


async def test_purchase_orders_first_out_of_range_is_bad_user_input(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await _client(aiohttp_client, sandbox)
    await control.clear()
    body = await _gql(client, PURCHASE_ORDERS, {"first": 0})
    assert body["data"] == {"purchaseOrders": None}
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await control.count("flexport_v3") == 0


async def test_one_warehouse_down_leaves_the_other_inbound_shipments(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    number, at_flexe, _ = await shared_po_number(sandbox)
    client = await _client(aiohttp_client, sandbox)
    await control.fault(
        f"{LAPI}/inbounds/shipments*",
        "503",
        provider="flexport_logistics",
        times=None,
    )
    body = await _gql(client, PURCHASE_ORDER_BY_NUMBER, {"number": number})
    inbound = body["data"]["purchaseOrderByNumber"]["inboundShipments"]
    assert Counter(s["provider"] for s in inbound) == {"FLEXE": at_flexe}
    [error] = body["errors"]
    assert error["path"] == ["purchaseOrderByNumber", "inboundShipments"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["provider"] == "FLEXPORT_LOGISTICS"
    assert error["extensions"]["retryable"] is True


async def test_purchase_orders_with_v3_down_is_null_with_its_error(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await _client(aiohttp_client, sandbox)
    await control.fault("/purchase_orders", "500", provider="flexport_v3", times=None)
    body = await _gql(client, PURCHASE_ORDERS, {"first": 5})
    # v3 is the only provider holding purchase orders: nothing is left to show.
    assert body["data"] == {"purchaseOrders": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["provider"] == "FLEXPORT_V3"
    assert error["extensions"]["retryable"] is True

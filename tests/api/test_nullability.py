"""A failed provider call nulls only the field that needed it, and nothing is
lost without an error or a full page (stale LAPI index entries are dropped).

Every field that needs an upstream call of its own is nullable; each test
below fails exactly the endpoint one such field needs and checks that the
field is null (or, for a field over several providers, keeps the others'
part) with an error located at it, and that its parents and siblings stay.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from gateway import ids
from gateway.app import PROVIDERS, create_app
from gateway.context import Context
from gateway.loaders import Loaders
from gateway.models import OrderKind
from gateway.providers.flexport_logistics import (
    FlexportLogisticsProvider,
    IndexEntry,
    IndexFilter,
    MemoryOrderIndex,
    OrderIndex,
    RedisOrderIndex,
)
from gateway.settings import Settings
from schema.root import schema
from tests.api.world import LAPI, shared_po_number
from tests.conftest import GQL, REDIS_URL, SandboxControl, all_providers

LINES = """
{ orders(first: 20, filter: {providers: [FLEXE]}) { edges { node {
    providerId lines { sku inventory { available } } } } } }
"""

LAPI_PAGE = """
{
  orders(first: 10, filter: {providers: [FLEXPORT_LOGISTICS]}) {
    edges { node { providerId } } pageInfo { hasNextPage endCursor } } }
"""


async def test_failed_inventory_nulls_only_inventory(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/inventory", "500", provider="flexe", times=None)
    body = await gql(LINES)
    nodes = [edge["node"] for edge in body["data"]["orders"]["edges"]]
    assert len(nodes) == 20
    lines = [
        (i, j, line) for i, n in enumerate(nodes) for j, line in enumerate(n["lines"])
    ]
    assert lines
    assert all(line["sku"] and line["inventory"] is None for _, _, line in lines)
    paths = {tuple(error["path"]) for error in body["errors"]}
    assert paths == {
        ("orders", "edges", i, "node", "lines", j, "inventory") for i, j, _ in lines
    }
    assert {error["extensions"]["provider"] for error in body["errors"]} == {"FLEXE"}


Path = tuple[str | int, ...]
UNAVAILABLE = {"code": "UPSTREAM_UNAVAILABLE", "retryable": True}


def assert_located(
    body: dict[str, Any], paths: Iterable[Path], *providers: str
) -> None:
    """The errors are exactly one per path and provider, each retryable
    UPSTREAM_UNAVAILABLE naming its provider in the message as well."""
    expected = sorted((path, provider) for path in paths for provider in providers)
    assert expected, "the test must expect at least one error"
    found = sorted(
        (tuple(error["path"]), error["extensions"]["provider"])
        for error in body.get("errors", [])
    )
    assert found == expected
    for error in body["errors"]:
        ext = error["extensions"]
        assert {k: ext[k] for k in UNAVAILABLE} == UNAVAILABLE, error
        assert error["message"].startswith(ext["provider"].lower() + ":")


def edge_nodes(body: dict[str, Any], field: str) -> list[dict[str, Any]]:
    nodes = [edge["node"] for edge in body["data"][field]["edges"]]
    assert nodes, f"the sandbox has no {field} to test with"
    return nodes


FLEXE_ORDERS = """
{ orders(first: 30, filter: {providers: [FLEXE]}) { edges { node {
    id providerId status hasErrors
    lines { id sku shipments { id } }
    shipments { id trackingNumbers }
    attachments { id }
    allocationErrors { code } } } } }
"""


async def test_failed_lines_null_only_each_orders_lines(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/lines", "503", provider="flexe", times=None)
    body = await gql(FLEXE_ORDERS)
    nodes = edge_nodes(body, "orders")
    assert len(nodes) == 30
    for node in nodes:
        assert node["lines"] is None
        assert node["id"]
        assert node["status"]
        assert isinstance(node["shipments"], list)
        assert isinstance(node["attachments"], list)
        assert isinstance(node["allocationErrors"], list)
    assert any(node["attachments"] for node in nodes)
    assert_located(
        body, [("orders", "edges", i, "node", "lines") for i in range(30)], "FLEXE"
    )


async def test_failed_shipments_null_the_order_and_line_shipments_only(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/shipments", "503", provider="flexe", times=None)
    body = await gql(FLEXE_ORDERS)
    nodes = edge_nodes(body, "orders")
    paths: list[Path] = []
    for i, node in enumerate(nodes):
        assert node["shipments"] is None
        paths.append(("orders", "edges", i, "node", "shipments"))
        # The lines came from their own call: only what each line ships is null.
        assert node["lines"], node
        for j, line in enumerate(node["lines"]):
            assert line["sku"]
            assert line["shipments"] is None
            paths.append(("orders", "edges", i, "node", "lines", j, "shipments"))
        assert isinstance(node["attachments"], list)
    assert_located(body, paths, "FLEXE")


async def test_failed_attachments_null_only_attachments(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/attachments", "503", provider="flexe", times=None)
    body = await gql(FLEXE_ORDERS)
    nodes = edge_nodes(body, "orders")
    for node in nodes:
        assert node["attachments"] is None
        assert node["lines"]
        assert isinstance(node["shipments"], list)
    assert any(node["shipments"] for node in nodes)
    assert_located(
        body,
        [("orders", "edges", i, "node", "attachments") for i in range(len(nodes))],
        "FLEXE",
    )


async def test_failed_allocation_errors_null_only_those_that_needed_the_call(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault(
        "/v2/orders/*/allocation-errors", "503", provider="flexe", times=None
    )
    body = await gql(FLEXE_ORDERS)
    nodes = edge_nodes(body, "orders")
    failing = [i for i, node in enumerate(nodes) if node["hasErrors"]]
    assert failing, "need orders with allocation errors"
    assert len(failing) < len(nodes), "and orders without"
    for i, node in enumerate(nodes):
        # An order without errors needs no call: its empty list stays.
        assert node["allocationErrors"] == (None if i in failing else [])
        assert node["lines"]
        assert isinstance(node["attachments"], list)
    assert_located(
        body,
        [("orders", "edges", i, "node", "allocationErrors") for i in failing],
        "FLEXE",
    )


async def test_failed_order_read_nulls_only_each_shipments_order(
    gql: GQL, control: SandboxControl
) -> None:
    # The shipments list is its own call; each shipment's order is another.
    await control.fault("/v2/orders", "503", provider="flexe", times=None)
    body = await gql(
        "{ shipments(first: 10, filter: {providers: [FLEXE]}) { edges { node {"
        " id status trackingNumbers items { sku } order { id } } } } }"
    )
    nodes = edge_nodes(body, "shipments")
    assert len(nodes) == 10
    for node in nodes:
        assert node["order"] is None
        assert node["id"]
        assert node["status"]
        assert node["items"]
    assert_located(
        body, [("shipments", "edges", i, "node", "order") for i in range(10)], "FLEXE"
    )


async def every_provider(aiohttp_client: Any, sandbox: TestServer) -> TestClient:  # type: ignore[type-arg]
    """A gateway on every provider, with the fast retries (FAST_RETRY) of the
    tests: a 503 is retried twice without a wait, then it is the error."""
    client: TestClient = await aiohttp_client(create_app(all_providers(sandbox)))  # type: ignore[type-arg]
    return client


async def post(
    client: TestClient,  # type: ignore[type-arg]
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    fresh: bool = False,
) -> dict[str, Any]:
    headers = {"Cache-Control": "no-cache"} if fresh else {}
    resp = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert resp.status == 200, await resp.text()
    body: dict[str, Any] = await resp.json()
    return body


PO_BY_NUMBER = """
query($number: String!) { purchaseOrderByNumber(number: $number) {
  id number status
  lines { id sku inventory { provider available } }
  attachments { id }
  inboundShipments { id provider status lines { sku inventory { provider } } } } }
"""


async def test_every_warehouse_down_nulls_inbound_shipments_naming_each(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    number, _, _ = await shared_po_number(sandbox)
    client = await every_provider(aiohttp_client, sandbox)
    await control.fault("/v2/inbound-shipments*", "503", times=None)
    await control.fault(
        f"{LAPI}/inbounds/shipments*", "503", provider="flexport_logistics", times=None
    )
    body = await post(client, PO_BY_NUMBER, {"number": number})
    po = body["data"]["purchaseOrderByNumber"]
    assert po["inboundShipments"] is None
    assert po["number"] == number
    assert po["lines"]
    assert isinstance(po["attachments"], list)
    assert_located(
        body,
        [("purchaseOrderByNumber", "inboundShipments")],
        "FLEXE",
        "FLEXPORT_LOGISTICS",
    )


async def test_failed_po_attachments_null_only_attachments(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await every_provider(aiohttp_client, sandbox)
    await control.fault(
        "/booking_line_items*", "503", provider="flexport_v3", times=None
    )
    body = await post(
        client,
        "{ purchaseOrders(first: 3) { edges { node { id number lines { sku }"
        " attachments { id } } } } }",
    )
    nodes = edge_nodes(body, "purchaseOrders")
    assert len(nodes) == 3
    for node in nodes:
        assert node["attachments"] is None
        assert node["number"]
        assert node["lines"]
    assert_located(
        body,
        [("purchaseOrders", "edges", i, "node", "attachments") for i in range(3)],
        "FLEXPORT_V3",
    )


async def test_one_stock_provider_down_keeps_the_others_levels_per_po_line(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    number, _, _ = await shared_po_number(sandbox)
    client = await every_provider(aiohttp_client, sandbox)
    await control.fault("/v2/inventory", "503", provider="flexe", times=None)
    body = await post(client, PO_BY_NUMBER, {"number": number})
    po = body["data"]["purchaseOrderByNumber"]
    asked = [j for j, line in enumerate(po["lines"]) if line["sku"]]
    assert asked
    for j in asked:
        levels = po["lines"][j]["inventory"]
        assert levels, po["lines"][j]
        assert "FLEXE" not in {level["provider"] for level in levels}
    inbound_paths: list[Path] = []
    for i, inbound in enumerate(po["inboundShipments"]):
        for j, line in enumerate(inbound["lines"]):
            assert line["inventory"]
            assert line["sku"]
            inbound_paths.append(
                (
                    "purchaseOrderByNumber",
                    "inboundShipments",
                    i,
                    "lines",
                    j,
                    "inventory",
                )
            )
    assert inbound_paths
    assert_located(
        body,
        [("purchaseOrderByNumber", "lines", j, "inventory") for j in asked]
        + inbound_paths,
        "FLEXE",
    )


async def test_every_stock_provider_down_nulls_line_inventory_naming_each(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    number, _, _ = await shared_po_number(sandbox)
    client = await every_provider(aiohttp_client, sandbox)
    await control.fault("/v2/inventory", "503", provider="flexe", times=None)
    await control.fault(
        f"{LAPI}/products/warehouses",
        "503",
        provider="flexport_logistics",
        method="POST",
        times=None,
    )
    await control.fault("/inventory/variants*", "503", provider="flxpoint", times=None)
    body = await post(
        client,
        "query($number: String!) { purchaseOrderByNumber(number: $number) {"
        " number lines { sku quantity inventory { provider } } } }",
        {"number": number},
    )
    po = body["data"]["purchaseOrderByNumber"]
    asked = [j for j, line in enumerate(po["lines"]) if line["sku"]]
    assert asked
    assert po["number"] == number
    for j in asked:
        assert po["lines"][j]["inventory"] is None
        assert po["lines"][j]["quantity"] is not None
    assert_located(
        body,
        [("purchaseOrderByNumber", "lines", j, "inventory") for j in asked],
        "FLEXE",
        "FLEXPORT_LOGISTICS",
        "FLXPOINT",
    )


async def test_failed_po_read_nulls_only_the_inbound_shipments_purchase_order(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    number, _, _ = await shared_po_number(sandbox)
    client = await every_provider(aiohttp_client, sandbox)
    found = await post(client, PO_BY_NUMBER, {"number": number})
    assert "errors" not in found, found["errors"]
    inbound = found["data"]["purchaseOrderByNumber"]["inboundShipments"][0]
    await control.fault("/purchase_orders*", "503", provider="flexport_v3", times=None)
    body = await post(
        client,
        "query($id: ID!) { node(id: $id) { id ... on InboundShipment {"
        " purchaseOrderNumber lines { sku } purchaseOrder { id } } } }",
        {"id": inbound["id"]},
        fresh=True,
    )
    node = body["data"]["node"]
    assert node["id"] == inbound["id"]
    assert node["purchaseOrderNumber"] == number
    assert node["lines"]
    assert node["purchaseOrder"] is None
    assert_located(body, [("node", "purchaseOrder")], "FLEXPORT_V3")


async def test_failed_po_lines_null_only_lines(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    # Flexport v3 embeds a PO's lines unless they run over one page, which the
    # sandbox never does; such a PO (lines unknown) is primed, so the field
    # needs the line-items endpoint of its own.
    client = await every_provider(aiohttp_client, sandbox)
    listed = await post(
        client, "{ purchaseOrders(first: 2) { edges { node { providerId } } } }"
    )
    po_ids = [n["providerId"] for n in edge_nodes(listed, "purchaseOrders")]
    providers = client.app[PROVIDERS]
    fetched = await providers["flexport_v3"].get_purchase_orders(po_ids)
    context = Context(
        settings=Settings(),
        providers=providers,
        loaders=Loaders.create(providers),
        request_id="test",
    )
    gids = []
    for po_id in po_ids:
        ref = ids.Ref("flexport_v3", "PurchaseOrder", po_id)
        headers_only = fetched[po_id].model_copy(update={"lines": None})
        context.loaders.purchase_order_by_ref.prime(ref, headers_only)
        gids.append(ids.encode(ref))
    await control.fault(
        "/purchase_order_line_items*", "503", provider="flexport_v3", times=None
    )
    result = await schema.execute(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id"
        " ... on PurchaseOrder { number status lines { sku } } } }",
        variable_values={"ids": gids},
        context_value=context,
    )
    assert result.data is not None
    for gid, node in zip(gids, result.data["nodes"], strict=True):
        assert node["id"] == gid
        assert node["number"]
        assert node["status"]
        assert node["lines"] is None
    body = {"errors": [error.formatted for error in result.errors or []]}
    assert_located(body, [("nodes", i, "lines") for i in range(2)], "FLEXPORT_V3")
    assert await control.count("flexport_v3", "/purchase_order_line_items") > 0


async def test_one_provider_down_nulls_only_its_nodes(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await every_provider(aiohttp_client, sandbox)
    listed = await post(
        client,
        "{ orders(first: 40) { edges { node { id provider } } }"
        " purchaseOrders(first: 1) { edges { node { id } } } }",
    )
    orders = edge_nodes(listed, "orders")
    flexe = next(o["id"] for o in orders if o["provider"] == "FLEXE")
    other = next(o["id"] for o in orders if o["provider"] != "FLEXE")
    po = edge_nodes(listed, "purchaseOrders")[0]["id"]
    await control.fault("/v2/orders", "503", provider="flexe", times=None)
    body = await post(
        client,
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
        {"ids": [other, flexe, po]},
        fresh=True,
    )
    assert body["data"]["nodes"] == [{"id": other}, None, {"id": po}]
    assert_located(body, [("nodes", 1)], "FLEXE")


async def test_list_with_every_provider_down_is_null_naming_each(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await every_provider(aiohttp_client, sandbox)
    query = (
        "{ orders(first: 10, filter: {providers: [FLEXE, FLXPOINT]}) {"
        " edges { node { id } } } }"
    )
    before = await post(client, query)
    assert len(edge_nodes(before, "orders")) == 10
    await control.fault("/v2/orders", "503", provider="flexe", times=None)
    await control.fault(
        "/fulfillment-requests*", "503", provider="flxpoint", times=None
    )
    body = await post(client, query, fresh=True)
    assert body["data"] == {"orders": None}
    assert_located(body, [("orders",)], "FLEXE", "FLXPOINT")


async def test_inventory_totals_name_the_provider_they_miss(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await every_provider(aiohttp_client, sandbox)
    query = (
        '{ inventory(skus: ["SKU-10002", "SKU-10003"]) { sku totalOnHand'
        " totalAvailable levels { provider onHand available } } }"
    )
    before = await post(client, query)
    assert "errors" not in before, before["errors"]
    await control.fault("/v2/inventory", "503", provider="flexe", times=None)
    body = await post(
        client,
        '{ inventory(skus: ["SKU-10002", "SKU-10003"]) {'
        " sku totalOnHand totalAvailable } }",
        fresh=True,
    )
    paths: list[Path] = []
    for i, (was, now) in enumerate(
        zip(before["data"]["inventory"], body["data"]["inventory"], strict=True)
    ):
        others = [level for level in was["levels"] if level["provider"] != "FLEXE"]
        assert len(others) < len(was["levels"]), "FLEXE must hold some of it"
        assert now["sku"] == was["sku"]
        # The total of the providers that answered, and an error saying so.
        assert now["totalOnHand"] == sum(level["onHand"] or 0 for level in others)
        assert now["totalAvailable"] == sum(level["available"] or 0 for level in others)
        paths += [("inventory", i, "totalOnHand"), ("inventory", i, "totalAvailable")]
    assert_located(body, paths, "FLEXE")


def _lapi_path(order_id: str) -> str:
    """The LAPI read of a domain order id (B2B outbounds, DTC orders)."""
    prefix, _, number = order_id.partition("-")
    return f"{LAPI}{ {'B2B': '/outbounds', 'DTC': '/orders'}[prefix] }/{number}"


async def test_lapi_404s_refill_the_page_and_leave_the_index(
    aiohttp_client: Any,
    sandbox: TestServer,
    control: SandboxControl,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = await aiohttp_client(create_app(all_providers(sandbox)))

    async def run() -> Any:
        # Fresh data, not the page the first read cached.
        resp = await client.post(
            "/graphql",
            json={"query": LAPI_PAGE},
            headers={"Cache-Control": "no-cache"},
        )
        assert resp.status == 200, await resp.text()
        return await resp.json()

    before = await run()
    assert "errors" not in before, before["errors"]
    ids = [edge["node"]["providerId"] for edge in before["data"]["orders"]["edges"]]
    assert len(ids) == 10
    gone = [ids[1], ids[4]]
    for order_id in gone:
        await control.fault(
            _lapi_path(order_id), "404", provider="flexport_logistics", times=None
        )

    with caplog.at_level(logging.WARNING, "gateway.providers.flexport_logistics"):
        after = await run()
    page = after["data"]["orders"]
    listed = [edge["node"]["providerId"] for edge in page["edges"]]
    if "errors" in after:
        providers = {e["extensions"].get("provider") for e in after["errors"]}
        assert "FLEXPORT_LOGISTICS" in providers, after["errors"]
    else:
        # No error: the page is full, refilled from the entries after it.
        assert len(listed) == 10
        assert page["pageInfo"]["hasNextPage"]
    assert not set(gone) & set(listed)
    assert listed[:8] == [i for i in ids if i not in gone]
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(all(order_id in m for order_id in gone) for m in warned), warned

    lapi = client.app[PROVIDERS]["flexport_logistics"]
    assert isinstance(lapi, FlexportLogisticsProvider)
    assert await lapi.index.get(gone) == {}
    assert set(await lapi.index.get(listed)) == set(listed)


@pytest.fixture(params=["memory", "redis"])
def index(request: pytest.FixtureRequest) -> OrderIndex:
    if request.param == "memory":
        return MemoryOrderIndex()
    prefix: str = request.getfixturevalue("redis_prefix")
    return RedisOrderIndex.from_url(REDIS_URL, prefix)


async def test_index_remove_forgets_entries(index: OrderIndex) -> None:
    start = datetime(2026, 9, 1, tzinfo=UTC)
    entries = [
        IndexEntry(
            f"B2B-{n}",
            OrderKind.B2B,
            status="PLANNED",
            created_at=start + timedelta(minutes=n),
            external_id=f"X-{n}",
        )
        for n in range(1, 6)
    ]
    try:
        await index.upsert(entries)
        await index.remove(["B2B-2", "B2B-4", "B2B-404"])
        page = await index.page(IndexFilter(), None, 10)
        assert [e.id for e in page.entries] == ["B2B-5", "B2B-3", "B2B-1"]
        assert await index.count() == 3
        assert await index.get(["B2B-2", "B2B-4"]) == {}
        by_external = await index.page(
            IndexFilter(external_ids=("X-2", "X-3")), None, 5
        )
        assert [e.id for e in by_external.entries] == ["B2B-3"]
    finally:
        await index.aclose()

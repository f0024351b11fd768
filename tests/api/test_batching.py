"""Exact upstream request counts for nested queries, read from the sandbox log."""

from __future__ import annotations

from tests.conftest import GQL, SandboxControl


async def test_orders_with_lines_make_exactly_two_flexe_requests(
    gql: GQL, control: SandboxControl
) -> None:
    body = await gql(
        "{ orders(first: 50) { edges { node { id status lines { sku quantity } } } } }"
    )
    assert "errors" not in body
    edges = body["data"]["orders"]["edges"]
    assert len(edges) == 50
    assert all(e["node"]["lines"] for e in edges)
    paths = [r["path"] for r in await control.requests("flexe")]
    assert paths == ["/v2/orders", "/v2/lines"]


async def test_fifty_aliased_orders_make_one_flexe_request(
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
    assert [body["data"][f"o{i}"]["id"] for i in range(50)] == order_ids
    requests = await control.requests("flexe")
    assert len(requests) == 1
    assert requests[0]["path"] == "/v2/orders"


async def test_status_of_in_progress_orders_shares_the_lines_call(
    gql: GQL, control: SandboxControl
) -> None:
    body = await gql(
        "{ orders(first: 50, filter: {statuses: [IN_PROGRESS]}) "
        "{ edges { node { status lines { shippedQuantity } } } } }"
    )
    nodes = [e["node"] for e in body["data"]["orders"]["edges"]]
    assert {"IN_PROGRESS", "PARTIALLY_SHIPPED"} == {n["status"] for n in nodes}
    for node in nodes:
        shipped = any(line["shippedQuantity"] > 0 for line in node["lines"])
        assert (node["status"] == "PARTIALLY_SHIPPED") is shipped
    assert await control.count("flexe") == 2


async def test_attachments_and_allocation_errors_batch(
    gql: GQL, control: SandboxControl
) -> None:
    body = await gql(
        "{ orders(first: 50) { edges { node { hasErrors attachments { name } "
        "allocationErrors { code } } } } }"
    )
    nodes = [e["node"] for e in body["data"]["orders"]["edges"]]
    with_errors = sum(1 for n in nodes if n["hasErrors"])
    paths = [r["path"] for r in await control.requests("flexe")]
    assert paths.count("/v2/attachments") == 1
    # Flexe has no cross-order allocation-error endpoint: one call per order
    # that reports errors, none for the others.
    assert sum(1 for p in paths if p.endswith("/allocation-errors")) == with_errors

"""Order queries over GraphQL against the Flexe sandbox."""

from __future__ import annotations

from gateway import ids
from tests.conftest import GQL, SandboxControl

ORDERS = """
query Orders($first: Int!, $after: String, $filter: OrderFilter) {
  orders(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id providerId provider kind externalId status rawStatus
                          hasErrors createdAt recipient { name city postalCode country }
                          labels { key value } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

ORDER = """
query Order($id: ID!) {
  order(id: $id) {
    id providerId status rawStatus
    lines { id sku quantity unitOfMeasure allocatedQuantity shippedQuantity
            cancelledQuantity status }
    allocationErrors { code details lineId }
    attachments { id name url type }
  }
}
"""


async def test_orders_lists_newest_first_with_mapped_fields(gql: GQL) -> None:
    body = await gql(ORDERS, {"first": 20})
    assert "errors" not in body
    edges = body["data"]["orders"]["edges"]
    assert len(edges) == 20
    nodes = [e["node"] for e in edges]
    created = [n["createdAt"] for n in nodes]
    assert created == sorted(created, reverse=True)
    for node in nodes:
        assert node["provider"] == "FLEXE"
        assert node["kind"] == "DTC"
        assert ids.decode(node["id"]) == ids.Ref("flexe", "Order", node["providerId"])
        assert node["recipient"]["name"]
    assert body["data"]["orders"]["pageInfo"]["hasNextPage"] is True


async def test_orders_pagination_resumes_without_gaps_or_repeats(gql: GQL) -> None:
    whole = await gql(ORDERS, {"first": 30})
    expected = [e["node"]["id"] for e in whole["data"]["orders"]["edges"]]
    seen: list[str] = []
    after = None
    while len(seen) < 30:
        page = (await gql(ORDERS, {"first": 7, "after": after}))["data"]["orders"]
        seen += [e["node"]["id"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"]
    assert seen[:30] == expected
    # Any edge's cursor resumes right after that edge.
    middle = whole["data"]["orders"]["edges"][11]["cursor"]
    resumed = await gql(ORDERS, {"first": 3, "after": middle})
    assert [e["node"]["id"] for e in resumed["data"]["orders"]["edges"]] == expected[
        12:15
    ]


async def test_orders_filter_by_status_and_error_flag(gql: GQL) -> None:
    body = await gql(ORDERS, {"first": 50, "filter": {"statuses": ["SHIPPED"]}})
    nodes = [e["node"] for e in body["data"]["orders"]["edges"]]
    assert nodes
    assert {n["status"] for n in nodes} == {"SHIPPED"}
    body = await gql(ORDERS, {"first": 50, "filter": {"hasErrors": True}})
    nodes = [e["node"] for e in body["data"]["orders"]["edges"]]
    assert nodes
    assert all(n["hasErrors"] for n in nodes)


async def test_orders_filter_by_external_id_and_provider(gql: GQL) -> None:
    listed = await gql(ORDERS, {"first": 3})
    wanted = [e["node"]["externalId"] for e in listed["data"]["orders"]["edges"]]
    body = await gql(ORDERS, {"first": 10, "filter": {"externalIds": wanted}})
    got = {e["node"]["externalId"] for e in body["data"]["orders"]["edges"]}
    assert got == set(wanted)
    other = await gql(ORDERS, {"first": 10, "filter": {"providers": ["FLXPOINT"]}})
    assert other["data"]["orders"]["edges"] == []
    assert other["data"]["orders"]["pageInfo"]["hasNextPage"] is False


async def test_orders_filter_by_created_window(gql: GQL) -> None:
    listed = await gql(ORDERS, {"first": 10})
    nodes = [e["node"] for e in listed["data"]["orders"]["edges"]]
    window = {
        "createdAfter": nodes[6]["createdAt"],
        "createdBefore": nodes[2]["createdAt"],
    }
    body = await gql(ORDERS, {"first": 10, "filter": window})
    got = [e["node"]["id"] for e in body["data"]["orders"]["edges"]]
    assert got == [n["id"] for n in nodes[3:7]]


async def test_order_by_id_with_lines_errors_and_attachments(gql: GQL) -> None:
    listed = await gql(ORDERS, {"first": 100, "filter": {"hasErrors": True}})
    order_id = listed["data"]["orders"]["edges"][0]["node"]["id"]
    body = await gql(ORDER, {"id": order_id})
    assert "errors" not in body
    order = body["data"]["order"]
    assert order["id"] == order_id
    assert order["status"] == "EXCEPTION"
    assert 1 <= len(order["lines"]) <= 8
    assert order["allocationErrors"]
    assert order["allocationErrors"][0]["code"]
    for line in order["lines"]:
        assert ids.decode(line["id"]).kind == "OrderLine"


async def test_order_unknown_id_is_null_and_bad_id_is_typed_error(gql: GQL) -> None:
    missing = ids.encode(ids.Ref("flexe", "Order", "no-such-order"))
    assert (await gql(ORDER, {"id": missing}))["data"]["order"] is None
    body = await gql(ORDER, {"id": "garbage"})
    assert body["data"]["order"] is None
    assert body["errors"][0]["extensions"]["code"] == "INVALID_ID"
    line_id = ids.encode(ids.Ref("flexe", "OrderLine", "a/1"))
    body = await gql(ORDER, {"id": line_id})
    assert body["errors"][0]["message"].endswith("not a Order")


async def test_first_out_of_range_is_rejected_before_upstream(
    gql: GQL, control: SandboxControl
) -> None:
    body = await gql(ORDERS, {"first": 101})
    assert body["errors"][0]["extensions"]["code"] == "MAX_PAGE_SIZE_EXCEEDED"
    body = await gql(ORDERS, {"first": 0})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "between 1 and 100, got 0" in body["errors"][0]["message"]
    body = await gql(ORDERS, {"first": 5, "after": "bogus"})
    assert body["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"
    assert await control.count("flexe") == 0


async def test_node_and_nodes_fetch_orders_and_lines(gql: GQL) -> None:
    detail = await gql(
        "{ orders(first: 2) { edges { node { id lines { id sku } } } } }"
    )
    orders = [e["node"] for e in detail["data"]["orders"]["edges"]]
    line = orders[0]["lines"][0]
    query = """query N($id: ID!, $ids: [ID!]!) {
      node(id: $id) { id ... on OrderLine { sku } }
      nodes(ids: $ids) { id ... on Order { externalId } }
    }"""
    body = await gql(
        query, {"id": line["id"], "ids": [orders[1]["id"], "bad", orders[0]["id"]]}
    )
    assert body["data"]["node"] == {"id": line["id"], "sku": line["sku"]}
    nodes = body["data"]["nodes"]
    assert nodes[0]["id"] == orders[1]["id"]
    assert nodes[1] is None
    assert nodes[2]["id"] == orders[0]["id"]
    assert [e["path"] for e in body["errors"]] == [["nodes", 1]]

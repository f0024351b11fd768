"""The upstream estimate on its own: declared facts, narrowing, saturation."""

from __future__ import annotations

from typing import Any

from graphql import parse

from gateway.providers.capabilities import Capability
from gateway.providers.fanout import FanOut, Read, ReadCost
from gateway.providers.flexe.client import FlexeProvider
from gateway.providers.flexport_logistics.client import FlexportLogisticsProvider
from gateway.providers.flxpoint.client import FlxpointProvider
from schema.query_analysis import analyze
from schema.query_shape import MAX_REPORTED
from schema.root import schema
from schema.upstream import Facts, estimate

FACTS = {
    cls.slug: Facts(cls.fan_out, cls.capabilities)
    for cls in (FlexeProvider, FlexportLogisticsProvider, FlxpointProvider)
}
BOARD = """query($n: Int!, $p: [Provider!]) {
  orders(first: $n, filter: {providers: $p}) { edges { node { id shipments { status } } } } }"""


def estimate_of(query: str, variables: dict[str, Any] | None = None) -> int:
    shape = analyze(schema._schema, parse(query))
    operation = shape.operation(None)
    assert operation is not None
    return estimate(operation, variables, 10, FACTS)


def test_read_costs_follow_the_declared_batch() -> None:
    assert ReadCost(batch=100).calls(164) == 2
    assert ReadCost().calls(7) == 7
    assert ReadCost(batch=100, extra=1).calls(1) == 2
    assert ReadCost(embedded=True).calls(50) == 0
    declared = FanOut.declare(batched={"LINES": 50}, embedded=("SHIPMENTS",))
    assert declared.read(Read.LINES).calls(120) == 3
    assert declared.read(Read.SHIPMENTS).calls(120) == 0
    assert declared.read(Read.INVENTORY).calls(3) == 3  # undeclared: one by one


def test_a_list_page_is_priced_per_provider() -> None:
    assert FlxpointProvider.fan_out.list_calls(50) == 4
    assert FlexportLogisticsProvider.fan_out.list_calls(50) == 51
    assert FlexeProvider.fan_out.list_calls(100) == 1
    assert Capability.LIST_ORDERS in FlexeProvider.capabilities


def test_variables_are_read_per_request_from_one_shape() -> None:
    shape = analyze(schema._schema, parse(BOARD))
    operation = shape.operation(None)
    assert operation is not None
    flexe = estimate(operation, {"n": 50, "p": ["FLEXE"]}, 10, FACTS)
    lapi = estimate(operation, {"n": 50, "p": ["FLEXPORT_LOGISTICS"]}, 10, FACTS)
    assert (flexe, lapi) == (2, 51)
    assert estimate(operation, {"n": 5, "p": ["FLEXPORT_LOGISTICS"]}, 10, FACTS) == 6
    # No filter: all three lists, and at most one shipments call per order.
    assert estimate(operation, {"n": 50}, 10, FACTS) == 1 + 51 + 4 + 50


def test_a_literal_filter_narrows_and_a_variable_inside_a_list_does_not() -> None:
    literal = "{ orders(first: 50, filter: {providers: [FLEXE]}) { edges { cursor } } }"
    assert estimate_of(literal) == 1
    inside = "query($p: Provider!) { orders(first: 50, filter: {providers: [$p]}) { edges { cursor } } }"
    assert estimate_of(inside, {"p": "FLEXE"}) == 1 + 51 + 4


def test_nodes_count_their_ids_and_fragments_at_the_root_count_too() -> None:
    query = (
        "query($ids: [ID!]!) { ...Q } fragment Q on Query { nodes(ids: $ids) { id } }"
    )
    assert estimate_of(query, {"ids": ["x"] * 100}) == 100 + 1 + 1
    assert estimate_of(query, {"ids": ["x"]}) == 2


def test_a_fragment_bomb_saturates() -> None:
    fragments = "fragment F0 on Order { id shipments { status } }\n" + "\n".join(
        f"fragment F{i} on Order {{ a: lines {{ order {{ ...F{i - 1} }} }} "
        f"b: lines {{ order {{ ...F{i - 1} }} }} }}"
        for i in range(1, 30)
    )
    query = "{ orders { edges { node { ...F29 } } } }\n" + fragments
    assert estimate_of(query) == MAX_REPORTED

"""Depth, alias, page-size and cost limits on documents, and the static cost model."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLError, get_introspection_query, parse, validate
from strawberry.types import ExecutionContext

from gateway.context import Context
from gateway.loaders import Loaders
from gateway.settings import LimitSettings, Settings
from schema.caches import DocumentCaches, store_for
from schema.limits import check, validation_rules
from schema.pagination import MAX_FIRST
from schema.query_analysis import ShapeCache, analyze
from schema.query_shape import count_objects
from schema.root import schema
from tests.fakes import FakeProvider, make_order

GRAPHQL_SCHEMA = schema._schema

# orders1 edges2 node3 lines4 order5 lines6 order7 lines8 order9 lines10 order11
# lines12 order13 id14
DEPTH_14 = (
    "{ orders { edges { node { lines { order { lines { order { lines { order "
    "{ lines { order { lines { order { id } } } } } } } } } } } } } }"
)
DEPTH_14_WITH_FRAGMENTS = """
query Deep { orders { edges { node { ...Twice } } } }
fragment Twice on Order { lines { order { ...Once } } }
fragment Once on Order { lines { order { lines { ... on OrderLine { order {
  lines { order { lines { order { id } } } } } } } } } }
"""


def errors_of(query: str, limits: LimitSettings | None = None) -> list[GraphQLError]:
    rules = validation_rules(limits or LimitSettings())
    return validate(GRAPHQL_SCHEMA, parse(query), rules)


def shape_of(query: str) -> Any:
    operation = analyze(GRAPHQL_SCHEMA, parse(query)).operation(None)
    assert operation is not None
    return operation


def only_error(errors: list[GraphQLError], code: str | None = None) -> GraphQLError:
    """The one error (with `code`, when a document is over several limits)."""
    if code is not None:
        errors = [e for e in errors if e.extensions and e.extensions["code"] == code]
    assert len(errors) == 1, [e.message for e in errors]
    return errors[0]


def test_depth_over_the_limit_names_limit_and_overshoot() -> None:
    # So deep a document is over the cost limit too; each limit is its own error.
    errors = errors_of(DEPTH_14)
    assert len(errors) == 2
    error = only_error(errors, "MAX_DEPTH_EXCEEDED")
    assert error.message == "Query depth 14 exceeds the maximum of 10 by 4"
    assert error.extensions == {"code": "MAX_DEPTH_EXCEEDED", "limit": 10, "actual": 14}
    assert error.locations is not None


def test_depth_follows_fragments_and_inline_fragments() -> None:
    assert shape_of(DEPTH_14_WITH_FRAGMENTS).depth == 14
    errors = errors_of(DEPTH_14_WITH_FRAGMENTS)
    assert only_error(errors, "MAX_DEPTH_EXCEEDED").extensions == {
        "code": "MAX_DEPTH_EXCEEDED",
        "limit": 10,
        "actual": 14,
    }


def test_depth_counts_leaves_and_ignores_introspection() -> None:
    assert shape_of("{ orders { pageInfo { hasNextPage } } }").depth == 3
    deep_introspection = (
        "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } "
        '} } } } __type(name: "Order") { fields { name } } }'
    )
    assert shape_of(deep_introspection).depth == 0
    assert shape_of(deep_introspection).requested_cost(None, 10) == 0


def test_graphiql_introspection_query_passes_every_limit() -> None:
    assert errors_of(get_introspection_query(descriptions=True)) == []


def test_depth_limit_comes_from_settings() -> None:
    query = "{ orders { pageInfo { hasNextPage } } }"
    assert errors_of(query, LimitSettings(max_depth=3)) == []
    error = only_error(errors_of(query, LimitSettings(max_depth=2)))
    assert error.message == "Query depth 3 exceeds the maximum of 2 by 1"


def aliased_orders(n: int) -> str:
    return "{ " + " ".join(f'o{i}: order(id: "x{i}") {{ id }}' for i in range(n)) + " }"


def test_fifty_aliases_pass_and_sixty_one_do_not() -> None:
    assert errors_of(aliased_orders(50)) == []
    assert errors_of(aliased_orders(60)) == []
    error = only_error(errors_of(aliased_orders(61)))
    assert error.message == "Query alias count 61 exceeds the maximum of 60 by 1"
    assert error.extensions == {
        "code": "MAX_ALIASES_EXCEEDED",
        "limit": 60,
        "actual": 61,
    }


def test_aliases_in_fragments_count_once_per_document() -> None:
    query = "{ a: orders { ...F } b: orders { ...F } } fragment F on OrderConnection { x: pageInfo { hasNextPage } }"
    assert analyze(GRAPHQL_SCHEMA, parse(query)).aliases == 3


def test_literal_page_size_over_the_limit() -> None:
    error = only_error(errors_of("{ orders(first: 150) { edges { cursor } } }"))
    assert error.message == (
        "Page size 150 (first on orders) exceeds the maximum of 100 by 50"
    )
    assert error.extensions == {
        "code": "MAX_PAGE_SIZE_EXCEEDED",
        "limit": 100,
        "actual": 150,
        "field": "orders",
    }
    assert errors_of("{ orders(first: 100) { edges { cursor } } }") == []


def test_variable_page_size_is_checked_with_the_request_variables() -> None:
    query = "query($n: Int!) { orders(first: $n) { edges { cursor } } }"
    shape = analyze(GRAPHQL_SCHEMA, parse(query))
    operation = shape.operation(None)
    limits = LimitSettings()
    assert check(shape, operation, limits, {"n": 100}, 0) == []
    error = only_error(check(shape, operation, limits, {"n": 101}, 0))
    assert error.extensions == {
        "code": "MAX_PAGE_SIZE_EXCEEDED",
        "limit": 100,
        "actual": 101,
        "field": "orders",
    }
    # Validation has no variables: a variable without a default passes the rule.
    assert errors_of(query) == []


def test_variable_default_page_size_is_checked_by_the_rule() -> None:
    query = "query($n: Int = 120) { orders(first: $n) { edges { cursor } } }"
    error = only_error(errors_of(query))
    assert error.extensions is not None
    assert error.extensions["actual"] == 120


def test_max_page_size_matches_what_the_resolvers_accept() -> None:
    assert LimitSettings().max_page_size == MAX_FIRST
    with pytest.raises(ValueError, match="less than or equal to 100"):
        LimitSettings(max_page_size=MAX_FIRST + 1)


@pytest.mark.parametrize(
    ("query", "variables", "cost"),
    [
        # orders 1 + edges 1 + node 50 + lines 50
        ("{ orders(first: 50) { edges { node { id lines { sku } } } } }", None, 102),
        # first defaults to 20; inventory is a list without first: 10 per line
        (
            "{ orders { edges { node { lines { inventory { quantity } } } } } }",
            None,
            1 + 1 + 20 + 20 + 20 * 10,
        ),
        # pageInfo is an object, scalars are free
        ("{ orders(first: 5) { pageInfo { hasNextPage } } }", None, 2),
        # a variable first, given or at its default
        (
            "query($n: Int = 30) { orders(first: $n) { edges { node { id } } } }",
            {"n": 7},
            1 + 1 + 7,
        ),
        (
            "query($n: Int = 30) { orders(first: $n) { edges { node { id } } } }",
            None,
            1 + 1 + 30,
        ),
        # fragments count as written in place
        (
            "{ orders(first: 4) { edges { node { ...L } } } } "
            "fragment L on Order { lines { order { id } } }",
            None,
            1 + 1 + 4 + 4 + 4 * 10,
        ),
        ("{ __typename }", None, 0),
    ],
)
def test_static_cost_model(
    query: str, variables: dict[str, Any] | None, cost: int
) -> None:
    assert shape_of(query).requested_cost(variables, 10) == cost


def test_default_list_size_is_applied_per_request() -> None:
    operation = shape_of(
        "{ orders(first: 2) { edges { node { lines { order { id } } } } } }"
    )
    assert operation.requested_cost(None, 10) == 1 + 1 + 2 + 2 + 2 * 10
    assert operation.requested_cost(None, 3) == 1 + 1 + 2 + 2 + 2 * 3


def test_cost_over_the_limit() -> None:
    query = "{ orders(first: 100) { edges { node { lines { order { id } } } } } }"
    cost = 1 + 1 + 100 + 100 + 100 * 10
    assert errors_of(query) == []
    error = only_error(errors_of(query, LimitSettings(max_cost=1000)))
    assert (
        error.message
        == f"Query cost {cost} exceeds the maximum of 1000 by {cost - 1000}"
    )
    assert error.extensions == {
        "code": "MAX_COST_EXCEEDED",
        "limit": 1000,
        "actual": cost,
    }


def test_actual_cost_counts_object_fields_in_the_response() -> None:
    operation = shape_of(
        "{ orders { edges { node { id lines { sku } recipient { city } } } } }"
    )
    data = {
        "orders": {
            "edges": [
                {"node": {"id": "1", "lines": [{"sku": "a"}], "recipient": None}},
                {"node": {"id": "2", "lines": None, "recipient": {"city": "x"}}},
            ]
        }
    }
    # orders, edges, 2 nodes, 2 lines, 2 recipients (null counts: it resolved)
    assert count_objects(data, operation.plan) == 8


def test_json_scalars_are_not_walked() -> None:
    operation = shape_of("{ orders { edges { node { providerData } } } }")
    data = {"orders": {"edges": [{"node": {"providerData": {"lines": [{}]}}}]}}
    assert count_objects(data, operation.plan) == 3


def test_invalid_documents_are_analysed_without_failing() -> None:
    query = "{ nope { x } orders { edges { node { ...Missing ...Loop } } } } fragment Loop on Order { ...Loop }"
    operation = shape_of(query)
    assert operation.depth == 3
    assert operation.requested_cost(None, 10) == 1 + 1 + 20


def test_shape_cache_is_bounded_and_keyed_by_text() -> None:
    cache = ShapeCache(maxsize=2)
    texts = ["{ a: __typename }", "{ b: __typename }", "{ c: __typename }"]
    first = cache.get(GRAPHQL_SCHEMA, texts[0], parse(texts[0]))
    assert cache.get(GRAPHQL_SCHEMA, texts[0], parse(texts[0])) is first
    for text in texts[1:]:
        cache.get(GRAPHQL_SCHEMA, text, parse(text))
    assert len(cache) == 2
    assert cache.get(GRAPHQL_SCHEMA, texts[0], parse(texts[0])) is not first


def context(limits: LimitSettings, provider: FakeProvider) -> Context:
    providers = {"flexe": provider}
    return Context(
        settings=Settings(limits=limits),
        providers=providers,  # type: ignore[dict-item]
        loaders=Loaders.create(providers),  # type: ignore[arg-type]
        request_id="test",
    )


async def test_parser_cache_is_sized_from_settings() -> None:
    limits = LimitSettings(cache_size=7)
    query = "{ orders(first: 1) { edges { cursor } } }"
    documents = []
    for _ in range(2):
        execution = ExecutionContext(
            query=query,
            schema=schema,
            allowed_operations=(),
            context=context(limits, FakeProvider("flexe")),
        )
        extension = DocumentCaches()
        extension.execution_context = execution
        for _ in extension.on_parse():
            pass
        documents.append(execution.graphql_document)
    assert documents[0] is documents[1]
    store = store_for(limits)
    assert store.maxsize == 7
    assert store.get(query, limits.max_tokens) is not None


async def test_schema_rejects_over_limit_before_any_resolver_runs() -> None:
    provider = FakeProvider("flexe", [make_order("flexe", 1)])
    result = await schema.execute(
        "{ orders { pageInfo { hasNextPage } } }",
        context_value=context(LimitSettings(max_depth=2), provider),
    )
    assert result.data is None
    assert result.errors is not None
    assert [e.extensions for e in result.errors] == [
        {"code": "MAX_DEPTH_EXCEEDED", "limit": 2, "actual": 3}
    ]
    assert provider.calls == []
    assert result.extensions is not None
    assert result.extensions["cost"] == {
        "requestedQueryCost": 2,
        "actualQueryCost": 0,
        "upstreamRequests": 0,
        "upstreamByProvider": {},
    }


async def test_schema_reports_cost_of_an_executed_operation() -> None:
    provider = FakeProvider("flexe", [make_order("flexe", n) for n in range(3)])
    result = await schema.execute(
        "{ orders(first: 5) { edges { node { id } } } }",
        context_value=context(LimitSettings(), provider),
    )
    assert result.errors is None
    assert result.extensions is not None
    cost = result.extensions["cost"]
    assert cost["requestedQueryCost"] == 1 + 1 + 5
    assert cost["actualQueryCost"] == 1 + 1 + 3


def test_limits_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_LIMITS__MAX_DEPTH", "12")
    monkeypatch.setenv("GATEWAY_LIMITS__CACHE_SIZE", "50")
    limits = Settings().limits
    assert (limits.max_depth, limits.cache_size, limits.max_aliases) == (12, 50, 60)


def fragment_bomb(prefix: str, levels: int = 30) -> str:
    """Each level spreads the one below twice: 2**levels fields once expanded."""
    return f"fragment {prefix}0 on Order {{ id }}\n" + "\n".join(
        f"fragment {prefix}{i} on Order {{ a: lines {{ order {{ ...{prefix}{i - 1} }} }} "
        f"b: lines {{ order {{ ...{prefix}{i - 1} }} }} }}"
        for i in range(1, levels)
    )


def test_fragment_bombs_are_analysed_in_linear_time() -> None:
    # Two identical bombs under one field also merge their plans: still linear.
    query = (
        "{ orders { edges { node { ...F29 ...G29 } } } }\n"
        + fragment_bomb("F")
        + fragment_bomb("G")
    )
    operation = shape_of(query)
    assert operation.depth == 3 + 2 * 29 + 1
    assert operation.requested_cost(None, 10) == 2**53 - 1


async def test_over_limit_documents_are_rejected_before_validation() -> None:
    fields = " ".join(f"o{i}: nope" for i in range(61))
    result = await schema.execute("{ " + fields + " }")
    assert result.errors is not None
    assert [e.extensions for e in result.errors] == [
        {"code": "MAX_ALIASES_EXCEEDED", "limit": 60, "actual": 61}
    ]

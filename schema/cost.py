"""Query limits and the `extensions.cost` report of every response.

`QueryCost` looks the document's static shape up by query text (analysed once,
kept with the parsed document by `schema.caches`), rejects the operation before
validation and execution when it exceeds a limit (see `schema.limits`), and adds
to the response:

    "extensions": {"cost": {
        "requestedQueryCost": 102,   # static estimate, with this request's variables
        "actualQueryCost": 98,       # object fields present in the response data
        "estimatedUpstreamRequests": 2,  # what the providers' APIs force, at most
        "upstreamRequests": 2,       # HTTP requests sent to providers, with retries
        "upstreamByProvider": {"FLEXE": 2}
    }}

(for `{ orders(first: 50) { edges { node { id lines { sku } } } } }` on Flexe:
one list page, one batched lines call). The requested cost stays the count of
object fields; `estimatedUpstreamRequests` (`schema.upstream`, checked against
`limits.max_upstream_requests`) is beside it, in other units, and sits next to
the measured `upstreamRequests`. It is left out when no configured provider
declares its fan-out (test doubles outside the gateway).

The actual cost is counted by walking the response data along the document's
object fields, which is linear in the objects returned and needs no per-field
hook during execution. A rejected or unparsable document reports cost 0 actual
and no upstream requests; an unparsable one also 0 requested.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from gateway.context import Context
from schema.caches import shape_of
from schema.enums import Provider, provider_slug
from schema.limits import check, limits_of
from schema.query_shape import OperationShape, count_objects
from schema.upstream import Facts, estimate, provider_facts

PROVIDER_NAMES = {provider_slug(provider): provider.name for provider in Provider}
"""Slug to the Provider enum name clients see (`flexe` -> `FLEXE`)."""


class QueryCost(SchemaExtension):
    """Enforces the limits and reports the cost; list it before DocumentCaches."""

    def __init__(self) -> None:
        super().__init__()
        self.operation: OperationShape | None = None
        self.requested = 0
        self.facts: dict[str, Facts] = {}
        self.upstream = 0

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        # Runs before validation when listed before DocumentCaches (the analysis
        # tolerates invalid documents); after it, only on documents that passed.
        if document is not None and not ctx.pre_execution_errors:
            limits = limits_of(ctx.context)
            if isinstance(ctx.context, Context):
                self.facts = provider_facts(ctx.context.providers)
            schema = ctx.schema._schema
            shape = shape_of(schema, ctx.query, document, limits)
            self.operation = shape.operation(ctx.operation_name)
            if self.operation is not None:
                self.requested = self.operation.requested_cost(
                    ctx.variables, limits.default_list_size
                )
                self.upstream = estimate(
                    self.operation,
                    ctx.variables,
                    limits.default_list_size,
                    self.facts,
                )
            errors = check(
                shape,
                self.operation,
                limits,
                ctx.variables,
                self.requested,
                self.upstream,
            )
            if errors:
                ctx.pre_execution_errors = errors
        yield

    def get_results(self) -> dict[str, Any]:
        ctx = self.execution_context
        result = ctx.result
        actual = 0
        if self.operation is not None and result is not None and result.data:
            actual = count_objects(result.data, self.operation.plan)
        calls = ctx.context.upstream_calls if isinstance(ctx.context, Context) else {}
        cost: dict[str, Any] = {
            "requestedQueryCost": self.requested,
            "actualQueryCost": actual,
        }
        # A document that never parsed has no estimate, but the same keys.
        if self.facts or (
            isinstance(ctx.context, Context) and provider_facts(ctx.context.providers)
        ):
            cost["estimatedUpstreamRequests"] = self.upstream
        return {
            "cost": {
                **cost,
                "upstreamRequests": sum(calls.values()),
                "upstreamByProvider": {
                    PROVIDER_NAMES.get(slug, slug.upper()): count
                    for slug, count in sorted(calls.items())
                },
            }
        }

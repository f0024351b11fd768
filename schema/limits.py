"""Limits on depth, aliases, page size and cost, enforced before anything executes.

Each is counted on the document's static shape (`schema.query_shape`, built
once per query text by `schema.query_analysis`, kept by `schema.caches`):

- depth: fields on the longest path, fragments expanded; `__schema` and `__type`
  (introspection, which GraphiQL needs) add nothing;
- aliases: aliased fields written in the document;
- page size: every explicit `first`, literal or variable;
- cost: the static estimate of `schema.query_shape`, with the request's variables;
- upstream requests: the estimate of `schema.upstream` (what the providers'
  APIs force per field and page, with the variables and the request's
  providers) against `limits.max_upstream_requests`. It shares the code
  `MAX_COST_EXCEEDED`, and is checked only when the static cost is within its
  limit, so a document gets at most one such error.

An error names the limit and the overshoot (`Query depth 14 exceeds the maximum
of 10 by 4`; `Query would send an estimated 1010 upstream requests, over the
maximum of 200 by 810`) and carries `extensions {code, limit, actual}`.

Two ways to run them:

- `schema.cost.QueryCost` (wired in `schema.root`) checks the operation being run,
  with its variables and the request's `settings.limits`, from a shape cached per
  query text (`schema.caches`). This is what the gateway uses.
- `validation_rules(limits)` gives graphql-core validation rules, for
  `graphql.validate` or strawberry's `AddValidationRules`. Validation sees no
  variables, so there a `first: $var` counts at the variable's default.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from graphql import (
    SKIP,
    DocumentNode,
    GraphQLError,
    Node,
    ValidationRule,
    VisitorAction,
)

from gateway.context import Context
from gateway.settings import LimitSettings
from schema.caches import shape_of
from schema.query_shape import MAX_REPORTED, DocumentShape, OperationShape

MAX_DEPTH_EXCEEDED = "MAX_DEPTH_EXCEEDED"
MAX_ALIASES_EXCEEDED = "MAX_ALIASES_EXCEEDED"
MAX_PAGE_SIZE_EXCEEDED = "MAX_PAGE_SIZE_EXCEEDED"
MAX_COST_EXCEEDED = "MAX_COST_EXCEEDED"

DEFAULT_LIMITS = LimitSettings()


def limits_of(context: object) -> LimitSettings:
    """The request's limits; the defaults outside the gateway (bare schema tests)."""
    return context.settings.limits if isinstance(context, Context) else DEFAULT_LIMITS


def limit_error(
    code: str,
    what: str,
    actual: int,
    limit: int,
    node: Node | None = None,
    detail: str = "",
    **extra: Any,
) -> GraphQLError:
    """`<what> <actual><detail> exceeds the maximum of <limit> by <overshoot>`."""
    actual = min(actual, MAX_REPORTED)  # a variable can hold any integer
    return GraphQLError(
        f"{what} {actual}{detail} exceeds the maximum of {limit} by {actual - limit}",
        node,
        extensions={"code": code, "limit": limit, "actual": actual, **extra},
    )


def depth_error(
    operation: OperationShape, limits: LimitSettings
) -> GraphQLError | None:
    if operation.depth <= limits.max_depth:
        return None
    return limit_error(
        MAX_DEPTH_EXCEEDED,
        "Query depth",
        operation.depth,
        limits.max_depth,
        operation.node,
    )


def alias_error(shape: DocumentShape, limits: LimitSettings) -> GraphQLError | None:
    if shape.aliases <= limits.max_aliases:
        return None
    return limit_error(
        MAX_ALIASES_EXCEEDED, "Query alias count", shape.aliases, limits.max_aliases
    )


def page_size_errors(
    shape: DocumentShape,
    operation: OperationShape | None,
    limits: LimitSettings,
    variables: Mapping[str, Any] | None,
) -> Iterator[GraphQLError]:
    """Each explicit `first` over the limit; variables resolve in `operation`."""
    for site in shape.page_sizes:
        if isinstance(site.value, int):
            value: int | None = site.value
        elif operation is not None and site.value.variable is not None:
            value = operation.variable(site.value.variable, variables)
        else:
            value = None
        if value is not None and value > limits.max_page_size:
            yield limit_error(
                MAX_PAGE_SIZE_EXCEEDED,
                "Page size",
                value,
                limits.max_page_size,
                site.node,
                detail=f" (first on {site.field})",
                field=site.field,
            )


def cost_error(
    operation: OperationShape, cost: int, limits: LimitSettings
) -> GraphQLError | None:
    if cost <= limits.max_cost:
        return None
    return limit_error(
        MAX_COST_EXCEEDED, "Query cost", cost, limits.max_cost, operation.node
    )


def upstream_error(
    operation: OperationShape, estimate: int, limits: LimitSettings
) -> GraphQLError | None:
    limit = limits.max_upstream_requests
    if estimate <= limit:
        return None
    return GraphQLError(
        f"Query would send an estimated {estimate} upstream requests, over the "
        f"maximum of {limit} by {estimate - limit}",
        operation.node,
        extensions={"code": MAX_COST_EXCEEDED, "limit": limit, "actual": estimate},
    )


def check(
    shape: DocumentShape,
    operation: OperationShape | None,
    limits: LimitSettings,
    variables: Mapping[str, Any] | None,
    cost: int,
    upstream: int = 0,
) -> list[GraphQLError]:
    """Every limit the running operation exceeds, given its requested cost and
    its estimated upstream requests."""
    errors: list[GraphQLError] = []
    if operation is not None and (error := depth_error(operation, limits)):
        errors.append(error)
    if error := alias_error(shape, limits):
        errors.append(error)
    errors.extend(page_size_errors(shape, operation, limits, variables))
    if operation is not None:
        error = cost_error(operation, cost, limits) or upstream_error(
            operation, upstream, limits
        )
        if error is not None:
            errors.append(error)
    return errors


class LimitRule(ValidationRule):
    """A graphql-core rule for one limit, over every operation of the document."""

    limits: ClassVar[LimitSettings] = DEFAULT_LIMITS

    @classmethod
    def with_limits(cls, limits: LimitSettings) -> type[LimitRule]:
        """This rule with other limits (graphql-core instantiates rule classes)."""
        return type(cls.__name__, (cls,), {"limits": limits})

    def enter_document(self, node: DocumentNode, *_args: object) -> VisitorAction:
        schema = self.context.schema
        body = node.loc.source.body if node.loc else None
        shape = shape_of(schema, body, node, self.limits)
        for error in self.errors(shape):
            self.report_error(error)
        return SKIP

    def errors(self, shape: DocumentShape) -> Iterator[GraphQLError]:
        return iter(())


class MaxDepthRule(LimitRule):
    def errors(self, shape: DocumentShape) -> Iterator[GraphQLError]:
        for operation in shape.operations.values():
            if error := depth_error(operation, self.limits):
                yield error


class MaxAliasesRule(LimitRule):
    def errors(self, shape: DocumentShape) -> Iterator[GraphQLError]:
        if error := alias_error(shape, self.limits):
            yield error


class MaxPageSizeRule(LimitRule):
    def errors(self, shape: DocumentShape) -> Iterator[GraphQLError]:
        # Variables resolve to their defaults in the document's only operation.
        yield from page_size_errors(shape, shape.operation(None), self.limits, None)


class MaxCostRule(LimitRule):
    def errors(self, shape: DocumentShape) -> Iterator[GraphQLError]:
        default_list = self.limits.default_list_size
        for operation in shape.operations.values():
            cost = operation.requested_cost(None, default_list)
            if error := cost_error(operation, cost, self.limits):
                yield error


def validation_rules(
    limits: LimitSettings = DEFAULT_LIMITS,
) -> tuple[type[ValidationRule], ...]:
    """The four limit rules, bound to `limits`."""
    return tuple(
        rule.with_limits(limits)
        for rule in (MaxDepthRule, MaxAliasesRule, MaxPageSizeRule, MaxCostRule)
    )

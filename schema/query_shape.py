"""The static shape of a document and its per-request evaluation.

`schema.query_analysis` walks a document once into a DocumentShape; a request
then evaluates it against its variables and limits (`requested_cost`) and, after
execution, counts the same model in the response (`count_objects`), so a request
pays a lookup and a few multiplications, never a walk of the document.

Cost model (`actualQueryCost` counts the same thing in the response):

- A field that returns an object, interface or union, or a list of them, costs
  1 for every instance of its parent. Scalar and enum fields cost 0.
- Under a list, every field counts once per element: a list field multiplies the
  cost of what it selects by its size.
  - A field with a `first` argument that returns a list has `first` elements.
  - A field with a `first` argument that returns an object is a connection: the
    list fields selected directly in it (`edges`) have `first` elements.
  - `first` omitted: the argument's default in the schema (20 for `orders`);
    `first: $var`: the variable's value, else the variable's default.
  - Any other list has `limits.default_list_size` elements.
- Fragments count as if written in place. Fragments on different types under the
  same field all count, so an interface or union field is an upper bound.
- `__schema` and `__type` (introspection) cost 0 and add no depth.

`{ orders(first: 50) { edges { node { id lines { sku } } } } }` costs
1 (orders) + 1 (edges) + 50 (node) + 50 (lines) = 102, and has depth 5.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import FieldNode, OperationDefinitionNode

if TYPE_CHECKING:
    from schema.upstream_shape import Root

MAX_REPORTED = 2**53 - 1
"""Costs saturate here: the largest integer a JSON client reads exactly (a
fragment bomb's estimate would otherwise overflow the response encoder)."""


@dataclass(frozen=True)
class Size:
    """A list size known only per request: a variable, or the default list size."""

    variable: str | None
    """The `first: $variable`; None for `limits.default_list_size`."""
    fallback: int = 0
    """The size when the variable is absent or not an integer."""


DEFAULT_LIST = Size(None)

Terms = dict[tuple[Size, ...], int]
"""A cost polynomial: each product of per-request sizes with its coefficient."""

Plan = Mapping[str, "Plan"]
"""Object fields by response key, each with the object fields it selects."""


@dataclass(frozen=True)
class PageSize:
    """An explicit `first` in the document."""

    field: str
    value: int | Size
    node: FieldNode


@dataclass(frozen=True)
class OperationShape:
    """One operation of a document, with its fragments expanded."""

    node: OperationDefinitionNode
    depth: int
    cost: Terms
    plan: Plan
    variable_defaults: Mapping[str, Any]
    upstream: tuple[Root, ...] = ()
    """The root fields that reach providers (`schema.upstream_shape`)."""

    def variable(self, name: str, variables: Mapping[str, Any] | None) -> int | None:
        """The integer a variable holds in this request, if it holds one."""
        if variables and name in variables:
            value = variables[name]
        else:
            value = self.variable_defaults.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def size(
        self, size: int | Size, variables: Mapping[str, Any] | None, default_list: int
    ) -> int:
        if isinstance(size, int):
            return max(size, 0)
        if size.variable is None:
            return default_list
        value = self.variable(size.variable, variables)
        return max(size.fallback if value is None else value, 0)

    def requested_cost(
        self, variables: Mapping[str, Any] | None, default_list: int
    ) -> int:
        """The static cost with this request's variables."""
        total = 0
        for sizes, coefficient in self.cost.items():
            for size in sizes:
                coefficient *= self.size(size, variables, default_list)
            total += coefficient
        return min(total, MAX_REPORTED)


@dataclass(frozen=True)
class DocumentShape:
    """What the limits and the cost report need to know about a document."""

    aliases: int
    page_sizes: tuple[PageSize, ...]
    operations: Mapping[str | None, OperationShape]

    def operation(self, name: str | None) -> OperationShape | None:
        """The operation a request runs; the only one when it names none."""
        found = self.operations.get(name)
        if found is None and name is None and len(self.operations) == 1:
            return next(iter(self.operations.values()))
        return found


def count_objects(data: Mapping[str, Any], plan: Plan) -> int:
    """The object fields present in a response: the actual cost.

    A field that resolved to null still counts; fields under a null that an
    error propagated up cannot be seen and do not. Iterative, and it looks only
    at object fields, so it costs a few dictionary lookups per object returned.
    """
    total = 0
    stack: list[tuple[Any, Plan]] = [(data, plan)]
    while stack:
        value, plan = stack.pop()
        if type(value) is list:
            stack.extend((item, plan) for item in value if item is not None)
            continue
        for key, sub in plan.items():
            found = value.get(key, _MISSING)
            if found is _MISSING:
                continue
            total += 1
            if sub and found is not None:
                stack.append((found, sub))
    return total


_MISSING = object()

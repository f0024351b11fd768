"""Per request: the upstream requests an operation would send, an upper bound.

The reads each field forces are static (`schema.upstream_shape`, cached with
the document's shape); this module prices them with the request's variables
and the facts its configured providers declare (`ProviderBase.fan_out`):

- A list root (`orders`, `shipments`, `purchaseOrders`) asks each provider it
  may ask (those with the capability, narrowed by `filter.providers`, literal
  or variable) for a window of `first`: `list_extra + ceil(first /
  list_page_size) + first * list_per_item` calls each. The merged page holds at
  most `first` objects, whichever providers they come from.
- `node`, `nodes(ids)`, `order(id)`, … read one object per id at a provider
  not known before execution: the dearest object read counts.
- A read of `n` objects that lie among providers P costs at most
  `n` (if any provider in P reads one by one) + `ceil(n / batch)` per batching
  provider + each one's `extra`, and never more than `n` times the dearest
  single-object read; embedded reads and providers without the capability
  cost nothing. A read at "every provider" (a PO line's inventory) counts at
  each of them in full.
- The reads of one selection on one set of objects count once, as the
  DataLoaders batch them; list fields multiply the objects below them by their
  size, as in the static cost (`schema.query_shape`).

The estimate ignores the caches (a cached read sends nothing), so it is an
upper bound on a warm gateway too; Flxpoint's count probe depends on how many
FRs exist and is declared for a few hundred. Evaluation visits at most
`MAX_VISITS` scopes; past that (a fragment bomb) it saturates at MAX_REPORTED.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from gateway.providers.capabilities import Capability
from gateway.providers.fanout import READ_CAPABILITY, FanOut, Read
from schema.query_shape import MAX_REPORTED, OperationShape
from schema.upstream_shape import Count, Providers, Root, Scope

MAX_VISITS = 10_000


@dataclass(frozen=True)
class Facts:
    """What the estimate needs of one configured provider."""

    fan_out: FanOut
    capabilities: frozenset[Capability]


def provider_facts(providers: Mapping[str, object]) -> dict[str, Facts]:
    """The configured providers that declare their fan-out (test doubles may not)."""
    found: dict[str, Facts] = {}
    for slug, provider in providers.items():
        fan_out = getattr(provider, "fan_out", None)
        if isinstance(fan_out, FanOut):
            capabilities = frozenset(getattr(provider, "capabilities", ()))
            found[slug] = Facts(fan_out, capabilities)
    return found


def estimate(
    operation: OperationShape,
    variables: Mapping[str, Any] | None,
    default_list: int,
    facts: Mapping[str, Facts],
) -> int:
    """The upstream requests `operation` would send at most, with these inputs."""
    return _Estimate(operation, variables, default_list, facts).total()


class _Saturated(Exception):
    """Too many scopes to price: the estimate is MAX_REPORTED."""


class _Estimate:
    def __init__(
        self,
        operation: OperationShape,
        variables: Mapping[str, Any] | None,
        default_list: int,
        facts: Mapping[str, Facts],
    ) -> None:
        self.operation = operation
        self.variables = variables or {}
        self.default_list = default_list
        self.facts = facts
        self.visits = 0

    def total(self) -> int:
        total = 0
        try:
            for root in self.operation.upstream:
                total += self.root(root)
                if total >= MAX_REPORTED:
                    break
        except _Saturated:
            return MAX_REPORTED
        return min(total, MAX_REPORTED)

    def root(self, root: Root) -> int:
        how = root.how
        slugs = self.narrowed(self.with_capability(how.capability), root.providers)
        if not slugs:
            return 0
        if how.kind == "list":
            first = self.operation.size(root.first, self.variables, self.default_list)
            calls = sum(self.facts[s].fan_out.list_calls(first) for s in slugs)
            return calls + self.scope(root.scope, 1, slugs)
        n = self.count(root.count)
        if how.kind == "skus":
            calls = sum(self.read(r, n, slugs, spread=False) for r in how.reads)
        else:
            calls = max((self.read(r, n, slugs) for r in how.reads), default=0)
        return calls + self.scope(root.scope, n, slugs)

    def scope(self, scope: Scope, n: int, slugs: Collection[str]) -> int:
        if n <= 0 or not slugs:
            return 0
        self.visits += 1
        if self.visits > MAX_VISITS:
            raise _Saturated
        total = 0
        for need in scope.needs:
            if need.everywhere is None:
                total += self.read(need.read, n, slugs)
            else:
                everywhere = self.with_capability(need.everywhere)
                total += self.read(need.read, n, everywhere, spread=False)
        # Owner reads left over: lines reached without their order.
        total += sum(self.read(read, n, slugs) for read in scope.owner)
        for child in scope.children:
            if total >= MAX_REPORTED:
                break
            size = self.operation.size(child.size, self.variables, self.default_list)
            below = (
                slugs
                if child.everywhere is None
                else self.with_capability(child.everywhere)
            )
            total += self.scope(child.scope, n * size, below)
        return total

    def read(
        self, read: Read, n: int, slugs: Collection[str], *, spread: bool = True
    ) -> int:
        """Calls to read `n` objects among `slugs` (each at one of them when
        `spread`, else at every one of them)."""
        capability = READ_CAPABILITY[read]
        costs = [
            self.facts[s].fan_out.read(read)
            for s in slugs
            if capability in self.facts[s].capabilities
        ]
        if n <= 0 or not costs:
            return 0
        if not spread:
            return sum(cost.calls(n) for cost in costs)
        one_by_one = [c for c in costs if c.batch is None and not c.embedded]
        bound = (n if one_by_one else 0) + sum(
            c.extra if c.batch is None else c.calls(n) for c in costs
        )
        return min(bound, n * max(cost.calls(1) for cost in costs))

    def with_capability(self, capability: Capability | None) -> list[str]:
        return [
            slug
            for slug, facts in self.facts.items()
            if capability is None or capability in facts.capabilities
        ]

    def narrowed(self, slugs: list[str], providers: Providers) -> list[str]:
        wanted = providers.literal
        if providers.variable is not None:
            value = self.value(providers.variable)
            for key in providers.path:
                value = value.get(key) if isinstance(value, Mapping) else None
            if isinstance(value, str):
                value = [value]
            if isinstance(value, list):
                names = _names()
                wanted = tuple(names.get(v, v) for v in value if isinstance(v, str))
        if wanted is None:
            return slugs
        return [slug for slug in slugs if slug in wanted]

    def count(self, count: Count) -> int:
        if count.variable is None:
            return count.value
        value = self.value(count.variable)
        return len(value) if isinstance(value, list) else 1

    def value(self, name: str) -> Any:
        if name in self.variables:
            return self.variables[name]
        return self.operation.variable_defaults.get(name)


def _names() -> dict[str, str]:
    from schema.query_analysis import provider_names

    return provider_names()

"""The static part of the upstream estimate: which reads a document forces, where.

`schema.query_analysis` walks each operation into a tuple of `Root`s (once per
query text, kept with the shape); `schema.upstream` evaluates them per request
against the variables and the providers the request has. Fragments are
summarised once per (fragment, enclosing connection size) and shared, so the
structure stays linear in the document's text even for a fragment bomb.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    EnumValueNode,
    FieldNode,
    ListValueNode,
    ObjectValueNode,
    ValueNode,
    VariableNode,
)

from gateway.providers.capabilities import Capability
from gateway.providers.fanout import Read
from schema.query_shape import Size
from schema.upstream_fields import FieldReads, RootReads


@dataclass(frozen=True)
class Need:
    """One read the objects of a scope force."""

    read: Read
    everywhere: Capability | None = None


@dataclass(frozen=True)
class Scope:
    """The objects one selection set is evaluated on."""

    needs: frozenset[Need]
    children: tuple[Child, ...]
    owner: frozenset[Read] = frozenset()
    """Reads of the owning order, still to be placed (see FieldReads.owner)."""


@dataclass(frozen=True)
class Child:
    """A field leading to more objects: `size` of them per parent object."""

    size: int | Size
    scope: Scope
    everywhere: Capability | None = None


EMPTY_SCOPE = Scope(frozenset(), ())


@dataclass(frozen=True)
class Count:
    """How many ids a root reads: a literal list's length or a list variable's."""

    value: int = 1
    variable: str | None = None


@dataclass(frozen=True)
class Providers:
    """A `[Provider!]` narrowing: literal slugs, or where a variable holds them."""

    literal: tuple[str, ...] | None = None
    variable: str | None = None
    path: tuple[str, ...] = ()
    """Keys inside the variable's value (`filter: $f` holds `{providers}`)."""


ANY_PROVIDER = Providers()


@dataclass(frozen=True)
class Root:
    """One root field that reaches providers, with the objects it returns."""

    how: RootReads
    first: int | Size
    count: Count
    providers: Providers
    scope: Scope


def merge_scopes(parts: list[Scope]) -> Scope:
    """The union of the selections on one set of objects (fragments, fields)."""
    parts = [p for p in parts if p is not EMPTY_SCOPE]
    if not parts:
        return EMPTY_SCOPE
    if len(parts) == 1:
        return parts[0]
    needs: set[Need] = set()
    owner: set[Read] = set()
    children: list[Child] = []
    for part in parts:
        needs |= part.needs
        owner |= part.owner
        children.extend(part.children)
    return Scope(frozenset(needs), tuple(children), frozenset(owner))


def field_scope(
    parent_type: str, reads: FieldReads | None, size: int | Size, child: Scope
) -> Scope:
    """What a field adds to its parent's scope: its reads and its objects."""
    needs: set[Need] = set()
    owner: set[Read] = set()
    if reads is not None:
        needs |= {Need(r, reads.everywhere) for r in reads.reads}
        owner |= reads.owner
    if child.owner:
        if parent_type == "Order":
            # Reached from its order: that order is loaded already, and the
            # order's other reads are keyed per order, not per line.
            needs |= {Need(r) for r in child.owner if r is not Read.ORDERS}
        else:
            child = Scope(child.needs | {Need(r) for r in child.owner}, child.children)
    if parent_type != "OrderLine":
        # An owner read only means "the line's order" on the line itself.
        needs |= {Need(r) for r in owner}
        owner = set()
    children: tuple[Child, ...] = ()
    if child is not EMPTY_SCOPE:
        everywhere = reads.everywhere if reads is not None else None
        children = (Child(size, child, everywhere),)
    if not needs and not owner and not children:
        return EMPTY_SCOPE
    return Scope(frozenset(needs), children, frozenset(owner))


def count_of(node: FieldNode, argument: str | None) -> Count:
    """How many ids a root field names in `argument` (one when None)."""
    if argument is None:
        return Count()
    value = _argument(node, argument)
    if isinstance(value, ListValueNode):
        return Count(len(value.values))
    if isinstance(value, VariableNode):
        return Count(0, value.name.value)
    return Count()


def providers_of(node: FieldNode, how: RootReads, names: dict[str, str]) -> Providers:
    """The narrowing a root field's arguments give, literal or by variable."""
    if how.providers_argument is not None:
        return _providers(_argument(node, how.providers_argument), (), names)
    value = _argument(node, "filter")
    if isinstance(value, VariableNode):
        return Providers(variable=value.name.value, path=("providers",))
    if isinstance(value, ObjectValueNode):
        for item in value.fields:
            if item.name.value == "providers":
                return _providers(item.value, (), names)
    return ANY_PROVIDER


def _providers(
    value: ValueNode | None, path: tuple[str, ...], names: dict[str, str]
) -> Providers:
    if isinstance(value, VariableNode):
        return Providers(variable=value.name.value, path=path)
    if isinstance(value, EnumValueNode):
        return Providers(literal=(names.get(value.value, value.value),))
    if isinstance(value, ListValueNode):
        if not all(isinstance(v, EnumValueNode) for v in value.values):
            return ANY_PROVIDER  # `[$p]`: not narrowed, an upper bound
        return Providers(
            literal=tuple(
                names.get(v.value, v.value)
                for v in value.values
                if isinstance(v, EnumValueNode)
            )
        )
    return ANY_PROVIDER


def _argument(node: FieldNode, name: str) -> ValueNode | None:
    for argument in node.arguments or ():
        if argument.name.value == name:
            return argument.value
    return None

"""Walks a document once into its DocumentShape; a bounded LRU keeps the shapes.

How each field counts is described in `schema.query_shape`. Documents are
analysed before validation (so an over-limit document never pays for it): the
walk tolerates unknown fields, types and fragments (they count as leaves), and
fragment cycles. Each fragment is expanded once per enclosing connection size
and its summary reused, so a fragment bomb costs time linear in its text.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import (
    DocumentNode,
    ExecutableDefinitionNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NamedTypeNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    value_from_ast_untyped,
)

from schema.query_shape import (
    DEFAULT_LIST,
    DocumentShape,
    OperationShape,
    PageSize,
    Plan,
    Size,
    Terms,
)
from schema.upstream_fields import FIELDS, ROOTS
from schema.upstream_shape import (
    EMPTY_SCOPE,
    Root,
    Scope,
    count_of,
    field_scope,
    merge_scopes,
    providers_of,
)

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
DEFAULT_FIRST = 20
"""The size of a connection whose `first` has no default in the schema."""


def analyze(schema: GraphQLSchema, document: DocumentNode) -> DocumentShape:
    """Walk a document once; the result depends on nothing but its text."""
    walker = _Walker(schema, document)
    operations: dict[str | None, OperationShape] = {}
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode):
            continue
        root = schema.get_root_type(definition.operation)
        if root is None:
            continue
        summary = walker.selections(definition.selection_set, root, None)
        defaults = {
            v.variable.name.value: value_from_ast_untyped(v.default_value)
            for v in definition.variable_definitions or ()
            if v.default_value is not None
        }
        name = definition.name.value if definition.name else None
        operations[name] = OperationShape(
            definition,
            summary.depth,
            summary.cost,
            summary.plan,
            defaults,
            summary.roots,
        )
    aliases = 0
    page_sizes: list[PageSize] = []
    for field in _fields(document):
        if field.alias:
            aliases += 1
        for argument in field.arguments or ():
            if argument.name.value == "first":
                if isinstance(argument.value, IntValueNode):
                    value: int | Size = int(argument.value.value)
                elif isinstance(argument.value, VariableNode):
                    value = Size(argument.value.name.value)
                else:
                    continue
                page_sizes.append(PageSize(field.name.value, value, field))
    return DocumentShape(aliases, tuple(page_sizes), operations)


class ShapeCache:
    """A bounded LRU of document shapes, keyed by schema and query text."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[tuple[GraphQLSchema, str], DocumentShape] = (
            OrderedDict()
        )

    def __len__(self) -> int:
        return len(self._entries)

    def get(
        self, schema: GraphQLSchema, query: str, document: DocumentNode
    ) -> DocumentShape:
        key = (schema, query)
        shape = self._entries.get(key)
        if shape is not None:
            self._entries.move_to_end(key)
            return shape
        shape = analyze(schema, document)
        self._entries[key] = shape
        if len(self._entries) > self.maxsize:
            self._entries.popitem(last=False)
        return shape


@cache
def shapes(maxsize: int) -> ShapeCache:
    """The process-wide cache for one size (one size per process in practice)."""
    return ShapeCache(maxsize)


@dataclass(frozen=True)
class _Summary:
    depth: int
    cost: Terms
    plan: Plan
    scope: Scope = EMPTY_SCOPE
    """The upstream reads of this selection (`schema.upstream_shape`)."""
    roots: tuple[Root, ...] = ()


_EMPTY = _Summary(0, {}, {})
_LEAF = _Summary(1, {}, {})


class _Walker:
    """Expands fragments once per (fragment, enclosing connection size)."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.query_type = schema.query_type
        self.provider_names = provider_names()
        self.fragments = {
            d.name.value: d
            for d in document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[tuple[str, int | Size | None], _Summary] = {}
        # Merged plans by the ids of their parts (kept alive alongside), so
        # merging two copies of a fragment bomb stays linear too.
        self.merges: dict[tuple[int, int], tuple[Plan, Plan, Plan]] = {}

    def selections(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType,
        connection: int | Size | None,
    ) -> _Summary:
        depth = 0
        cost: Terms = {}
        plan: dict[str, Plan] = {}
        scopes: list[Scope] = []
        roots: list[Root] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                part = self.field(selection, parent, connection)
            elif isinstance(selection, InlineFragmentNode):
                type_ = self.named_type(selection.type_condition, parent)
                part = (
                    self.selections(selection.selection_set, type_, connection)
                    if type_
                    else _EMPTY
                )
            elif isinstance(selection, FragmentSpreadNode):
                part = self.spread(selection.name.value, connection)
            else:  # pragma: no cover - no other selection kinds exist
                continue
            depth = max(depth, part.depth)
            scopes.append(part.scope)
            roots.extend(part.roots)
            for sizes, coefficient in part.cost.items():
                cost[sizes] = cost.get(sizes, 0) + coefficient
            for key, sub in part.plan.items():
                plan[key] = self.merge(plan[key], sub) if key in plan else sub
        return _Summary(depth, cost, plan, merge_scopes(scopes), tuple(roots))

    def field(
        self, node: FieldNode, parent: GraphQLNamedType, connection: int | Size | None
    ) -> _Summary:
        name = node.name.value
        if name in INTROSPECTION_FIELDS:
            return _EMPTY
        fields = (
            parent.fields
            if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
            else {}
        )
        definition = fields.get(name)
        if definition is None or node.selection_set is None:
            return _LEAF
        first = _first(node, definition.args)
        size: int | Size
        if is_list_type(get_nullable_type(definition.type)):
            # A list sized by its own `first`, by its connection's, or by default.
            size = next(s for s in (first, connection, DEFAULT_LIST) if s is not None)
            inner_connection = None
        else:
            size, inner_connection = 1, first
        child = self.selections(
            node.selection_set, get_named_type(definition.type), inner_connection
        )
        cost: Terms = {(): 1}
        for sizes, coefficient in child.cost.items():
            if isinstance(size, int):
                scaled, factor = sizes, coefficient * size
            else:
                scaled, factor = (size, *sizes), coefficient
            cost[scaled] = cost.get(scaled, 0) + factor
        key = node.alias.value if node.alias else name
        plan = {key: child.plan}
        root = ROOTS.get(name) if parent is self.query_type else None
        if root is not None:
            providers = providers_of(node, root, self.provider_names)
            found = Root(
                root,
                first if first is not None else 0,
                count_of(node, root.count_argument),
                providers,
                child.scope,
            )
            return _Summary(child.depth + 1, cost, plan, EMPTY_SCOPE, (found,))
        reads = FIELDS.get((parent.name, name))
        scope = field_scope(parent.name, reads, size, child.scope)
        return _Summary(child.depth + 1, cost, plan, scope)

    def spread(self, name: str, connection: int | Size | None) -> _Summary:
        key = (name, connection)
        found = self.memo.get(key)
        if found is not None:
            return found
        self.memo[key] = _EMPTY  # a cycle (invalid anyway) ends here
        fragment = self.fragments.get(name)
        type_ = self.named_type(fragment.type_condition, None) if fragment else None
        if fragment is None or type_ is None:
            return _EMPTY
        found = self.selections(fragment.selection_set, type_, connection)
        self.memo[key] = found
        return found

    def merge(self, a: Plan, b: Plan) -> Plan:
        """Two selections of one response key; shared plans are never mutated."""
        if not a or a is b:
            return b
        if not b:
            return a
        key = (id(a), id(b))
        if key in self.merges:
            return self.merges[key][2]
        merged = dict(a)
        for name, sub in b.items():
            merged[name] = self.merge(merged[name], sub) if name in merged else sub
        self.merges[key] = (a, b, merged)
        return merged

    def named_type(
        self, condition: NamedTypeNode | None, parent: GraphQLNamedType | None
    ) -> GraphQLNamedType | None:
        if condition is None:
            return parent
        return self.schema.get_type(condition.name.value)


@cache
def provider_names() -> dict[str, str]:
    """Provider enum names (`FLEXE`) to the slugs the context keys them by."""
    from schema.enums import Provider, provider_slug

    return {p.name: provider_slug(p) for p in Provider}


def _first(node: FieldNode, arguments: Mapping[str, Any]) -> int | Size | None:
    """The size `first` gives a field; None if the field takes no `first`."""
    definition = arguments.get("first")
    if definition is None:
        return None
    default = definition.default_value
    if not isinstance(default, int) or isinstance(default, bool):
        default = DEFAULT_FIRST
    for argument in node.arguments or ():
        if argument.name.value == "first":
            if isinstance(argument.value, IntValueNode):
                return int(argument.value.value)
            if isinstance(argument.value, VariableNode):
                return Size(argument.value.name.value, default)
    return default


def _fields(document: DocumentNode) -> Iterator[FieldNode]:
    """Every field written in the document, each once (fragments not expanded)."""
    stack = [
        d.selection_set
        for d in document.definitions
        if isinstance(d, ExecutableDefinitionNode)
    ]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                yield selection
            if (
                isinstance(selection, FieldNode | InlineFragmentNode)
                and selection.selection_set
            ):
                stack.append(selection.selection_set)

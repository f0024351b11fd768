"""What is kept per query text: its parse, validation and shape, bounded twice.

One LRU per (`limits.cache_size`, `limits.cache_bytes`) for the whole process
holds, for each query text, the parsed document, its validation errors and its
static shape (`schema.query_analysis`). It keeps at most `cache_size` texts and
at most `cache_bytes` of their estimated weight (`DOCUMENT_BYTES_PER_CHAR` per
character of the text: the document's nodes, tokens and locations dominate). A
document heavier than `cache_bytes` on its own is not kept at all.

Parsing stops at `limits.max_tokens` tokens, before anything is kept, with a
`MAX_TOKENS_EXCEEDED` error: a hostile megabyte of query text costs the time to
read its first tokens and keeps nothing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    parse,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from gateway.settings import LimitSettings
from schema.query_analysis import analyze
from schema.query_shape import DocumentShape

if TYPE_CHECKING:
    from strawberry.types.execution import ExecutionContext

MAX_TOKENS_EXCEEDED = "MAX_TOKENS_EXCEEDED"
DOCUMENT_BYTES_PER_CHAR = 200
"""Estimated memory a parsed document (with its shape) keeps per character of
its text: measured at 60-280 bytes, the most for short queries."""
ENTRY_OVERHEAD_BYTES = 1024

Rules = tuple[type[ASTValidationRule], ...]


def weight_of(query: str) -> int:
    """The bytes a cached query text is counted for."""
    return ENTRY_OVERHEAD_BYTES + len(query) * DOCUMENT_BYTES_PER_CHAR


@dataclass
class Entry:
    """What is kept for one query text."""

    document: DocumentNode
    weight: int
    errors: dict[tuple[GraphQLSchema, Rules], list[GraphQLError]] = field(
        default_factory=dict
    )
    shapes: dict[GraphQLSchema, DocumentShape] = field(default_factory=dict)


class DocumentStore:
    """An LRU of entries keyed by query text and token limit, bounded by entries
    and by their summed weight."""

    def __init__(self, maxsize: int, max_bytes: int) -> None:
        self.maxsize = maxsize
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._entries: OrderedDict[tuple[str, int], Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, query: str, max_tokens: int) -> Entry | None:
        key = (query, max_tokens)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, query: str, max_tokens: int, entry: Entry) -> None:
        """Keep `entry` unless it alone outweighs the store; evict the oldest."""
        if entry.weight > self.max_bytes:
            return
        key = (query, max_tokens)
        previous = self._entries.pop(key, None)
        if previous is not None:
            self.nbytes -= previous.weight
        self._entries[key] = entry
        self.nbytes += entry.weight
        while len(self._entries) > self.maxsize or self.nbytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.nbytes -= evicted.weight


@cache
def _stores(maxsize: int, max_bytes: int) -> DocumentStore:
    return DocumentStore(maxsize, max_bytes)


def store_for(limits: LimitSettings) -> DocumentStore:
    """The process-wide store for these limits."""
    return _stores(limits.cache_size, limits.cache_bytes)


def parse_document(query: str, limits: LimitSettings) -> DocumentNode:
    """The document for `query`, parsed at most once while it stays cached.

    Raises a GraphQLSyntaxError, coded `MAX_TOKENS_EXCEEDED` when the text has
    more than `limits.max_tokens` tokens.
    """
    store = store_for(limits)
    entry = store.get(query, limits.max_tokens)
    if entry is not None:
        return entry.document
    try:
        document = parse(query, max_tokens=limits.max_tokens)
    except GraphQLSyntaxError as error:
        if "tokens. Parsing aborted" in error.message:
            raise tokens_error(error, limits.max_tokens) from None
        raise
    store.put(query, limits.max_tokens, Entry(document, weight_of(query)))
    return document


def tokens_error(error: GraphQLSyntaxError, limit: int) -> GraphQLError:
    return GraphQLError(
        f"The document has more than {limit} tokens; the limit is {limit} tokens.",
        source=error.source,
        positions=error.positions,
        extensions={"code": MAX_TOKENS_EXCEEDED, "limit": limit},
    )


def _entry(
    query: str | None, document: DocumentNode, limits: LimitSettings
) -> Entry | None:
    """The cached entry holding exactly `document`, if any."""
    if not query:
        return None
    entry = store_for(limits).get(query, limits.max_tokens)
    return entry if entry is not None and entry.document is document else None


def shape_of(
    schema: GraphQLSchema,
    query: str | None,
    document: DocumentNode,
    limits: LimitSettings,
) -> DocumentShape:
    """The document's static shape, analysed once while its text stays cached."""
    entry = _entry(query, document, limits)
    if entry is None:
        return analyze(schema, document)
    shape = entry.shapes.get(schema)
    if shape is None:
        shape = entry.shapes[schema] = analyze(schema, document)
    return shape


def validation_errors(
    schema: GraphQLSchema,
    query: str | None,
    document: DocumentNode,
    rules: Collection[type[ASTValidationRule]],
    limits: LimitSettings,
) -> list[GraphQLError]:
    """strawberry's validation of `document`, run once while its text stays cached."""
    key = (schema, tuple(rules))
    entry = _entry(query, document, limits)
    found = entry.errors.get(key) if entry is not None else None
    if found is None:
        found = validate_document(schema, document, key[1])
        if entry is not None:
            entry.errors[key] = found
    return found


class DocumentCaches(SchemaExtension):
    """Parses and validates through the store, with the request's limits.

    Validation is skipped when an extension before this one already rejected
    the document (`QueryCost`, for a limit), so an over-limit document never
    pays for validation.
    """

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        limits = self._limits()
        ctx.parse_options["max_tokens"] = limits.max_tokens
        if ctx.graphql_document is None and ctx.query:
            try:
                ctx.graphql_document = parse_document(ctx.query, limits)
            except GraphQLError as error:
                ctx.pre_execution_errors = [error]
                raise
        yield

    def on_validate(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.pre_execution_errors is not None or ctx.graphql_document is None:
            yield
            return
        ctx.pre_execution_errors = validation_errors(
            ctx.schema._schema,
            ctx.query,
            ctx.graphql_document,
            ctx.validation_rules,
            self._limits(),
        )
        yield

    def _limits(self) -> LimitSettings:
        return context_limits(self.execution_context)


def context_limits(ctx: ExecutionContext) -> LimitSettings:
    from schema.limits import limits_of  # schema.limits imports this module

    return limits_of(ctx.context)

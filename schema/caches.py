"""Bounded parse and validation caches, sized by `settings.limits.cache_size`."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache

from schema.limits import limits_of


class DocumentCaches(SchemaExtension):
    """strawberry's ParserCache and ValidationCache, sized from the request.

    Both keep one LRU per size for the whole process, so building them for each
    operation with the size the request's settings give costs a dictionary
    lookup. Validation is skipped when an extension before this one already
    rejected the document (`QueryCost`, for a limit), so an over-limit document
    never pays for validation.
    """

    def on_parse(self) -> Iterator[None]:
        parser = ParserCache(maxsize=self._size())
        parser.execution_context = self.execution_context
        yield from parser.on_parse()

    def on_validate(self) -> Iterator[None]:
        if self.execution_context.pre_execution_errors is not None:
            yield
            return
        validator = ValidationCache(maxsize=self._size())
        validator.execution_context = self.execution_context
        yield from validator.on_validate()

    def _size(self) -> int:
        return limits_of(self.execution_context.context).cache_size

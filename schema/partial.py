"""Errors of fields that still returned data, added to the response after execution.

A merged list (orders across providers) returns what the providers that
answered gave, and reports each provider that failed as an error at the list's
path. A resolver cannot both return and raise, so it records the error in the
context and this extension adds it to the result.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from gateway.context import Context


class PartialErrors(SchemaExtension):
    """Appends `context.partial_errors` to the operation's errors."""

    def on_execute(self) -> Iterator[None]:
        yield
        context = self.execution_context.context
        result = self.execution_context.result
        if not isinstance(context, Context) or not context.partial_errors or not result:
            return
        errors = list(result.errors or [])
        for path, error in context.partial_errors:
            errors.append(
                GraphQLError(str(error), path=list(path), original_error=error)
            )
        result.errors = errors

"""The Node interface: every object with a global ID can be fetched with `node`."""

from __future__ import annotations

import strawberry

from gateway.context import Context

Info = strawberry.Info[Context, None]
"""The resolver info type of this schema, with our Context."""


@strawberry.interface(
    description="An object with an opaque global ID, fetchable with `node(id)`."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="Opaque global ID; encodes the provider, the type and the "
        "provider's own id."
    )

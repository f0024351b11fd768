"""Shipment queries: one shipment by ID."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway import ids
from schema.node import Info
from schema.shipments import Shipment


async def get_shipment(
    info: Info,
    id: Annotated[
        strawberry.ID, strawberry.argument(description="The shipment's global ID.")
    ],
) -> Shipment | None:
    ref = ids.decode(id, kind="Shipment")
    found = await info.context.loaders.shipment_by_ref.load(ref)
    return Shipment.from_model(found) if found else None

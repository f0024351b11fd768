"""AllocationError: why a provider could not reserve inventory."""

from __future__ import annotations

from datetime import datetime

import strawberry

from gateway import ids, models
from schema.enums import Provider


@strawberry.type(
    description="Why the provider could not reserve inventory for an order or line."
)
class AllocationError:
    provider: Provider = strawberry.field(description="The provider that reported it.")
    code: str = strawberry.field(
        description="The provider's error code (INSUFFICIENT_INVENTORY, "
        "UNKNOWN_SKU, …)."
    )
    details: str | None = strawberry.field(description="Human-readable details.")
    line_id: strawberry.ID | None = strawberry.field(
        description="Global ID of the affected order line, if the error is per line."
    )
    line_external_id: str | None = strawberry.field(
        description="The line's external id, if it has one."
    )
    created_at: datetime | None = strawberry.field(
        description="When the provider reported it."
    )

    @classmethod
    def from_model(cls, model: models.AllocationError) -> AllocationError:
        line_id = None
        if model.line_id:
            ref = ids.Ref(
                model.provider, "OrderLine", f"{model.order_id}/{model.line_id}"
            )
            line_id = strawberry.ID(ids.encode(ref))
        return cls(
            provider=Provider(model.provider),
            code=model.code,
            details=model.details,
            line_id=line_id,
            line_external_id=model.line_external_id,
            created_at=model.created_at,
        )

"""InventoryLevel and SkuInventory: stock of a SKU at each provider location."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from gateway import models
from gateway.errors import ProviderError
from schema.enums import Provider
from schema.node import Info


@strawberry.type(description="Stock of one SKU at one provider location.")
class InventoryLevel:
    provider: Provider = strawberry.field(description="The provider holding it.")
    sku: str = strawberry.field(description="The merchant's SKU.")
    provider_sku: str | None = strawberry.field(
        description="The provider's own item id for the SKU."
    )
    location_id: str | None = strawberry.field(
        description="Warehouse, reservation or source; null for a network total."
    )
    on_hand: int | None = strawberry.field(description="Physically on hand.")
    available: int | None = strawberry.field(description="Free to promise.")
    allocated: int | None = strawberry.field(
        description="Reserved or otherwise unavailable."
    )
    incoming: int | None = strawberry.field(description="Expected in.")
    updated_at: datetime | None = strawberry.field(description="Last change.")
    provider_data: JSON = strawberry.field(
        description="The untouched provider payload."
    )

    @classmethod
    def from_model(cls, model: models.InventoryLevel) -> InventoryLevel:
        return cls(
            provider=Provider(model.provider),
            sku=model.sku,
            provider_sku=model.provider_sku,
            location_id=model.location_id,
            on_hand=model.on_hand,
            available=model.available,
            allocated=model.allocated,
            incoming=model.incoming,
            updated_at=model.updated_at,
            provider_data=cast(JSON, model.raw),
        )


@strawberry.type(description="A SKU's stock across the providers asked.")
class SkuInventory:
    sku: str = strawberry.field(description="The merchant's SKU.")
    outcomes: strawberry.Private[list[list[models.InventoryLevel] | ProviderError]]

    def _found(self) -> list[models.InventoryLevel]:
        return [
            level
            for outcome in self.outcomes
            if not isinstance(outcome, ProviderError)
            for level in outcome
        ]

    def _answered(self, info: Info) -> list[models.InventoryLevel]:
        """The levels of the providers that answered, for a total; each provider
        that failed is an error at the total's path, so a short total is never
        silent (the total may be asked without `levels`)."""
        path = tuple(info.path.as_list())
        info.context.partial_errors.extend(
            (path, outcome)
            for outcome in self.outcomes
            if isinstance(outcome, ProviderError)
        )
        return self._found()

    @strawberry.field(
        description="Sum of on-hand units over the providers that answered; each "
        "provider that could not answer is an error naming it at this field."
    )
    def total_on_hand(self, info: Info) -> int:
        return sum(level.on_hand or 0 for level in self._answered(info))

    @strawberry.field(
        description="Sum of available units over the providers that answered; "
        "each provider that could not answer is an error naming it at this field."
    )
    def total_available(self, info: Info) -> int:
        return sum(level.available or 0 for level in self._answered(info))

    @strawberry.field(
        description="Every location's level. Null, with an error naming the "
        "provider, if a provider could not answer."
    )
    def levels(self) -> list[InventoryLevel] | None:
        for outcome in self.outcomes:
            if isinstance(outcome, ProviderError):
                raise outcome
        return [InventoryLevel.from_model(level) for level in self._found()]

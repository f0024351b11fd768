"""Shipment: a parcel or freight movement of (part of) an order."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry.scalars import JSON

from gateway import ids, models
from schema.enums import Provider
from schema.node import Info, Node

if TYPE_CHECKING:
    from schema.orders import Order


@strawberry.enum(
    description="Unified shipment status; `rawStatus` keeps the provider's."
)
class ShipmentStatus(Enum):
    PENDING = strawberry.enum_value("PENDING", description="Planned or booked.")
    PACKED = strawberry.enum_value("PACKED", description="Packed, not yet handed over.")
    SHIPPED = strawberry.enum_value("SHIPPED", description="Handed to the carrier.")
    IN_TRANSIT = strawberry.enum_value("IN_TRANSIT", description="On its way.")
    DELIVERED = strawberry.enum_value("DELIVERED", description="Delivered.")
    CANCELLED = strawberry.enum_value("CANCELLED", description="Cancelled.")
    EXCEPTION = strawberry.enum_value("EXCEPTION", description="Needs attention.")
    UNKNOWN = strawberry.enum_value(
        "UNKNOWN", description="A status the gateway does not know; see rawStatus."
    )


@strawberry.type(description="A quantity of one SKU in a shipment.")
class ShipmentItem:
    sku: str = strawberry.field(description="The merchant's SKU.")
    quantity: int = strawberry.field(description="Units shipped.")


@strawberry.type(description="A weight as the provider reports it.")
class Weight:
    value: float = strawberry.field(description="The amount.")
    unit: str | None = strawberry.field(description="The unit (lb, kg, …).")


@strawberry.type(description="A shipment of (part of) an order.")
class Shipment(Node):
    provider: Provider = strawberry.field(description="The provider that shipped it.")
    provider_id: str = strawberry.field(description="The provider's own shipment id.")
    status: ShipmentStatus = strawberry.field(description="Unified status.")
    raw_status: str | None = strawberry.field(
        description="The status exactly as the provider reports it."
    )
    carrier: str | None = strawberry.field(description="Carrier name.")
    service: str | None = strawberry.field(description="Carrier service or method.")
    tracking_numbers: list[str] = strawberry.field(description="Tracking numbers.")
    tracking_url: str | None = strawberry.field(description="Carrier tracking page.")
    shipped_at: datetime | None = strawberry.field(description="When it left.")
    delivered_at: datetime | None = strawberry.field(description="When it arrived.")
    items: list[ShipmentItem] = strawberry.field(description="What it carries.")
    weight: Weight | None = strawberry.field(description="Charged or actual weight.")
    provider_data: JSON = strawberry.field(
        description="The untouched provider payload."
    )
    model: strawberry.Private[models.Shipment]

    @classmethod
    def from_model(cls, model: models.Shipment) -> Shipment:
        return cls(
            id=strawberry.ID(ids.encode(ids.Ref(model.provider, "Shipment", model.id))),
            provider=Provider(model.provider),
            provider_id=model.id,
            status=ShipmentStatus[model.status.value],
            raw_status=model.raw_status,
            carrier=model.carrier,
            service=model.service,
            tracking_numbers=list(model.tracking_numbers),
            tracking_url=model.tracking_url,
            shipped_at=model.shipped_at,
            delivered_at=model.delivered_at,
            items=[ShipmentItem(sku=i.sku, quantity=i.quantity) for i in model.items],
            weight=(
                Weight(value=model.weight.value, unit=model.weight.unit)
                if model.weight
                else None
            ),
            provider_data=cast(JSON, model.raw),
            model=model,
        )

    @strawberry.field(description="The order it ships. Null if the provider failed.")
    async def order(
        self, info: Info
    ) -> Annotated[Order, strawberry.lazy("schema.orders")] | None:
        from schema.orders import Order

        if self.model.order_id is None:
            return None
        ref = ids.Ref(self.model.provider, "Order", self.model.order_id)
        found = await info.context.loaders.order_by_ref.load(ref)
        return Order.from_model(found) if found else None

    @strawberry.field(
        description="Documents attached to the shipment. Null if the provider failed."
    )
    async def attachments(
        self, info: Info
    ) -> list[Annotated[Attachment, strawberry.lazy("schema.attachments")]] | None:
        from schema.attachments import Attachment

        ref = ids.Ref(self.model.provider, "Shipment", self.model.id)
        found = await info.context.loaders.attachments_by_owner.load(ref)
        return [Attachment.from_model(a) for a in found]


if TYPE_CHECKING:
    from schema.attachments import Attachment

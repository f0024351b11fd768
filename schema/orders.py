"""Order and OrderLine; nested fields are one loader call each."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from gateway import ids, models
from gateway.errors import ProviderError
from gateway.loaders import SkuKey
from schema.allocation_errors import AllocationError
from schema.attachments import Attachment
from schema.common import Address, Label
from schema.enums import OrderKind, OrderStatus, Provider
from schema.inventory import InventoryLevel
from schema.node import Info, Node
from schema.shipments import Shipment


async def order_shipments(info: Info, order: models.Order) -> list[models.Shipment]:
    """An order's shipments: embedded in the order, or one batched load."""
    if order.shipments is not None:
        return list(order.shipments)
    ref = ids.Ref(order.provider, "Order", order.id)
    return list(await info.context.loaders.shipments_by_order.load(ref))


def line_ref(provider: str, order_id: str, line_id: str) -> ids.Ref:
    """The ref of a line: lines are addressed within their order."""
    return ids.Ref(provider, "OrderLine", f"{order_id}/{line_id}")


@strawberry.type(description="An outbound order at one provider.")
class Order(Node):
    provider: Provider = strawberry.field(description="The provider holding the order.")
    provider_id: str = strawberry.field(description="The provider's own order id.")
    kind: OrderKind = strawberry.field(description="What kind of order this is.")
    external_id: str | None = strawberry.field(
        description="The merchant's reference (unique per provider)."
    )
    raw_status: str = strawberry.field(
        description="The status exactly as the provider reports it."
    )
    has_errors: bool = strawberry.field(
        description="The provider reports allocation or validation errors."
    )
    created_at: datetime | None = strawberry.field(description="When it was created.")
    updated_at: datetime | None = strawberry.field(description="When it last changed.")
    shipping_service: str | None = strawberry.field(
        description="Requested shipping service or speed."
    )
    location_id: str | None = strawberry.field(
        description="Warehouse, reservation or source fulfilling it."
    )
    recipient: Address | None = strawberry.field(description="Where it ships to.")
    acknowledged: bool | None = strawberry.field(
        description="Fulfilment requests: the source acknowledged it. Null for "
        "other kinds."
    )
    shipping_status: str | None = strawberry.field(
        description="Fulfilment requests: the provider's shipping status "
        "(Awaiting Shipment, Partially Shipped, …). Null for other kinds."
    )
    labels: list[Label] = strawberry.field(description="Provider-side labels.")
    provider_data: JSON = strawberry.field(
        description="The untouched provider payload, for fields the unified model "
        "does not map."
    )
    model: strawberry.Private[models.Order]

    @classmethod
    def from_model(cls, model: models.Order) -> Order:
        return cls(
            id=strawberry.ID(ids.encode(ids.Ref(model.provider, "Order", model.id))),
            provider=Provider(model.provider),
            provider_id=model.id,
            kind=OrderKind[model.kind.value],
            external_id=model.external_id,
            raw_status=model.raw_status,
            has_errors=model.has_errors,
            created_at=model.created_at,
            updated_at=model.updated_at,
            shipping_service=model.shipping_service,
            location_id=model.location_id,
            recipient=Address.from_model(model.recipient) if model.recipient else None,
            acknowledged=model.acknowledged,
            shipping_status=model.shipping_status,
            labels=[Label(key=k, value=v) for k, v in model.labels.items()],
            provider_data=cast(JSON, model.raw),
            model=model,
        )

    @property
    def ref(self) -> ids.Ref:
        return ids.Ref(self.model.provider, "Order", self.model.id)

    async def _lines(self, info: Info) -> list[models.OrderLine]:
        # Providers that return lines inside the order never pay a second call.
        if self.model.lines is not None:
            return list(self.model.lines)
        return list(await info.context.loaders.lines_by_order.load(self.ref))

    @strawberry.field(description="Unified status; see `rawStatus` for the provider's.")
    async def status(self, info: Info) -> OrderStatus:
        if not self.model.status_needs_lines:
            return OrderStatus[self.model.status.value]
        try:
            lines = await self._lines(info)
        except ProviderError:
            # The lines field reports the failure; the coarse status still holds.
            return OrderStatus[self.model.status.value]
        return OrderStatus[models.refine_status(self.model, lines).value]

    @strawberry.field(description="Latest ship date, if the provider has one.")
    def ship_by(self) -> datetime | None:
        return self.model.ship_by

    @strawberry.field(description="The order's lines. Null if the provider failed.")
    async def lines(self, info: Info) -> list[OrderLine] | None:
        return [OrderLine.from_model(line) for line in await self._lines(info)]

    @strawberry.field(
        description="Shipments of the order so far. Null if the provider failed."
    )
    async def shipments(self, info: Info) -> list[Shipment] | None:
        return [Shipment.from_model(s) for s in await order_shipments(info, self.model)]

    @strawberry.field(
        description="Allocation errors; empty unless `hasErrors`. Null if the "
        "provider failed."
    )
    async def allocation_errors(self, info: Info) -> list[AllocationError] | None:
        if not self.model.has_errors:
            return []
        found = await info.context.loaders.allocation_errors_by_order.load(self.ref)
        return [AllocationError.from_model(error) for error in found]

    @strawberry.field(
        description="Documents attached to the order. Null if the provider failed."
    )
    async def attachments(self, info: Info) -> list[Attachment] | None:
        if self.model.attachments is not None:
            return [Attachment.from_model(a) for a in self.model.attachments]
        found = await info.context.loaders.attachments_by_owner.load(self.ref)
        return [Attachment.from_model(attachment) for attachment in found]


@strawberry.type(description="One SKU line of an order.")
class OrderLine(Node):
    provider_id: str = strawberry.field(description="The provider's own line id.")
    external_id: str | None = strawberry.field(
        description="The merchant's line reference."
    )
    sku: str = strawberry.field(description="The merchant's SKU.")
    provider_sku: str | None = strawberry.field(
        description="The provider's own item id, where it differs from the SKU."
    )
    quantity: int = strawberry.field(description="Ordered quantity.")
    unit_of_measure: str | None = strawberry.field(
        description="Unit of the quantity (each, case, …)."
    )
    allocated_quantity: int | None = strawberry.field(
        description="Quantity reserved in inventory, where the provider reports it."
    )
    shipped_quantity: int = strawberry.field(description="Quantity shipped so far.")
    cancelled_quantity: int = strawberry.field(description="Quantity cancelled.")
    cancelled_at: datetime | None = strawberry.field(
        description="When the line was cancelled."
    )
    provider_data: JSON = strawberry.field(
        description="The untouched provider payload."
    )
    model: strawberry.Private[models.OrderLine]

    @classmethod
    def from_model(cls, model: models.OrderLine) -> OrderLine:
        ref = line_ref(model.provider, model.order_id, model.id)
        return cls(
            id=strawberry.ID(ids.encode(ref)),
            provider_id=model.id,
            external_id=model.external_id,
            sku=model.sku,
            provider_sku=model.provider_sku,
            quantity=model.quantity,
            unit_of_measure=model.unit_of_measure,
            allocated_quantity=model.allocated_quantity,
            shipped_quantity=model.shipped_quantity,
            cancelled_quantity=model.cancelled_quantity,
            cancelled_at=model.cancelled_at,
            provider_data=cast(JSON, model.raw),
            model=model,
        )

    @strawberry.field(
        description="Derived from the quantities: CANCELLED, SHIPPED, "
        "PARTIALLY_SHIPPED or ALLOCATED, otherwise the order's status. Null if "
        "the provider failed."
    )
    async def status(self, info: Info) -> OrderStatus | None:
        order_ref = ids.Ref(self.model.provider, "Order", self.model.order_id)
        order = await info.context.loaders.order_by_ref.load(order_ref)
        order_status = order.status if order else models.OrderStatus.UNKNOWN
        return OrderStatus[models.line_status(self.model, order_status).value]

    @strawberry.field(
        description="Stock of this line's SKU at the order's provider, per "
        "location. Null if the provider failed."
    )
    async def inventory(self, info: Info) -> list[InventoryLevel] | None:
        key = SkuKey(self.model.provider, self.model.sku)
        found = await info.context.loaders.inventory_by_sku.load(key)
        return [InventoryLevel.from_model(level) for level in found]

    @strawberry.field(
        description="Shipments of the order that carry this line. Null if the "
        "provider failed."
    )
    async def shipments(self, info: Info) -> list[Shipment] | None:
        order_ref = ids.Ref(self.model.provider, "Order", self.model.order_id)
        order = await info.context.loaders.order_by_ref.load(order_ref)
        if order is None:
            return []
        return [
            Shipment.from_model(s)
            for s in await order_shipments(info, order)
            if any(
                item.line_id == self.model.id
                or (item.line_id is None and item.sku == self.model.sku)
                for item in s.items
            )
        ]

    @strawberry.field(
        description="The order this line belongs to. Null if the provider failed."
    )
    async def order(self, info: Info) -> Order | None:
        order_ref = ids.Ref(self.model.provider, "Order", self.model.order_id)
        found = await info.context.loaders.order_by_ref.load(order_ref)
        return Order.from_model(found) if found else None

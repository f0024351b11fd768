"""Subscription event types: what changed, plus the changed object read fresh."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from gateway import ids, models
from gateway.batching import ProviderBatchLoader
from schema.enums import OrderStatus, Provider, PurchaseOrderStatus
from schema.node import Info
from schema.orders import Order
from schema.purchase_orders import PurchaseOrder
from schema.shipments import Shipment, ShipmentStatus

EVENT_ID = (
    "Resume point: subscribe again with `after` set to this to receive every "
    "event after it (within the kept window)."
)


def _gid(provider: str, kind: str, provider_id: str) -> strawberry.ID:
    return strawberry.ID(ids.encode(ids.Ref(provider, kind, provider_id)))


async def _fresh(loader: ProviderBatchLoader[ids.Ref, Any], ref: ids.Ref) -> Any:
    # A socket's loaders live as long as it does: forget the object first, so
    # each event shows it as it is after the change. The event's own hook
    # already dropped it from the cross-request cache.
    return await loader.clear(ref).load(ref)


async def _fresh_order(info: Info, provider: str, order_id: str) -> Order | None:
    ref = ids.Ref(provider, "Order", order_id)
    found = await _fresh(info.context.loaders.order_by_ref, ref)
    return Order.from_model(found) if found else None


@strawberry.type(description="An order's status changed, or the order was created.")
class OrderStatusEvent:
    event_id: strawberry.ID = strawberry.field(description=EVENT_ID)
    provider: Provider = strawberry.field(description="Where the order is.")
    order_id: strawberry.ID = strawberry.field(description="The order's global ID.")
    external_id: str | None = strawberry.field(
        description="The merchant's reference for the order, if the event has it."
    )
    previous_status: OrderStatus | None = strawberry.field(
        description="The status before; null for a new order or when the "
        "provider does not say."
    )
    status: OrderStatus = strawberry.field(description="The status now.")
    raw_status: str = strawberry.field(description="The provider's own status.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    model: strawberry.Private[models.OrderStatusEvent]

    @classmethod
    def from_model(cls, event: models.OrderStatusEvent) -> OrderStatusEvent:
        assert event.event_id is not None
        return cls(
            event_id=strawberry.ID(event.event_id),
            provider=Provider(event.provider),
            order_id=_gid(event.provider, "Order", event.order_id),
            external_id=event.external_id,
            previous_status=(
                OrderStatus[event.previous_status.value]
                if event.previous_status
                else None
            ),
            status=OrderStatus[event.status.value],
            raw_status=event.raw_status,
            occurred_at=event.occurred_at,
            model=event,
        )

    @strawberry.field(
        description="The order as it is now (one provider read). Null if the "
        "provider failed."
    )
    async def order(self, info: Info) -> Order | None:
        return await _fresh_order(info, self.model.provider, self.model.order_id)


@strawberry.type(description="A shipment was created or moved on.")
class ShipmentEvent:
    event_id: strawberry.ID = strawberry.field(description=EVENT_ID)
    provider: Provider = strawberry.field(description="Where the shipment is.")
    shipment_id: strawberry.ID | None = strawberry.field(
        description="The shipment's global ID, when the provider names it."
    )
    order_id: strawberry.ID | None = strawberry.field(
        description="The global ID of the order it ships."
    )
    status: ShipmentStatus = strawberry.field(description="The shipment's status.")
    raw_status: str = strawberry.field(description="The provider's own status.")
    tracking_numbers: list[str] = strawberry.field(description="Tracking numbers.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    model: strawberry.Private[models.ShipmentEvent]

    @classmethod
    def from_model(cls, event: models.ShipmentEvent) -> ShipmentEvent:
        assert event.event_id is not None
        return cls(
            event_id=strawberry.ID(event.event_id),
            provider=Provider(event.provider),
            shipment_id=(
                _gid(event.provider, "Shipment", event.shipment_id)
                if event.shipment_id
                else None
            ),
            order_id=(
                _gid(event.provider, "Order", event.order_id)
                if event.order_id
                else None
            ),
            status=ShipmentStatus[event.status.value],
            raw_status=event.raw_status,
            tracking_numbers=list(event.tracking_numbers),
            occurred_at=event.occurred_at,
            model=event,
        )

    @strawberry.field(
        description="The shipment as it is now, when it is named. Null if the "
        "provider failed."
    )
    async def shipment(self, info: Info) -> Shipment | None:
        if self.model.shipment_id is None:
            return None
        ref = ids.Ref(self.model.provider, "Shipment", self.model.shipment_id)
        found = await _fresh(info.context.loaders.shipment_by_ref, ref)
        return Shipment.from_model(found) if found else None

    @strawberry.field(
        description="The order it ships, as it is now. Null if the provider failed."
    )
    async def order(self, info: Info) -> Order | None:
        if self.model.order_id is None:
            return None
        return await _fresh_order(info, self.model.provider, self.model.order_id)


@strawberry.type(description="A purchase order's status changed, or it was created.")
class PurchaseOrderStatusEvent:
    event_id: strawberry.ID = strawberry.field(description=EVENT_ID)
    provider: Provider = strawberry.field(description="Where the PO is.")
    purchase_order_id: strawberry.ID = strawberry.field(
        description="The purchase order's global ID."
    )
    number: str | None = strawberry.field(description="The PO number.")
    previous_status: PurchaseOrderStatus | None = strawberry.field(
        description="The status before, when known."
    )
    status: PurchaseOrderStatus = strawberry.field(description="The status now.")
    raw_status: str = strawberry.field(description="The provider's own status.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    model: strawberry.Private[models.PurchaseOrderStatusEvent]

    @classmethod
    def from_model(
        cls, event: models.PurchaseOrderStatusEvent
    ) -> PurchaseOrderStatusEvent:
        assert event.event_id is not None
        return cls(
            event_id=strawberry.ID(event.event_id),
            provider=Provider(event.provider),
            purchase_order_id=_gid(
                event.provider, "PurchaseOrder", event.purchase_order_id
            ),
            number=event.number,
            previous_status=(
                PurchaseOrderStatus[event.previous_status.value]
                if event.previous_status
                else None
            ),
            status=PurchaseOrderStatus[event.status.value],
            raw_status=event.raw_status,
            occurred_at=event.occurred_at,
            model=event,
        )

    @strawberry.field(
        description="The purchase order as it is now. Null if the provider failed."
    )
    async def purchase_order(self, info: Info) -> PurchaseOrder | None:
        ref = ids.Ref(
            self.model.provider, "PurchaseOrder", self.model.purchase_order_id
        )
        found = await _fresh(info.context.loaders.purchase_order_by_ref, ref)
        return PurchaseOrder.from_model(found) if found else None


@strawberry.type(description="Stock of a SKU moved at one provider.")
class InventoryEvent:
    event_id: strawberry.ID = strawberry.field(description=EVENT_ID)
    provider: Provider = strawberry.field(description="Where the stock is.")
    sku: str = strawberry.field(description="The SKU.")
    location_id: str | None = strawberry.field(
        description="The warehouse or reservation, where the provider has several."
    )
    available: int | None = strawberry.field(description="Units available now.")
    on_hand: int | None = strawberry.field(description="Units on hand now.")
    occurred_at: datetime = strawberry.field(description="When it happened.")

    @classmethod
    def from_model(cls, event: models.InventoryEvent) -> InventoryEvent:
        assert event.event_id is not None
        return cls(
            event_id=strawberry.ID(event.event_id),
            provider=Provider(event.provider),
            sku=event.sku,
            location_id=event.location_id,
            available=event.available,
            on_hand=event.on_hand,
            occurred_at=event.occurred_at,
        )

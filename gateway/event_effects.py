"""What an instance does with every change event before subscribers see it.

Each event drops the entities it made stale from the cross-request cache, on
every instance (the broker runs hooks wherever the event is delivered), so a
subscriber that reads the changed order gets it as it now is, and so does
the next query.
"""

from __future__ import annotations

from gateway.broker import Hook
from gateway.cache import invalidation
from gateway.cache.base import EntityCache
from gateway.models import (
    EventBase,
    InventoryEvent,
    OrderStatusEvent,
    PurchaseOrderStatusEvent,
    ShipmentEvent,
)


def invalidation_hook(cache: EntityCache) -> Hook:
    """A broker hook that invalidates what each event changed in `cache`."""

    async def invalidate(event: EventBase) -> None:
        provider = event.provider
        if isinstance(event, OrderStatusEvent):
            await invalidation.invalidate_order(cache, provider, event.order_id)
        elif isinstance(event, ShipmentEvent):
            if event.shipment_id is not None:
                await invalidation.invalidate_shipment(
                    cache, provider, event.shipment_id, order_id=event.order_id
                )
            elif event.order_id is not None:
                await invalidation.invalidate_order(cache, provider, event.order_id)
        elif isinstance(event, PurchaseOrderStatusEvent):
            await invalidation.invalidate_purchase_order(
                cache, provider, event.purchase_order_id, number=event.number
            )
        elif isinstance(event, InventoryEvent):
            await invalidation.invalidate_inventory(cache, provider, [event.sku])

    return invalidate

"""Subscriptions: one broker topic each, filtered, resumable with `after`."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from typing import Annotated

import strawberry

from gateway import ids, models
from gateway.errors import InvalidArgument
from gateway.models import EventBase, Topic
from schema.enums import OrderStatus, Provider, provider_slug
from schema.events import (
    InventoryEvent,
    OrderStatusEvent,
    PurchaseOrderStatusEvent,
    ShipmentEvent,
)
from schema.node import Info

MAX_FILTER_VALUES = 100

After = Annotated[
    strawberry.ID | None,
    strawberry.argument(
        description="An `eventId` received before: first every kept event after "
        "it, then live ones, in order and without duplicates. EVENTS_EXPIRED if "
        "some of them are no longer kept."
    ),
]
Providers = Annotated[
    list[Provider] | None,
    strawberry.argument(description="Only events of these providers."),
]


async def follow(
    info: Info, topic: Topic, after: str | None, keep: Callable[[EventBase], bool]
) -> AsyncIterator[EventBase]:
    """The events of `topic` that `keep` accepts; the subscription is released
    when the client stops (complete, socket closed) or the broker closes it."""
    broker = info.context.broker
    if broker is None:
        raise InvalidArgument("subscriptions are not available on this endpoint")
    subscription = await broker.subscribe(topic, after=after)
    try:
        async for event in subscription:
            if keep(event):
                yield event
    finally:
        subscription.close()


def _slugs(providers: list[Provider] | None) -> set[str]:
    return {provider_slug(p) for p in providers or []}


def _refs(values: list[strawberry.ID] | None, kind: str) -> set[tuple[str, str]]:
    _bounded(values, "orderIds")
    return {
        (r.provider, r.id) for r in (ids.decode(v, kind=kind) for v in values or [])
    }


def _bounded(values: Sequence[str] | None, name: str) -> None:
    if values is not None and len(values) > MAX_FILTER_VALUES:
        raise InvalidArgument(f"{name} takes at most {MAX_FILTER_VALUES} values")


def _wanted(event: EventBase, providers: set[str]) -> bool:
    return not providers or event.provider in providers


async def order_status_changed(
    info: Info,
    order_ids: Annotated[
        list[strawberry.ID] | None,
        strawberry.argument(description="Only these orders (at most 100)."),
    ] = None,
    providers: Providers = None,
    statuses: Annotated[
        list[OrderStatus] | None,
        strawberry.argument(description="Only changes to one of these statuses."),
    ] = None,
    after: After = None,
) -> AsyncGenerator[OrderStatusEvent, None]:
    orders = _refs(order_ids, "Order")
    slugs = _slugs(providers)
    wanted = {s.name for s in statuses or []}

    def keep(event: EventBase) -> bool:
        assert isinstance(event, models.OrderStatusEvent)
        return (
            _wanted(event, slugs)
            and (not orders or (event.provider, event.order_id) in orders)
            and (not wanted or event.status.value in wanted)
        )

    async for event in follow(info, Topic.ORDER_STATUS, after, keep):
        assert isinstance(event, models.OrderStatusEvent)
        yield OrderStatusEvent.from_model(event)


async def shipment_updated(
    info: Info,
    order_ids: Annotated[
        list[strawberry.ID] | None,
        strawberry.argument(
            description="Only shipments of these orders (at most 100)."
        ),
    ] = None,
    providers: Providers = None,
    after: After = None,
) -> AsyncGenerator[ShipmentEvent, None]:
    orders = _refs(order_ids, "Order")
    slugs = _slugs(providers)

    def keep(event: EventBase) -> bool:
        assert isinstance(event, models.ShipmentEvent)
        return _wanted(event, slugs) and (
            not orders or (event.provider, event.order_id or "") in orders
        )

    async for event in follow(info, Topic.SHIPMENT, after, keep):
        assert isinstance(event, models.ShipmentEvent)
        yield ShipmentEvent.from_model(event)


async def purchase_order_status_changed(
    info: Info,
    numbers: Annotated[
        list[str] | None,
        strawberry.argument(description="Only these PO numbers (at most 100)."),
    ] = None,
    providers: Providers = None,
    after: After = None,
) -> AsyncGenerator[PurchaseOrderStatusEvent, None]:
    _bounded(numbers, "numbers")
    wanted = set(numbers or [])
    slugs = _slugs(providers)

    def keep(event: EventBase) -> bool:
        assert isinstance(event, models.PurchaseOrderStatusEvent)
        return _wanted(event, slugs) and (not wanted or event.number in wanted)

    async for event in follow(info, Topic.PURCHASE_ORDER_STATUS, after, keep):
        assert isinstance(event, models.PurchaseOrderStatusEvent)
        yield PurchaseOrderStatusEvent.from_model(event)


async def inventory_changed(
    info: Info,
    skus: Annotated[
        list[str] | None,
        strawberry.argument(description="Only these SKUs (at most 100)."),
    ] = None,
    providers: Providers = None,
    after: After = None,
) -> AsyncGenerator[InventoryEvent, None]:
    _bounded(skus, "skus")
    wanted = set(skus or [])
    slugs = _slugs(providers)

    def keep(event: EventBase) -> bool:
        assert isinstance(event, models.InventoryEvent)
        return _wanted(event, slugs) and (not wanted or event.sku in wanted)

    async for event in follow(info, Topic.INVENTORY, after, keep):
        assert isinstance(event, models.InventoryEvent)
        yield InventoryEvent.from_model(event)

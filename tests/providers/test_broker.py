"""The broker's contract, run against the in-process and the Redis backend."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest

from gateway.broker import (
    Broker,
    EventsExpired,
    InvalidEventId,
    MemoryBroker,
    RedisBroker,
    SubscriberTooSlow,
)
from gateway.models import EventBase, OrderStatus, OrderStatusEvent, Topic
from gateway.settings import BrokerSettings
from tests.conftest import REDIS_URL

SETTINGS = BrokerSettings(keep_events=5, queue_size=3)


def order_event(n: int, status: OrderStatus = OrderStatus.SHIPPED) -> OrderStatusEvent:
    return OrderStatusEvent(
        provider="flexe",
        occurred_at=datetime(2026, 12, 1, tzinfo=UTC),
        dedupe_key=f"evt_{n}",
        order_id=f"o-{n}",
        status=status,
        raw_status=status.value.lower(),
    )


@pytest.fixture(params=["memory", "redis"])
def make_broker(request: pytest.FixtureRequest) -> Callable[[], Broker]:
    """A factory of brokers; the Redis ones share one prefix (one stream set)."""
    if request.param == "memory":
        return lambda: MemoryBroker(SETTINGS)
    prefix: str = request.getfixturevalue("redis_prefix")
    return lambda: RedisBroker(REDIS_URL, SETTINGS, prefix=prefix)


@pytest.fixture
async def broker(make_broker: Callable[[], Broker]) -> AsyncIterator[Broker]:
    made = make_broker()
    await made.start()
    try:
        yield made
    finally:
        await made.aclose()


async def take(subscription: AsyncIterator[EventBase], n: int) -> list[EventBase]:
    async def read() -> list[EventBase]:
        return [await anext(subscription) for _ in range(n)]

    return await asyncio.wait_for(read(), 5)


async def test_broker_publishes_in_order_with_increasing_ids(broker: Broker) -> None:
    subscription = await broker.subscribe(Topic.ORDER_STATUS)
    published = [await broker.publish(order_event(n)) for n in range(3)]
    got = await take(subscription, 3)
    assert [e.dedupe_key for e in got] == ["evt_0", "evt_1", "evt_2"]
    assert [e.event_id for e in got] == [p.event_id for p in published if p]
    ids = [e.event_id for e in got]
    assert ids == sorted(ids, key=lambda i: tuple(map(int, (i or "").split("-"))))
    subscription.close()


async def test_broker_publishes_a_redelivery_once(broker: Broker) -> None:
    subscription = await broker.subscribe(Topic.ORDER_STATUS)
    first = await broker.publish(order_event(7))
    again = await broker.publish(order_event(7))
    assert first is not None
    assert again is None
    await broker.publish(order_event(8))
    got = await take(subscription, 2)
    assert [e.dedupe_key for e in got] == ["evt_7", "evt_8"]


async def test_broker_topics_are_separate(broker: Broker) -> None:
    inventory = await broker.subscribe(Topic.INVENTORY)
    orders = await broker.subscribe(Topic.ORDER_STATUS)
    await broker.publish(order_event(1))
    assert [e.dedupe_key for e in await take(orders, 1)] == ["evt_1"]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(anext(inventory), 0.3)


async def test_broker_resumes_after_an_id_with_exactly_the_missed(
    broker: Broker,
) -> None:
    events = [await broker.publish(order_event(n)) for n in range(4)]
    seen = events[1]
    assert seen is not None
    assert seen.event_id is not None
    resumed = await broker.subscribe(Topic.ORDER_STATUS, after=seen.event_id)
    await broker.publish(order_event(9))
    got = await take(resumed, 3)
    assert [e.dedupe_key for e in got] == ["evt_2", "evt_3", "evt_9"]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(anext(resumed), 0.3)


async def test_broker_resume_from_a_trimmed_id_says_events_expired(
    broker: Broker,
) -> None:
    first = await broker.publish(order_event(0))
    assert first is not None
    assert first.event_id is not None
    for n in range(1, 400):
        await broker.publish(order_event(n))
    with pytest.raises(EventsExpired):
        await broker.subscribe(Topic.ORDER_STATUS, after=first.event_id)


async def test_broker_rejects_an_id_that_is_not_one(broker: Broker) -> None:
    with pytest.raises(InvalidEventId):
        await broker.subscribe(Topic.ORDER_STATUS, after="yesterday")


async def test_broker_closes_a_subscriber_that_falls_behind(broker: Broker) -> None:
    slow = await broker.subscribe(Topic.ORDER_STATUS)
    quick = await broker.subscribe(Topic.ORDER_STATUS)
    for n in range(5):
        await broker.publish(order_event(n))
        await take(quick, 1)
    with pytest.raises(SubscriberTooSlow):
        await asyncio.wait_for(anext(slow), 5)
    await broker.publish(order_event(99))
    assert [e.dedupe_key for e in await take(quick, 1)] == ["evt_99"]
    assert broker.subscriber_count() == 1


async def test_broker_close_releases_the_subscription(broker: Broker) -> None:
    subscription = await broker.subscribe(Topic.ORDER_STATUS)
    assert broker.subscriber_count() == 1
    subscription.close()
    assert broker.subscriber_count() == 0
    with pytest.raises(StopAsyncIteration):
        await asyncio.wait_for(anext(subscription), 1)


async def test_broker_runs_hooks_before_subscribers(broker: Broker) -> None:
    order: list[str] = []

    async def hook(event: EventBase) -> None:
        order.append(f"hook {event.dedupe_key}")

    broker.add_hook(hook)
    subscription = await broker.subscribe(Topic.ORDER_STATUS)
    await broker.publish(order_event(5))
    await take(subscription, 1)
    order.append("subscriber")
    assert order == ["hook evt_5", "subscriber"]


async def test_two_redis_brokers_share_events(redis_prefix: str) -> None:
    one = RedisBroker(REDIS_URL, SETTINGS, prefix=redis_prefix)
    other = RedisBroker(REDIS_URL, SETTINGS, prefix=redis_prefix)
    try:
        listening = await other.subscribe(Topic.ORDER_STATUS)
        await one.publish(order_event(1))
        assert await other.publish(order_event(1)) is None, "deduped across both"
        got = await take(listening, 1)
        assert got[0].dedupe_key == "evt_1"
    finally:
        await one.aclose()
        await other.aclose()

"""The change poller against the Flxpoint sandbox over real HTTP (and a fake)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import aiohttp
import pytest
import redis.asyncio as aioredis
from aiohttp.test_utils import TestServer

from gateway.broker import Broker, MemoryBroker, RedisBroker
from gateway.errors import ProviderUnavailable
from gateway.http import create_session
from gateway.models import (
    EventBase,
    Order,
    OrderKind,
    OrderLineCreate,
    OrderStatus,
    OrderStatusEvent,
    PurchaseOrderStatus,
    PurchaseOrderStatusEvent,
    Shipment,
    ShipmentCreate,
    ShipmentEvent,
    ShipmentStatus,
    Topic,
)
from gateway.polling import EPOCH, OVERLAP, ChangePoller
from gateway.providers.base import Capability, OrderFilter, PageRequest, ProviderBase
from gateway.providers.flexport_v3 import FlexportV3Provider
from gateway.providers.flxpoint import FlxpointProvider
from gateway.settings import BrokerSettings, PollSettings
from tests.conftest import FAST_RETRY, REDIS_URL, SandboxControl, provider_settings

SLUG = "flxpoint"
FRS = "/fulfillment-requests"
SHIPMENTS = "/shipments"
SEEDED_FRS = 200
SEEDED_SHIPMENTS = 98
PAGE = 100
V3 = "flexport_v3"
V3_POS = 60  # seed 7: 53 live, 7 cancelled (archived)
V3_OPEN_ID = "171047"  # PO-10047: open, never acknowledged nor booked


class FakeClock:
    """Seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Recorder:
    """A broker hook that keeps every event the broker publishes."""

    def __init__(self) -> None:
        self.events: list[EventBase] = []

    async def __call__(self, event: EventBase) -> None:
        self.events.append(event)

    def orders(self) -> list[OrderStatusEvent]:
        return [e for e in self.events if isinstance(e, OrderStatusEvent)]

    def shipments(self) -> list[ShipmentEvent]:
        return [e for e in self.events if isinstance(e, ShipmentEvent)]


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with create_session() as session:
        yield session


def build(server: TestServer, session: aiohttp.ClientSession) -> FlxpointProvider:
    return FlxpointProvider(provider_settings(server, SLUG), session, FAST_RETRY)


@pytest.fixture
def flx(sandbox: TestServer, session: aiohttp.ClientSession) -> FlxpointProvider:
    return build(sandbox, session)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def broker(recorder: Recorder) -> MemoryBroker:
    made = MemoryBroker(BrokerSettings())
    made.add_hook(recorder)
    return made


def make_poller(
    polled: dict[str, ProviderBase],
    broker: Broker,
    clock: FakeClock,
    /,
    **settings: Any,
) -> ChangePoller:
    return ChangePoller(polled, broker, PollSettings(**settings), clock=clock)


@pytest.fixture
def poller(
    flx: FlxpointProvider, broker: MemoryBroker, clock: FakeClock
) -> ChangePoller:
    return make_poller({SLUG: flx}, broker, clock)


async def first(flx: FlxpointProvider, status: OrderStatus, raw: str) -> Order:
    page = await flx.list_orders(OrderFilter(statuses=(status,)), PageRequest(100))
    return next(o for o in page.items if o.raw_status == raw)


async def calls(control: SandboxControl, path: str) -> list[dict[str, Any]]:
    return [r for r in await control.requests(SLUG) if r["path"] == path]


def per_pass(changed: int) -> int:
    """The module docstring's count for one endpoint: ⌊n/100⌋ + 1."""
    return changed // PAGE + 1


# Against the sandbox ---------------------------------------------------------------


async def test_the_baseline_and_a_quiet_pass_publish_nothing(
    poller: ChangePoller, recorder: Recorder
) -> None:
    assert poller.polled == [SLUG]
    assert await poller.poll_once() == 0
    assert poller.tracked == SEEDED_FRS + SEEDED_SHIPMENTS
    assert await poller.poll_once() == 0
    assert recorder.events == []
    # Flxpoint has no purchase orders: that alone does not stop its polling.
    assert poller.polled == [SLUG]


async def test_an_advanced_fr_publishes_one_status_change(
    poller: ChangePoller,
    flx: FlxpointProvider,
    control: SandboxControl,
    recorder: Recorder,
) -> None:
    fr = await first(flx, OrderStatus.PENDING, "Processing")
    await poller.poll_once()
    moved = await control.advance(SLUG, "fulfillment_request", fr.id)
    assert (moved["previousState"], moved["state"]) == ("Processing", "Acknowledged")
    assert await poller.poll_once() == 1
    [event] = recorder.events
    assert isinstance(event, OrderStatusEvent)
    assert (event.provider, event.order_id, event.external_id) == (
        SLUG,
        fr.id,
        fr.external_id,
    )
    assert (event.previous_status, event.status) == (
        OrderStatus.PENDING,
        OrderStatus.ACCEPTED,
    )
    assert event.raw_status == "Acknowledged"
    assert event.dedupe_key.startswith(f"poll:order:{fr.id}:ACCEPTED:Acknowledged:")
    assert event.event_id is not None
    # The next window overlaps this one: the FR is read again, and is no news.
    assert await poller.poll_once() == 0
    assert len(recorder.events) == 1


async def test_a_cancel_through_the_provider_publishes_one_event(
    poller: ChangePoller, flx: FlxpointProvider, recorder: Recorder
) -> None:
    fr = await first(flx, OrderStatus.ACCEPTED, "Acknowledged")
    await poller.poll_once()
    await flx.cancel_order(fr.id)
    assert await poller.poll_once() == 1
    [event] = recorder.orders()
    assert (event.order_id, event.previous_status, event.status) == (
        fr.id,
        OrderStatus.ACCEPTED,
        OrderStatus.CANCELLED,
    )
    assert event.raw_status == "Canceled"
    assert await poller.poll_once() == 0


async def test_a_created_shipment_publishes_one_shipment_event(
    poller: ChangePoller, flx: FlxpointProvider, recorder: Recorder
) -> None:
    fr = await first(flx, OrderStatus.ACCEPTED, "Acknowledged")
    assert fr.lines
    await poller.poll_once()
    created = await flx.create_shipment(
        ShipmentCreate(
            order_id=fr.id,
            tracking_number="1ZPOLLER0001",
            items=(OrderLineCreate(sku=fr.lines[0].sku, quantity=1),),
        ),
        idempotency_key="k1",
    )
    after = (await flx.get_orders([fr.id]))[fr.id]
    published = await poller.poll_once()
    [shipment] = recorder.shipments()
    assert (shipment.shipment_id, shipment.order_id) == (created.id, fr.id)
    assert shipment.status is ShipmentStatus.SHIPPED
    assert shipment.tracking_numbers == ("1ZPOLLER0001",)
    assert shipment.dedupe_key.startswith(f"poll:shipment:{created.id}:")
    # The FR moved on with it: that is its own status event.
    [order] = recorder.orders()
    assert (order.order_id, order.previous_status, order.status) == (
        fr.id,
        OrderStatus.ACCEPTED,
        after.status,
    )
    assert published == 2
    assert await poller.poll_once() == 0


async def test_two_instances_publish_a_change_once(
    sandbox: TestServer,
    session: aiohttp.ClientSession,
    control: SandboxControl,
    clock: FakeClock,
    redis_prefix: str,
) -> None:
    brokers = [
        RedisBroker(REDIS_URL, BrokerSettings(), prefix=redis_prefix) for _ in "ab"
    ]
    flxs = [build(sandbox, session) for _ in "ab"]
    pollers = [
        make_poller({SLUG: f}, b, clock) for f, b in zip(flxs, brokers, strict=True)
    ]
    redis = aioredis.Redis.from_url(REDIS_URL)
    try:
        for made in brokers:
            await made.start()
        assert [await p.poll_once() for p in pollers] == [0, 0]
        one = await first(flxs[0], OrderStatus.PENDING, "Processing")
        await control.advance(SLUG, "fulfillment_request", one.id)
        assert [await p.poll_once() for p in pollers] == [1, 0]
        other = await first(flxs[0], OrderStatus.ACCEPTED, "Acknowledged")
        await flxs[1].cancel_order(other.id)
        together = await asyncio.gather(*(p.poll_once() for p in pollers))
        assert sorted(together) == [0, 1]
        assert await redis.xlen(brokers[0].stream(Topic.ORDER_STATUS)) == 2
        assert await redis.xlen(brokers[0].stream(Topic.SHIPMENT)) == 0
    finally:
        await redis.aclose()
        for made in brokers:
            await made.aclose()


async def test_a_failing_provider_is_survived_and_the_change_published_later(
    poller: ChangePoller,
    flx: FlxpointProvider,
    control: SandboxControl,
    clock: FakeClock,
    recorder: Recorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fr = await first(flx, OrderStatus.PENDING, "Processing")
    await poller.poll_once()
    await control.advance(SLUG, "fulfillment_request", fr.id)
    await control.fault(FRS, "503", provider=SLUG, times=None)
    await control.clear()
    with caplog.at_level(logging.WARNING, logger="gateway.polling"):
        assert await poller.poll_once() == 0
    assert any(
        r.levelno == logging.WARNING and "polling flxpoint failed" in r.getMessage()
        for r in caplog.records
    )
    # The failed X1 and the Upstream's retries of it; no X7 after it.
    assert len(await calls(control, FRS)) == FAST_RETRY.max_retries + 1
    assert await calls(control, SHIPMENTS) == []
    await control.clear()
    assert await poller.poll_once() == 0  # backing off: not even asked
    assert await control.requests(SLUG) == []
    clock.advance(10)  # one interval: retried, fails again, waits two
    assert await poller.poll_once() == 0
    assert len(await calls(control, FRS)) == FAST_RETRY.max_retries + 1
    await control.clear_faults()
    await control.clear()
    clock.advance(10)
    assert await poller.poll_once() == 0
    assert await control.requests(SLUG) == []
    clock.advance(10)
    assert await poller.poll_once() == 1
    [event] = recorder.orders()
    assert (event.order_id, event.previous_status, event.status) == (
        fr.id,
        OrderStatus.PENDING,
        OrderStatus.ACCEPTED,
    )
    # Recovered: polled every interval again.
    clock.advance(10)
    await control.clear()
    assert await poller.poll_once() == 0
    assert len(await control.requests(SLUG)) == 2


async def test_one_pass_costs_what_the_module_docstring_says(
    poller: ChangePoller, flx: FlxpointProvider, control: SandboxControl
) -> None:
    fr = await first(flx, OrderStatus.PENDING, "Processing")
    await control.clear()
    await poller.poll_once()
    # The baseline reads the whole window: every FR and every shipment.
    assert len(await calls(control, FRS)) == per_pass(SEEDED_FRS)
    assert len(await calls(control, SHIPMENTS)) == per_pass(SEEDED_SHIPMENTS)
    since_ids = [r["params"].get("sinceId") for r in await calls(control, FRS)]
    assert since_ids[0] is None
    assert all(since_ids[1:])
    for change in (False, True):
        if change:
            await control.advance(SLUG, "fulfillment_request", fr.id)
        await control.clear()
        await poller.poll_once()
        log = await control.requests(SLUG)
        assert len(log) == 2
        assert sorted(r["path"] for r in log) == [FRS, SHIPMENTS]
        assert all(r["params"].get("filterUpdatedAfter") for r in log)


async def test_start_polls_in_the_background_until_aclose(
    flx: FlxpointProvider, control: SandboxControl, broker: MemoryBroker
) -> None:
    poller = ChangePoller({SLUG: flx}, broker, PollSettings(interval_s=0.1))
    fr = await first(flx, OrderStatus.PENDING, "Processing")
    seen = asyncio.Event()

    async def hook(event: EventBase) -> None:
        seen.set()

    broker.add_hook(hook)
    await poller.poll_once()  # the baseline, so that the change is news
    await poller.start()
    await poller.start()
    try:
        await control.advance(SLUG, "fulfillment_request", fr.id)
        await asyncio.wait_for(seen.wait(), 5)
    finally:
        await poller.aclose()
    await poller.aclose()
    await control.clear()
    await asyncio.sleep(0.3)
    assert await control.requests(SLUG) == []


@pytest.fixture
def v3(sandbox: TestServer, session: aiohttp.ClientSession) -> FlexportV3Provider:
    # Just under the sandbox's bucket (5/s, burst 10), as in test_flexport_v3.
    settings = provider_settings(sandbox, V3, rate_limit_per_s=4.5, rate_limit_burst=9)
    return FlexportV3Provider(settings, session, FAST_RETRY)


async def test_flexport_v3_purchase_orders_are_polled_when_named(
    v3: FlexportV3Provider,
    broker: MemoryBroker,
    clock: FakeClock,
    control: SandboxControl,
    recorder: Recorder,
) -> None:
    # It pushes webhooks: polled only when named, as their fallback.
    assert make_poller({V3: v3}, broker, clock).polled == []
    poller = make_poller({V3: v3}, broker, clock, providers=[V3])
    assert await poller.poll_once() == 0
    assert poller.tracked == V3_POS
    await control.clear()
    clock.advance(10)
    assert await poller.poll_once() == 0
    listed = [r for r in await control.requests(V3) if r["path"] == "/purchase_orders"]
    assert len(listed) == 2  # the live walk and the archived one
    closed = await v3.close_purchase_order(V3_OPEN_ID)
    assert closed.status is PurchaseOrderStatus.CLOSED
    clock.advance(10)
    assert await poller.poll_once() == 1
    [event] = recorder.events
    assert isinstance(event, PurchaseOrderStatusEvent)
    assert (event.provider, event.purchase_order_id, event.number) == (
        V3,
        V3_OPEN_ID,
        closed.number,
    )
    assert (event.previous_status, event.status) == (
        PurchaseOrderStatus.OPEN,
        PurchaseOrderStatus.CLOSED,
    )
    assert event.raw_status == closed.raw_status
    assert event.dedupe_key.startswith(
        f"poll:purchase_order:{V3_OPEN_ID}:CLOSED:{closed.raw_status}:"
    )
    clock.advance(10)
    assert await poller.poll_once() == 0
    assert len(recorder.events) == 1
    assert poller.polled == [V3]


async def test_a_cancelled_purchase_order_is_read_from_the_archive(
    v3: FlexportV3Provider, broker: MemoryBroker, clock: FakeClock, recorder: Recorder
) -> None:
    poller = make_poller({V3: v3}, broker, clock, providers=[V3])
    await poller.poll_once()
    await v3.cancel_purchase_order(V3_OPEN_ID)
    clock.advance(10)
    assert await poller.poll_once() == 1
    [event] = recorder.events
    assert isinstance(event, PurchaseOrderStatusEvent)
    assert (event.previous_status, event.status) == (
        PurchaseOrderStatus.OPEN,
        PurchaseOrderStatus.CANCELLED,
    )


# Selection, cursor and memory, with an in-memory provider --------------------------


class Plain(ProviderBase):
    """A provider that cannot list what changed."""

    slug = "flexe"


class Changing(ProviderBase):
    """Orders in memory, answered by update stamp like a provider's filter."""

    slug = "flexport_v3"
    capabilities: ClassVar[frozenset[Capability]] = frozenset({Capability.POLL_CHANGES})

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.orders: dict[str, Order] = {}
        self.asked: list[datetime] = []
        self.pass_s = 0.0
        self.failure: Exception | None = None

    def put(self, id: str, status: OrderStatus, at: datetime) -> None:
        self.orders[id] = Order(
            provider=self.slug,
            id=id,
            kind=OrderKind.DTC,
            status=status,
            raw_status=status.value.lower(),
            updated_at=at,
        )

    async def orders_changed_since(self, updated_after: datetime) -> list[Order]:
        if self.failure is not None:
            raise self.failure
        self.asked.append(updated_after)
        self.clock.advance(self.pass_s)
        found = [
            o
            for o in self.orders.values()
            if o.updated_at and o.updated_at >= updated_after
        ]
        return sorted(found, key=lambda o: o.updated_at or EPOCH)

    async def shipments_changed_since(self, updated_after: datetime) -> list[Shipment]:
        return []


T0 = datetime(2026, 11, 1, tzinfo=UTC)


async def test_providers_are_chosen_by_capability_or_by_name(
    clock: FakeClock, broker: MemoryBroker, caplog: pytest.LogCaptureFixture
) -> None:
    providers: dict[str, ProviderBase] = {
        "flexe": Plain(),
        "flexport_v3": Changing(clock),
    }
    assert make_poller(providers, broker, clock).polled == ["flexport_v3"]
    with caplog.at_level(logging.WARNING, logger="gateway.polling"):
        named = make_poller(
            providers, broker, clock, providers=["flexe", "flexport_v3", "flxpoint"]
        )
        assert named.polled == ["flexe", "flexport_v3"]
        for _ in range(3):
            assert await named.poll_once() == 0
            clock.advance(10)
    messages = [r.getMessage() for r in caplog.records]
    assert messages.count("flexe cannot list what changed; not polled") == 1
    assert messages.count("flxpoint is not enabled; not polled") == 1
    assert named.polled == ["flexport_v3"]
    assert make_poller(providers, broker, clock, providers=[]).polled == []


async def test_new_orders_after_the_baseline_and_the_cursor(
    clock: FakeClock, broker: MemoryBroker, recorder: Recorder
) -> None:
    fake = Changing(clock)
    fake.put("a", OrderStatus.PENDING, T0)
    poller = make_poller({"flexport_v3": fake}, broker, clock)
    assert await poller.poll_once() == 0
    fake.put("b", OrderStatus.PENDING, T0 + timedelta(seconds=30))
    fake.pass_s = 2.0  # a slow pass: the next window starts that much earlier
    clock.advance(10)
    assert await poller.poll_once() == 1
    [event] = recorder.orders()
    assert (event.order_id, event.previous_status) == ("b", None)
    clock.advance(10)
    assert await poller.poll_once() == 0
    assert fake.asked == [EPOCH, T0 - OVERLAP, T0 + timedelta(seconds=28) - OVERLAP]


async def test_memory_is_bounded_and_eviction_repeats_nothing(
    clock: FakeClock, broker: MemoryBroker, recorder: Recorder
) -> None:
    fake = Changing(clock)
    poller = make_poller({"flexport_v3": fake}, broker, clock, max_tracked=2)
    await poller.poll_once()
    for n in range(5):
        fake.put(str(n), OrderStatus.PENDING, T0 + timedelta(milliseconds=n))
    clock.advance(10)
    assert await poller.poll_once() == 5
    assert poller.tracked == 2
    # Evicted orders read again look new, but their dedupe keys were published.
    clock.advance(10)
    assert await poller.poll_once() == 0
    fake.put("0", OrderStatus.SHIPPED, T0 + timedelta(seconds=1))
    clock.advance(10)
    assert await poller.poll_once() == 1
    assert recorder.orders()[-1].status is OrderStatus.SHIPPED


async def test_an_unexpected_error_does_not_stop_polling(
    clock: FakeClock, broker: MemoryBroker, caplog: pytest.LogCaptureFixture
) -> None:
    fake = Changing(clock)
    poller = make_poller({"flexport_v3": fake}, broker, clock)
    fake.failure = RuntimeError("a bug")
    with caplog.at_level(logging.ERROR, logger="gateway.polling"):
        assert await poller.poll_once() == 0
    assert any(r.exc_info for r in caplog.records)
    fake.failure = ProviderUnavailable("flexport_v3", "down", retry_after=60)
    clock.advance(10)
    assert await poller.poll_once() == 0
    clock.advance(30)  # Retry-After outranks the backoff
    assert await poller.poll_once() == 0
    assert fake.asked == []
    fake.failure = None
    clock.advance(30)
    assert await poller.poll_once() == 0
    assert fake.asked == [EPOCH]

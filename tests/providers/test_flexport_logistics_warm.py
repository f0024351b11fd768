"""The warm order store (warm.py): unit rules on a fake clock, then the adapter
against the LAPI sandbox, counting the single-order GETs it sends."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp.test_utils import TestServer

from gateway.http import create_session
from gateway.models import AttachmentCreate, Order, OrderKind, OrderStatus
from gateway.providers.flexport_logistics import (
    FlexportLogisticsProvider,
    RedisOrderIndex,
    warm,
    wire,
)
from gateway.providers.flexport_logistics.warm import WarmOrders, order_ids
from gateway.sandbox import SandboxConfig
from tests.conftest import FAST_RETRY, SandboxControl, provider_settings

SLUG = "flexport_logistics"
BASE = "/logistics/api/2024-04"
ORDER_GET = re.compile(rf"^{BASE}/(outbounds|orders)/\d+$")
REDIS_URL = "redis://127.0.0.1:6379/0"
PDF = b"%PDF-1.4\n% gateway test\n%%EOF\n"


def event(type_: str, **payload: Any) -> wire.Event:
    return wire.Event(id="1", type=type_, time=datetime.now(UTC), payload=payload)


def order(order_id: str) -> Order:
    kind = OrderKind.B2B if order_id.startswith("B2B-") else OrderKind.DTC
    return Order(
        provider=SLUG,
        id=order_id,
        kind=kind,
        status=OrderStatus.ACCEPTED,
        raw_status="PLANNED",
    )


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def store(clock: Clock, **values: Any) -> WarmOrders:
    """A store that has just read the feed to its end."""
    values = {"max_age_s": 300.0, "max_orders": 100, "following_s": 60.0, **values}
    kept = WarmOrders(clock=clock, **values)
    kept.reading(restart=True)
    kept.followed()
    return kept


# Which orders an event names ------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "payload", "expected"),
    [
        ("Outbound.StatusChanged", {"orderId": 71001}, ["B2B-71001"]),
        ("Outbound.ShipmentStatusChanged", {"orderId": "71001"}, ["B2B-71001"]),
        ("Outbound.Created", {"orderId": 71001}, ["B2B-71001"]),
        ("Order.Shipped", {"orderId": 49201824001}, ["DTC-49201824001"]),
        ("Order.StatusChanged", {"orderId": 49201824001}, ["DTC-49201824001"]),
        ("Shipment.Created", {"orderId": 49201824001}, ["DTC-49201824001"]),
        # A type that names no kind: the number under both, to be safe.
        ("Return.Updated", {"orderId": 5}, ["B2B-5", "DTC-5"]),
        ("Inventory.Adjusted", {"logisticsSku": "X"}, []),
        ("Order.Shipped", {"orderId": "4920-x"}, []),
        ("Order.Shipped", {"orderId": True}, []),
    ],
)
def test_the_orders_an_event_names(
    type_: str, payload: dict[str, Any], expected: list[str]
) -> None:
    assert order_ids(event(type_, **payload)) == expected


# The store's rules -----------------------------------------------------------------


def test_served_only_while_following_the_feed() -> None:
    clock = Clock()
    kept = WarmOrders(max_age_s=300, max_orders=10, following_s=60, clock=clock)
    kept.put([order("B2B-1")], kept.mark())
    assert kept.get(["B2B-1"]) == {}, "the feed was never read"
    kept.reading(restart=False)
    kept.followed()
    assert set(kept.get(["B2B-1", "B2B-2"])) == {"B2B-1"}
    clock.now += 61
    assert kept.get(["B2B-1"]) == {}, "no read reached the end for too long"
    kept.reading(restart=False)
    kept.failed()
    assert kept.get(["B2B-1"]) == {}, "the read in flight failed"
    kept.reading(restart=False)
    kept.followed()
    assert set(kept.get(["B2B-1"])) == {"B2B-1"}, "kept through the outage"


def test_currency_dates_from_the_last_page_asked_for() -> None:
    clock = Clock()
    kept = store(clock)
    kept.put([order("B2B-1")], kept.mark())
    kept.reading(restart=False)
    clock.now += 50
    kept.reading(restart=False)  # a long read: its last page, 50 s in
    clock.now += 5
    kept.followed()
    clock.now += 53  # 58 s after that page was asked for
    assert set(kept.get(["B2B-1"])) == {"B2B-1"}
    clock.now += 3
    assert kept.get(["B2B-1"]) == {}


def test_an_event_or_a_write_drops_the_order() -> None:
    kept = store(Clock())
    kept.put([order("B2B-1"), order("DTC-1")], kept.mark())
    kept.seen([event("Outbound.StatusChanged", orderId=1)])
    assert set(kept.get(["B2B-1", "DTC-1"])) == {"DTC-1"}
    kept.changed(["DTC-1"])
    assert kept.get(["DTC-1"]) == {}


def test_a_change_during_the_read_keeps_the_older_body_out() -> None:
    kept = store(Clock())
    since = kept.mark()
    # The GETs are in flight; an event names one of their orders.
    kept.seen([event("Order.Shipped", orderId=7)])
    kept.put([order("DTC-7"), order("DTC-8")], since)
    assert set(kept.get(["DTC-7", "DTC-8"])) == {"DTC-8"}
    kept.put([order("DTC-7")], kept.mark())
    assert set(kept.get(["DTC-7"])) == {"DTC-7"}, "read after the event: current"


def test_a_forgotten_change_counts_against_every_older_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(warm, "CHANGE_LOG", 2)
    kept = store(Clock())
    since = kept.mark()
    kept.changed(["B2B-1", "B2B-2", "B2B-3"])  # B2B-1's change is forgotten
    kept.put([order("B2B-1"), order("B2B-9")], since)
    assert kept.get(["B2B-1", "B2B-9"]) == {}
    kept.put([order("B2B-9")], kept.mark())
    assert set(kept.get(["B2B-9"])) == {"B2B-9"}


def test_a_restarted_read_forgets_everything_and_what_is_in_flight() -> None:
    kept = store(Clock())
    kept.put([order("B2B-1")], kept.mark())
    since = kept.mark()
    kept.reading(restart=True)
    kept.put([order("B2B-2")], since)
    kept.followed()
    assert kept.get(["B2B-1", "B2B-2"]) == {}


def test_max_age_and_size_bound_the_store() -> None:
    clock = Clock()
    kept = store(clock, max_age_s=10, max_orders=2, following_s=1e9)
    kept.put([order("B2B-1"), order("B2B-2")], kept.mark())
    kept.get(["B2B-1"])  # now the most recently used
    kept.put([order("B2B-3")], kept.mark())
    assert set(kept.get(["B2B-1", "B2B-2", "B2B-3"])) == {"B2B-1", "B2B-3"}
    clock.now += 11
    assert kept.get(["B2B-1", "B2B-3"]) == {}
    assert kept.size == 0


# The adapter against the sandbox ---------------------------------------------------


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(rate_limits=False)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with create_session() as session:
        yield session


Make = Callable[..., FlexportLogisticsProvider]


@pytest.fixture
async def make(
    sandbox: TestServer, session: aiohttp.ClientSession
) -> AsyncIterator[Make]:
    built: list[FlexportLogisticsProvider] = []

    def build(**settings: Any) -> FlexportLogisticsProvider:
        index = settings.pop("index", None)
        settings.setdefault("rate_limit_per_s", 0)
        provider = FlexportLogisticsProvider(
            provider_settings(sandbox, SLUG, **settings),
            session,
            FAST_RETRY,
            index=index,
        )
        built.append(provider)
        return provider

    yield build
    for provider in built:
        await provider.close()


async def order_gets(control: SandboxControl) -> list[str]:
    """The single-order GETs since the last call, sorted; then clear the log."""
    found = sorted(
        r["path"].removeprefix(BASE)
        for r in await control.requests(SLUG)
        if r["method"] == "GET" and ORDER_GET.match(r["path"])
    )
    await control.clear()
    return found


def webhook(type_: str, **payload: Any) -> bytes:
    return orjson.dumps(
        {
            "logisticsEventId": "9000001",
            "logisticsEventType": type_,
            "logisticsEventTime": "2026-11-01T12:00:00Z",
            "logisticsAccountId": "acct",
            **payload,
        }
    )


WANTED = ["B2B-71100", "B2B-71077", "DTC-49201824108", "DTC-49201824082"]


async def test_orders_are_read_once_then_again_only_when_an_event_names_them(
    make: Make, control: SandboxControl
) -> None:
    lapi = make()
    await lapi.sync.ready()
    await control.clear()
    first = await lapi.get_orders(WANTED)
    assert len(await order_gets(control)) == 4
    assert await lapi.get_orders(WANTED) == first
    assert await lapi.get_lines(WANTED)
    assert await lapi.get_shipments(WANTED)
    assert await order_gets(control) == [], "served warm"
    await control.advance(SLUG, "outbound", "71100")
    await control.advance(SLUG, "order", "49201824108")
    assert await lapi.sync.poll() > 0
    await control.clear()
    after = await lapi.get_orders(WANTED)
    assert await order_gets(control) == ["/orders/49201824108", "/outbounds/71100"]
    assert after["B2B-71100"].raw_status == "BOOKED"
    assert after["DTC-49201824108"].raw_status != first["DTC-49201824108"].raw_status
    assert after["B2B-71077"] == first["B2B-71077"]


async def test_a_webhook_drops_the_orders_it_names(
    make: Make, control: SandboxControl
) -> None:
    lapi = make()
    await lapi.sync.ready()
    await lapi.get_orders(WANTED)
    await control.clear()
    # Shipment.* names a DTC order: its shipments changed, so the order did.
    body = webhook("Shipment.Created", orderId=49201824082, shipmentId=1)
    lapi.parse_webhook({}, body)
    await lapi.sync.settle()
    await lapi.get_orders(WANTED)
    assert await order_gets(control) == ["/orders/49201824082"]


async def test_an_event_while_the_get_is_in_flight_keeps_that_body_out(
    make: Make, control: SandboxControl
) -> None:
    lapi = make()
    await lapi.sync.ready()
    await lapi.catalog.get()
    await control.settings(latencyMs=200)
    await control.clear()
    reading = asyncio.create_task(lapi.get_orders(["B2B-71100"]))
    await asyncio.sleep(0.1)
    body = webhook("Outbound.StatusChanged", orderId=71100, orderStatus="BOOKED")
    lapi.parse_webhook({}, body)
    await reading
    await control.settings(latencyMs=0)
    await lapi.get_orders(["B2B-71100"])
    assert await order_gets(control) == ["/outbounds/71100"] * 2


async def test_writes_drop_the_order(make: Make, control: SandboxControl) -> None:
    lapi = make()
    await lapi.sync.ready()
    before = await lapi.get_orders(WANTED)
    await lapi.cancel_order("B2B-71100")
    await lapi.create_attachment(
        "B2B-71077",
        AttachmentCreate(
            document_type="SHIPPING_LABELS", name="label.pdf", content=PDF
        ),
        idempotency_key="warm-doc-1",
    )
    await control.clear()
    found = await lapi.get_orders(WANTED)
    assert await order_gets(control) == ["/outbounds/71077", "/outbounds/71100"]
    assert found["B2B-71100"].raw_status == "CANCELLED"
    documents = found["B2B-71077"].attachments or ()
    assert len(documents) == len(before["B2B-71077"].attachments or ()) + 1


async def test_switched_off_every_read_is_a_get(
    make: Make, control: SandboxControl
) -> None:
    lapi = make(warm_orders=False)
    await lapi.sync.ready()
    await lapi.get_orders(WANTED)
    await control.clear()
    await lapi.get_orders(WANTED)
    assert len(await order_gets(control)) == 4


async def test_an_instance_sees_events_another_read_first_from_a_shared_index(
    make: Make, control: SandboxControl, redis_prefix: str
) -> None:
    first = make(index=RedisOrderIndex.from_url(REDIS_URL, redis_prefix))
    second = make(index=RedisOrderIndex.from_url(REDIS_URL, redis_prefix))
    await first.sync.ready()
    await second.sync.ready()
    await second.get_orders(["B2B-71100"])
    await control.advance(SLUG, "outbound", "71100")
    # The first instance reads the event and moves the shared cursor past it;
    # the second reads on from its own position, so it still sees the event.
    assert await first.sync.poll() > 0
    assert await second.sync.poll() > 0
    await control.clear()
    found = await second.get_orders(["B2B-71100"])
    assert await order_gets(control) == ["/outbounds/71100"]
    assert found["B2B-71100"].raw_status == "BOOKED"

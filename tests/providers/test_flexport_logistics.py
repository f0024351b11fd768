"""The LAPI adapter against the LAPI sandbox over real HTTP, and its order index.

Seed 7 (docs/sandbox.md): 150 B2B outbounds (71001…), 150 DTC orders
(49201824001…), 300 products, 40 inbound shipments, 2,107 feed events.
Redis tests use the Redis on 127.0.0.1:6379 under a unique key prefix; they
skip (or fail, when CI is set) if it is not there.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
import redis.asyncio as aioredis
from aiohttp.test_utils import TestServer
from pydantic import SecretStr
from redis.exceptions import RedisError

from gateway import errors
from gateway.http import create_session
from gateway.ids import Ref
from gateway.models import (
    AddressInput,
    OrderCreate,
    OrderKind,
    OrderLineCreate,
    OrderStatus,
    Shipping,
)
from gateway.providers.base import OrderFilter, PageRequest
from gateway.providers.flexport_logistics import (
    FlexportLogisticsProvider,
    IndexEntry,
    IndexFilter,
    MemoryOrderIndex,
    OrderIndex,
    RedisOrderIndex,
    feed,
    index_from_url,
)
from gateway.sandbox import SandboxConfig
from gateway.settings import RetrySettings
from tests.conftest import FAST_RETRY, SandboxControl, provider_settings

SLUG = "flexport_logistics"
BASE = "/logistics/api/2024-04"
EVENTS = f"{BASE}/events"
REDIS_URL = "redis://127.0.0.1:6379/0"
FEED_PAGES = 22  # 2,107 seeded events, 100 per page
PDF = b"%PDF-1.4\n% gateway test\n%%EOF\n"

SEEDED = {
    OrderKind.B2B: {
        "PLANNED": 17,
        "BOOKED": 17,
        "IN_PROGRESS": 31,
        "SHIPPED": 28,
        "DELIVERED": 38,
        "CANCELLED": 19,
    },
    OrderKind.DTC: {
        "CREATED": 12,
        "PROCESSING": 14,
        "PICKED": 16,
        "PACKED": 15,
        "SHIPPED": 33,
        "DELIVERED": 41,
        "CANCELLED": 9,
        "ERROR": 10,
    },
}


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    # Most tests send hundreds of requests; the rate-limit test turns it back on.
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
    """Build providers on the sandbox; every one is closed after the test."""
    built: list[FlexportLogisticsProvider] = []

    def build(
        index: OrderIndex | None = None,
        retry: RetrySettings = FAST_RETRY,
        poll_interval_s: float = 30.0,
        **settings: Any,
    ) -> FlexportLogisticsProvider:
        # LAPI's own 10 req/s would make a 300-order listing take 30 s; the
        # rate-limit test asks for it explicitly.
        settings.setdefault("rate_limit_per_s", 0)
        provider = FlexportLogisticsProvider(
            provider_settings(sandbox, SLUG, **settings),
            session,
            retry,
            index=index,
            poll_interval_s=poll_interval_s,
        )
        built.append(provider)
        return provider

    yield build
    for provider in built:
        await provider.close()


@pytest.fixture
def lapi(make: Make) -> FlexportLogisticsProvider:
    return make()


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A unique key prefix on the local Redis, deleted afterwards."""
    client = aioredis.Redis.from_url(
        REDIS_URL, decode_responses=True, socket_connect_timeout=1
    )
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        message = f"Redis on 127.0.0.1:6379 is not reachable: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"test:lapi:{uuid.uuid4().hex}:"
    try:
        yield prefix
    finally:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture(params=["memory", "redis"])
def new_index(request: pytest.FixtureRequest) -> Callable[[], OrderIndex]:
    """A factory of indexes; Redis ones share one prefix (one shared index)."""
    if request.param == "memory":
        return MemoryOrderIndex
    prefix: str = request.getfixturevalue("redis_prefix")
    return lambda: RedisOrderIndex.from_url(REDIS_URL, prefix)


async def log(control: SandboxControl) -> list[dict[str, Any]]:
    return await control.requests(SLUG)


async def feed_pages(control: SandboxControl) -> int:
    """Distinct pages of the events feed read: the backfill reads each once,
    though on a loaded machine a read may time out and be sent again, and the
    follow loop may read the last page again."""
    found = {
        str(sorted(r["params"].items()))
        for r in await log(control)
        if r["path"] == EVENTS
    }
    return len(found)


async def count(control: SandboxControl, path: str, method: str = "GET") -> int:
    return sum(
        1 for r in await log(control) if r["path"] == path and r["method"] == method
    )


async def fault(control: SandboxControl, path: str, kind: str, **kw: Any) -> None:
    await control.fault(BASE + path, kind, provider=SLUG, **kw)


async def sandbox_settings(control: SandboxControl, **values: Any) -> None:
    await control._call("PATCH", "/_sandbox/settings", json=values)


def recipient() -> AddressInput:
    return AddressInput(
        name="Target DC 9",
        company="Target",
        line1="3805 High St",
        city="Reno",
        region="NV",
        postal_code="89502",
        country="US",
    )


def new_order(kind: OrderKind, external_id: str) -> OrderCreate:
    return OrderCreate(
        kind=kind,
        external_id=external_id,
        recipient=recipient(),
        lines=(
            OrderLineCreate(sku="SKU-10001", quantity=3),
            OrderLineCreate(sku="SKU-10087", quantity=1),
        ),
        shipping=Shipping(service="UPS Ground"),
    )


async def all_entries(index: OrderIndex) -> list[IndexEntry]:
    return (await index.page(IndexFilter(), None, 10_000)).entries


async def eventually(check: Callable[[], Awaitable[bool]], within: float = 3) -> None:
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


# Orders by id -------------------------------------------------------------------


async def test_get_orders_one_get_per_order_and_missing_ids_absent(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    wanted = [
        "B2B-71071",
        "B2B-71001",
        "DTC-49201824082",
        "DTC-49201824039",
        "B2B-99999",  # not at LAPI
        "DTC-71071",  # an outbound's number under the other kind
        "71071",  # not an id we issue
        "B2B-71071",  # repeated
    ]
    found = await lapi.get_orders(wanted)
    assert set(found) == {
        "B2B-71071",
        "B2B-71001",
        "DTC-49201824082",
        "DTC-49201824039",
    }
    assert found["B2B-71071"].kind is OrderKind.B2B
    assert found["DTC-49201824039"].status is OrderStatus.EXCEPTION
    gets = sorted(r["path"] for r in await log(control) if r["method"] == "GET")
    assert gets == sorted(
        [
            f"{BASE}/outbounds/71071",
            f"{BASE}/outbounds/71001",
            f"{BASE}/outbounds/99999",
            f"{BASE}/orders/49201824082",
            f"{BASE}/orders/49201824039",
            f"{BASE}/orders/71071",
            f"{BASE}/products",  # the SKU catalogue, once: DTC lines need it
        ]
    )


async def test_get_orders_fan_out_is_bounded(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    ids = [f"B2B-{n}" for n in range(71001, 71025)]
    await lapi.catalog.get()
    await sandbox_settings(control, latencyMs=40)
    started = time.monotonic()
    found = await lapi.get_orders(ids)
    elapsed = time.monotonic() - started
    assert len(found) == 24
    # 24 GETs, 8 at a time: three waves of 40 ms, never one.
    assert elapsed >= 0.115


async def test_lines_and_shipments_come_from_the_order(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    await lapi.catalog.get()
    await control.clear()
    lines = await lapi.get_lines(["B2B-71071", "DTC-49201824082", "B2B-99999"])
    shipments = await lapi.get_shipments(["B2B-71071", "DTC-49201824082"])
    assert set(lines) == {"B2B-71071", "DTC-49201824082"}
    assert [(ln.sku, ln.shipped_quantity) for ln in lines["B2B-71071"]] == [
        ("SKU-10220", 5),
        ("SKU-10268", 24),
    ]
    assert [s.id for s in shipments["B2B-71071"]] == ["B2B-810088", "B2B-810089"]
    assert [s.tracking_numbers for s in shipments["DTC-49201824082"]] == [
        ("RM950702715GB",)
    ]
    # One GET per order and call: LAPI has no line or shipment endpoint.
    assert len(await log(control)) == 5


async def test_b2b_creation_time_comes_from_the_index(
    lapi: FlexportLogisticsProvider,
) -> None:
    before = (await lapi.get_orders(["B2B-71071"]))["B2B-71071"]
    assert before.created_at is None, "L2 has no createdAt and the index is empty"
    await lapi.sync.ready()
    after = (await lapi.get_orders(["B2B-71071"]))["B2B-71071"]
    assert after.created_at is not None
    assert after.created_at.year == 2026


async def test_get_orders_by_external_id_percent_encodes_and_uses_the_index(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    wanted = ["#51894", "WHS-300071", "NOPE-1"]
    found = await lapi.get_orders_by_external_id(wanted)
    assert found["#51894"].id == "DTC-49201824002"
    assert found["WHS-300071"].id == "B2B-71071"
    assert "NOPE-1" not in found
    lookups = [r for r in await log(control) if "/external_id/" in r["path"]]
    # Unknown to the index: each is tried as an outbound (L3) and an order (L7).
    assert len(lookups) == 6
    assert f"{BASE}/orders/external_id/#51894" in {r["path"] for r in lookups}
    await lapi.sync.ready()
    await control.clear()
    again = await lapi.get_orders_by_external_id(wanted)
    assert set(again) == {"#51894", "WHS-300071"}
    assert again["WHS-300071"].created_at is not None
    lookups = [r for r in await log(control) if "/external_id/" in r["path"]]
    # Now the index knows the kind of the two it has; NOPE-1 still costs two.
    assert len(lookups) == 4


# Listing through the index ------------------------------------------------------


async def test_list_orders_pages_to_the_end_newest_first(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    seen = []
    cursor = None
    pages = 0
    while True:
        page = await lapi.list_orders(
            OrderFilter(), PageRequest(size=100, cursor=cursor)
        )
        pages += 1
        seen += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == 300 == len({o.id for o in seen})
    created = [o.created_at for o in seen]
    assert None not in created
    assert created == sorted(created, reverse=True)  # type: ignore[type-var]
    assert Counter(o.kind for o in seen) == {OrderKind.B2B: 150, OrderKind.DTC: 150}
    assert await feed_pages(control) == FEED_PAGES
    assert await count(control, f"{BASE}/products") == 1
    order_gets = [
        r
        for r in await log(control)
        if r["path"].startswith((f"{BASE}/outbounds/", f"{BASE}/orders/"))
    ]
    assert len(order_gets) == 300, "one GET per listed order, nothing else"


async def test_list_orders_filters_by_status_kind_and_external_id(
    lapi: FlexportLogisticsProvider,
) -> None:
    async def ids(**filter: Any) -> list[str]:
        page = await lapi.list_orders(OrderFilter(**filter), PageRequest(size=200))
        assert page.next_cursor is None
        return [o.id for o in page.items]

    partial = await lapi.list_orders(
        OrderFilter(statuses=(OrderStatus.PARTIALLY_SHIPPED,)), PageRequest(size=200)
    )
    assert {o.status for o in partial.items} == {OrderStatus.PARTIALLY_SHIPPED}
    assert Counter(o.kind for o in partial.items) == {
        OrderKind.B2B: 14,
        OrderKind.DTC: 4,
    }
    assert len(await ids(statuses=(OrderStatus.EXCEPTION,))) == 10
    assert len(await ids(has_errors=True)) == 10
    assert (
        len(await ids(statuses=(OrderStatus.IN_PROGRESS,), kinds=(OrderKind.B2B,)))
        == 17
    )
    assert len(await ids(statuses=(OrderStatus.ACCEPTED,))) == 17
    assert await ids(statuses=(OrderStatus.ALLOCATED,)) == []
    assert await ids(kinds=(OrderKind.RETAIL,)) == []
    assert await ids(external_ids=("WHS-300071", "#51894", "NOPE")) == [
        "B2B-71071",
        "DTC-49201824002",
    ]
    cancelled_dtc = await ids(statuses=(OrderStatus.CANCELLED,), kinds=(OrderKind.DTC,))
    assert len(cancelled_dtc) == 9
    assert all(i.startswith("DTC-") for i in cancelled_dtc)


async def test_list_orders_created_window(lapi: FlexportLogisticsProvider) -> None:
    everything = await lapi.list_orders(OrderFilter(), PageRequest(size=300))
    pivot = everything.items[100].created_at
    assert pivot is not None
    newer = await lapi.list_orders(
        OrderFilter(created_after=pivot), PageRequest(size=300)
    )
    older = await lapi.list_orders(
        OrderFilter(created_before=pivot), PageRequest(size=300)
    )
    assert [o.id for o in newer.items] == [o.id for o in everything.items[:101]]
    assert [o.id for o in older.items] == [o.id for o in everything.items[101:]]
    narrow = await lapi.list_orders(
        OrderFilter(created_after=pivot, created_before=pivot + timedelta(days=3650)),
        PageRequest(size=5),
    )
    assert [o.id for o in narrow.items] == [o.id for o in everything.items[:5]]


async def test_filtered_pages_are_exact_and_repeatable(
    lapi: FlexportLogisticsProvider,
) -> None:
    """The same cursor and size give the same page (the merge re-reads pages)."""
    wanted = OrderFilter(statuses=(OrderStatus.PARTIALLY_SHIPPED,))
    cursor = None
    sizes = []
    while True:
        page = await lapi.list_orders(wanted, PageRequest(size=5, cursor=cursor))
        again = await lapi.list_orders(wanted, PageRequest(size=5, cursor=cursor))
        assert [o.id for o in again.items] == [o.id for o in page.items]
        assert again.next_cursor == page.next_cursor
        sizes.append(len(page.items))
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sizes == [5, 5, 5, 3]
    with pytest.raises(errors.GatewayError):
        await lapi.list_orders(wanted, PageRequest(size=5, cursor="bogus!"))


# The index: backfill, feed, creates, sharing -----------------------------------


async def test_backfill_sees_every_seeded_order(
    make: Make, new_index: Callable[[], OrderIndex], control: SandboxControl
) -> None:
    lapi = make(index=new_index())
    await lapi.start()
    await lapi.sync.ready()
    entries = await all_entries(lapi.index)
    assert await lapi.index.count() == len(entries) == 300
    for kind, expected in SEEDED.items():
        assert Counter(e.status for e in entries if e.kind is kind) == expected
    assert all(e.created_at and not e.provisional for e in entries)
    assert {e.external_id for e in entries} >= {"WHS-300071", "#51894"}
    assert await feed_pages(control) == FEED_PAGES


async def test_status_events_update_entries(
    make: Make, new_index: Callable[[], OrderIndex], control: SandboxControl
) -> None:
    lapi = make(index=new_index())
    await lapi.sync.ready()
    before = await lapi.index.get(["B2B-71100", "DTC-49201824108"])
    assert (before["B2B-71100"].status, before["DTC-49201824108"].status) == (
        "PLANNED",
        "CREATED",
    )
    await control.advance(SLUG, "outbound", "71100")
    await control.advance(SLUG, "order", "49201824108")
    await control.clear()
    assert await lapi.sync.poll() > 0
    after = await lapi.index.get(["B2B-71100", "DTC-49201824108"])
    assert after["B2B-71100"].status == "BOOKED"
    assert after["DTC-49201824108"].status in ("PROCESSING", "ERROR")
    assert after["B2B-71100"].created_at == before["B2B-71100"].created_at
    assert await count(control, EVENTS) == 1, "resumed from the last page"
    listed = await lapi.list_orders(
        OrderFilter(statuses=(OrderStatus.ACCEPTED,)), PageRequest(size=50)
    )
    assert "B2B-71100" in {o.id for o in listed.items}


async def test_created_order_enters_the_index_at_once(
    make: Make, new_index: Callable[[], OrderIndex], control: SandboxControl
) -> None:
    lapi = make(index=new_index())
    await lapi.sync.ready()
    await control.clear()
    dtc = await lapi.create_order(
        new_order(OrderKind.DTC, "#990001"), idempotency_key="c-1"
    )
    b2b = await lapi.create_order(
        new_order(OrderKind.B2B, "WHS-990001"), idempotency_key="c-2"
    )
    entries = await lapi.index.get([dtc.id, b2b.id])
    assert entries[dtc.id].external_id == "#990001"
    assert entries[b2b.id].status == "PLANNED"
    assert entries[b2b.id].provisional is False, "exact time from Outbound.Created"
    assert b2b.created_at == entries[b2b.id].created_at
    # The DTC answer has createdAt; the outbound's comes from one events lookup.
    lookups = [r for r in await log(control) if r["path"] == EVENTS]
    assert [r["params"] for r in lookups] == [
        {"type": ["Outbound.Created"], "orderId": [b2b.id[4:]], "limit": ["100"]}
    ]
    newest = await lapi.list_orders(OrderFilter(), PageRequest(size=2))
    assert [o.id for o in newest.items] == [b2b.id, dtc.id]
    assert await count(control, EVENTS) == 1, "no feed read needed to list them"


async def test_two_providers_sharing_redis_see_each_other(
    make: Make, redis_prefix: str, control: SandboxControl
) -> None:
    first = make(index=RedisOrderIndex.from_url(REDIS_URL, redis_prefix))
    second = make(index=RedisOrderIndex.from_url(REDIS_URL, redis_prefix))
    await first.sync.ready()
    assert await feed_pages(control) == FEED_PAGES
    created = await second.create_order(
        new_order(OrderKind.DTC, "#990002"), idempotency_key="share-1"
    )
    assert (await first.index.get([created.id]))[created.id].external_id == "#990002"
    await control.clear()
    await second.sync.ready()
    # The second instance resumes from the cursor the first one stored.
    assert await count(control, EVENTS) == 1
    assert await second.index.count() == 301
    newest = await first.list_orders(OrderFilter(), PageRequest(size=1))
    assert [o.id for o in newest.items] == [created.id]


async def test_restart_resumes_from_the_stored_feed_cursor(
    make: Make, redis_prefix: str, control: SandboxControl
) -> None:
    before = make(index=RedisOrderIndex.from_url(REDIS_URL, redis_prefix))
    await before.start()
    await before.sync.ready()
    await before.close()
    assert await feed_pages(control) == FEED_PAGES
    await control.advance(SLUG, "outbound", "71100")
    await control.clear()
    after = make(index=RedisOrderIndex.from_url(REDIS_URL, redis_prefix))
    await after.start()
    await after.sync.ready()
    assert await count(control, EVENTS) == 1
    assert await after.index.count() == 300
    assert (await after.index.get(["B2B-71100"]))["B2B-71100"].status == "BOOKED"


async def test_a_cursor_lapi_rejects_means_reading_the_feed_again(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    await lapi.index.set_feed_cursor('{"pageInfo": "not-a-cursor", "seen": 0}')
    await lapi.sync.ready()
    assert await lapi.index.count() == 300
    statuses = [r["status"] for r in await log(control) if r["path"] == EVENTS]
    assert statuses == [400] + [200] * FEED_PAGES


async def test_background_sync_follows_the_feed_and_stops_on_close(
    make: Make, control: SandboxControl
) -> None:
    lapi = make(poll_interval_s=0.05)
    await lapi.start()
    # Generous: a loaded machine reads the 22 feed pages slowly; what is under
    # test is that the sync follows the feed, not how fast.
    await eventually(lambda: _true(lapi.sync.caught_up), within=15)
    await control.advance(SLUG, "outbound", "71077")

    async def booked_moved_on() -> bool:
        entry = (await lapi.index.get(["B2B-71077"]))["B2B-71077"]
        return entry.status == "IN_PROGRESS"

    await eventually(booked_moved_on, within=15)
    task = lapi.sync._task
    assert task is not None
    await lapi.close()
    assert task.cancelled()
    polls = await count(control, EVENTS)
    await asyncio.sleep(0.15)
    assert await count(control, EVENTS) == polls, "no reads after close"


async def test_feed_failures_are_retried_not_raised(
    make: Make, control: SandboxControl
) -> None:
    await fault(control, "/events", "503", times=None)
    lapi = make(poll_interval_s=0.05)
    await lapi.start()
    # Two failed attempts (each 1 + 2 retries) and the task is still alive.
    await eventually(lambda: _at_least(control, EVENTS, 6))
    task = lapi.sync._task
    assert task is not None
    assert not task.done()
    with pytest.raises(errors.ProviderUnavailable):
        await lapi.list_orders(OrderFilter(), PageRequest(size=1))
    await control._call("DELETE", "/_sandbox/faults")
    page = await lapi.list_orders(OrderFilter(), PageRequest(size=1))
    assert len(page.items) == 1
    assert await lapi.index.count() == 300


async def _true(value: bool) -> bool:
    return value


async def _at_least(control: SandboxControl, path: str, n: int) -> bool:
    return await count(control, path) >= n


async def test_client_rate_limit_keeps_inside_lapi_budget(
    make: Make, control: SandboxControl
) -> None:
    await sandbox_settings(control, rateLimits=True)
    lapi = make(rate_limit_per_s=10.0, rate_limit_burst=20)
    await lapi.sync.ready()
    statuses = Counter(r["status"] for r in await log(control))
    assert statuses == {200: FEED_PAGES}, "the token bucket spaced them: no 429"


# Writes ---------------------------------------------------------------------------


async def _created_events(lapi: FlexportLogisticsProvider, external_id: str) -> int:
    found, page_info = 0, None
    while True:
        events, page_info = await feed.read_page(
            lapi.api,
            page_info,
            {"type": "Outbound.Created"} if page_info is None else None,
        )
        found += sum(1 for e in events if e.payload.get("externalId") == external_id)
        if page_info is None:
            return found


async def test_create_b2b_retried_after_503_makes_exactly_one_order(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    await fault(control, "/outbounds", "503", method="POST", retry_after=0)
    order = await lapi.create_order(
        new_order(OrderKind.B2B, "WHS-IDEM-1"), idempotency_key="idem-b2b-1"
    )
    assert order.status is OrderStatus.PENDING
    assert [ln.sku for ln in order.lines or ()] == ["SKU-10001", "SKU-10087"]
    posts = [r for r in await log(control) if r["method"] == "POST"]
    assert [(r["path"], r["status"], r["fault"]) for r in posts] == [
        (f"{BASE}/outbounds", 503, "503"),
        (f"{BASE}/outbounds", 200, None),
    ]
    # The caller retries the whole create (its answer got lost): replayed.
    again = await lapi.create_order(
        new_order(OrderKind.B2B, "WHS-IDEM-1"), idempotency_key="idem-b2b-1"
    )
    assert again.id == order.id
    assert await _created_events(lapi, "WHS-IDEM-1") == 1
    assert (await lapi.get_orders_by_external_id(["WHS-IDEM-1"]))["WHS-IDEM-1"].id == (
        order.id
    )
    # Without the key it is a second create: LAPI refuses the duplicate externalId.
    with pytest.raises(errors.Conflict):
        await lapi.create_order(
            new_order(OrderKind.B2B, "WHS-IDEM-1"), idempotency_key="idem-b2b-2"
        )


async def test_create_dtc_retried_after_503_makes_exactly_one_order(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    await fault(control, "/orders", "503", method="POST", times=2, retry_after=0)
    order = await lapi.create_order(
        new_order(OrderKind.DTC, "#IDEM-2"), idempotency_key="idem-dtc-1"
    )
    again = await lapi.create_order(
        new_order(OrderKind.DTC, "#IDEM-2"), idempotency_key="idem-dtc-1"
    )
    assert again.id == order.id
    assert order.kind is OrderKind.DTC
    assert all((ln.provider_sku or "").startswith("LS") for ln in order.lines or ())
    assert [r["status"] for r in await log(control) if r["method"] == "POST"] == [
        503,
        503,
        200,
        200,
    ]
    found = await lapi.get_orders_by_external_id(["#IDEM-2"])
    assert found["#IDEM-2"].id == order.id


async def test_create_rejected_input_is_rejected_with_fields(
    lapi: FlexportLogisticsProvider,
) -> None:
    bad = new_order(OrderKind.DTC, "#BAD-1").model_copy(
        update={"lines": (OrderLineCreate(sku="SKU-NOPE", quantity=1),)}
    )
    with pytest.raises(errors.Rejected) as info:
        await lapi.create_order(bad, idempotency_key="bad-1")
    assert info.value.status == 422
    assert "lineItems[0].logisticsSku" in info.value.fields
    with pytest.raises(errors.NotSupported):
        await lapi.create_order(
            new_order(OrderKind.DTC, "x").model_copy(update={"kind": OrderKind.RETAIL}),
            idempotency_key="k",
        )


async def test_cancel_orders_and_illegal_transitions_are_conflicts(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    planned = await lapi.cancel_order("B2B-71100")
    assert planned.status is OrderStatus.CANCELLED
    assert all(ln.cancelled_quantity == ln.quantity for ln in planned.lines or ())
    again = await lapi.cancel_order("B2B-71100")
    assert again.status is OrderStatus.CANCELLED, "repeat cancel is a no-op"
    dtc = await lapi.cancel_order("DTC-49201824108")
    assert dtc.status is OrderStatus.CANCELLED
    assert (await lapi.index.get(["DTC-49201824108"]))["DTC-49201824108"].status == (
        "CANCELLED"
    )
    await control.clear()
    for order_id in ("B2B-71058", "DTC-49201824055", "DTC-49201824039"):
        with pytest.raises(errors.Conflict) as info:
            await lapi.cancel_order(order_id)
        assert (info.value.status, info.value.provider_code) == (400, "407001")
        assert "cannot be cancelled" in info.value.message
    assert len(await log(control)) == 3, "a Conflict is not retried"
    with pytest.raises(errors.NotFound):
        await lapi.cancel_order("B2B-99999")
    with pytest.raises(errors.NotFound):
        await lapi.cancel_order("71100")


# Inventory, inbound shipments, attachments ----------------------------------------


async def test_inventory_per_warehouse_in_batches_of_100(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    found = await lapi.get_inventory(
        ["SKU-10001", "SKU-10087", "SKU-NOPE", "SKU-10001"]
    )
    assert set(found) == {"SKU-10001", "SKU-10087"}
    assert [lv.location_id for lv in found["SKU-10001"]] == ["ATL2", "CMH1", "RNO1"]
    level = found["SKU-10087"][0]
    assert (level.sku, level.provider_sku, level.on_hand) == (
        "SKU-10087",
        "LS10103833",
        456,
    )
    assert await count(control, f"{BASE}/products") == 1
    assert await count(control, f"{BASE}/products/warehouses", "POST") == 1
    await control.clear()
    every = [f"SKU-{n}" for n in range(10001, 10301)]
    levels = await lapi.get_inventory(every)
    assert len(levels) == 300
    assert await count(control, f"{BASE}/products") == 0, "catalogue is cached"
    assert await count(control, f"{BASE}/products/warehouses", "POST") == 3
    by_logistics = await lapi.get_inventory(["LS10103833"])
    assert by_logistics["LS10103833"][0].sku == "LS10103833"


async def test_inbound_shipments_by_id_and_by_po_number(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    ids = [str(n) for n in range(3100001, 3100041)]
    found = await lapi.get_inbound_shipments([*ids, "999", "abc"])
    assert set(found) == set(ids)
    assert await count(control, f"{BASE}/inbounds/shipments") == 1
    by_po = Counter(s.purchase_order_number for s in found.values())
    po, shipments = by_po.most_common(1)[0]
    assert po is not None
    assert shipments >= 2
    await control.clear()
    grouped = await lapi.get_inbound_shipments_by_po_number([po, "PO-NOPE"])
    assert set(grouped) == {po}
    assert {s.id for s in grouped[po]} == {
        s.id for s in found.values() if s.purchase_order_number == po
    }
    # No PO filter at LAPI: the whole list is read (40 shipments: one page).
    assert await count(control, f"{BASE}/inbounds/shipments") == 1
    await control.clear()
    many = await lapi.get_inbound_shipments([str(n) for n in range(3100001, 3100102)])
    assert len(many) == 40
    assert await count(control, f"{BASE}/inbounds/shipments") == 2


async def test_attachments_are_the_shipments_uploads(
    lapi: FlexportLogisticsProvider, session: aiohttp.ClientSession
) -> None:
    booked = (await lapi.get_orders(["B2B-71077"]))["B2B-71077"]
    shipment = (booked.shipments or ())[0]
    answer = await lapi.api.post(
        f"/outbounds/71077/shipments/{shipment.id[4:]}/attachments/upload-url",
        {"attachmentType": "SHIPPING_LABELS", "contentType": "application/pdf"},
        idempotency_key="upload-1",
    )
    async with session.put(
        answer["uploadUrl"], data=PDF, headers={"Content-Type": "application/pdf"}
    ) as put:
        assert put.status == 200
    owners = [
        Ref(SLUG, "Order", "B2B-71077"),
        Ref(SLUG, "Order", "DTC-49201824001"),
        Ref(SLUG, "Shipment", shipment.id),
    ]
    found = await lapi.get_attachments(owners)
    assert set(found) == set(owners[:2])
    (attachment,) = found[owners[0]]
    assert (attachment.owner_id, attachment.owner_kind) == ("B2B-71077", "Order")
    assert (attachment.type, attachment.size) == ("SHIPPING_LABELS", len(PDF))
    assert attachment.content_type == "application/pdf"
    assert attachment.url == answer["uploadUrl"]
    assert found[owners[1]] == []


# Errors -------------------------------------------------------------------------


async def test_401_is_auth_error(make: Make) -> None:
    lapi = make(token=SecretStr("wrong"))
    with pytest.raises(errors.ProviderAuthError) as info:
        await lapi.get_orders(["B2B-71001"])
    assert info.value.status == 401
    assert info.value.message.endswith("The access token is invalid")


async def test_404_is_not_found(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    await fault(control, "/products", "404")
    with pytest.raises(errors.NotFound):
        await lapi.ping()
    await lapi.ping()


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("garbage", "/outbounds/71001"),
        ("shape", "/outbounds/71001"),
        ("shape", "/orders/49201824001"),
    ],
)
async def test_bad_bodies_are_invalid_responses(
    lapi: FlexportLogisticsProvider, control: SandboxControl, kind: str, path: str
) -> None:
    await fault(control, path, kind)
    prefix = "B2B-" if "outbounds" in path else "DTC-"
    with pytest.raises(errors.ProviderResponseInvalid):
        await lapi.get_orders([prefix + path.rsplit("/", 1)[1]])
    assert await count(control, BASE + path) == 1


async def test_bad_list_body_is_invalid_response(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    await fault(control, "/inbounds/shipments", "shape")
    with pytest.raises(errors.ProviderResponseInvalid):
        await lapi.get_inbound_shipments(["3100001"])


async def test_503_is_retried_then_provider_unavailable(
    lapi: FlexportLogisticsProvider, control: SandboxControl
) -> None:
    await fault(control, "/outbounds/71001", "503", times=2, retry_after=0)
    assert "B2B-71001" in await lapi.get_orders(["B2B-71001"])
    assert await count(control, f"{BASE}/outbounds/71001") == 3
    await control.clear()
    await fault(control, "/outbounds/71001", "503", times=None, retry_after=0)
    with pytest.raises(errors.ProviderUnavailable) as info:
        await lapi.get_orders(["B2B-71001"])
    assert info.value.status == 503
    assert await count(control, f"{BASE}/outbounds/71001") == 1 + FAST_RETRY.max_retries


async def test_429_honours_retry_after_then_gives_up_when_too_long(
    make: Make, control: SandboxControl
) -> None:
    retry = RetrySettings(max_retries=3, backoff_base_s=0, max_retry_after_s=0.5)
    lapi = make(retry=retry)
    await fault(control, "/products", "429", retry_after=0)
    await lapi.ping()
    assert await count(control, f"{BASE}/products") == 2
    await control.clear()
    await fault(control, "/products", "429", retry_after=30)
    with pytest.raises(errors.RateLimited) as info:
        await lapi.ping()
    assert info.value.retry_after == 30
    assert await count(control, f"{BASE}/products") == 1


async def test_timeout_is_provider_unavailable(
    make: Make, control: SandboxControl
) -> None:
    lapi = make(retry=RetrySettings(max_retries=0), timeout_s=0.2)
    await fault(control, "/outbounds/71001", "timeout")
    with pytest.raises(
        errors.ProviderUnavailable, match=r"did not answer within 0\.2 s"
    ):
        await lapi.get_orders(["B2B-71001"])


async def test_unreachable_is_provider_unavailable(
    session: aiohttp.ClientSession, unused_tcp_port: int
) -> None:
    from gateway.settings import ProviderSettings

    gone = ProviderSettings(base_url=f"http://127.0.0.1:{unused_tcp_port}/lapi")
    lapi = FlexportLogisticsProvider(gone, session, RetrySettings(max_retries=0))
    with pytest.raises(errors.ProviderUnavailable, match="could not be reached"):
        await lapi.ping()
    await lapi.close()


# The index on its own (both implementations) -----------------------------------


def _entry(n: int, kind: OrderKind = OrderKind.B2B, **kw: Any) -> IndexEntry:
    values: dict[str, Any] = {
        "status": "PLANNED",
        "created_at": datetime(2026, 9, 1, tzinfo=UTC) + timedelta(minutes=n // 2),
        "external_id": f"X-{n}",
    }
    values.update(kw)
    return IndexEntry(
        f"{'B2B' if kind is OrderKind.B2B else 'DTC'}-{n}", kind, **values
    )


async def test_index_pages_newest_first_with_ties_and_filters(
    new_index: Callable[[], OrderIndex],
) -> None:
    index = new_index()
    try:
        await index.upsert([_entry(n) for n in range(10, 30)])
        await index.upsert([_entry(31, OrderKind.DTC, status="ERROR")])
        seen: list[str] = []
        cursor = None
        while True:
            page = await index.page(IndexFilter(kinds=(OrderKind.B2B,)), cursor, 6)
            seen += [e.id for e in page.entries]
            cursor = page.next_cursor
            if cursor is None:
                break
        # Pairs share a minute; within a tie the larger id comes first.
        assert seen == [f"B2B-{n}" for n in range(29, 9, -1)]
        assert await index.count() == 21
        errors_only = await index.page(
            IndexFilter(statuses=frozenset({"ERROR"})), None, 5
        )
        assert [e.id for e in errors_only.entries] == ["DTC-31"]
        by_external = await index.page(
            IndexFilter(external_ids=("X-12", "X-31", "X-404")), None, 5
        )
        assert [e.id for e in by_external.entries] == ["DTC-31", "B2B-12"]
        start = datetime(2026, 9, 1, 0, 6, tzinfo=UTC)
        window = await index.page(
            IndexFilter(
                created_after=start, created_before=start + timedelta(minutes=2)
            ),
            None,
            10,
        )
        assert [e.id for e in window.entries] == [
            "B2B-15",
            "B2B-14",
            "B2B-13",
            "B2B-12",
        ]
        await index.set_feed_cursor('{"pageInfo":"p","seen":3}')
        assert await index.feed_cursor() == '{"pageInfo":"p","seen":3}'
    finally:
        await index.aclose()


async def test_index_merges_provisional_times_and_versions(
    new_index: Callable[[], OrderIndex],
) -> None:
    index = new_index()
    try:
        late = datetime(2026, 9, 9, tzinfo=UTC)
        early = datetime(2026, 9, 1, tzinfo=UTC)
        await index.upsert(
            [IndexEntry("B2B-1", OrderKind.B2B, "BOOKED", late, None, 7, True)]
        )
        await index.upsert(
            [IndexEntry("B2B-1", OrderKind.B2B, "PLANNED", early, "W-1", 3)]
        )
        (entry,) = (await index.get(["B2B-1", "B2B-2"])).values()
        assert (entry.status, entry.version) == ("BOOKED", 7)
        assert (entry.created_at, entry.provisional) == (early, False)
        assert entry.external_id == "W-1"
        await index.upsert([IndexEntry("B2B-1", OrderKind.B2B, status="SHIPPED")])
        page = await index.page(IndexFilter(), None, 5)
        assert [(e.id, e.status, e.created_at) for e in page.entries] == [
            ("B2B-1", "SHIPPED", early)
        ]
    finally:
        await index.aclose()


async def test_index_from_url_picks_the_implementation(redis_prefix: str) -> None:
    memory = index_from_url(None)
    assert isinstance(memory, MemoryOrderIndex)
    shared = index_from_url(REDIS_URL, redis_prefix)
    assert isinstance(shared, RedisOrderIndex)
    try:
        await shared.upsert([_entry(1)])
        assert await shared.count() == 1
        assert await memory.count() == 0
    finally:
        await shared.aclose()

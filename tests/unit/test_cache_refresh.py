"""Refresh-ahead: values near or just past expiry are served and refreshed once."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Mapping, Sequence

import pytest

from gateway import http
from gateway.cache import CacheKey, MemoryCache, RefreshPolicy, cached_fetch
from gateway.cache.entities import ORDER_LIST
from gateway.cache.invalidation import invalidate_list
from gateway.cache.pages import ORDER_PAGES, cached_page
from gateway.models import Order
from gateway.providers.base import OrderFilter, Page, PageRequest
from gateway.settings import CacheSettings
from tests.fakes import make_order

A1, A2 = CacheKey("a", "1"), CacheKey("a", "2")
TTL_S = 10.0
POLICY = RefreshPolicy(ahead=0.2, grace_s=3.0)
IN_WINDOW_S = 9.0  # the last 20 % of the TTL
IN_GRACE_S = 11.0  # past the TTL, within the 3 s grace
PAST_GRACE_S = 13.5


class Clock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Upstream:
    """A fetch that records calls, can be held at a gate, and can fail."""

    def __init__(self) -> None:
        self.values: dict[CacheKey, str] = {A1: "a1-v1", A2: "a2-v1"}
        self.calls: list[list[CacheKey]] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.fail: Exception | None = None
        self.counted: list[bool] = []

    async def __call__(self, keys: list[CacheKey]) -> dict[CacheKey, str]:
        self.calls.append(list(keys))
        # Whether this call ran under a request's counter or deadline.
        self.counted.append(
            http.upstream_calls.get() is not None or http.deadline.get() is not None
        )
        await self.gate.wait()
        if self.fail is not None:
            raise self.fail
        return {k: self.values[k] for k in keys if k in self.values}

    def update(self) -> None:
        self.values = {k: v.replace("-v1", "-v2") for k, v in self.values.items()}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def cache(clock: Clock) -> MemoryCache:
    return MemoryCache(clock=clock)


async def load(
    cache: MemoryCache,
    upstream: Upstream,
    keys: Sequence[CacheKey] = (A1, A2),
    *,
    bypass: bool = False,
) -> Mapping[CacheKey, str]:
    return await cached_fetch(
        cache,
        "orders",
        keys,
        upstream,
        TTL_S,
        bypass=bypass,
        encode=str.encode,
        decode=bytes.decode,
        refresh=POLICY,
    )


async def warm(cache: MemoryCache, upstream: Upstream, clock: Clock, at: float) -> None:
    """Cache v1 of both keys, make upstream answer v2, and move to `at`."""
    assert await load(cache, upstream) == {A1: "a1-v1", A2: "a2-v1"}
    upstream.update()
    upstream.calls.clear()
    upstream.counted.clear()
    clock.now += at


def test_the_policy_is_arithmetic_on_the_time_left() -> None:
    assert POLICY.stored_ttl(TTL_S) == 13.0
    assert POLICY.stored_ttl(0) == 0
    assert not POLICY.due(TTL_S, 13.0)
    assert not POLICY.due(TTL_S, 5.1)  # 2.1 s fresh left: outside the last 2 s
    assert POLICY.due(TTL_S, 5.0)
    assert POLICY.due(TTL_S, 1.0)  # stale
    assert not RefreshPolicy(0, 0).due(TTL_S, 0.5)
    assert RefreshPolicy.from_settings(CacheSettings()) == RefreshPolicy(0.2, 3.0)


async def test_far_from_expiry_nothing_is_refreshed(
    cache: MemoryCache, clock: Clock
) -> None:
    upstream = Upstream()
    await warm(cache, upstream, clock, at=7.9)
    assert await load(cache, upstream) == {A1: "a1-v1", A2: "a2-v1"}
    await cache.refresher.drain()
    assert upstream.calls == []


@pytest.mark.parametrize("at", [IN_WINDOW_S, IN_GRACE_S], ids=["window", "grace"])
async def test_32_reads_near_expiry_serve_the_old_value_and_fetch_once(
    cache: MemoryCache, clock: Clock, at: float
) -> None:
    upstream = Upstream()
    await warm(cache, upstream, clock, at)
    upstream.gate.clear()  # the refresh cannot finish while the reads run
    token = http.upstream_calls.set(Counter())  # as inside a request
    try:
        reads = await asyncio.gather(*(load(cache, upstream) for _ in range(32)))
    finally:
        http.upstream_calls.reset(token)
    assert all(read == {A1: "a1-v1", A2: "a2-v1"} for read in reads)
    assert len(cache.refresher) == 2  # both keys, in one refresh

    upstream.gate.set()
    await cache.refresher.drain()
    assert upstream.calls == [[A1, A2]]
    assert upstream.counted == [False]  # not the triggering request's call
    assert await load(cache, upstream) == {A1: "a1-v2", A2: "a2-v2"}
    assert upstream.calls == [[A1, A2]]
    # Fresh for a whole TTL from the refresh: neither missed nor due 7 s on.
    clock.now += 7
    assert await load(cache, upstream) == {A1: "a1-v2", A2: "a2-v2"}
    await cache.refresher.drain()
    assert upstream.calls == [[A1, A2]]


async def test_only_the_due_keys_are_refreshed(
    cache: MemoryCache, clock: Clock
) -> None:
    upstream = Upstream()
    await load(cache, upstream, [A1])
    clock.now += 5
    await load(cache, upstream, [A2])
    upstream.calls.clear()
    clock.now += 4  # A1 in its window, A2 halfway
    await load(cache, upstream)
    await cache.refresher.drain()
    assert upstream.calls == [[A1]]


async def test_past_the_grace_it_is_a_miss_the_request_fetches(
    cache: MemoryCache, clock: Clock
) -> None:
    upstream = Upstream()
    await warm(cache, upstream, clock, PAST_GRACE_S)
    assert await load(cache, upstream) == {A1: "a1-v2", A2: "a2-v2"}
    assert upstream.calls == [[A1, A2]]
    assert len(cache.refresher) == 0


async def test_an_invalidated_value_is_not_served_stale(
    cache: MemoryCache, clock: Clock
) -> None:
    upstream = Upstream()
    await warm(cache, upstream, clock, IN_GRACE_S)
    await cache.invalidate("orders", [A1])
    assert await load(cache, upstream) == {A1: "a1-v2", A2: "a2-v1"}
    assert upstream.calls[0] == [A1]  # the request's own fetch, not a refresh
    await cache.refresher.drain()
    assert upstream.calls == [[A1], [A2]]  # A2 was due and served stale


async def test_an_invalidation_during_a_refresh_is_not_undone_by_it(
    cache: MemoryCache, clock: Clock
) -> None:
    upstream = Upstream()
    await warm(cache, upstream, clock, IN_WINDOW_S)
    upstream.gate.clear()
    await load(cache, upstream)
    await asyncio.sleep(0)  # the refresh reaches the upstream
    assert upstream.calls == [[A1, A2]]
    await cache.invalidate("orders", [A1])
    upstream.gate.set()
    await cache.refresher.drain()
    # A2 was stored fresh; A1's answer came from before the invalidation.
    assert await cache.get_many("orders", [A1, A2]) == {A2: b"a2-v2"}


async def test_an_entity_invalidation_voids_the_refreshes_in_flight(
    cache: MemoryCache, clock: Clock
) -> None:
    upstream = Upstream()
    await warm(cache, upstream, clock, IN_WINDOW_S)
    upstream.gate.clear()
    await load(cache, upstream)
    await cache.invalidate_provider("a")
    upstream.gate.set()
    await cache.refresher.drain()
    assert await cache.get_many("orders", [A1, A2]) == {}


async def test_a_failed_refresh_is_logged_once_and_the_value_expires(
    cache: MemoryCache, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    upstream = Upstream()
    await warm(cache, upstream, clock, IN_WINDOW_S)
    upstream.fail = RuntimeError("provider down")
    with caplog.at_level(logging.WARNING, logger="gateway.cache"):
        reads = await asyncio.gather(*(load(cache, upstream) for _ in range(32)))
        await cache.refresher.drain()
        # Served stale again, without a second refresh of the failed keys.
        assert await load(cache, upstream) == {A1: "a1-v1", A2: "a2-v1"}
        await cache.refresher.drain()
    assert all(read == {A1: "a1-v1", A2: "a2-v1"} for read in reads)
    assert upstream.calls == [[A1, A2]]
    failures = [r for r in caplog.records if "background refresh failed" in r.message]
    assert len(failures) == 1

    clock.now += PAST_GRACE_S - IN_WINDOW_S
    with pytest.raises(RuntimeError):
        await load(cache, upstream)  # a miss: the request's own fetch fails
    upstream.fail = None
    assert await load(cache, upstream) == {A1: "a1-v2", A2: "a2-v2"}


async def test_a_key_gone_upstream_is_dropped_by_its_refresh(
    cache: MemoryCache, clock: Clock
) -> None:
    upstream = Upstream()
    await warm(cache, upstream, clock, IN_WINDOW_S)
    del upstream.values[A1]
    await load(cache, upstream)
    await cache.refresher.drain()
    assert await cache.get_many("orders", [A1, A2]) == {A2: b"a2-v2"}


async def test_a_bypass_starts_no_refresh(cache: MemoryCache, clock: Clock) -> None:
    upstream = Upstream()
    await warm(cache, upstream, clock, IN_WINDOW_S)
    assert await load(cache, upstream, bypass=True) == {A1: "a1-v2", A2: "a2-v2"}
    assert len(cache.refresher) == 0
    assert upstream.calls == [[A1, A2]]


async def test_without_a_policy_nothing_is_refreshed_or_kept_past_the_ttl(
    cache: MemoryCache, clock: Clock
) -> None:
    upstream = Upstream()

    async def plain() -> Mapping[CacheKey, str]:
        return await cached_fetch(
            cache, "orders", [A1], upstream, TTL_S, bypass=False,
            encode=str.encode, decode=bytes.decode,
        )  # fmt: skip

    await plain()
    clock.now += IN_WINDOW_S
    assert await plain() == {A1: "a1-v1"}
    assert len(cache.refresher) == 0
    clock.now += 1.5
    assert await cache.get_many("orders", [A1]) == {}


async def test_close_cancels_the_refreshes_in_flight(
    cache: MemoryCache, clock: Clock
) -> None:
    upstream = Upstream()
    await warm(cache, upstream, clock, IN_WINDOW_S)
    upstream.gate.clear()
    await load(cache, upstream)
    await asyncio.sleep(0)
    assert len(cache.refresher) == 2
    await cache.close()
    assert len(cache.refresher) == 0
    assert not cache.refresher.start("orders", {A1: 1.0}, lambda job: asyncio.sleep(0))


class Lister:
    """A provider's list call, held at a gate; its items change on `update`."""

    def __init__(self) -> None:
        self.calls = 0
        self.gate = asyncio.Event()
        self.gate.set()
        self.status = "v1"

    async def __call__(self) -> Page[Order]:
        self.calls += 1
        await self.gate.wait()
        items = [make_order("a", n) for n in range(2)]
        return Page(items, None, 2, {"version": self.status})


async def read_page(cache: MemoryCache, lister: Lister) -> Page[Order]:
    settings = CacheSettings(ttl_s={"orders": TTL_S})
    return await cached_page(
        cache,
        settings,
        ORDER_PAGES,
        "a",
        OrderFilter(),
        PageRequest(size=2),
        lister,
        bypass=False,
    )


async def test_a_page_near_expiry_is_served_and_refreshed_once(
    cache: MemoryCache, clock: Clock
) -> None:
    lister = Lister()
    await read_page(cache, lister)
    lister.status, lister.gate = "v2", asyncio.Event()
    clock.now += IN_GRACE_S
    pages = await asyncio.gather(*(read_page(cache, lister) for _ in range(32)))
    assert {page.extra["version"] for page in pages} == {"v1"}
    lister.gate.set()
    await cache.refresher.drain()
    assert lister.calls == 2
    assert (await read_page(cache, lister)).extra["version"] == "v2"
    assert lister.calls == 2


async def test_a_list_invalidation_voids_a_page_refresh(
    cache: MemoryCache, clock: Clock
) -> None:
    lister = Lister()
    await read_page(cache, lister)
    lister.status, lister.gate = "v2", asyncio.Event()
    clock.now += IN_WINDOW_S
    await read_page(cache, lister)
    await invalidate_list(cache, "a", ORDER_LIST)
    lister.gate.set()
    await cache.refresher.drain()
    assert lister.calls == 2
    # Not stored by the refresh: the next read fetches the page itself.
    assert (await read_page(cache, lister)).extra["version"] == "v2"
    assert lister.calls == 3

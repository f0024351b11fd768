"""RedisCache against the Redis on 127.0.0.1:6379, and with Redis down.

Each test works under its own key prefix, deleted afterwards (the
`redis_prefix` fixture of tests/conftest.py). Tests that need Redis skip if it
is not there, or fail when CI is set; the Redis-down tests point at a closed
port and always run.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import redis.asyncio as aioredis

from gateway.cache import (
    CacheKey,
    RedisCache,
    RefreshPolicy,
    cache_from_url,
    cached_fetch,
    list_codec,
    model_codec,
)
from gateway.models import Order, OrderKind, OrderLine, OrderStatus
from tests.conftest import REDIS_URL

A1, A2, B1 = CacheKey("a", "1"), CacheKey("a", "2"), CacheKey("b", "1")

Make = Callable[..., RedisCache]


@pytest.fixture
async def make(redis_prefix: str) -> AsyncIterator[Make]:
    """Build caches on the test's prefix (one per gateway instance); closed after."""
    built: list[RedisCache] = []

    def build(**options: Any) -> RedisCache:
        cache = RedisCache.from_url(REDIS_URL, redis_prefix, **options)
        built.append(cache)
        return cache

    yield build
    for cache in built:
        await cache.close()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def order(provider: str, order_id: str, status: OrderStatus) -> Order:
    return Order(
        provider=provider,
        raw={"id": order_id, "state": status.lower(), "n": [1, 2.5, None]},
        id=order_id,
        kind=OrderKind.DTC,
        status=status,
        raw_status=status.lower(),
    )


async def test_values_are_read_back_per_entity(make: Make) -> None:
    cache = make()
    await cache.set_many("orders", {A1: b"o-a1", B1: b"o-b1"}, 30)
    await cache.set_many("lines", {A1: b"l-a1"}, 30)
    assert await cache.get_many("orders", [A1, A2, B1]) == {A1: b"o-a1", B1: b"o-b1"}
    assert await cache.get_many("lines", [A1, B1]) == {A1: b"l-a1"}
    assert await cache.get_many("orders", []) == {}


async def test_odd_names_and_keys_stay_apart(make: Make) -> None:
    cache = make()
    odd = CacheKey("a", "SKU|1:2 %7C é/*?[")
    await cache.set_many("orders", {odd: b"odd", CacheKey("a", "SKU"): b"plain"}, 30)
    await cache.set_many("orders|0|a", {CacheKey("0", "SKU"): b"tricky"}, 30)
    assert await cache.get_many("orders", [odd]) == {odd: b"odd"}
    assert await cache.get_many("orders", [CacheKey("a|0", "SKU")]) == {}
    assert await cache.get_many("orders|0|a", [CacheKey("0", "SKU")]) == {
        CacheKey("0", "SKU"): b"tricky"
    }


async def test_values_expire_with_their_ttl(make: Make, redis_prefix: str) -> None:
    cache = make()
    await cache.set_many("inventory", {A1: b"short"}, 0.15)
    await cache.set_many("inventory", {A2: b"long"}, 30)
    pttls = [
        await cache.redis.pttl(key)
        async for key in cache.redis.scan_iter(match=f"{redis_prefix}v:*")
    ]
    short, long = sorted(pttls)
    assert 0 < short <= 150
    assert long > 29_000
    assert await cache.get_many("inventory", [A1, A2]) == {A1: b"short", A2: b"long"}
    await asyncio.sleep(0.3)
    assert await cache.get_many("inventory", [A1, A2]) == {A2: b"long"}


async def test_zero_ttl_stores_nothing(make: Make, redis_prefix: str) -> None:
    cache = make()
    await cache.set_many("orders", {A1: b"v"}, 0)
    assert [k async for k in cache.redis.scan_iter(match=redis_prefix + "*")] == []


async def test_invalidate_by_key(make: Make) -> None:
    cache = make()
    await cache.set_many("orders", {A1: b"1", A2: b"2", B1: b"3"}, 30)
    await cache.set_many("lines", {A1: b"l"}, 30)
    await cache.invalidate("orders", [A1, B1, CacheKey("a", "never")])
    assert await cache.get_many("orders", [A1, A2, B1]) == {A2: b"2"}
    assert await cache.get_many("lines", [A1]) == {A1: b"l"}


async def test_invalidate_entity(make: Make) -> None:
    cache = make()
    await cache.set_many("inventory", {A1: b"1", B1: b"2"}, 30)
    await cache.set_many("orders", {A1: b"o"}, 30)
    await cache.invalidate_entity("inventory")
    assert await cache.get_many("inventory", [A1, B1]) == {}
    assert await cache.get_many("orders", [A1]) == {A1: b"o"}
    await cache.set_many("inventory", {A1: b"new"}, 30)
    assert await cache.get_many("inventory", [A1]) == {A1: b"new"}


async def test_invalidate_provider_covers_every_entity_without_a_scan(
    make: Make, redis_prefix: str
) -> None:
    cache = make()
    await cache.set_many("orders", {A1: b"o", B1: b"ob"}, 30)
    await cache.set_many("lines", {A2: b"l", B1: b"lb"}, 30)
    before = {k async for k in cache.redis.scan_iter(match=redis_prefix + "*")}
    await cache.invalidate_provider("a")
    assert await cache.get_many("orders", [A1, B1]) == {B1: b"ob"}
    assert await cache.get_many("lines", [A2, B1]) == {B1: b"lb"}
    after = {k async for k in cache.redis.scan_iter(match=redis_prefix + "*")}
    # One counter changed; the old values are left to expire.
    assert after - before == {f"{redis_prefix}g:p:a".encode()}
    await cache.set_many("orders", {A1: b"fresh"}, 30)
    assert await cache.get_many("orders", [A1]) == {A1: b"fresh"}


async def test_two_instances_share_values_and_invalidations(make: Make) -> None:
    first, second = make(), make()
    await first.set_many("orders", {A1: b"o-a1", B1: b"o-b1"}, 30)
    await first.set_many("inventory", {A1: b"i-a1"}, 30)
    assert await second.get_many("orders", [A1, B1]) == {A1: b"o-a1", B1: b"o-b1"}
    await second.invalidate("orders", [B1])
    assert await first.get_many("orders", [A1, B1]) == {A1: b"o-a1"}
    await second.invalidate_provider("a")
    assert await first.get_many("orders", [A1]) == {}
    assert await first.get_many("inventory", [A1]) == {}
    await first.set_many("inventory", {A1: b"i2", B1: b"ib"}, 30)
    await first.invalidate_entity("inventory")
    assert await second.get_many("inventory", [A1, B1]) == {}


async def test_cached_fetch_across_two_instances_calls_upstream_once(
    make: Make,
) -> None:
    first, second = make(), make()
    codec = model_codec(Order)
    upstream = {
        A1: order("a", "1", OrderStatus.PENDING),
        B1: order("b", "1", OrderStatus.SHIPPED),
    }
    calls: list[list[CacheKey]] = []

    async def fetch(keys: list[CacheKey]) -> dict[CacheKey, Order]:
        calls.append(keys)
        return {k: upstream[k] for k in keys if k in upstream}

    async def load(cache: RedisCache, bypass: bool = False) -> dict[CacheKey, Order]:
        return await cached_fetch(
            cache,
            "orders",
            [A1, A2, B1],
            fetch,
            30,
            bypass=bypass,
            encode=codec.encode,
            decode=codec.decode,
        )

    assert await load(first) == upstream
    assert await load(second) == upstream  # A2 is absent, so asked again
    upstream[A1] = order("a", "1", OrderStatus.CANCELLED)
    assert (await load(second))[A1].status == OrderStatus.PENDING
    assert (await load(second, bypass=True))[A1].status == OrderStatus.CANCELLED
    assert (await load(first))[A1] == upstream[A1]
    await first.invalidate_provider("b")
    await load(second)
    assert calls == [[A1, A2, B1], [A2], [A2], [A1, A2, B1], [A2], [A2, B1]]


async def test_lists_round_trip_through_redis(make: Make) -> None:
    cache = make()
    codec = list_codec(OrderLine)
    lines = [
        OrderLine(
            provider="a",
            raw={"x": [1, {"y": None}]},
            id=f"l{n}",
            order_id="1",
            sku="S",
            quantity=n,
        )
        for n in (1, 2)
    ]
    await cache.set_many("lines", {A1: codec.encode(lines), A2: codec.encode([])}, 30)
    found = await cache.get_many("lines", [A1, A2])
    assert codec.decode(found[A1]) == lines
    assert codec.decode(found[A2]) == []


async def test_prefixes_keep_caches_apart(make: Make, redis_prefix: str) -> None:
    cache = make()
    other = RedisCache.from_url(REDIS_URL, redis_prefix + "other:")
    try:
        await cache.set_many("orders", {A1: b"mine"}, 30)
        assert await other.get_many("orders", [A1]) == {}
    finally:
        await other.close()


async def test_cache_from_url_builds_a_shared_redis_cache(redis_prefix: str) -> None:
    first = cache_from_url(REDIS_URL, prefix=redis_prefix)
    second = cache_from_url(REDIS_URL, prefix=redis_prefix)
    try:
        assert isinstance(first, RedisCache)
        await first.set_many("orders", {A1: b"o"}, 30)
        assert await second.get_many("orders", [A1]) == {A1: b"o"}
    finally:
        await first.close()
        await second.close()


async def test_redis_down_is_a_miss_and_a_no_op_logged_once(
    closed_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    cache = RedisCache.from_url(
        f"redis://127.0.0.1:{closed_port}/0", "p:", cooldown_s=0
    )
    try:
        with caplog.at_level(logging.DEBUG, logger="gateway.cache"):
            for _ in range(3):
                assert await cache.get_many("orders", [A1, B1]) == {}
                await cache.set_many("orders", {A1: b"o"}, 30)
                await cache.invalidate("orders", [A1])
                await cache.invalidate_entity("orders")
                await cache.invalidate_provider("a")
    finally:
        await cache.close()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()
    assert "read failed" in warnings[0].getMessage()


async def test_loads_still_work_with_redis_down(closed_port: int) -> None:
    cache = RedisCache.from_url(f"redis://127.0.0.1:{closed_port}/0", "p:")
    calls: list[list[CacheKey]] = []

    async def fetch(keys: list[CacheKey]) -> dict[CacheKey, bytes]:
        calls.append(keys)
        return {k: b"v" for k in keys}

    try:
        for _ in range(2):
            found = await cached_fetch(
                cache,
                "orders",
                [A1, B1],
                fetch,
                30,
                bypass=False,
                encode=bytes,
                decode=bytes,
            )
            assert found == {A1: b"v", B1: b"v"}
    finally:
        await cache.close()
    assert calls == [[A1, B1], [A1, B1]]


async def test_after_a_failure_reads_and_writes_rest_then_recover(
    closed_port: int, redis_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    now = [0.0]
    cache = RedisCache.from_url(
        f"redis://127.0.0.1:{closed_port}/0",
        redis_prefix,
        cooldown_s=5,
        clock=lambda: now[0],
    )
    down = cache.redis
    try:
        assert await cache.get_many("orders", [A1]) == {}
        cache.redis = aioredis.Redis.from_url(REDIS_URL)
        await cache.set_many("orders", {A1: b"o"}, 30)  # resting: skipped
        assert await cache.get_many("orders", [A1]) == {}
        now[0] = 5.0
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="gateway.cache"):
            await cache.set_many("orders", {A1: b"o"}, 30)
        assert await cache.get_many("orders", [A1]) == {A1: b"o"}
        assert [r.getMessage() for r in caplog.records] == [
            "entity cache (Redis) reachable again"
        ]
    finally:
        await down.aclose()
        await cache.close()


async def test_entries_carry_the_time_left_from_their_pttl(make: Make) -> None:
    cache = make()
    await cache.set_many("orders", {A1: b"short", B1: b"long"}, 4)
    await cache.set_many("orders", {B1: b"long"}, 30)
    entries = await cache.get_entries("orders", [A1, A2, B1])
    assert set(entries) == {A1, B1}
    assert entries[A1].value == b"short"
    assert 0 < entries[A1].ttl_left_s <= 4
    assert 4 < entries[B1].ttl_left_s <= 30


async def test_refresh_ahead_on_redis_fetches_once_and_stores_a_full_ttl(
    make: Make,
) -> None:
    first, second = make(), make()
    policy = RefreshPolicy(ahead=0.2, grace_s=3.0)
    answers = {A1: "a1-v2", B1: "b1-v2"}
    calls: list[list[CacheKey]] = []
    gate = asyncio.Event()

    async def fetch(keys: list[CacheKey]) -> dict[CacheKey, str]:
        calls.append(keys)
        await gate.wait()
        return {k: answers[k] for k in keys}

    async def load(cache: RedisCache) -> dict[CacheKey, str]:
        return await cached_fetch(
            cache,
            "inventory",
            [A1, B1],
            fetch,
            10,
            bypass=False,
            encode=str.encode,
            decode=bytes.decode,
            refresh=policy,
        )

    # Stored 4 s ago would leave 13 - 4 = 9 s; 4 s left is inside the last
    # 2 s of the 10 s TTL (1 s fresh, then the 3 s grace).
    await first.set_many("inventory", {A1: b"a1-v1", B1: b"b1-v1"}, 4)
    reads = await asyncio.gather(*(load(first) for _ in range(32)))
    assert all(read == {A1: "a1-v1", B1: "b1-v1"} for read in reads)
    assert len(first.refresher) == 2
    gate.set()
    await first.refresher.drain()
    assert calls == [[A1, B1]]

    # Every instance sees the refreshed values, fresh for the whole TTL.
    entries = await second.get_entries("inventory", [A1, B1])
    assert {k: e.value for k, e in entries.items()} == {A1: b"a1-v2", B1: b"b1-v2"}
    assert all(10 < e.ttl_left_s <= 13 for e in entries.values())
    assert await load(second) == answers
    await second.refresher.drain()
    assert calls == [[A1, B1]]


async def test_an_invalidated_redis_value_is_a_miss_not_a_stale_hit(
    make: Make,
) -> None:
    first, second = make(), make()
    calls: list[list[CacheKey]] = []

    async def fetch(keys: list[CacheKey]) -> dict[CacheKey, str]:
        calls.append(keys)
        return {k: "fresh" for k in keys}

    await first.set_many("inventory", {A1: b"stale"}, 4)  # due for a refresh
    await second.invalidate("inventory", [A1])
    found = await cached_fetch(
        first,
        "inventory",
        [A1],
        fetch,
        10,
        bypass=False,
        encode=str.encode,
        decode=bytes.decode,
        refresh=RefreshPolicy(ahead=0.2, grace_s=3.0),
    )
    assert found == {A1: "fresh"}
    assert calls == [[A1]]
    assert len(first.refresher) == 0

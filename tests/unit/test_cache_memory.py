"""MemoryCache: TTL per item on an injected clock, LRU bound, O(1) invalidation."""

from __future__ import annotations

import pytest

from gateway.cache import CacheKey, MemoryCache, NullCache

A1, A2, B1 = CacheKey("a", "1"), CacheKey("a", "2"), CacheKey("b", "1")


class Clock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(clock: Clock) -> MemoryCache:
    return MemoryCache(max_items=100, clock=clock)


async def test_values_are_read_back_per_entity(cache: MemoryCache) -> None:
    await cache.set_many("orders", {A1: b"o-a1", B1: b"o-b1"}, 30)
    await cache.set_many("lines", {A1: b"l-a1"}, 30)
    assert await cache.get_many("orders", [A1, A2, B1]) == {A1: b"o-a1", B1: b"o-b1"}
    assert await cache.get_many("lines", [A1, B1]) == {A1: b"l-a1"}
    assert await cache.get_many("shipments", [A1]) == {}
    assert await cache.get_many("orders", []) == {}


async def test_items_expire_after_their_own_ttl(
    cache: MemoryCache, clock: Clock
) -> None:
    await cache.set_many("inventory", {A1: b"short"}, 15)
    await cache.set_many("inventory", {A2: b"long"}, 60)
    clock.now += 14.9
    assert await cache.get_many("inventory", [A1, A2]) == {A1: b"short", A2: b"long"}
    clock.now += 0.1
    assert await cache.get_many("inventory", [A1, A2]) == {A2: b"long"}
    clock.now += 45
    assert await cache.get_many("inventory", [A1, A2]) == {}
    assert len(cache) == 0


async def test_storing_again_renews_the_ttl(cache: MemoryCache, clock: Clock) -> None:
    await cache.set_many("orders", {A1: b"v1"}, 10)
    clock.now += 8
    await cache.set_many("orders", {A1: b"v2"}, 10)
    clock.now += 8
    assert await cache.get_many("orders", [A1]) == {A1: b"v2"}


async def test_zero_ttl_stores_nothing(cache: MemoryCache) -> None:
    await cache.set_many("orders", {A1: b"v"}, 0)
    await cache.set_many("orders", {A1: b"v"}, -1)
    assert len(cache) == 0


async def test_size_is_bounded_and_the_least_recently_used_goes_first(
    clock: Clock,
) -> None:
    cache = MemoryCache(max_items=3, clock=clock)
    k = [CacheKey("a", str(n)) for n in range(5)]
    await cache.set_many("orders", {k[0]: b"0", k[1]: b"1", k[2]: b"2"}, 30)
    assert await cache.get_many("orders", [k[0]]) == {k[0]: b"0"}  # 1 is now oldest
    await cache.set_many("orders", {k[3]: b"3"}, 30)
    assert len(cache) == 3
    assert await cache.get_many("orders", [k[1]]) == {}
    assert await cache.get_many("orders", [k[2]]) == {k[2]: b"2"}  # 0 is now oldest
    await cache.set_many("orders", {k[4]: b"4"}, 30)
    assert await cache.get_many("orders", [k[0]]) == {}
    assert set(await cache.get_many("orders", k)) == {k[2], k[3], k[4]}


async def test_one_large_batch_keeps_only_its_newest_items(clock: Clock) -> None:
    cache = MemoryCache(max_items=10, clock=clock)
    batch = {CacheKey("a", str(n)): b"x" for n in range(25)}
    await cache.set_many("orders", batch, 30)
    assert len(cache) == 10
    assert set(await cache.get_many("orders", list(batch))) == set(list(batch)[15:])


def test_max_items_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_items"):
        MemoryCache(max_items=0)


async def test_invalidate_by_key_touches_only_those_keys(cache: MemoryCache) -> None:
    await cache.set_many("orders", {A1: b"1", A2: b"2", B1: b"3"}, 30)
    await cache.set_many("lines", {A1: b"l"}, 30)
    await cache.invalidate("orders", [A1, B1, CacheKey("a", "never")])
    assert await cache.get_many("orders", [A1, A2, B1]) == {A2: b"2"}
    assert await cache.get_many("lines", [A1]) == {A1: b"l"}


async def test_invalidate_entity_forgets_it_for_every_provider(
    cache: MemoryCache,
) -> None:
    await cache.set_many("inventory", {A1: b"1", B1: b"2"}, 30)
    await cache.set_many("orders", {A1: b"o"}, 30)
    await cache.invalidate_entity("inventory")
    assert await cache.get_many("inventory", [A1, B1]) == {}
    assert await cache.get_many("orders", [A1]) == {A1: b"o"}
    await cache.set_many("inventory", {A1: b"new"}, 30)
    assert await cache.get_many("inventory", [A1]) == {A1: b"new"}


async def test_invalidate_provider_forgets_every_entity_of_it(
    cache: MemoryCache,
) -> None:
    await cache.set_many("orders", {A1: b"o", B1: b"ob"}, 30)
    await cache.set_many("lines", {A2: b"l", B1: b"lb"}, 30)
    await cache.invalidate_provider("a")
    assert await cache.get_many("orders", [A1, B1]) == {B1: b"ob"}
    assert await cache.get_many("lines", [A2, B1]) == {B1: b"lb"}
    await cache.set_many("orders", {A1: b"fresh"}, 30)
    assert await cache.get_many("orders", [A1]) == {A1: b"fresh"}


async def test_invalidated_items_leave_when_read(cache: MemoryCache) -> None:
    await cache.set_many("orders", {A1: b"o", A2: b"o"}, 30)
    await cache.invalidate_provider("a")
    assert len(cache) == 2  # O(1): nothing is walked
    await cache.get_many("orders", [A1, A2])
    assert len(cache) == 0


async def test_close_empties_it(cache: MemoryCache) -> None:
    await cache.set_many("orders", {A1: b"o"}, 30)
    await cache.close()
    assert len(cache) == 0


async def test_null_cache_keeps_nothing() -> None:
    cache = NullCache()
    await cache.set_many("orders", {A1: b"o"}, 30)
    assert await cache.get_many("orders", [A1]) == {}
    await cache.invalidate("orders", [A1])
    await cache.invalidate_entity("orders")
    await cache.invalidate_provider("a")
    await cache.close()

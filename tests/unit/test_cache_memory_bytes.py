"""MemoryCache's byte budget: never more than `max_bytes` held, whatever is stored."""

from __future__ import annotations

import pytest

from gateway.cache import CacheKey, MemoryCache
from gateway.cache.factory import cache_from_url
from gateway.cache.memory import weight_of
from gateway.settings import Settings


def held(cache: MemoryCache) -> int:
    """The weight of what the cache holds, counted from its items."""
    return sum(weight_of(slot, item.value) for slot, item in cache._items.items())


async def test_never_holds_more_than_its_byte_budget() -> None:
    cache = MemoryCache(max_items=10_000, max_bytes=50_000)
    for n in range(500):
        # Sizes vary like real entities: stock levels to orders with many lines.
        value = bytes(100 + (n * 37) % 4000)
        await cache.set_many("orders", {CacheKey("p", str(n)): value}, 30)
        assert cache.nbytes == held(cache) <= 50_000
    assert 10 < len(cache) < 500
    # The most recent survive (LRU), the oldest went first.
    assert await cache.get_many("orders", [CacheKey("p", "499")])
    assert not await cache.get_many("orders", [CacheKey("p", "0")])


async def test_rewrites_and_invalidations_keep_the_count_exact() -> None:
    cache = MemoryCache(max_items=100, max_bytes=1_000_000)
    key = CacheKey("p", "1")
    for size in (10, 5000, 300, 300):
        await cache.set_many("orders", {key: bytes(size)}, 30)
    assert len(cache) == 1
    assert cache.nbytes == held(cache) == weight_of(("orders", "p", "1"), bytes(300))
    await cache.invalidate("orders", [key])
    assert (len(cache), cache.nbytes) == (0, 0)


async def test_expired_and_stale_items_count_until_they_leave() -> None:
    now = [1000.0]
    cache = MemoryCache(max_items=100, clock=lambda: now[0], max_bytes=10_000)
    await cache.set_many("orders", {CacheKey("p", "1"): bytes(1000)}, 1)
    await cache.invalidate_provider("p")
    now[0] += 5
    # Neither is readable any more, and both still fall under the budget.
    assert not await cache.get_many("lines", [CacheKey("p", "1")])
    for n in range(50):
        await cache.set_many("lines", {CacheKey("q", str(n)): bytes(1000)}, 30)
    assert cache.nbytes == held(cache) <= 10_000


async def test_a_value_heavier_than_the_budget_is_not_kept() -> None:
    cache = MemoryCache(max_items=100, max_bytes=2_000)
    small = CacheKey("p", "small")
    await cache.set_many("orders", {small: b"x"}, 30)
    await cache.set_many("orders", {CacheKey("p", "big"): bytes(5_000)}, 30)
    assert await cache.get_many("orders", [small]) == {small: b"x"}
    assert len(cache) == 1


def test_rejects_an_empty_budget() -> None:
    with pytest.raises(ValueError, match="max_bytes"):
        MemoryCache(max_bytes=0)


def test_the_setting_reaches_the_cache() -> None:
    settings = Settings(cache={"max_bytes": 12345})
    assert settings.cache.max_bytes == 12345
    cache = cache_from_url(None, max_bytes=settings.cache.max_bytes)
    assert isinstance(cache, MemoryCache)
    assert cache.max_bytes == 12345
    assert Settings().cache.max_bytes == 64 * 1024 * 1024

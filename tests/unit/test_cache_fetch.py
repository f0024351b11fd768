"""cached_fetch: exact upstream calls, bypass, no caching of absent keys; bypass header."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pytest

from gateway.cache import (
    CacheKey,
    Entry,
    MemoryCache,
    bypass_requested,
    cached_fetch,
    list_codec,
)
from gateway.models import OrderLine

A1, A2, A3, B1 = (
    CacheKey("a", "1"),
    CacheKey("a", "2"),
    CacheKey("a", "3"),
    CacheKey("b", "1"),
)


class Upstream:
    """A fetch function that records each call and answers from `values`."""

    def __init__(self, values: Mapping[CacheKey, str | None]) -> None:
        self.values = dict(values)
        self.calls: list[list[CacheKey]] = []
        self.fail: Exception | None = None
        self.extra: dict[CacheKey, str] = {}

    async def __call__(self, keys: list[CacheKey]) -> dict[CacheKey, str | None]:
        self.calls.append(list(keys))
        if self.fail is not None:
            raise self.fail
        found = {k: self.values[k] for k in keys if k in self.values}
        return {**found, **self.extra}


class SpyCache(MemoryCache):
    """A MemoryCache that records which methods were called."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[str] = []

    async def get_entries(
        self, entity: str, keys: Sequence[CacheKey]
    ) -> dict[CacheKey, Entry]:
        self.log.append("get")
        return await super().get_entries(entity, keys)

    async def set_many(
        self, entity: str, items: Mapping[CacheKey, bytes], ttl_s: float
    ) -> None:
        self.log.append("set")
        await super().set_many(entity, items, ttl_s)


def encode(value: str | None) -> bytes:
    assert value is not None
    return value.encode()


def decode(data: bytes) -> str | None:
    return data.decode()


async def load(
    cache: MemoryCache,
    upstream: Upstream,
    keys: Sequence[CacheKey],
    *,
    bypass: bool = False,
    ttl_s: float = 30,
    entity: str = "orders",
) -> dict[CacheKey, str | None]:
    return await cached_fetch(
        cache,
        entity,
        keys,
        upstream,
        ttl_s,
        bypass=bypass,
        encode=encode,
        decode=decode,
    )


@pytest.fixture
def cache() -> SpyCache:
    return SpyCache()


async def test_second_load_makes_no_upstream_call(cache: SpyCache) -> None:
    upstream = Upstream({A1: "a1", A2: "a2", B1: "b1"})
    assert await load(cache, upstream, [A1, A2, B1]) == {A1: "a1", A2: "a2", B1: "b1"}
    assert await load(cache, upstream, [B1, A1, A2]) == {A1: "a1", A2: "a2", B1: "b1"}
    assert upstream.calls == [[A1, A2, B1]]


async def test_only_the_missing_keys_are_fetched_once_in_first_seen_order(
    cache: SpyCache,
) -> None:
    upstream = Upstream({A1: "a1", A2: "a2", A3: "a3", B1: "b1"})
    await load(cache, upstream, [A2])
    found = await load(cache, upstream, [B1, A2, A3, B1, A1, A3])
    assert found == {A1: "a1", A2: "a2", A3: "a3", B1: "b1"}
    assert upstream.calls == [[A2], [B1, A3, A1]]


async def test_absent_keys_are_not_cached_and_found_once_they_exist(
    cache: SpyCache,
) -> None:
    upstream = Upstream({A1: "a1"})
    assert await load(cache, upstream, [A1, A2]) == {A1: "a1"}
    assert await load(cache, upstream, [A1, A2]) == {A1: "a1"}
    upstream.values[A2] = "created"
    assert await load(cache, upstream, [A1, A2]) == {A1: "a1", A2: "created"}
    assert await load(cache, upstream, [A1, A2]) == {A1: "a1", A2: "created"}
    assert upstream.calls == [[A1, A2], [A2], [A2]]


async def test_keys_answered_with_none_are_absent(cache: SpyCache) -> None:
    upstream = Upstream({A1: None, A2: "a2"})
    assert await load(cache, upstream, [A1, A2]) == {A2: "a2"}
    assert await load(cache, upstream, [A1, A2]) == {A2: "a2"}
    assert upstream.calls == [[A1, A2], [A1]]


async def test_keys_not_asked_for_are_neither_stored_nor_returned(
    cache: SpyCache,
) -> None:
    upstream = Upstream({A1: "a1"})
    upstream.extra = {B1: "unasked"}
    assert await load(cache, upstream, [A1]) == {A1: "a1"}
    assert await cache.get_many("orders", [B1]) == {}


async def test_bypass_skips_the_read_but_refreshes_the_cache(cache: SpyCache) -> None:
    upstream = Upstream({A1: "old", B1: "b1"})
    await load(cache, upstream, [A1, B1])
    upstream.values[A1] = "new"
    cache.log.clear()
    assert await load(cache, upstream, [A1, B1], bypass=True) == {A1: "new", B1: "b1"}
    assert cache.log == ["set"]
    assert await load(cache, upstream, [A1, B1]) == {A1: "new", B1: "b1"}
    assert upstream.calls == [[A1, B1], [A1, B1]]


async def test_zero_ttl_neither_reads_nor_writes(cache: SpyCache) -> None:
    upstream = Upstream({A1: "a1"})
    await load(cache, upstream, [A1], ttl_s=0)
    await load(cache, upstream, [A1], ttl_s=0)
    assert cache.log == []
    assert upstream.calls == [[A1], [A1]]


async def test_all_cached_means_no_fetch_and_no_write(cache: SpyCache) -> None:
    upstream = Upstream({A1: "a1"})
    await load(cache, upstream, [A1])
    cache.log.clear()
    await load(cache, upstream, [A1])
    assert cache.log == ["get"]
    assert upstream.calls == [[A1]]


async def test_no_keys_means_no_call_at_all(cache: SpyCache) -> None:
    upstream = Upstream({})
    assert await load(cache, upstream, []) == {}
    assert upstream.calls == []
    assert cache.log == []


async def test_a_failing_fetch_propagates_and_stores_nothing(cache: SpyCache) -> None:
    upstream = Upstream({A1: "a1"})
    upstream.fail = RuntimeError("provider down")
    with pytest.raises(RuntimeError, match="provider down"):
        await load(cache, upstream, [A1])
    upstream.fail = None
    assert await load(cache, upstream, [A1]) == {A1: "a1"}
    assert upstream.calls == [[A1], [A1]]


async def test_an_undecodable_entry_is_a_miss_and_is_overwritten(
    cache: SpyCache, caplog: pytest.LogCaptureFixture
) -> None:
    codec = list_codec(OrderLine)
    line = OrderLine(provider="a", id="l1", order_id="1", sku="S", quantity=1)
    calls: list[list[CacheKey]] = []

    async def fetch(keys: list[CacheKey]) -> dict[CacheKey, list[OrderLine]]:
        calls.append(keys)
        return {A1: [line], A2: []}

    await cache.set_many("lines", {A1: b'{"from": "an older gateway"}'}, 30)
    with caplog.at_level(logging.WARNING, logger="gateway.cache"):
        found = await cached_fetch(
            cache,
            "lines",
            [A1, A2],
            fetch,
            30,
            bypass=False,
            encode=codec.encode,
            decode=codec.decode,
        )
    assert found == {A1: [line], A2: []}
    assert [r.message for r in caplog.records] == [
        "undecodable cache entry, refetching"
    ]
    again = await cached_fetch(
        cache,
        "lines",
        [A1, A2],
        fetch,
        30,
        bypass=False,
        encode=codec.encode,
        decode=codec.decode,
    )
    assert again == {A1: [line], A2: []}  # an empty list is a value, and cached
    assert calls == [[A1, A2]]


async def test_a_value_that_does_not_encode_is_served_but_not_cached(
    cache: SpyCache, caplog: pytest.LogCaptureFixture
) -> None:
    upstream = Upstream({A1: "a1", A2: "bad"})

    def picky(value: str | None) -> bytes:
        if value == "bad":
            raise ValueError("cannot encode")
        return encode(value)

    for _ in range(2):
        found = await cached_fetch(
            cache,
            "orders",
            [A1, A2],
            upstream,
            30,
            bypass=False,
            encode=picky,
            decode=decode,
        )
        assert found == {A1: "a1", A2: "bad"}
    assert upstream.calls == [[A1, A2], [A2]]
    assert {r.message for r in caplog.records} == {"unencodable value, not cached"}


async def test_entities_and_ttls_are_kept_apart() -> None:
    clock_now = [0.0]
    cache = MemoryCache(clock=lambda: clock_now[0])
    upstream = Upstream({A1: "a1"})
    await load(cache, upstream, [A1], entity="inventory", ttl_s=15)
    await load(cache, upstream, [A1], entity="orders", ttl_s=30)
    clock_now[0] = 20
    await load(cache, upstream, [A1], entity="inventory", ttl_s=15)
    await load(cache, upstream, [A1], entity="orders", ttl_s=30)
    assert upstream.calls == [[A1], [A1], [A1]]


async def test_invalidating_a_provider_refetches_only_its_keys(
    cache: SpyCache,
) -> None:
    upstream = Upstream({A1: "a1", B1: "b1"})
    await load(cache, upstream, [A1, B1])
    await cache.invalidate_provider("b")
    await load(cache, upstream, [A1, B1])
    await cache.invalidate("orders", [A1])
    await load(cache, upstream, [A1, B1])
    await cache.invalidate_entity("orders")
    await load(cache, upstream, [A1, B1])
    assert upstream.calls == [[A1, B1], [B1], [A1], [A1, B1]]


@pytest.mark.parametrize(
    ("cache_control", "pragma", "bypass"),
    [
        (None, None, False),
        ("no-cache", None, True),
        ("No-Cache", None, True),
        ("max-age=60, no-cache", None, True),
        (" no-store ,no-cache ", None, True),
        ("max-age=0", None, True),
        ('max-age="0"', None, True),
        ("max-age=10", None, False),
        ("no-store", None, False),
        ("no-transform", None, False),
        ("", None, False),
        (None, "no-cache", True),
        (None, "something", False),
        ("max-age=10", "no-cache", False),  # Cache-Control wins (RFC 9111 §5.4)
    ],
)
def test_bypass_requested(
    cache_control: str | None, pragma: str | None, bypass: bool
) -> None:
    assert bypass_requested(cache_control, pragma) is bypass

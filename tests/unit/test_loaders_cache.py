"""Loaders through the entity cache: one request's fetch serves the next request."""

from __future__ import annotations

import asyncio

from gateway.cache import CacheKey, MemoryCache, NullCache
from gateway.cache.entities import ATTACHMENTS, INVENTORY, ORDER_LINES, ORDERS
from gateway.errors import ProviderUnavailable
from gateway.ids import Ref
from gateway.loaders import Loaders, SkuKey
from gateway.settings import CacheSettings
from tests.fakes import FakeProvider, make_order

SETTINGS = CacheSettings()


def providers() -> dict[str, FakeProvider]:
    return {
        "a": FakeProvider("a", [make_order("a", n) for n in range(3)]),
        "b": FakeProvider("b", [make_order("b", n) for n in range(3)]),
    }


def order_ref(provider: str, n: int | str) -> Ref:
    return Ref(provider, "Order", f"{provider}-{n}")


def request(
    fakes: dict[str, FakeProvider], cache: MemoryCache, *, bypass: bool = False
) -> Loaders:
    """The loaders of one GraphQL request."""
    return Loaders.create(fakes, cache, SETTINGS, bypass=bypass)  # type: ignore[arg-type]


async def test_second_request_is_served_from_the_cache_and_realigned() -> None:
    fakes, cache = providers(), MemoryCache()
    keys = [
        order_ref("b", 1),
        order_ref("a", 2),
        order_ref("a", "x"),
        order_ref("a", 0),
    ]
    for _ in range(2):
        loader = request(fakes, cache).order_by_ref
        found = await asyncio.gather(*(loader.load(k) for k in keys))
        assert [o.id if o else None for o in found] == ["b-1", "a-2", None, "a-0"]
    # The unknown order is asked again (it may exist by now); nothing else is.
    assert fakes["a"].calls == [
        ("get_orders", ("a-2", "a-x", "a-0")),
        ("get_orders", ("a-x",)),
    ]
    assert fakes["b"].calls == [("get_orders", ("b-1",))]
    assert set(await cache.get_many(ORDERS, [CacheKey("a", "a-2")])) == {
        CacheKey("a", "a-2")
    }


async def test_an_empty_memory_cache_is_used_not_mistaken_for_none() -> None:
    fakes, cache = providers(), MemoryCache()
    assert len(cache) == 0
    await request(fakes, cache).order_by_ref.load(order_ref("a", 1))
    assert len(cache) == 1


async def test_failing_provider_fails_its_keys_and_caches_nothing() -> None:
    fakes, cache = providers(), MemoryCache()
    fakes["a"].fail_with = ProviderUnavailable("a", "down")
    results = await asyncio.gather(
        request(fakes, cache).order_by_ref.load(order_ref("a", 1)),
        request(fakes, cache).order_by_ref.load(order_ref("b", 1)),
        return_exceptions=True,
    )
    assert isinstance(results[0], ProviderUnavailable)
    assert await cache.get_many(ORDERS, [CacheKey("a", "a-1")]) == {}
    fakes["a"].fail_with = None
    found = await request(fakes, cache).order_by_ref.load(order_ref("a", 1))
    assert found is not None
    assert fakes["a"].calls == [("get_orders", ("a-1",))] * 2


async def test_bypass_rereads_and_refreshes() -> None:
    fakes, cache = providers(), MemoryCache()
    ref = order_ref("a", 1)
    await request(fakes, cache).lines_by_order.load(ref)
    await request(fakes, cache, bypass=True).lines_by_order.load(ref)
    await request(fakes, cache).lines_by_order.load(ref)
    assert fakes["a"].calls == [("get_lines", ("a-1",))] * 2


async def test_list_loader_caches_an_absent_key_as_empty() -> None:
    fakes, cache = providers(), MemoryCache()
    for _ in range(2):
        lines = await request(fakes, cache).lines_by_order.load(order_ref("a", "x"))
        assert lines == []
    assert fakes["a"].calls == [("get_lines", ("a-x",))]
    assert await cache.get_many(ORDER_LINES, [CacheKey("a", "a-x")]) == {
        CacheKey("a", "a-x"): b"[]"
    }


async def test_each_key_kind_has_its_cache_key() -> None:
    loaders = Loaders.create({}, MemoryCache(), SETTINGS)
    assert loaders.inventory_by_sku.cache_id(SkuKey("a", "SKU-1")) == "SKU-1"
    assert loaders.order_by_ref.cache_id(order_ref("a", 1)) == "a-1"
    owner = Ref("a", "PurchaseOrder", "7")
    assert loaders.attachments_by_owner.cache_id(owner) == "PurchaseOrder:7"
    assert (loaders.inventory_by_sku.entity, loaders.attachments_by_owner.entity) == (
        INVENTORY,
        ATTACHMENTS,
    )


async def test_without_cache_or_settings_nothing_is_cached() -> None:
    fakes = providers()
    ref = order_ref("a", 1)
    for loaders in (
        Loaders.create(fakes),  # type: ignore[arg-type]
        Loaders.create(fakes, NullCache(), SETTINGS),  # type: ignore[arg-type]
        Loaders.create(fakes, MemoryCache()),  # type: ignore[arg-type]
        Loaders.create(fakes, MemoryCache(), CacheSettings(enabled=False)),  # type: ignore[arg-type]
    ):
        assert loaders.order_by_ref.ttl_s == 0
        await loaders.order_by_ref.load(ref)
    assert len(fakes["a"].calls) == 4


async def test_ttl_follows_the_entity_type() -> None:
    settings = CacheSettings(ttl_s={"inventory": 5, "lines": 0})
    loaders = Loaders.create({}, MemoryCache(), settings)
    assert loaders.inventory_by_sku.ttl_s == 5
    assert loaders.lines_by_order.ttl_s == 0
    assert loaders.shipments_by_order.ttl_s == 60

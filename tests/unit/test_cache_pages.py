"""cached_page: list pages from the entity cache, keyed by filter and page request."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from gateway.cache import CacheKey, MemoryCache, NullCache, model_codec
from gateway.cache.entities import ORDERS
from gateway.cache.pages import ORDER_PAGES, cached_page, list_namespace, page_key
from gateway.errors import ProviderUnavailable
from gateway.models import Order, OrderStatus
from gateway.providers.base import OrderFilter, Page, PageRequest
from gateway.settings import CacheSettings
from tests.fakes import make_order

SETTINGS = CacheSettings()
FIRST = PageRequest(size=3)


class Lister:
    """A provider's list call: counts calls, can fail, can change its answer."""

    def __init__(self, provider: str = "a") -> None:
        self.provider = provider
        self.calls = 0
        self.fail: Exception | None = None
        self.items = [make_order(provider, n) for n in range(3)]

    async def __call__(self) -> Page[Order]:
        self.calls += 1
        if self.fail is not None:
            raise self.fail
        return Page(list(self.items), "cursor-2", 9, {"token": "t"})


async def page(
    cache: MemoryCache | NullCache,
    lister: Lister,
    filter: OrderFilter | None = None,
    request: PageRequest = FIRST,
    *,
    bypass: bool = False,
    settings: CacheSettings = SETTINGS,
) -> Page[Order]:
    return await cached_page(
        cache,
        settings,
        ORDER_PAGES,
        lister.provider,
        filter or OrderFilter(),
        request,
        lister,
        bypass=bypass,
    )


async def test_a_repeat_is_served_from_the_cache_with_every_field() -> None:
    cache, lister = MemoryCache(), Lister()
    fresh = await page(cache, lister)
    cached = await page(cache, lister)
    assert lister.calls == 1
    assert cached == fresh
    assert cached.next_cursor == "cursor-2"
    assert (cached.total, cached.extra) == (9, {"token": "t"})


async def test_items_are_stored_where_the_by_id_loader_reads_them() -> None:
    cache, lister = MemoryCache(), Lister()
    await page(cache, lister)
    stored = await cache.get_many(ORDERS, [CacheKey("a", "a-1")])
    assert model_codec(Order).decode(stored[CacheKey("a", "a-1")]) == lister.items[1]


async def test_filter_and_page_request_each_make_another_page() -> None:
    cache, lister = MemoryCache(), Lister()
    shipped = OrderFilter(statuses=(OrderStatus.SHIPPED,))
    await page(cache, lister)
    await page(cache, lister, shipped)
    await page(cache, lister, request=PageRequest(size=3, cursor="cursor-2"))
    await page(cache, lister, request=PageRequest(size=4))
    assert lister.calls == 4
    await page(cache, lister, OrderFilter(statuses=(OrderStatus.SHIPPED,)))
    assert lister.calls == 4


def test_page_key_is_a_stable_digest() -> None:
    when = datetime(2026, 10, 1, tzinfo=UTC)
    one = page_key("a", OrderFilter(created_after=when, skus=("S",)), FIRST)
    assert one == page_key("a", OrderFilter(created_after=when, skus=("S",)), FIRST)
    assert one.provider == "a"
    assert len(one.key) == 32
    assert one != page_key("a", OrderFilter(created_after=when), FIRST)
    assert one != page_key("b", OrderFilter(created_after=when, skus=("S",)), FIRST)
    assert page_key("a", {"x": frozenset({"b", "a"})}, FIRST) == page_key(
        "a", {"x": frozenset({"a", "b"})}, FIRST
    )
    with pytest.raises(TypeError):  # orjson.JSONEncodeError
        page_key("a", object(), FIRST)


async def test_bypass_refetches_and_refreshes() -> None:
    cache, lister = MemoryCache(), Lister()
    await page(cache, lister)
    lister.items = lister.items[:1]
    assert len((await page(cache, lister)).items) == 3
    assert len((await page(cache, lister, bypass=True)).items) == 1
    assert len((await page(cache, lister)).items) == 1
    assert lister.calls == 2


async def test_a_page_whose_item_is_gone_is_fetched_again() -> None:
    cache, lister = MemoryCache(), Lister()
    await page(cache, lister)
    await cache.invalidate(ORDERS, [CacheKey("a", "a-2")])
    await page(cache, lister)
    await page(cache, lister)
    assert lister.calls == 2


async def test_an_error_is_raised_and_not_cached() -> None:
    cache, lister = MemoryCache(), Lister()
    lister.fail = ProviderUnavailable("a", "down")
    with pytest.raises(ProviderUnavailable):
        await page(cache, lister)
    assert len(cache) == 0
    lister.fail = None
    await page(cache, lister)
    assert lister.calls == 2


async def test_an_empty_page_is_cached() -> None:
    cache, lister = MemoryCache(), Lister()
    lister.items = []
    for _ in range(2):
        assert (await page(cache, lister)).items == []
    assert lister.calls == 1


async def test_no_ttl_or_no_cache_only_fetches() -> None:
    lister = Lister()
    off = CacheSettings(ttl_s={"orders": 0})
    cache = MemoryCache()
    for _ in range(2):
        await page(cache, lister, settings=off)
        await page(NullCache(), lister)
    assert lister.calls == 4
    assert len(cache) == 0


async def test_a_list_entity_can_have_its_own_ttl() -> None:
    lister, cache = Lister(), MemoryCache()
    settings = CacheSettings(ttl_s={"orders:list": 0})
    await page(cache, lister, settings=settings)
    await page(cache, lister, settings=settings)
    assert lister.calls == 2


async def test_an_undecodable_page_is_a_miss_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache, lister = MemoryCache(), Lister()
    key = page_key("a", OrderFilter(), FIRST)
    await cache.set_many(list_namespace("orders:list", "a"), {key: b"{not json"}, 30)
    with caplog.at_level(logging.WARNING, logger="gateway.cache"):
        await page(cache, lister)
    assert lister.calls == 1
    assert "undecodable cached page" in caplog.text
    await page(cache, lister)
    assert lister.calls == 1

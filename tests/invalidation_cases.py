"""Invalidation scenarios run against each EntityCache backend (memory and Redis).

A case gets two caches: `writer` stores and invalidates, `reader` checks what
is still live. On Redis they are two clients on one prefix (two gateway
instances); in memory they are one cache.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from gateway.cache import CacheKey, EntityCache
from gateway.cache.entities import (
    ALLOCATION_ERRORS,
    ATTACHMENTS,
    INVENTORY,
    ORDER_ENTITIES,
    ORDER_LINES,
    ORDER_LIST,
    ORDER_SHIPMENTS,
    ORDERS,
    PURCHASE_ORDER_LINES,
    PURCHASE_ORDER_LIST,
    PURCHASE_ORDERS,
    PURCHASE_ORDERS_BY_NUMBER,
    SHIPMENT_LIST,
    SHIPMENTS,
)
from gateway.cache.invalidation import (
    invalidate_attachments,
    invalidate_inventory,
    invalidate_order,
    invalidate_provider,
    invalidate_purchase_order,
    invalidate_shipment,
)
from gateway.cache.pages import ORDER_PAGES, cached_page, list_namespace
from gateway.models import Order
from gateway.providers.base import OrderFilter, Page, PageRequest
from gateway.settings import CacheSettings
from tests.fakes import make_order

Case = Callable[[EntityCache, EntityCache], Awaitable[None]]

A1, A2, B1 = CacheKey("a", "1"), CacheKey("a", "2"), CacheKey("b", "1")
PAGE = CacheKey("a", "page"), CacheKey("b", "page")


async def fill(cache: EntityCache, entities: Sequence[str]) -> None:
    for entity in entities:
        await cache.set_many(entity, {A1: b"a1", A2: b"a2", B1: b"b1"}, 30)


async def live(cache: EntityCache, entity: str) -> set[CacheKey]:
    return set(await cache.get_many(entity, [A1, A2, B1]))


async def fill_lists(cache: EntityCache, entities: Sequence[str]) -> None:
    for entity in entities:
        for key in PAGE:
            await cache.set_many(list_namespace(entity, key.provider), {key: b"p"}, 30)


async def live_lists(cache: EntityCache, entity: str) -> set[str]:
    found: set[str] = set()
    for key in PAGE:
        if await cache.get_many(list_namespace(entity, key.provider), [key]):
            found.add(key.provider)
    return found


LISTS = (ORDER_LIST, SHIPMENT_LIST, PURCHASE_ORDER_LIST)
EVERY = (*ORDER_ENTITIES, ATTACHMENTS, SHIPMENTS, INVENTORY, PURCHASE_ORDERS)


async def order_drops_its_entities_and_its_providers_order_pages(
    writer: EntityCache, reader: EntityCache
) -> None:
    await fill(writer, EVERY)
    await fill_lists(writer, LISTS)
    await invalidate_order(writer, "a", "1")
    for entity in ORDER_ENTITIES:
        assert await live(reader, entity) == {A2, B1}, entity
    for entity in (ATTACHMENTS, SHIPMENTS, INVENTORY, PURCHASE_ORDERS):
        assert await live(reader, entity) == {A1, A2, B1}, entity
    assert await live_lists(reader, ORDER_LIST) == {"b"}
    assert await live_lists(reader, SHIPMENT_LIST) == {"a", "b"}
    # Pages stored after the invalidation are served again.
    await fill_lists(writer, [ORDER_LIST])
    assert await live_lists(reader, ORDER_LIST) == {"a", "b"}


async def shipment_drops_it_and_given_its_order_the_order(
    writer: EntityCache, reader: EntityCache
) -> None:
    await fill(writer, EVERY)
    await fill_lists(writer, LISTS)
    await invalidate_shipment(writer, "a", "2")
    assert await live(reader, SHIPMENTS) == {A1, B1}
    assert await live(reader, ORDER_SHIPMENTS) == {A1, A2, B1}
    assert await live_lists(reader, SHIPMENT_LIST) == {"b"}
    assert await live_lists(reader, ORDER_LIST) == {"a", "b"}
    await invalidate_shipment(writer, "a", "1", order_id="2")
    assert await live(reader, SHIPMENTS) == {B1}
    for entity in (ORDERS, ORDER_LINES, ORDER_SHIPMENTS, ALLOCATION_ERRORS):
        assert await live(reader, entity) == {A1, B1}, entity
    assert await live_lists(reader, ORDER_LIST) == {"b"}


async def purchase_order_drops_it_by_id_and_number(
    writer: EntityCache, reader: EntityCache
) -> None:
    by_number = (PURCHASE_ORDERS, PURCHASE_ORDER_LINES, PURCHASE_ORDERS_BY_NUMBER)
    await fill(writer, by_number)
    await fill_lists(writer, LISTS)
    await invalidate_purchase_order(writer, "a", "1", number="2")
    assert await live(reader, PURCHASE_ORDERS) == {A2, B1}
    assert await live(reader, PURCHASE_ORDER_LINES) == {A2, B1}
    assert await live(reader, PURCHASE_ORDERS_BY_NUMBER) == {A1, B1}
    assert await live_lists(reader, PURCHASE_ORDER_LIST) == {"b"}
    assert await live_lists(reader, ORDER_LIST) == {"a", "b"}
    await invalidate_purchase_order(writer, "b", "1")
    assert await live(reader, PURCHASE_ORDERS_BY_NUMBER) == {A1, B1}
    assert await live(reader, PURCHASE_ORDERS) == {A2}


async def inventory_drops_those_skus_only(
    writer: EntityCache, reader: EntityCache
) -> None:
    await fill(writer, [INVENTORY, ORDERS])
    await invalidate_inventory(writer, "a", ["2", "2", "never"])
    await invalidate_inventory(writer, "b", [])
    assert await live(reader, INVENTORY) == {A1, B1}
    assert await live(reader, ORDERS) == {A1, A2, B1}


async def attachments_drop_one_owner(writer: EntityCache, reader: EntityCache) -> None:
    owner, other = CacheKey("a", "Order:1"), CacheKey("a", "PurchaseOrder:1")
    await writer.set_many(ATTACHMENTS, {owner: b"[]", other: b"[]"}, 30)
    await invalidate_attachments(writer, "a", "Order", "1")
    assert set(await reader.get_many(ATTACHMENTS, [owner, other])) == {other}


async def provider_drops_everything_of_it_pages_included(
    writer: EntityCache, reader: EntityCache
) -> None:
    await fill(writer, EVERY)
    await fill_lists(writer, LISTS)
    await invalidate_provider(writer, "a")
    for entity in EVERY:
        assert await live(reader, entity) == {B1}, entity
    for entity in LISTS:
        assert await live_lists(reader, entity) == {"b"}, entity


async def order_makes_the_next_cached_page_fetch_again(
    writer: EntityCache, reader: EntityCache
) -> None:
    calls: list[str] = []

    async def load(cache: EntityCache, provider: str) -> Page[Order]:
        async def fetch() -> Page[Order]:
            calls.append(provider)
            return Page([make_order(provider, n) for n in range(2)])

        return await cached_page(
            cache,
            CacheSettings(),
            ORDER_PAGES,
            provider,
            OrderFilter(),
            PageRequest(size=2),
            fetch,
            bypass=False,
        )

    for cache in (writer, reader):
        await load(cache, "a")
        await load(cache, "b")
    assert calls == ["a", "b"]
    await invalidate_order(writer, "b", "b-0")
    await load(reader, "a")
    await load(reader, "b")
    assert calls == ["a", "b", "b"]


CASES: tuple[Case, ...] = (
    order_drops_its_entities_and_its_providers_order_pages,
    shipment_drops_it_and_given_its_order_the_order,
    purchase_order_drops_it_by_id_and_number,
    inventory_drops_those_skus_only,
    attachments_drop_one_owner,
    provider_drops_everything_of_it_pages_included,
    order_makes_the_next_cached_page_fetch_again,
)

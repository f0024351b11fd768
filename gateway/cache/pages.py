"""cached_page: one provider page of a list, served from the entity cache on a repeat.

A page is cached as the ids of its items, its next cursor and its total; the
items themselves go to their own entity (`orders` for an order list), under
the same CacheKey their by-id loader reads, so an `order(id)` after a listing
is a cache hit too. A page whose items are not all still cached is fetched
again, because an item that was invalidated may no longer match the filter.

Each provider's pages of one list live under their own entity name
(`orders:list/flexe`), so that `invalidate_list` drops exactly those pages with
one O(1) generation bump of the backend.

Pages are refreshed ahead of their expiry like entities (`cached_fetch`): a
page read in its refresh window or grace, by its own life or its shortest-
lived item's, is served and fetched again once in the background.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel

from gateway.cache.base import CacheKey, EntityCache, NullCache
from gateway.cache.codec import Codec, model_codec
from gateway.cache.entities import (
    ORDER_LIST,
    ORDERS,
    PURCHASE_ORDER_LIST,
    PURCHASE_ORDERS,
    SHIPMENT_LIST,
    SHIPMENTS,
)
from gateway.cache.inflight import InFlight
from gateway.cache.refresh import Job, RefreshPolicy
from gateway.models import Order, PurchaseOrder, Shipment
from gateway.providers.base import Page, PageRequest
from gateway.settings import CacheSettings

T = TypeVar("T")

log = logging.getLogger("gateway.cache")


@dataclass(frozen=True)
class ListCache(Generic[T]):
    """How one list's pages are cached: the list's entity and its items' entity.

    `items` and `codec` must be those of the by-id loader of the same objects,
    and `item_id` the id that loader keys them by.
    """

    entity: str
    items: str
    codec: Codec[T]
    item_id: Callable[[T], str]


def _id(item: Order | Shipment | PurchaseOrder) -> str:
    return item.id


ORDER_PAGES: ListCache[Order] = ListCache(ORDER_LIST, ORDERS, model_codec(Order), _id)
SHIPMENT_PAGES: ListCache[Shipment] = ListCache(
    SHIPMENT_LIST, SHIPMENTS, model_codec(Shipment), _id
)
PURCHASE_ORDER_PAGES: ListCache[PurchaseOrder] = ListCache(
    PURCHASE_ORDER_LIST, PURCHASE_ORDERS, model_codec(PurchaseOrder), _id
)


def list_namespace(entity: str, provider: str) -> str:
    """The entity name one provider's pages of a list are stored under."""
    return f"{entity}/{provider}"


def page_key(provider: str, filter: object, page: PageRequest) -> CacheKey:
    """The key of one page: a digest of the filter and the page request.

    The whole filter is serialised, so a field added to it later can never make
    two different filters share a page.
    """
    canonical = orjson.dumps(
        [type(filter).__name__, filter, page],
        default=_canonical,
        option=orjson.OPT_SORT_KEYS,
    )
    return CacheKey(provider, hashlib.blake2b(canonical, digest_size=16).hexdigest())


def _canonical(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot digest a {type(value).__name__}")


async def cached_page(
    cache: EntityCache,
    settings: CacheSettings,
    spec: ListCache[T],
    provider: str,
    filter: object,
    page: PageRequest,
    fetch: Callable[[], Awaitable[Page[T]]],
    *,
    bypass: bool,
    inflight: InFlight | None = None,
) -> Page[T]:
    """One provider page: from the cache if it and all its items are there.

    Otherwise `fetch()` is awaited and the page and its items are stored for
    the list entity's TTL; with `bypass` the read is skipped but the store
    still happens. An exception from `fetch` propagates and nothing is stored,
    so a provider error is never cached. A TTL of 0 only calls `fetch`.
    With `inflight`, requests that miss the same page at once share one fetch.
    A page due for a refresh (see the module) is returned at once, and one
    background `fetch()` stores it again unless its list was invalidated since.
    """
    ttl_s = settings.ttl_for(spec.entity)
    if ttl_s <= 0 or isinstance(cache, NullCache):
        return await fetch()
    namespace = list_namespace(spec.entity, provider)
    key = page_key(provider, filter, page)
    refresh = RefreshPolicy.from_settings(settings)
    stored_ttl_s = refresh.stored_ttl(ttl_s)
    if not bypass:
        found = await _read(cache, spec, namespace, key)
        if found is not None:
            cached, ttl_left_s = found
            if refresh.due(ttl_s, ttl_left_s):

                async def run(job: Job) -> None:
                    fresh = await fetch()
                    # A page is only of use whole: any invalidation voids it.
                    if not job.voided:
                        await _write(cache, spec, namespace, key, fresh, stored_ttl_s)

                cache.refresher.start(namespace, {key: ttl_left_s}, run)
            return cached
    if inflight is None or bypass:
        fresh = await fetch()
    else:

        async def one(_: list[CacheKey]) -> dict[CacheKey, Page[T]]:
            return {key: await fetch()}

        shared = (await inflight.fetch(namespace, [key], one))[key]
        assert shared is not None
        fresh = shared
    await _write(cache, spec, namespace, key, fresh, stored_ttl_s)
    return fresh


async def _read(
    cache: EntityCache, spec: ListCache[T], namespace: str, key: CacheKey
) -> tuple[Page[T], float] | None:
    """The cached page, and the seconds left to it or its shortest-lived item."""
    entry = (await cache.get_entries(namespace, [key])).get(key)
    if entry is None:
        return None
    try:
        stored_page = orjson.loads(entry.value)
        ids: list[str] = stored_page["ids"]
        keys = [CacheKey(key.provider, item_id) for item_id in ids]
        stored = await cache.get_entries(spec.items, keys) if keys else {}
        if len(stored) < len(keys):
            return None
        items = [spec.codec.decode(stored[item_key].value) for item_key in keys]
        page = Page(
            items, stored_page["next"], stored_page["total"], stored_page["extra"]
        )
    except (ValueError, KeyError, TypeError) as exc:  # ValidationError included
        log.warning(
            "undecodable cached page, refetching",
            extra={"entity": namespace, "error": str(exc)},
        )
        return None
    return page, min([entry.ttl_left_s, *(e.ttl_left_s for e in stored.values())])


async def _write(
    cache: EntityCache,
    spec: ListCache[T],
    namespace: str,
    key: CacheKey,
    page: Page[T],
    ttl_s: float,
) -> None:
    ids = [spec.item_id(item) for item in page.items]
    try:
        items = {
            CacheKey(key.provider, item_id): spec.codec.encode(item)
            for item_id, item in zip(ids, page.items, strict=True)
        }
    except ValueError as exc:  # PydanticSerializationError included
        # A page is only of use with all its items, so none of it is stored.
        log.warning(
            "unencodable item, page not cached",
            extra={"entity": namespace, "error": str(exc)},
        )
        return
    entry = {
        "ids": ids,
        "next": page.next_cursor,
        "total": page.total,
        "extra": page.extra,
    }
    # Items first: a reader that finds the page then finds its items.
    await cache.set_many(spec.items, items, ttl_s)
    await cache.set_many(namespace, {key: orjson.dumps(entry)}, ttl_s)

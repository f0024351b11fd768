"""MemoryCache: the entity cache inside one process, bounded, with a TTL per item."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from gateway.cache.base import CacheKey, Entry
from gateway.cache.refresh import Refresher

DEFAULT_MAX_ITEMS = 50_000


class _Item(NamedTuple):
    value: bytes
    expires_at: float
    entity_generation: int
    provider_generation: int


_Slot = tuple[str, str, str]
"""(entity, provider, key)."""


class MemoryCache:
    """An EntityCache in a dict: LRU beyond `max_items`, TTL per item.

    Invalidating a provider or an entity bumps a generation counter, which is
    O(1): every item remembers the generations it was stored under and reads as
    a miss once either has moved on. Such stale items take room until a read
    meets them or the LRU evicts them, so `len()` can exceed the live count but
    never `max_items`. `clock` is injectable for tests (monotonic seconds),
    and may be replaced on a running cache; its refresher reads it too.
    """

    def __init__(
        self,
        max_items: int = DEFAULT_MAX_ITEMS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_items < 1:
            raise ValueError(f"max_items must be at least 1, not {max_items}")
        self.max_items = max_items
        self.clock = clock
        self.refresher = Refresher(lambda: self.clock())
        self._items: OrderedDict[_Slot, _Item] = OrderedDict()
        self._entity_generations: dict[str, int] = {}
        self._provider_generations: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._items)

    async def get_many(
        self, entity: str, keys: Sequence[CacheKey]
    ) -> dict[CacheKey, bytes]:
        found = await self.get_entries(entity, keys)
        return {key: entry.value for key, entry in found.items()}

    async def get_entries(
        self, entity: str, keys: Sequence[CacheKey]
    ) -> dict[CacheKey, Entry]:
        now = self.clock()
        entity_generation = self._entity_generations.get(entity, 0)
        found: dict[CacheKey, Entry] = {}
        for key in keys:
            slot = (entity, key.provider, key.key)
            item = self._items.get(slot)
            if item is None:
                continue
            if (
                item.expires_at <= now
                or item.entity_generation != entity_generation
                or item.provider_generation
                != self._provider_generations.get(key.provider, 0)
            ):
                del self._items[slot]
                continue
            self._items.move_to_end(slot)
            found[key] = Entry(item.value, item.expires_at - now)
        return found

    async def set_many(
        self, entity: str, items: Mapping[CacheKey, bytes], ttl_s: float
    ) -> None:
        if ttl_s <= 0 or not items:
            return
        expires_at = self.clock() + ttl_s
        entity_generation = self._entity_generations.get(entity, 0)
        for key, value in items.items():
            slot = (entity, key.provider, key.key)
            self._items[slot] = _Item(
                value,
                expires_at,
                entity_generation,
                self._provider_generations.get(key.provider, 0),
            )
            self._items.move_to_end(slot)
        while len(self._items) > self.max_items:
            self._items.popitem(last=False)

    async def invalidate(self, entity: str, keys: Sequence[CacheKey]) -> None:
        self.refresher.forget(entity, list(keys))
        for key in keys:
            self._items.pop((entity, key.provider, key.key), None)

    async def invalidate_provider(self, provider: str) -> None:
        self.refresher.forget_provider(provider)
        generations = self._provider_generations
        generations[provider] = generations.get(provider, 0) + 1

    async def invalidate_entity(self, entity: str) -> None:
        self.refresher.forget_entity(entity)
        generations = self._entity_generations
        generations[entity] = generations.get(entity, 0) + 1

    async def close(self) -> None:
        await self.refresher.aclose()
        self._items.clear()

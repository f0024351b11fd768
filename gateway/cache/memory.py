"""MemoryCache: the entity cache inside one process, bounded, with a TTL per item."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from gateway.cache.base import CacheKey, Entry
from gateway.cache.refresh import Refresher

DEFAULT_MAX_ITEMS = 50_000
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
ITEM_OVERHEAD_BYTES = 200
"""What an item costs besides its value and key text: the slot tuple, the
_Item, the OrderedDict node and the value's bytes header (measured ~190)."""


class _Item(NamedTuple):
    value: bytes
    expires_at: float
    entity_generation: int
    provider_generation: int
    weight: int


def weight_of(slot: tuple[str, str, str], value: bytes) -> int:
    """The bytes an item is counted for against `max_bytes`."""
    return ITEM_OVERHEAD_BYTES + len(value) + sum(len(part) for part in slot)


_Slot = tuple[str, str, str]
"""(entity, provider, key)."""


class MemoryCache:
    """An EntityCache in a dict: LRU beyond `max_items` or `max_bytes`, TTL per item.

    Values vary from a few hundred bytes (a stock level) to tens of KiB (an
    order with many lines), so a count alone does not bound the memory:
    `nbytes` sums each item's `weight_of` and never exceeds `max_bytes`; a
    value heavier than that on its own is not kept.

    Invalidating a provider or an entity bumps a generation counter, which is
    O(1): every item remembers the generations it was stored under and reads as
    a miss once either has moved on. Such stale items, and expired ones, take
    room until a read meets them or the LRU evicts them, so `len()` can exceed
    the live count but never `max_items`, nor their weight `max_bytes`.
    `clock` is injectable for tests (monotonic seconds), and may be replaced
    on a running cache; its refresher reads it too.
    """

    def __init__(
        self,
        max_items: int = DEFAULT_MAX_ITEMS,
        clock: Callable[[], float] = time.monotonic,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        if max_items < 1:
            raise ValueError(f"max_items must be at least 1, not {max_items}")
        if max_bytes < 1:
            raise ValueError(f"max_bytes must be at least 1, not {max_bytes}")
        self.max_items = max_items
        self.max_bytes = max_bytes
        self.nbytes = 0
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
                self._drop(slot)
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
            self._drop(slot)
            weight = weight_of(slot, value)
            if weight > self.max_bytes:
                continue  # it would evict everything else and still not fit
            self._items[slot] = _Item(
                value,
                expires_at,
                entity_generation,
                self._provider_generations.get(key.provider, 0),
                weight,
            )
            self.nbytes += weight
        while len(self._items) > self.max_items or self.nbytes > self.max_bytes:
            _, evicted = self._items.popitem(last=False)
            self.nbytes -= evicted.weight

    def _drop(self, slot: _Slot) -> None:
        item = self._items.pop(slot, None)
        if item is not None:
            self.nbytes -= item.weight

    async def invalidate(self, entity: str, keys: Sequence[CacheKey]) -> None:
        self.refresher.forget(entity, list(keys))
        for key in keys:
            self._drop((entity, key.provider, key.key))

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
        self.nbytes = 0

"""The EntityCache protocol, its CacheKey, and the NullCache that caches nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple, Protocol

from gateway.cache.refresh import Refresher


class CacheKey(NamedTuple):
    """One cached value: the provider that holds it and its key there.

    The key is whatever the provider knows the value by (an order id, a SKU, a
    PO number); which of these it is follows from the entity it is cached under.
    """

    provider: str
    key: str


class Entry(NamedTuple):
    """A cached value and how many more seconds the backend keeps it."""

    value: bytes
    ttl_left_s: float


class EntityCache(Protocol):
    """A store of encoded upstream entities shared by every request.

    `entity` names a namespace of values of one shape and key kind (`"orders"`,
    `"shipments:by_order"`, see `gateway.cache.entities`): the same CacheKey under
    two entities is two values.

    Backend failures never escape: a read that cannot be served is a miss, and a
    write or an invalidation that cannot be done is skipped (and logged), so the
    cache can slow a GraphQL request down but never fail it.

    `refresher` holds the background refreshes of values about to expire
    (`gateway.cache.refresh`); invalidations void those in flight, and `close`
    cancels them.
    """

    refresher: Refresher

    async def get_many(
        self, entity: str, keys: Sequence[CacheKey]
    ) -> dict[CacheKey, bytes]:
        """The live value of each key that has one.

        A key never stored, expired, or invalidated is left out of the result.
        """
        ...

    async def get_entries(
        self, entity: str, keys: Sequence[CacheKey]
    ) -> dict[CacheKey, Entry]:
        """Like `get_many`, with the seconds each value has left, read in the
        same round trip."""
        ...

    async def set_many(
        self, entity: str, items: Mapping[CacheKey, bytes], ttl_s: float
    ) -> None:
        """Store each value for `ttl_s` seconds; `ttl_s <= 0` stores nothing."""
        ...

    async def invalidate(self, entity: str, keys: Sequence[CacheKey]) -> None:
        """Forget these keys of one entity (after a mutation or an event)."""
        ...

    async def invalidate_provider(self, provider: str) -> None:
        """Forget every value of one provider, under every entity, in O(1)."""
        ...

    async def invalidate_entity(self, entity: str) -> None:
        """Forget every value of one entity, for every provider, in O(1)."""
        ...

    async def close(self) -> None:
        """Release connections; the cache is not used afterwards."""
        ...


class NullCache:
    """An EntityCache that keeps nothing: every read misses (caching switched off)."""

    def __init__(self) -> None:
        self.refresher = Refresher()

    async def get_many(
        self, entity: str, keys: Sequence[CacheKey]
    ) -> dict[CacheKey, bytes]:
        return {}

    async def get_entries(
        self, entity: str, keys: Sequence[CacheKey]
    ) -> dict[CacheKey, Entry]:
        return {}

    async def set_many(
        self, entity: str, items: Mapping[CacheKey, bytes], ttl_s: float
    ) -> None:
        return None

    async def invalidate(self, entity: str, keys: Sequence[CacheKey]) -> None:
        return None

    async def invalidate_provider(self, provider: str) -> None:
        return None

    async def invalidate_entity(self, entity: str) -> None:
        return None

    async def close(self) -> None:
        return None

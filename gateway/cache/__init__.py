"""Cross-request cache of upstream entities: in process, or in Redis to share it.

`cached_fetch` is what a loader calls (`gateway.batching`); `pages.cached_page`
is what a list resolver's page fetch calls; `cache_from_url` builds the cache
that GATEWAY_CACHE_URL names; the functions of `invalidation` are what
mutations and provider events call; `refresh` refreshes values about to expire
in the background.
"""

from __future__ import annotations

from gateway.cache.base import CacheKey, EntityCache, Entry, NullCache
from gateway.cache.codec import Codec, dumps, list_codec, loads, loads_list, model_codec
from gateway.cache.factory import cache_from_url
from gateway.cache.fetch import bypass_requested, cached_fetch, fresh_reads
from gateway.cache.memory import MemoryCache
from gateway.cache.redis_cache import RedisCache
from gateway.cache.refresh import Refresher, RefreshPolicy

__all__ = [
    "CacheKey",
    "Codec",
    "EntityCache",
    "Entry",
    "MemoryCache",
    "NullCache",
    "RedisCache",
    "RefreshPolicy",
    "Refresher",
    "bypass_requested",
    "cache_from_url",
    "cached_fetch",
    "dumps",
    "fresh_reads",
    "list_codec",
    "loads",
    "loads_list",
    "model_codec",
]

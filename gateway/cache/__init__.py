"""Cross-request cache of upstream entities: in process, or in Redis to share it.

`cached_fetch` is what a loader calls (`gateway.batching`); `pages.cached_page`
is what a list resolver's page fetch calls; `cache_from_url` builds the cache
that GATEWAY_CACHE_URL names; the functions of `invalidation` are what
mutations and provider events call.
"""

from __future__ import annotations

from gateway.cache.base import CacheKey, EntityCache, NullCache
from gateway.cache.codec import Codec, dumps, list_codec, loads, loads_list, model_codec
from gateway.cache.factory import cache_from_url
from gateway.cache.fetch import bypass_requested, cached_fetch
from gateway.cache.memory import MemoryCache
from gateway.cache.redis_cache import RedisCache

__all__ = [
    "CacheKey",
    "Codec",
    "EntityCache",
    "MemoryCache",
    "NullCache",
    "RedisCache",
    "bypass_requested",
    "cache_from_url",
    "cached_fetch",
    "dumps",
    "list_codec",
    "loads",
    "loads_list",
    "model_codec",
]

"""cache_from_url: the EntityCache GATEWAY_CACHE_URL asks for."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from gateway.cache.base import EntityCache
from gateway.cache.memory import DEFAULT_MAX_BYTES, DEFAULT_MAX_ITEMS, MemoryCache
from gateway.cache.redis_cache import (
    DEFAULT_COOLDOWN_S,
    DEFAULT_PREFIX,
    DEFAULT_TIMEOUT_S,
    RedisCache,
)

REDIS_SCHEMES = frozenset({"redis", "rediss", "unix"})
MEMORY_SCHEMES = frozenset({"memory"})


def cache_from_url(
    url: str | None,
    *,
    max_items: int = DEFAULT_MAX_ITEMS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    prefix: str = DEFAULT_PREFIX,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    cooldown_s: float = DEFAULT_COOLDOWN_S,
    clock: Callable[[], float] = time.monotonic,
) -> EntityCache:
    """Redis for `redis://…`, `rediss://…` (TLS) or `unix://…`; else in process.

    Unset, empty or `memory://` is the in-process cache (`max_items`,
    `max_bytes`, `clock`).
    The Redis options (`prefix`, `timeout_s`, `cooldown_s`) apply to Redis only.
    Any other scheme is a ValueError, so that a typo fails at start-up instead
    of silently giving each instance a private cache.
    """
    scheme = urlsplit(url).scheme.lower() if url else "memory"
    if url and scheme in REDIS_SCHEMES:
        return RedisCache.from_url(
            url, prefix, timeout_s=timeout_s, cooldown_s=cooldown_s, clock=clock
        )
    if scheme in MEMORY_SCHEMES:
        return MemoryCache(max_items, clock, max_bytes)
    # Only the scheme: the rest of a URL may hold a password.
    raise ValueError(
        "a cache URL is redis://, rediss://, unix:// or memory://, "
        f"not {scheme or 'one without a scheme'}"
    )

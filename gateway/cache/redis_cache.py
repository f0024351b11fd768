"""RedisCache: the entity cache in Redis, shared by every gateway instance.

Keys under one prefix:
* `<prefix>v:<entity>|<entity gen>|<provider>|<provider gen>|<key>`: one value,
  stored with PSETEX so that Redis expires it;
* `<prefix>g:e:<entity>` and `<prefix>g:p:<provider>`: generation counters.

Invalidating an entity or a provider is one INCR of its counter: values stored
under the old generation are never read again and expire on their own, so no
SCAN is needed and every instance sees the invalidation at its next read.
A read is two round trips: the counters, then the values with their PTTLs
(which refresh-ahead needs, `gateway.cache.refresh`) in one MULTI.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from gateway.cache.base import CacheKey, Entry
from gateway.cache.refresh import Refresher

DEFAULT_PREFIX = "gateway:cache:v1:"
DEFAULT_TIMEOUT_S = 0.5
DEFAULT_COOLDOWN_S = 5.0
# OSError covers timeouts and refused connections; ValueError a counter that is
# not a number (someone wrote to our prefix).
_FAILURES = (RedisError, OSError, ValueError)

log = logging.getLogger("gateway.cache")


class _Generations(NamedTuple):
    entity: int
    providers: dict[str, int]


class RedisCache:
    """An EntityCache in Redis (redis-py asyncio); instances on one prefix share it.

    Redis being slow or down never fails a request: each operation is a miss or a
    no-op instead. The first failure is logged as a warning (and the recovery
    once Redis answers again); after a failure, reads and writes skip Redis for
    `cooldown_s` so that requests do not each wait for a timeout. Invalidations
    always try, since skipping one leaves other instances serving stale values
    until their TTL.
    """

    def __init__(
        self,
        client: aioredis.Redis,
        prefix: str = DEFAULT_PREFIX,
        *,
        cooldown_s: float = DEFAULT_COOLDOWN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.redis = client
        self.prefix = prefix
        self.cooldown_s = cooldown_s
        self._clock = clock
        self.refresher = Refresher(clock)
        self._resting_until = -math.inf
        self._healthy = True

    @classmethod
    def from_url(
        cls,
        url: str,
        prefix: str = DEFAULT_PREFIX,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        cooldown_s: float = DEFAULT_COOLDOWN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> RedisCache:
        """A cache on the Redis at `url` (`redis://host:6379/0`, `rediss://…`).

        Commands time out after `timeout_s` and are retried once at most (a
        pooled connection may have been closed by a Redis restart): a cache that
        waits longer than that costs more than the upstream call it saves.
        """
        client = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout_s,
            socket_connect_timeout=timeout_s,
            retry=Retry(NoBackoff(), 1),
        )
        return cls(client, prefix, cooldown_s=cooldown_s, clock=clock)

    async def get_many(
        self, entity: str, keys: Sequence[CacheKey]
    ) -> dict[CacheKey, bytes]:
        found = await self.get_entries(entity, keys)
        return {key: entry.value for key, entry in found.items()}

    async def get_entries(
        self, entity: str, keys: Sequence[CacheKey]
    ) -> dict[CacheKey, Entry]:
        if not keys or self._resting():
            return {}
        unique = list(dict.fromkeys(keys))
        try:
            generations = await self._generations(entity, unique)
            names = [self._value(entity, generations, key) for key in unique]
            # The values and their PTTLs in one round trip, as one MULTI so
            # that a PTTL belongs to the value read beside it.
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.mget(names)
                for name in names:
                    pipe.pttl(name)
                values, *ttls = await pipe.execute()
        except _FAILURES as exc:
            self._failed("read", exc)
            return {}
        self._succeeded()
        return {
            key: Entry(value if isinstance(value, bytes) else value.encode(), _left(ms))
            for key, value, ms in zip(unique, values, ttls, strict=True)
            if value is not None
        }

    async def set_many(
        self, entity: str, items: Mapping[CacheKey, bytes], ttl_s: float
    ) -> None:
        if ttl_s <= 0 or not items or self._resting():
            return
        ttl_ms = max(1, round(ttl_s * 1000))
        try:
            generations = await self._generations(entity, items)
            async with self.redis.pipeline(transaction=False) as pipe:
                for key, value in items.items():
                    pipe.psetex(self._value(entity, generations, key), ttl_ms, value)
                await pipe.execute()
        except _FAILURES as exc:
            self._failed("write", exc)
            return
        self._succeeded()

    async def invalidate(self, entity: str, keys: Sequence[CacheKey]) -> None:
        if not keys:
            return
        # Only this instance's refreshes: another's may store a value fetched
        # before this, like any fetch that races an invalidation.
        self.refresher.forget(entity, list(keys))
        try:
            generations = await self._generations(entity, keys)
            await self.redis.delete(
                *(self._value(entity, generations, key) for key in keys)
            )
        except _FAILURES as exc:
            self._failed("invalidation", exc)
            return
        self._succeeded()

    async def invalidate_provider(self, provider: str) -> None:
        self.refresher.forget_provider(provider)
        await self._bump(self._provider_counter(provider))

    async def invalidate_entity(self, entity: str) -> None:
        self.refresher.forget_entity(entity)
        await self._bump(self._entity_counter(entity))

    async def close(self) -> None:
        await self.refresher.aclose()
        await self.redis.aclose()

    async def _bump(self, counter: str) -> None:
        try:
            await self.redis.incr(counter)
        except _FAILURES as exc:
            self._failed("invalidation", exc)
            return
        self._succeeded()

    async def _generations(self, entity: str, keys: Iterable[CacheKey]) -> _Generations:
        """The current generation of `entity` and of each provider among `keys`."""
        providers = list(dict.fromkeys(key.provider for key in keys))
        counters = [self._entity_counter(entity)]
        counters += [self._provider_counter(p) for p in providers]
        found = await self.redis.mget(counters)
        numbers = [0 if value is None else int(value) for value in found]
        return _Generations(numbers[0], dict(zip(providers, numbers[1:], strict=True)))

    def _value(self, entity: str, generations: _Generations, key: CacheKey) -> str:
        provider = key.provider
        return (
            f"{self.prefix}v:{_part(entity)}|{generations.entity}|"
            f"{_part(provider)}|{generations.providers[provider]}|{key.key}"
        )

    def _entity_counter(self, entity: str) -> str:
        return f"{self.prefix}g:e:{_part(entity)}"

    def _provider_counter(self, provider: str) -> str:
        return f"{self.prefix}g:p:{_part(provider)}"

    def _resting(self) -> bool:
        return self._clock() < self._resting_until

    def _failed(self, operation: str, exc: Exception) -> None:
        self._resting_until = self._clock() + self.cooldown_s
        if self._healthy:
            self._healthy = False
            log.warning(
                "entity cache (Redis) unreachable, serving without it: %s failed: %s",
                operation,
                exc,
            )
        else:
            log.debug("entity cache (Redis) %s failed: %s", operation, exc)

    def _succeeded(self) -> None:
        if not self._healthy:
            self._healthy = True
            log.info("entity cache (Redis) reachable again")


def _left(pttl_ms: int) -> float:
    """Seconds a value has left from its PTTL: -1 (no expiry, not one of ours)
    never expires; -2, gone since the MGET, is due now."""
    if pttl_ms == -1:
        return math.inf
    return max(0.0, pttl_ms / 1000)


def _part(name: str) -> str:
    """`name` with `|` escaped, so that a value's key names one value only."""
    return name.replace("%", "%25").replace("|", "%7C")

"""Named locks that queue updates of one object: in process, or in Redis for all."""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol
from urllib.parse import urlsplit

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from gateway.errors import Conflict, ProviderUnavailable

DEFAULT_PREFIX = "gateway:lock:"
DEFAULT_LEASE_MS = 15_000
DEFAULT_WAIT_S = 10.0
DEFAULT_POLL_S = 0.05
DEFAULT_TIMEOUT_S = 1.0
REDIS_SCHEMES = frozenset({"redis", "rediss", "unix"})
MEMORY_SCHEMES = frozenset({"memory"})
# OSError covers refused connections and socket timeouts.
_FAILURES = (RedisError, OSError)

# Both act only while the key still holds the caller's token: a holder whose
# lease ran out must neither free nor prolong the lock someone else holds now.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

log = logging.getLogger("gateway.locks")


class Locks(Protocol):
    """Mutual exclusion by name; across every gateway instance if in Redis.

    A name is `<provider slug>:<kind>:<id>` (`flexport_v3:po:171047`); the
    part before the first colon is the provider the errors name.
    """

    def hold(self, name: str) -> AbstractAsyncContextManager[None]:
        """Wait for `name`, hold it while the `async with` body runs, release it.

        Raises before the body runs, never after: Conflict when another holder
        keeps the name past the wait limit, ProviderUnavailable when the lock
        cannot be taken at all (RedisLocks).
        """
        ...

    async def aclose(self) -> None:
        """Release connections; the locks are not used afterwards."""
        ...


class LocalLocks:
    """One asyncio.Lock per name: exclusion within this process, first come first
    served, no wait limit.

    A name's lock lives only while someone holds or awaits it (weak values), so
    names no longer in use cost nothing.
    """

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def __len__(self) -> int:
        """How many names have a lock right now (held or awaited)."""
        return len(self._locks)

    def lock(self, name: str) -> asyncio.Lock:
        """The lock of `name`; it lives as long as the caller keeps a reference."""
        lock = self._locks.get(name)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[name] = lock
        return lock

    @asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[None]:
        lock = self.lock(name)
        async with lock:
            yield

    async def aclose(self) -> None:
        """Nothing to release."""


class RedisLocks:
    """Locks in Redis (redis-py asyncio): instances on one prefix exclude each other.

    Holding `name` is owning the key `<prefix><name>`, set to a random token
    with `SET NX PX lease_ms`. A waiter tries again after a jittered `poll_s`
    until it owns the key or `wait_s` has passed, then raises Conflict: another
    update of the same object is still running, and the caller may retry once
    it is done. Waiters in one process queue in process first, so only the
    head of that queue polls Redis.

    The lease is renewed every third of it while the body runs, so a slow
    update keeps its lock and a holder that crashed frees it within `lease_ms`.
    Release and renewal compare the token in Lua before they delete or extend,
    so a holder whose lease ran out never touches the lock someone else took.

    Redis failing (refused, or silent for `timeout_s`) while the lock is being
    taken raises ProviderUnavailable, and the body does not run. Going ahead
    unguarded would reopen the lost update the lock exists to prevent, and the
    error is not a Conflict: nothing is wrong with the object, and reading it
    again would not help. ProviderUnavailable is what the gateway answers when
    something it cannot work without is down (the order index in Redis does the
    same): a top-level error, marked retryable, with nothing written. Redis
    failing at release is only logged: the body has done its work, and the
    lease frees the key.
    """

    def __init__(
        self,
        client: aioredis.Redis,
        prefix: str = DEFAULT_PREFIX,
        *,
        lease_ms: int = DEFAULT_LEASE_MS,
        wait_s: float = DEFAULT_WAIT_S,
        poll_s: float = DEFAULT_POLL_S,
    ) -> None:
        self.redis = client
        self.prefix = prefix
        self.lease_ms = lease_ms
        self.wait_s = wait_s
        self.poll_s = poll_s
        self._queue = LocalLocks()
        self._release = client.register_script(_RELEASE)
        self._renew = client.register_script(_RENEW)

    @classmethod
    def from_url(
        cls,
        url: str,
        prefix: str = DEFAULT_PREFIX,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        lease_ms: int = DEFAULT_LEASE_MS,
        wait_s: float = DEFAULT_WAIT_S,
        poll_s: float = DEFAULT_POLL_S,
    ) -> RedisLocks:
        """Locks on the Redis at `url` (`redis://host:6379/0`, `rediss://…`).

        Commands time out after `timeout_s` and are retried once at most (a
        pooled connection may have been closed by a Redis restart), so an
        unreachable Redis fails the update quickly instead of hanging it.
        """
        client = aioredis.Redis.from_url(
            url,
            socket_timeout=timeout_s,
            socket_connect_timeout=timeout_s,
            retry=Retry(NoBackoff(), 1),
        )
        return cls(client, prefix, lease_ms=lease_ms, wait_s=wait_s, poll_s=poll_s)

    @asynccontextmanager
    async def hold(self, name: str) -> AsyncIterator[None]:
        deadline = asyncio.get_running_loop().time() + self.wait_s
        queued = self._queue.lock(name)
        try:
            async with asyncio.timeout_at(deadline):
                await queued.acquire()
        except TimeoutError:
            raise self._busy(name) from None
        try:
            key = self.prefix + name
            token = await self._take(name, key, deadline)
            renewal = asyncio.create_task(self._keep(key, token))
            try:
                yield
            finally:
                renewal.cancel()
                try:
                    await asyncio.wait([renewal])
                finally:
                    await self._free(key, token)
        finally:
            queued.release()

    async def _take(self, name: str, key: str, deadline: float) -> str:
        """The key set to a new token, once nobody else holds it."""
        token = secrets.token_hex(16)
        loop = asyncio.get_running_loop()
        while True:
            try:
                # The GET tells a SET that went through but whose answer was
                # lost (and retried) from one that found the key taken.
                async with self.redis.pipeline(transaction=False) as pipe:
                    pipe.set(key, token, nx=True, px=self.lease_ms)
                    pipe.get(key)
                    _, holder = await pipe.execute()
            except _FAILURES as exc:
                raise ProviderUnavailable(
                    _provider(name),
                    f"the update lock (Redis) is unreachable, so the update did "
                    f"not run: {exc}",
                ) from exc
            if holder == token.encode():
                return token
            left = deadline - loop.time()
            if left <= 0:
                raise self._busy(name)
            # Jittered, so waiters from several instances do not poll in step.
            await asyncio.sleep(min(left, self.poll_s * random.uniform(0.5, 1.5)))

    async def _keep(self, key: str, token: str) -> None:
        """Renew the lease while the body runs; stop once the key is not ours."""
        while True:
            await asyncio.sleep(self.lease_ms / 3000)
            try:
                kept = await self._renew(keys=[key], args=[token, self.lease_ms])
            except _FAILURES as exc:
                log.warning("could not renew the lease of lock %s: %s", key, exc)
                continue
            if not kept:
                log.warning("lock %s was lost: its lease ran out while held", key)
                return

    async def _free(self, key: str, token: str) -> None:
        try:
            freed = await self._release(keys=[key], args=[token])
        except _FAILURES as exc:
            log.warning("could not release lock %s, its lease will: %s", key, exc)
            return
        if not freed:
            log.warning("lock %s was not ours any more at release", key)

    def _busy(self, name: str) -> Conflict:
        return Conflict(
            _provider(name),
            "another update of the same object is still running (waited "
            f"{self.wait_s:g} s for {name}); try again once it has finished",
        )

    async def aclose(self) -> None:
        await self.redis.aclose()


def _provider(name: str) -> str:
    return name.partition(":")[0]


def locks_from_url(url: str | None, *, prefix: str = DEFAULT_PREFIX) -> Locks:
    """The locks GATEWAY_LOCK_URL asks for.

    Redis for `redis://…`, `rediss://…` (TLS) or `unix://…`; unset, empty or
    `memory://`: in process. Any other scheme is a ValueError, so that a typo
    fails at start-up instead of silently giving each instance locks of its own.
    """
    scheme = urlsplit(url).scheme.lower() if url else "memory"
    if url and scheme in REDIS_SCHEMES:
        return RedisLocks.from_url(url, prefix)
    if scheme in MEMORY_SCHEMES:
        return LocalLocks()
    # Only the scheme: the rest of a URL may hold a password.
    raise ValueError(
        "a lock URL is redis://, rediss://, unix:// or memory://, "
        f"not {scheme or 'one without a scheme'}"
    )

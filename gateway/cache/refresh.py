"""Refresh-ahead: values about to expire are fetched again once, in the background.

A read that finds a value in the last `refresh_ahead` of its TTL, or in the
`stale_grace_s` after it, serves that value at once and hands the key to the
cache's Refresher, which fetches it in a task of its own and stores the
answer. So a TTL running out under load costs one upstream call in the
background instead of every request waiting for one (see `fetch.cached_fetch`).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import math
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from gateway import http, operation

if TYPE_CHECKING:
    from gateway.cache.base import CacheKey
    from gateway.settings import CacheSettings

log = logging.getLogger("gateway.cache")

Slot = tuple[str, "CacheKey"]
"""(entity, key)."""

# Failed slots are forgotten once past their expiry; this many trigger a sweep.
_FAILED_SWEEP_AT = 10_000


class RefreshPolicy(NamedTuple):
    """When a cached value is refreshed ahead of its expiry, and how long past it
    the stale value is still served."""

    ahead: float
    """The fraction of the TTL, before expiry, in which a read refreshes."""
    grace_s: float
    """Seconds past the TTL the value is still served while it is refreshed."""

    @classmethod
    def from_settings(cls, settings: CacheSettings) -> RefreshPolicy:
        return cls(settings.refresh_ahead, settings.stale_grace_s)

    @property
    def enabled(self) -> bool:
        return self.ahead > 0 or self.grace_s > 0

    def stored_ttl(self, ttl_s: float) -> float:
        """How long the backend keeps a value that is fresh for `ttl_s`."""
        return ttl_s + self.grace_s if ttl_s > 0 else ttl_s

    def due(self, ttl_s: float, ttl_left_s: float) -> bool:
        """Whether a value the backend keeps `ttl_left_s` longer needs a refresh."""
        fresh_left = ttl_left_s - self.grace_s
        return self.enabled and fresh_left <= ttl_s * self.ahead


class Job:
    """One background refresh: its keys of one entity, and those invalidated
    since it started, whose fetched values must not be stored."""

    def __init__(self, entity: str, keys: list[CacheKey], until: float) -> None:
        self.entity = entity
        self.keys = keys
        self.until = until
        self.voided: set[CacheKey] = set()

    def void(self, keys: list[CacheKey] | None = None) -> None:
        self.voided.update(self.keys if keys is None else keys)

    def live(self, keys: list[CacheKey]) -> list[CacheKey]:
        """`keys` without the invalidated ones."""
        return [key for key in keys if key not in self.voided]


Run = Callable[[Job], Awaitable[None]]


class Refresher:
    """The background refreshes of one cache: at most one per (entity, key).

    Tasks are held here (the loop keeps only weak references) and cancelled by
    `aclose`, which the cache's `close` calls. A refresh runs outside the
    triggering request's operation scope, deadline and upstream counter: the
    request did not wait for it, so it is not that request's upstream call. A
    failed refresh is logged once and its keys are not refreshed again before
    the stale value expires (the provider is likely down; the read after that
    is a miss).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._running: dict[Slot, Job] = {}
        self._failed: dict[Slot, float] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    def __len__(self) -> int:
        """Keys being refreshed right now."""
        return len(self._running)

    def start(self, entity: str, ttl_left: Mapping[CacheKey, float], run: Run) -> bool:
        """Refresh these keys (each with the seconds its value has left) in the
        background with `run`, but for those already being refreshed or whose
        refresh failed. Whether a refresh was started."""
        if self._closed:
            return False
        now = self._clock()
        wanted = [
            key
            for key in ttl_left
            if (entity, key) not in self._running
            and self._failed.get((entity, key), -math.inf) <= now
        ]
        if not wanted:
            return False
        job = Job(entity, wanted, now + max(ttl_left[key] for key in wanted))
        for key in wanted:
            self._running[(entity, key)] = job
            self._failed.pop((entity, key), None)
        task = asyncio.get_running_loop().create_task(
            self._run(job, run), context=_detached()
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _run(self, job: Job, run: Run) -> None:
        try:
            await run(job)
        except Exception as exc:
            # The keys rest until their stale values expire (see the class).
            for key in job.keys:
                self._failed[(job.entity, key)] = job.until
            self._sweep()
            log.warning(
                "background refresh failed, the cached value expires as it is",
                extra={"entity": job.entity, "keys": len(job.keys), "error": str(exc)},
            )
        finally:
            for key in job.keys:
                if self._running.get((job.entity, key)) is job:
                    del self._running[(job.entity, key)]

    def _sweep(self) -> None:
        if len(self._failed) >= _FAILED_SWEEP_AT:
            now = self._clock()
            self._failed = {s: t for s, t in self._failed.items() if t > now}

    def forget(self, entity: str, keys: list[CacheKey]) -> None:
        """These keys were invalidated: a refresh in flight must not store them."""
        for key in keys:
            if (job := self._running.get((entity, key))) is not None:
                job.void([key])

    def forget_entity(self, entity: str) -> None:
        for job in self._jobs():
            if job.entity == entity:
                job.void()

    def forget_provider(self, provider: str) -> None:
        for job in self._jobs():
            job.void([key for key in job.keys if key.provider == provider])

    def _jobs(self) -> list[Job]:
        return list({id(job): job for job in self._running.values()}.values())

    async def drain(self) -> None:
        """Wait for the refreshes in flight (and those they start) to finish."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def aclose(self) -> None:
        """Cancel the refreshes in flight and wait for them; start no more."""
        self._closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _detached() -> contextvars.Context:
    """The current context outside the request's operation scope (its client
    leaving must not cancel a refresh others will read), deadline and upstream
    counter."""
    context = operation.detached()
    context.run(_clear_request_scope)
    return context


def _clear_request_scope() -> None:
    http.upstream_calls.set(None)
    http.deadline.set(None)

"""Single-flight: concurrent requests that miss the same cache key share one fetch.

Thirty-two boards arriving together on a cold gateway would otherwise each
fetch the same orders, lines and stock. The first request to miss a key
leads: it fetches, and every request that misses the key while that fetch is
in flight waits for its answer instead of sending its own. The fetch runs in
a task of its own, so a leader whose client went away does not cancel what
the others are waiting for. Across instances the shared Redis cache serves
the later ones.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from gateway.cache.base import CacheKey

V = TypeVar("V")
Slot = tuple[str, CacheKey]


class InFlight:
    """The fetches in progress in this process, by (entity, cache key)."""

    def __init__(self) -> None:
        self._pending: dict[Slot, asyncio.Future[Any]] = {}

    def __len__(self) -> int:
        return len(self._pending)

    async def fetch(
        self,
        entity: str,
        keys: Sequence[CacheKey],
        fetch: Callable[[list[CacheKey]], Awaitable[Mapping[CacheKey, V]]],
    ) -> dict[CacheKey, V | None]:
        """`fetch` for the keys nobody is fetching; the others' answers for the
        rest. A failed fetch raises for every request that waited on it."""
        waiting = {k: f for k in keys if (f := self._pending.get((entity, k)))}
        mine = [key for key in keys if key not in waiting]
        result: dict[CacheKey, V | None] = {}
        if mine:
            task = asyncio.ensure_future(fetch(mine))
            futures = {key: self._claim(entity, key) for key in mine}
            task.add_done_callback(lambda done: self._settle(entity, futures, done))
            answered = await asyncio.shield(task)
            result.update({key: answered.get(key) for key in mine})
        for key, future in waiting.items():
            result[key] = await asyncio.shield(future)
        return result

    def _claim(self, entity: str, key: CacheKey) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[(entity, key)] = future
        return future

    def _settle(
        self,
        entity: str,
        futures: Mapping[CacheKey, asyncio.Future[Any]],
        done: asyncio.Future[Mapping[CacheKey, Any]],
    ) -> None:
        failure = done.exception() if not done.cancelled() else None
        for key, future in futures.items():
            if self._pending.get((entity, key)) is future:
                del self._pending[(entity, key)]
            if future.done():
                continue
            if done.cancelled():
                future.cancel()
            elif failure is not None:
                future.set_exception(failure)
                # Retrieved here: nobody may be waiting, and an unretrieved
                # exception would be reported when the future is collected.
                future.exception()
            else:
                future.set_result(done.result().get(key))

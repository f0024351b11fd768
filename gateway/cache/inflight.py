"""Single-flight: concurrent requests that miss the same cache key share one fetch.

Thirty-two boards arriving together on a cold gateway would otherwise each
fetch the same orders, lines and stock. The first request to miss a key
leads: it fetches, and every request that misses the key while that fetch is
in flight waits for its answer instead of sending its own. Across instances
the shared Redis cache serves the later ones.

The fetch runs in a task of its own, outside the leader's operation scope
(`gateway.operation`), so a leader whose client went away does not cancel what
the others are waiting for. Each fetch counts the requests waiting for it
(leader and followers); when the last one leaves (cancelled: its client went
away), nobody wants the answer and the fetch is cancelled, upstream call,
rate-limiter wait and retries included. Its keys are released at that moment,
so a request arriving afterwards starts a fetch of its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gateway import operation
from gateway.cache.base import CacheKey

V = TypeVar("V")
Slot = tuple[str, CacheKey]


@dataclass(eq=False)
class _Flight:
    """One fetch in progress: its task, the slots it answers, who waits for it."""

    task: asyncio.Future[Any]
    futures: dict[Slot, asyncio.Future[Any]] = field(default_factory=dict)
    waiters: int = 0


class InFlight:
    """The fetches in progress in this process, by (entity, cache key)."""

    def __init__(self) -> None:
        self._pending: dict[Slot, tuple[asyncio.Future[Any], _Flight]] = {}

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
        waiting = {k: p for k in keys if (p := self._pending.get((entity, k)))}
        mine = [key for key in keys if key not in waiting]
        own = self._start(entity, mine, fetch) if mine else None
        flights = list(dict.fromkeys(flight for _, flight in waiting.values()))
        if own is not None:
            flights.append(own)
        for flight in flights:
            flight.waiters += 1
        try:
            result: dict[CacheKey, V | None] = {}
            if own is not None:
                answered = await asyncio.shield(own.task)
                result.update({key: answered.get(key) for key in mine})
            for key, (future, _) in waiting.items():
                result[key] = await asyncio.shield(future)
            return result
        finally:
            for flight in flights:
                self._leave(flight)

    def _start(
        self,
        entity: str,
        keys: list[CacheKey],
        fetch: Callable[[list[CacheKey]], Awaitable[Mapping[CacheKey, V]]],
    ) -> _Flight:
        async def run() -> Mapping[CacheKey, V]:
            return await fetch(keys)

        # Detached: the leader's scope must not cancel what others wait for.
        task = asyncio.get_running_loop().create_task(
            run(), context=operation.detached()
        )
        flight = _Flight(task)
        loop = asyncio.get_running_loop()
        for key in keys:
            future: asyncio.Future[Any] = loop.create_future()
            flight.futures[(entity, key)] = future
            self._pending[(entity, key)] = (future, flight)
        task.add_done_callback(lambda done: self._settle(flight, done))
        return flight

    def _leave(self, flight: _Flight) -> None:
        flight.waiters -= 1
        if flight.waiters > 0 or flight.task.done():
            return
        # Nobody is left to read the answer: stop spending the provider's budget.
        self._release(flight)
        flight.task.cancel()

    def _release(self, flight: _Flight) -> None:
        for slot in flight.futures:
            held = self._pending.get(slot)
            if held is not None and held[1] is flight:
                del self._pending[slot]

    def _settle(self, flight: _Flight, done: asyncio.Future[Any]) -> None:
        self._release(flight)
        failure = done.exception() if not done.cancelled() else None
        for (_, key), future in flight.futures.items():
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

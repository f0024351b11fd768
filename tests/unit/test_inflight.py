"""InFlight: concurrent misses of one key share one fetch; failures and
cancellations reach every waiter; nothing stays registered afterwards."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import pytest

from gateway.cache.base import CacheKey
from gateway.cache.fetch import cached_fetch
from gateway.cache.inflight import InFlight
from gateway.cache.memory import MemoryCache


def key(n: int) -> CacheKey:
    return CacheKey("flexe", f"o-{n}")


class Upstream:
    """A fetch that counts its calls and answers when released."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.calls: list[list[CacheKey]] = []
        self.release = asyncio.Event()
        self.fail = fail

    async def __call__(self, keys: list[CacheKey]) -> Mapping[CacheKey, str]:
        self.calls.append(keys)
        await self.release.wait()
        if self.fail is not None:
            raise self.fail
        return {k: f"value of {k.key}" for k in keys}


async def test_concurrent_misses_of_one_key_make_one_fetch() -> None:
    inflight, upstream = InFlight(), Upstream()
    asks = [
        asyncio.create_task(inflight.fetch("orders", [key(1), key(2)], upstream))
        for _ in range(5)
    ]
    await asyncio.sleep(0)
    upstream.release.set()
    results = await asyncio.gather(*asks)
    assert upstream.calls == [[key(1), key(2)]]
    assert all(r == {key(1): "value of o-1", key(2): "value of o-2"} for r in results)
    assert len(inflight) == 0


async def test_only_the_keys_in_flight_are_shared() -> None:
    inflight, upstream = InFlight(), Upstream()
    first = asyncio.create_task(inflight.fetch("orders", [key(1)], upstream))
    await asyncio.sleep(0)
    second = asyncio.create_task(inflight.fetch("orders", [key(1), key(3)], upstream))
    await asyncio.sleep(0)
    upstream.release.set()
    assert (await second)[key(3)] == "value of o-3"
    await first
    assert upstream.calls == [[key(1)], [key(3)]]


async def test_a_failure_reaches_every_waiter() -> None:
    inflight, upstream = InFlight(), Upstream(fail=RuntimeError("provider down"))
    asks = [
        asyncio.create_task(inflight.fetch("orders", [key(1)], upstream))
        for _ in range(3)
    ]
    await asyncio.sleep(0)
    upstream.release.set()
    outcomes = await asyncio.gather(*asks, return_exceptions=True)
    assert [str(o) for o in outcomes] == ["provider down"] * 3
    assert len(upstream.calls) == 1
    assert len(inflight) == 0


async def test_a_leader_that_goes_away_does_not_cancel_the_others() -> None:
    inflight, upstream = InFlight(), Upstream()
    leader = asyncio.create_task(inflight.fetch("orders", [key(1)], upstream))
    await asyncio.sleep(0)
    follower = asyncio.create_task(inflight.fetch("orders", [key(1)], upstream))
    await asyncio.sleep(0)
    leader.cancel()
    await asyncio.sleep(0)
    upstream.release.set()
    assert (await follower) == {key(1): "value of o-1"}
    with pytest.raises(asyncio.CancelledError):
        await leader
    assert len(upstream.calls) == 1


async def test_entities_do_not_share() -> None:
    inflight, upstream = InFlight(), Upstream()
    asks = [
        asyncio.create_task(inflight.fetch(entity, [key(1)], upstream))
        for entity in ("orders", "lines")
    ]
    await asyncio.sleep(0)
    upstream.release.set()
    await asyncio.gather(*asks)
    assert len(upstream.calls) == 2


async def test_cached_fetch_with_inflight_fetches_and_stores_once() -> None:
    cache, inflight, upstream = MemoryCache(), InFlight(), Upstream()

    def read() -> asyncio.Task[dict[CacheKey, str]]:
        return asyncio.create_task(
            cached_fetch(
                cache,
                "orders",
                [key(1)],
                upstream,
                30,
                bypass=False,
                encode=str.encode,
                decode=bytes.decode,
                inflight=inflight,
            )
        )

    asks = [read() for _ in range(4)]
    await asyncio.sleep(0.01)
    upstream.release.set()
    assert all(r == {key(1): "value of o-1"} for r in await asyncio.gather(*asks))
    assert len(upstream.calls) == 1
    assert await read() == {key(1): "value of o-1"}
    assert len(upstream.calls) == 1, "the next read is served by the cache"

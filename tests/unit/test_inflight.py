"""InFlight: concurrent misses of one key share one fetch; failures and
cancellations reach every waiter; the fetch is cancelled when its last waiter
leaves; nothing stays registered afterwards."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import pytest

from gateway import operation
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
        self.cancelled = 0
        self.scopes: list[operation.OperationScope | None] = []
        self.release = asyncio.Event()
        self.fail = fail

    async def __call__(self, keys: list[CacheKey]) -> Mapping[CacheKey, str]:
        self.calls.append(keys)
        self.scopes.append(operation.current.get())
        try:
            await self.release.wait()
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
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


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_the_fetch_is_cancelled_only_when_its_last_waiter_leaves() -> None:
    inflight, upstream = InFlight(), Upstream()
    leader = asyncio.create_task(inflight.fetch("orders", [key(1)], upstream))
    await settle()
    followers = [
        asyncio.create_task(inflight.fetch("orders", [key(1)], upstream))
        for _ in range(2)
    ]
    await settle()
    for waiter in (leader, followers[0]):
        waiter.cancel()
        await settle()
        assert upstream.cancelled == 0, "someone still waits for the fetch"
        assert len(inflight) == 1
    followers[1].cancel()
    await settle()
    assert upstream.cancelled == 1
    assert len(inflight) == 0
    assert len(upstream.calls) == 1
    for waiter in (leader, *followers):
        with pytest.raises(asyncio.CancelledError):
            await waiter


async def test_after_an_abandoned_fetch_the_next_request_fetches_afresh() -> None:
    inflight, upstream = InFlight(), Upstream()
    gone = asyncio.create_task(inflight.fetch("orders", [key(1)], upstream))
    await settle()
    gone.cancel()
    # At once, before the cancelled fetch has unwound: nothing to join.
    fresh = asyncio.create_task(inflight.fetch("orders", [key(1)], upstream))
    await settle()
    upstream.release.set()
    assert (await fresh) == {key(1): "value of o-1"}
    assert len(upstream.calls) == 2
    assert upstream.cancelled == 1


async def test_a_follower_of_several_fetches_leaves_them_all() -> None:
    inflight, upstream = InFlight(), Upstream()
    firsts = [
        asyncio.create_task(inflight.fetch("orders", [key(n)], upstream))
        for n in (1, 2)
    ]
    await settle()
    both = asyncio.create_task(inflight.fetch("orders", [key(1), key(2)], upstream))
    await settle()
    for first in firsts:
        first.cancel()
    await settle()
    assert upstream.cancelled == 0
    both.cancel()
    await settle()
    assert upstream.cancelled == 2
    assert len(inflight) == 0


async def test_a_waiter_that_got_its_answer_does_not_cancel_the_others() -> None:
    inflight, upstream = InFlight(), Upstream()
    first = asyncio.create_task(inflight.fetch("orders", [key(1)], upstream))
    await settle()
    second = asyncio.create_task(inflight.fetch("orders", [key(1)], upstream))
    await settle()
    upstream.release.set()
    assert list(await asyncio.gather(first, second)) == [{key(1): "value of o-1"}] * 2
    assert upstream.cancelled == 0


async def test_the_fetch_runs_outside_the_leaders_operation_scope() -> None:
    inflight, upstream = InFlight(), Upstream()
    scope = operation.OperationScope()

    async def leader() -> dict[CacheKey, str | None]:
        operation.current.set(scope)
        operation.adopt_current_task()
        return await inflight.fetch("orders", [key(1)], upstream)

    led = asyncio.create_task(leader())
    await settle()
    follower = asyncio.create_task(inflight.fetch("orders", [key(1)], upstream))
    await settle()
    scope.close()  # the leader's client left
    await settle()
    assert upstream.scopes == [None]
    assert upstream.cancelled == 0
    upstream.release.set()
    assert (await follower) == {key(1): "value of o-1"}
    assert led.cancelled()

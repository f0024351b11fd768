"""RedisLocks against the local Redis: two objects on one prefix are two instances."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import redis.asyncio as aioredis

from gateway import errors
from gateway.locks import RedisLocks
from tests.conftest import REDIS_URL

NAME = "flexport_v3:po:171047"
Make = Callable[..., RedisLocks]


@pytest.fixture
async def raw() -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(REDIS_URL, decode_responses=True)
    yield client
    await client.aclose()


@pytest.fixture
async def make(redis_prefix: str) -> AsyncIterator[Make]:
    """RedisLocks on the test's prefix (or another), closed afterwards."""
    made: list[RedisLocks] = []

    def build(prefix: str = redis_prefix, **options: Any) -> RedisLocks:
        options.setdefault("poll_s", 0.01)
        locks = RedisLocks.from_url(REDIS_URL, prefix, **options)
        made.append(locks)
        return locks

    yield build
    for locks in made:
        await locks.aclose()


async def test_two_instances_on_one_prefix_exclude_each_other(
    make: Make, raw: aioredis.Redis, redis_prefix: str
) -> None:
    instances = [make(), make()]
    inside = 0
    most = 0
    done: list[int] = []

    async def update(i: int) -> None:
        nonlocal inside, most
        async with instances[i % 2].hold(NAME):
            inside += 1
            most = max(most, inside)
            assert await raw.exists(redis_prefix + NAME) == 1
            await asyncio.sleep(0.02)
            inside -= 1
            done.append(i)

    async with asyncio.timeout(10):
        await asyncio.gather(*(update(i) for i in range(8)))
    assert sorted(done) == list(range(8))
    assert most == 1, "never two holders at once, across both instances"
    assert await raw.exists(redis_prefix + NAME) == 0, "released after the last"


async def test_the_prefix_separates_gateways_on_one_redis(
    make: Make, redis_prefix: str
) -> None:
    production = make(redis_prefix + "production:")
    staging = make(redis_prefix + "staging:", wait_s=0.2)
    another_production = make(redis_prefix + "production:", wait_s=0.2)
    async with production.hold(NAME):
        async with staging.hold(NAME):
            pass  # another prefix: not held
        with pytest.raises(errors.Conflict):
            async with another_production.hold(NAME):
                pass


async def test_release_by_a_non_holder_leaves_the_lock_alone(
    make: Make, raw: aioredis.Redis, redis_prefix: str
) -> None:
    key = redis_prefix + NAME
    async with make().hold(NAME):
        mine = await raw.get(key)
        # This holder's lease ran out and another instance took the lock.
        await raw.set(key, "another-instance", px=5000)
    assert mine is not None
    assert mine != "another-instance"
    assert await raw.get(key) == "another-instance", "not deleted by the old holder"
    with pytest.raises(errors.Conflict):
        async with make(wait_s=0.1).hold(NAME):
            pass


async def test_an_expired_lease_is_taken_over(
    make: Make, raw: aioredis.Redis, redis_prefix: str
) -> None:
    key = redis_prefix + NAME
    # What a holder that crashed leaves behind: its key, until the lease ends.
    await raw.set(key, "crashed-instance", px=300)
    started = time.monotonic()
    async with make(wait_s=5).hold(NAME):
        waited = time.monotonic() - started
        holder = await raw.get(key)
        lease = await raw.pttl(key)
    assert waited >= 0.2, "not before the crashed holder's lease ran out"
    assert waited < 3
    assert holder not in (None, "crashed-instance")
    assert lease > 0, "the new holder has a lease of its own"
    assert await raw.exists(key) == 0


async def test_the_wait_limit_raises_conflict_without_running_the_body(
    make: Make,
) -> None:
    first, second = make(), make(wait_s=0.2)
    ran = False
    started = time.monotonic()
    async with first.hold(NAME):
        with pytest.raises(errors.Conflict) as caught:
            async with second.hold(NAME):
                ran = True
    waited = time.monotonic() - started
    assert not ran
    assert 0.2 <= waited < 2
    exc = caught.value
    assert "another update of the same object is still running" in exc.message
    assert exc.provider == "flexport_v3"
    assert exc.extensions["code"] == "CONFLICT"
    async with asyncio.timeout(1), second.hold(NAME):
        pass  # free again once the first is done, also for the one that gave up


async def test_waiters_in_one_instance_share_its_wait_limit(make: Make) -> None:
    holder, instance = make(), make(wait_s=0.2)
    async with holder.hold(NAME):
        results = await asyncio.gather(
            *(_enter(instance) for _ in range(3)), return_exceptions=True
        )
    assert [type(r) for r in results] == [errors.Conflict] * 3


async def _enter(locks: RedisLocks) -> None:
    async with locks.hold(NAME):
        pass


async def test_a_lease_is_renewed_while_the_holder_works(
    make: Make, raw: aioredis.Redis, redis_prefix: str
) -> None:
    slow, other = make(lease_ms=200), make(wait_s=0.5)
    async with slow.hold(NAME):
        with pytest.raises(errors.Conflict):
            async with other.hold(NAME):
                pass
        assert await raw.pttl(redis_prefix + NAME) > 0
    async with asyncio.timeout(1), other.hold(NAME):
        pass


async def test_the_body_raising_releases_the_lock(
    make: Make, raw: aioredis.Redis, redis_prefix: str
) -> None:
    with pytest.raises(ValueError, match="boom"):
        async with make().hold(NAME):
            raise ValueError("boom")
    assert await raw.exists(redis_prefix + NAME) == 0


async def test_redis_down_fails_safe_with_provider_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on `port` now: connections are refused.
    locks = RedisLocks.from_url(f"redis://127.0.0.1:{port}/0", timeout_s=0.5)
    ran = False
    started = time.monotonic()
    try:
        with pytest.raises(errors.ProviderUnavailable) as caught:
            async with locks.hold(NAME):
                ran = True
    finally:
        await locks.aclose()
    assert not ran, "never unguarded"
    assert time.monotonic() - started < 3, "fails fast, does not hang"
    exc = caught.value
    assert not isinstance(exc, errors.Conflict)
    assert "the update lock (Redis) is unreachable" in exc.message
    assert exc.provider == "flexport_v3"
    assert exc.extensions["code"] == "UPSTREAM_UNAVAILABLE"
    assert exc.retryable

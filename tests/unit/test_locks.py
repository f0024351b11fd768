"""LocalLocks (exclusion, no idle locks kept), locks_from_url and GATEWAY_LOCK_URL."""

from __future__ import annotations

import asyncio

import pytest

from gateway.locks import DEFAULT_PREFIX, LocalLocks, RedisLocks, locks_from_url
from gateway.settings import Settings


async def settle() -> None:
    """Let every ready task run until it blocks."""
    for _ in range(10):
        await asyncio.sleep(0)


async def test_local_locks_admit_one_holder_per_name_in_arrival_order() -> None:
    locks = LocalLocks()
    log: list[str] = []
    release = asyncio.Event()

    async def holder(label: str, wait: bool) -> None:
        async with locks.hold("flexport_v3:po:1"):
            log.append(f"{label} in")
            if wait:
                await release.wait()
            log.append(f"{label} out")

    first = asyncio.create_task(holder("first", wait=True))
    await settle()
    second = asyncio.create_task(holder("second", wait=False))
    third = asyncio.create_task(holder("third", wait=False))
    await settle()
    assert log == ["first in"], "the others wait while the first holds"
    release.set()
    await asyncio.gather(first, second, third)
    assert log == [
        "first in",
        "first out",
        "second in",
        "second out",
        "third in",
        "third out",
    ]


async def test_local_locks_of_different_names_do_not_block_each_other() -> None:
    locks = LocalLocks()
    async with asyncio.timeout(1), locks.hold("a"), locks.hold("b"):
        assert len(locks) == 2


async def test_local_locks_keep_no_lock_for_idle_names() -> None:
    locks = LocalLocks()
    for i in range(100):
        async with locks.hold(f"flexport_v3:po:{i}"):
            assert len(locks) == 1
    assert len(locks) == 0


async def test_local_locks_keep_a_lock_while_awaited_and_drop_it_after() -> None:
    locks = LocalLocks()
    release = asyncio.Event()
    entered: list[str] = []

    async def hold(label: str) -> None:
        async with locks.hold("x"):
            entered.append(label)
            await release.wait()

    holder = asyncio.create_task(hold("holder"))
    await settle()
    waiter = asyncio.create_task(hold("waiter"))
    cancelled = asyncio.create_task(hold("cancelled"))
    await settle()
    assert len(locks) == 1, "one lock for the holder and both waiters"
    cancelled.cancel()
    await asyncio.gather(cancelled, return_exceptions=True)
    # A finished task keeps its exception's traceback, and with it the frames
    # that referenced the lock; the app drops its tasks, and so does this test.
    del cancelled
    release.set()
    await asyncio.gather(holder, waiter)
    assert entered == ["holder", "waiter"]
    assert len(locks) == 0, "neither a finished nor a cancelled waiter keeps it"


async def test_local_locks_release_when_the_body_raises() -> None:
    locks = LocalLocks()
    with pytest.raises(ValueError, match="boom"):
        async with locks.hold("x"):
            raise ValueError("boom")
    async with asyncio.timeout(1), locks.hold("x"):
        assert len(locks) == 1
    assert len(locks) == 0


@pytest.mark.parametrize("url", [None, "", "memory://"])
def test_locks_from_url_without_redis_is_in_process(url: str | None) -> None:
    assert isinstance(locks_from_url(url), LocalLocks)


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:6379/0", "rediss://cache:6380/1", "unix:///tmp/r.sock"]
)
async def test_locks_from_url_with_redis_is_redis(url: str) -> None:
    locks = locks_from_url(url, prefix="tenant:lock:")
    assert isinstance(locks, RedisLocks)
    assert locks.prefix == "tenant:lock:"
    await locks.aclose()


async def test_locks_from_url_defaults_to_the_gateway_prefix() -> None:
    locks = locks_from_url("redis://127.0.0.1:6379/0")
    assert isinstance(locks, RedisLocks)
    assert locks.prefix == DEFAULT_PREFIX
    await locks.aclose()


def test_locks_from_url_refuses_an_unknown_scheme_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="not redsi") as caught:
        locks_from_url("redsi://user:hunter2@host:6379/0")
    assert "hunter2" not in str(caught.value)


def test_lock_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().lock_url is None
    monkeypatch.setenv("GATEWAY_LOCK_URL", "redis://127.0.0.1:6379/3")
    assert Settings().lock_url == "redis://127.0.0.1:6379/3"

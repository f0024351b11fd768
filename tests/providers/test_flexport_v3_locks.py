"""Flexport v3 updates queue on `Locks`: in process by default, across instances in Redis.

Seed 7: PO-10047 (171047) is open, incoterm EXW, transportation mode truck.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

import tests.providers.test_flexport_v3 as v3_tests
from gateway.locks import LocalLocks, RedisLocks
from gateway.models import PurchaseOrderUpdate
from gateway.providers import build_providers
from gateway.providers.flexport_v3 import FlexportV3Provider
from gateway.settings import Settings
from tests.conftest import FAST_RETRY, REDIS_URL, SandboxControl

SLUG = v3_tests.SLUG
FRESH_ID = v3_tests.FRESH_ID

# The v3 test module's fixtures and helpers, shared rather than copied.
session = v3_tests.session
calls = v3_tests.calls


@pytest.fixture
async def instances(
    sandbox: TestServer, session: aiohttp.ClientSession, redis_prefix: str
) -> AsyncIterator[list[FlexportV3Provider]]:
    """Two adapters as two gateway instances have them: own locks, one Redis."""
    built = [
        FlexportV3Provider(
            v3_tests.settings(sandbox),
            session,
            FAST_RETRY,
            locks=RedisLocks.from_url(REDIS_URL, redis_prefix),
        )
        for _ in range(2)
    ]
    yield built
    for provider in built:
        await provider.close()


async def test_updates_through_two_instances_with_redis_locks_both_land(
    instances: list[FlexportV3Provider], control: SandboxControl
) -> None:
    await control.settings(latencyMs=100)
    one, two = instances
    results = await asyncio.gather(
        one.update_purchase_order(FRESH_ID, PurchaseOrderUpdate(incoterm="FOB")),
        two.update_purchase_order(
            FRESH_ID, PurchaseOrderUpdate(transportation_mode="air")
        ),
    )
    writes = await calls(control, "POST", "/purchase_orders")
    assert [w["status"] for w in writes] == [200, 200], "two V3 writes, no 409"
    assert all(po.updated_at is not None for po in results)
    earlier, later = sorted(results, key=lambda po: str(po.updated_at))
    assert (later.incoterm, later.transportation_mode) == ("FOB", "air"), (
        "the later write was merged over the earlier one"
    )
    assert {earlier.incoterm, earlier.transportation_mode} & {"FOB", "air"}
    await control.settings(latencyMs=0)
    after = (await two.get_purchase_orders([FRESH_ID]))[FRESH_ID]
    assert (after.incoterm, after.transportation_mode) == ("FOB", "air")


async def test_lock_url_gives_flexport_v3_its_locks_in_redis(
    sandbox: TestServer, session: aiohttp.ClientSession
) -> None:
    providers = {SLUG: v3_tests.settings(sandbox)}
    shared = build_providers(
        Settings(providers=providers, lock_url=REDIS_URL), session
    )[SLUG]
    local = build_providers(Settings(providers=providers), session)[SLUG]
    assert isinstance(shared, FlexportV3Provider)
    assert isinstance(local, FlexportV3Provider)
    assert isinstance(shared.locks, RedisLocks)
    assert isinstance(local.locks, LocalLocks)
    assert shared.writer.locks is shared.locks
    await shared.close()
    await local.close()


class CountingLocks(LocalLocks):
    def __init__(self) -> None:
        super().__init__()
        self.held: list[str] = []
        self.closed = 0

    def hold(self, name: str) -> contextlib.AbstractAsyncContextManager[None]:
        self.held.append(name)
        return super().hold(name)

    async def aclose(self) -> None:
        self.closed += 1


async def test_updates_hold_the_po_lock_and_close_closes_the_locks(
    sandbox: TestServer, session: aiohttp.ClientSession
) -> None:
    locks = CountingLocks()
    v3 = FlexportV3Provider(
        v3_tests.settings(sandbox), session, FAST_RETRY, locks=locks
    )
    updated = await v3.update_purchase_order(
        FRESH_ID, PurchaseOrderUpdate(incoterm="FOB")
    )
    assert updated.incoterm == "FOB"
    await v3.cancel_purchase_order(FRESH_ID)
    assert locks.held == [f"flexport_v3:po:{FRESH_ID}"], "updates only"
    await v3.close()
    assert locks.closed == 1

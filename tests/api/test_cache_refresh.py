"""Refresh-ahead end to end: boards near a TTL's end are served and refresh it once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from gateway.app import ENTITY_CACHE, PROVIDERS
from gateway.cache import MemoryCache
from gateway.models import InventoryLevel
from gateway.settings import CacheSettings, Settings
from tests.api.test_cache import BOARD, FRESH_BOARD, NO_CACHE, upstream
from tests.conftest import (
    FAST_RETRY,
    GQL,
    NO_POLLING,
    SandboxControl,
    provider_settings,
)

INVENTORY_TTL_S = 10.0
# With the default policy (last 20 % of the TTL, 3 s of grace after it):
IN_WINDOW_S = 9.0
IN_GRACE_S = 11.0

Client = TestClient  # type: ignore[type-arg]


class Clock:
    """The cache's monotonic clock, moved only by the test."""

    def __init__(self) -> None:
        self.now = time.monotonic()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(sandbox: TestServer) -> Settings:
    return Settings(
        sandbox=True,
        providers={"flexe": provider_settings(sandbox, "flexe")},
        retry=FAST_RETRY,
        polling=NO_POLLING,
        cache=CacheSettings(ttl_s={"inventory": INVENTORY_TTL_S}),
    )


def cache_on_a_clock(gateway: Client) -> tuple[MemoryCache, Clock]:
    cache = gateway.server.app[ENTITY_CACHE]
    assert isinstance(cache, MemoryCache)
    clock = Clock()
    cache.clock = clock
    return cache, clock


def hold_inventory(gateway: Client, monkeypatch: pytest.MonkeyPatch) -> asyncio.Event:
    """Make Flexe's stock reads wait for the returned event before they go out."""
    provider = gateway.server.app[PROVIDERS]["flexe"]
    original = provider.get_inventory
    gate = asyncio.Event()

    async def held(skus: Sequence[str]) -> Mapping[str, list[InventoryLevel]]:
        await gate.wait()
        levels: Mapping[str, list[InventoryLevel]] = await original(skus)
        return levels

    monkeypatch.setattr(provider, "get_inventory", held)
    return gate


def skus(board: dict[str, Any]) -> set[str]:
    edges = board["data"]["orders"]["edges"]
    return {line["sku"] for edge in edges for line in edge["node"]["lines"]}


@pytest.mark.parametrize("at", [IN_WINDOW_S, IN_GRACE_S], ids=["window", "grace"])
async def test_32_boards_near_the_stock_ttl_send_one_refresh_and_do_not_wait(
    gateway: Client,
    gql: GQL,
    control: SandboxControl,
    monkeypatch: pytest.MonkeyPatch,
    at: float,
) -> None:
    cache, clock = cache_on_a_clock(gateway)
    first = await gql(BOARD)
    assert "errors" not in first
    assert await upstream(control) == FRESH_BOARD
    gate = hold_inventory(gateway, monkeypatch)

    clock.now += at
    # The refresh is held: had a board waited for it, this would never return.
    boards = await asyncio.gather(*(gql(BOARD) for _ in range(32)))
    assert all("errors" not in board for board in boards)
    assert all(board["data"] == first["data"] for board in boards)
    assert {b["extensions"]["cost"]["upstreamRequests"] for b in boards} == {0}
    assert await control.requests("flexe") == []
    assert len(cache.refresher) == len(skus(first))  # every SKU, once

    gate.set()
    await cache.refresher.drain()
    # One refresh of the 164 SKUs, 100 a request; nothing else was due.
    assert await upstream(control) == ["/v2/inventory"] * 2
    again = await gql(BOARD)
    assert again["data"] == first["data"]
    assert again["extensions"]["cost"]["upstreamRequests"] == 0
    assert await upstream(control) == []
    assert len(cache.refresher) == 0


async def test_no_cache_near_the_ttl_reads_fresh_and_starts_no_refresh(
    gateway: Client, gql: GQL, control: SandboxControl
) -> None:
    cache, clock = cache_on_a_clock(gateway)
    await gql(BOARD)
    await control.clear()
    clock.now += IN_GRACE_S
    bypassed = await gql(BOARD, **NO_CACHE)
    assert "errors" not in bypassed
    assert len(cache.refresher) == 0
    assert await upstream(control) == FRESH_BOARD
    # The bypass stored fresh stock: the next board finds nothing due.
    await gql(BOARD)
    await cache.refresher.drain()
    assert await upstream(control) == []


async def test_past_the_grace_the_next_board_fetches_the_stock_itself(
    gateway: Client, gql: GQL, control: SandboxControl
) -> None:
    cache, clock = cache_on_a_clock(gateway)
    await gql(BOARD)
    await control.clear()
    clock.now += INVENTORY_TTL_S + CacheSettings().stale_grace_s + 0.5
    board = await gql(BOARD)
    assert board["extensions"]["cost"]["upstreamRequests"] == 2
    assert len(cache.refresher) == 0
    assert await upstream(control) == ["/v2/inventory"] * 2

"""The live clock: objects move on their own, send webhooks, and stop on cleanup."""

from __future__ import annotations

import asyncio

from pytest_aiohttp import AiohttpServer

from gateway.sandbox import (
    LIVE_CLOCK_KEY,
    SANDBOX_KEY,
    LiveClock,
    Sandbox,
    SandboxConfig,
    create_sandbox,
)

from .conftest import FakeClock
from .receiver import Receiver, config_for, until

PATHS = {"/webhooks/flexe", "/webhooks/flexport_logistics", "/webhooks/flexport_v3"}


async def test_a_fast_clock_sends_webhooks_and_stops_on_cleanup(
    aiohttp_server: AiohttpServer, clock: FakeClock
) -> None:
    receiver = Receiver()
    target = await aiohttp_server(receiver.app())
    app = create_sandbox(
        config_for(str(target.make_url("")).rstrip("/"), clock, live_speed=500.0)
    )
    server = await aiohttp_server(app)
    live = app[LIVE_CLOCK_KEY]
    assert live.running
    await until(lambda: {r.path for r in receiver.requests} >= PATHS, within=10)
    assert "/webhooks/flxpoint" not in {r.path for r in receiver.requests}
    await server.close()
    assert not live.running
    count = len(receiver.requests)
    await asyncio.sleep(0.05)
    assert len(receiver.requests) == count, "nothing is sent after cleanup"


async def test_speed_zero_never_starts(
    aiohttp_server: AiohttpServer, clock: FakeClock
) -> None:
    app = create_sandbox(SandboxConfig(order_count=20, clock=clock))
    await aiohttp_server(app)
    assert app[LIVE_CLOCK_KEY].interval() is None
    assert not app[LIVE_CLOCK_KEY].running


def test_ticks_are_deterministic_for_a_seed_and_restart_on_reset() -> None:
    def world() -> tuple[Sandbox, LiveClock]:
        app = create_sandbox(
            SandboxConfig(order_count=60, clock=FakeClock(), live_speed=1)
        )
        return app[SANDBOX_KEY], app[LIVE_CLOCK_KEY]

    sandbox, live = world()
    first = [live.tick() for _ in range(3)]
    assert all(first), "every tick moves something"
    assert {m["provider"] for tick in first for m in tick} == {
        "flexe",
        "flexport_logistics",
        "flexport_v3",
        "flxpoint",
    }
    assert all(len(tick) <= 6 for tick in first), "one object of each kind at most"
    sandbox.reset()
    assert [live.tick() for _ in range(3)] == first
    _, twin = world()
    assert [twin.tick() for _ in range(3)] == first


def test_interval_scales_with_speed_and_has_a_floor() -> None:
    app = create_sandbox(SandboxConfig(order_count=20, live_speed=1))
    live, config = app[LIVE_CLOCK_KEY], app[SANDBOX_KEY].config
    assert live.interval() == 5.0
    config.live_speed = 10
    assert live.interval() == 0.5
    config.live_speed = 1e9
    assert live.interval() == 0.01
    config.live_speed = 0
    assert live.interval() is None

"""The built-in provider sandbox: one aiohttp app, one sub-app per provider."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from .config import (
    SANDBOX_TOKENS,
    SANDBOX_WEBHOOK_AUTH_HEADER,
    SANDBOX_WEBHOOK_SECRETS,
    SandboxConfig,
)
from .control import add_control_routes
from .emitter import Emitter
from .events import SandboxEvent
from .flexe import FlexeSim
from .flexport_logistics import FlexportLogisticsSim
from .flexport_v3 import FlexportV3Sim
from .flxpoint import FlxpointSim
from .live import LiveClock
from .runtime import SANDBOX_KEY, Sandbox
from .webhook_control import add_webhook_routes

__all__ = [
    "EMITTER_KEY",
    "LIVE_CLOCK_KEY",
    "SANDBOX_KEY",
    "SANDBOX_TOKENS",
    "SANDBOX_WEBHOOK_AUTH_HEADER",
    "SANDBOX_WEBHOOK_SECRETS",
    "Emitter",
    "LiveClock",
    "Sandbox",
    "SandboxConfig",
    "SandboxEvent",
    "create_sandbox",
]

EMITTER_KEY = web.AppKey("sandbox_emitter", Emitter)
LIVE_CLOCK_KEY = web.AppKey("sandbox_live_clock", LiveClock)

# File uploads (F14) carry documents; aiohttp's default 1 MiB is too small.
MAX_BODY_BYTES = 25 * 1024 * 1024


def create_sandbox(config: SandboxConfig | None = None) -> web.Application:
    """The sandbox application; `app[SANDBOX_KEY]` is its runtime (events, reset),
    `app[EMITTER_KEY]` its webhook emitter, `app[LIVE_CLOCK_KEY]` its live clock;
    both run only while the app is started."""
    sandbox = Sandbox(config or SandboxConfig())
    sandbox.add_provider(FlexeSim(sandbox))
    sandbox.add_provider(FlexportLogisticsSim(sandbox))
    sandbox.add_provider(FlexportV3Sim(sandbox))
    sandbox.add_provider(FlxpointSim(sandbox))
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    emitter, live = Emitter(sandbox), LiveClock(sandbox)
    app[SANDBOX_KEY] = sandbox
    app[EMITTER_KEY] = emitter
    app[LIVE_CLOCK_KEY] = live
    add_control_routes(app, sandbox)
    add_webhook_routes(app, sandbox, emitter)
    for sim in sandbox.providers.values():
        app.add_subapp(sim.prefix, sim.build_app())

    async def stop_waiting(_: web.Application) -> None:
        # Runs before aiohttp waits for in-flight handlers, so "timeout" faults
        # and latency end at once instead of holding shutdown.
        sandbox.stop()

    async def background(_: web.Application) -> AsyncIterator[None]:
        await emitter.start()
        await live.start()
        yield
        # The clock first, so its last changes are not published to a closed
        # emitter.
        await live.close()
        await emitter.close()

    app.on_shutdown.append(stop_waiting)
    app.cleanup_ctx.append(background)
    return app

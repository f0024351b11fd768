"""The built-in provider sandbox: one aiohttp app, one sub-app per provider."""

from __future__ import annotations

from aiohttp import web

from .config import SANDBOX_TOKENS, SandboxConfig
from .control import add_control_routes
from .events import SandboxEvent
from .flexe import FlexeSim
from .flexport_logistics import FlexportLogisticsSim
from .flexport_v3 import FlexportV3Sim
from .flxpoint import FlxpointSim
from .runtime import SANDBOX_KEY, Sandbox

__all__ = [
    "SANDBOX_KEY",
    "SANDBOX_TOKENS",
    "Sandbox",
    "SandboxConfig",
    "SandboxEvent",
    "create_sandbox",
]

# File uploads (F14) carry documents; aiohttp's default 1 MiB is too small.
MAX_BODY_BYTES = 25 * 1024 * 1024


def create_sandbox(config: SandboxConfig | None = None) -> web.Application:
    """The sandbox application; `app[SANDBOX_KEY]` is its runtime (events, reset)."""
    sandbox = Sandbox(config or SandboxConfig())
    sandbox.add_provider(FlexeSim(sandbox))
    sandbox.add_provider(FlexportLogisticsSim(sandbox))
    sandbox.add_provider(FlexportV3Sim(sandbox))
    sandbox.add_provider(FlxpointSim(sandbox))
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[SANDBOX_KEY] = sandbox
    add_control_routes(app, sandbox)
    for sim in sandbox.providers.values():
        app.add_subapp(sim.prefix, sim.build_app())

    async def stop_waiting(_: web.Application) -> None:
        # Runs before aiohttp waits for in-flight handlers, so "timeout" faults
        # and latency end at once instead of holding shutdown.
        sandbox.stop()

    app.on_shutdown.append(stop_waiting)
    return app

"""The runtime every provider shares: settings, request log, faults, clock, events."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .clock import WorldClock
from .events import EventHub
from .faults import FaultRules
from .requestlog import RequestLog

if TYPE_CHECKING:
    from .config import SandboxConfig
    from .provider import ProviderSim

# Waits are sliced so that a client hanging up, or the server shutting down,
# ends them promptly instead of holding test teardown for the full duration.
_SLICE_S = 0.02


@dataclass
class Settings:
    """Knobs a test may turn at run time through /_sandbox/settings."""

    latency_ms: float
    rate_limits: bool

    def to_json(self) -> dict[str, Any]:
        return {"latencyMs": self.latency_ms, "rateLimits": self.rate_limits}


class Sandbox:
    """One simulated world; every provider sub-application holds a reference to it."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.settings = Settings(config.latency_ms, config.rate_limits)
        self.log = RequestLog(config.request_log_size)
        self.faults = FaultRules()
        self.events = EventHub()
        self.clock = WorldClock(config.anchor, config.clock)
        self.providers: dict[str, ProviderSim] = {}
        # Services beside the providers (emitter, live clock) that restart too.
        self.on_reset: list[Callable[[], None]] = []
        self._stopping = asyncio.Event()

    def add_provider(self, provider: ProviderSim) -> None:
        self.providers[provider.slug] = provider

    def reset(self) -> None:
        """Fresh seed state everywhere; the log keeps counting from its last seq."""
        self.clock.restart()
        self.settings = Settings(self.config.latency_ms, self.config.rate_limits)
        self.log.clear()
        self.faults.clear()
        for provider in self.providers.values():
            provider.reset()
        for hook in self.on_reset:
            hook()

    def stop(self) -> None:
        self._stopping.set()

    async def pause(self, seconds: float, request: web.BaseRequest | None) -> None:
        """Sleep up to `seconds`; return early if the client left or we are stopping."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not self._stopping.is_set():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            if request is not None and _client_gone(request):
                return
            await asyncio.sleep(min(remaining, _SLICE_S))


def _client_gone(request: web.BaseRequest) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


SANDBOX_KEY = web.AppKey("sandbox", Sandbox)

"""The live clock: objects move on by themselves, through the providers' advance."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import TYPE_CHECKING, Any

from .provider import ControlError

if TYPE_CHECKING:
    from .runtime import Sandbox

log = logging.getLogger("gateway.sandbox.live")

# At speed 1 one tick every 5 s, each moving one object of each kind: a
# handful of changes every few seconds, slow enough to follow on a board.
TICK_S = 5.0
PER_KIND = 1
# High speeds in tests must not turn the task into a busy loop.
MIN_INTERVAL_S = 0.01


class LiveClock:
    """While `live_speed` > 0, a background task moves a few objects of every
    provider to their next state each interval, through the same `advance` as
    /_sandbox/advance, so the same events (and webhooks) follow.

    Deterministic for a seed: candidates come in a stable order and are drawn
    with an RNG seeded from the config (and reseeded on reset).
    """

    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._rng = self._fresh_rng()
        self._task: asyncio.Task[None] | None = None
        self._failed = False
        self.ticks = 0
        sandbox.on_reset.append(self._reseed)

    def _fresh_rng(self) -> random.Random:
        return random.Random(f"live:{self._sandbox.config.seed}")

    def _reseed(self) -> None:
        self._rng = self._fresh_rng()

    def interval(self) -> float | None:
        """Seconds between ticks at the configured speed; None when off."""
        speed = self._sandbox.config.live_speed
        return None if speed <= 0 else max(MIN_INTERVAL_S, TICK_S / speed)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        if self.interval() is not None:
            self._task = asyncio.create_task(self._run(), name="sandbox-live-clock")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        while True:
            # Re-read each time: a test or a demo may change the speed (0 idles).
            await asyncio.sleep(self.interval() or TICK_S)
            if self.interval() is None:
                continue
            try:
                self.tick()
            except Exception:
                # Keep the clock going; say so loudly only the first time.
                log.log(
                    logging.DEBUG if self._failed else logging.WARNING,
                    "live clock tick failed",
                    exc_info=True,
                )
                self._failed = True

    def tick(self) -> list[dict[str, Any]]:
        """One step: up to PER_KIND objects of each kind of every provider.

        Returns the advance answers, as /_sandbox/advance gives them.
        """
        self.ticks += 1
        moved: list[dict[str, Any]] = []
        for sim in self._sandbox.providers.values():
            for kind, ids in sim.live_candidates().items():
                for object_id in self._rng.sample(ids, min(PER_KIND, len(ids))):
                    try:
                        moved.append(sim.advance(kind, object_id))
                    except ControlError:
                        continue
        return moved

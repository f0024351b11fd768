"""The sandbox's v3 rate limit (inferred): a token bucket of 10, refilled 5 per second.

Buckets are per API token and read the injected clock, so tests move time
instead of sleeping.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

RATE_PER_S = 5.0
BURST = 10


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int


class TokenBucket:
    def __init__(
        self,
        clock: Callable[[], float],
        rate_per_s: float = RATE_PER_S,
        burst: int = BURST,
    ) -> None:
        self._clock = clock
        self._rate = rate_per_s
        self._burst = burst
        # key -> (tokens left, clock reading they were counted at)
        self._buckets: dict[str, tuple[float, float]] = {}

    def hit(self, key: str, *, enforce: bool) -> Verdict:
        """Take one token. With `enforce` off calls always pass but still drain."""
        now = self._clock()
        tokens, then = self._buckets.get(key, (float(self._burst), now))
        tokens = min(float(self._burst), tokens + max(0.0, now - then) * self._rate)
        if tokens >= 1:
            self._buckets[key] = (tokens - 1, now)
            return Verdict(True, 0)
        self._buckets[key] = (tokens, now)
        if not enforce:
            return Verdict(True, 0)
        # Whole seconds until a token is back, never 0 so clients do wait.
        return Verdict(False, max(1, math.ceil((1 - tokens) / self._rate)))

    def clear(self) -> None:
        self._buckets.clear()

"""A token bucket per API token on the injected clock, for providers that use one."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

# Epoch seconds near 1.8e9 carry ~2e-7 s of float error; without some slack a
# token refilled after exactly 0.1 s could come out as 0.9999998 of a token.
_SLACK = 1e-5


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    # Whole seconds until one request's worth of tokens is back (0 when allowed).
    retry_after: int


class TokenBucket:
    """Buckets refill continuously on the injected clock and start full."""

    def __init__(
        self,
        clock: Callable[[], float],
        rate: float,
        burst: int,
    ) -> None:
        self._clock = clock
        self._rate = rate
        self._burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}

    def hit(self, key: str, *, enforce: bool) -> Verdict:
        """Take one token; with `enforce` off calls always pass but still drain."""
        now = self._clock()
        tokens, stamp = self._buckets.get(key, (float(self._burst), now))
        tokens = min(float(self._burst), tokens + max(0.0, now - stamp) * self._rate)
        if tokens < 1.0 - _SLACK and enforce:
            self._buckets[key] = (tokens, now)
            wait = (1.0 - tokens) / self._rate
            return Verdict(False, max(1, math.ceil(wait)))
        self._buckets[key] = (max(0.0, tokens - 1.0), now)
        return Verdict(True, 0)

    def clear(self) -> None:
        self._buckets.clear()

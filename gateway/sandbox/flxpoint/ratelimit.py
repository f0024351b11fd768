"""Flxpoint's rate limit: a token bucket per API token, 40 deep, refilled at 2/s."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

POOL_SIZE = 40
REFILL_PER_S = 2


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    pool_size: int
    pool_used: int
    refill_per_s: int
    retry_after: int

    def headers(self) -> dict[str, str]:
        return {
            "X-Auth-Pool-Size": str(self.pool_size),
            "X-Auth-Pool-Used": str(self.pool_used),
            "X-Auth-Replenished-Per-Second": str(self.refill_per_s),
        }


class TokenBucket:
    """Buckets start full; each admitted call takes one token.

    `X-Auth-Pool-Used` counts the whole tokens missing from the pool, so a
    fractional refill shows only once a full token is back.
    """

    def __init__(
        self,
        clock: Callable[[], float],
        size: int = POOL_SIZE,
        refill_per_s: int = REFILL_PER_S,
    ) -> None:
        self._clock = clock
        self._size = size
        self._rate = refill_per_s
        self._buckets: dict[str, tuple[float, float]] = {}

    def _level(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (float(self._size), now))
        return min(float(self._size), tokens + max(0.0, now - at) * self._rate)

    def _verdict(self, allowed: bool, tokens: float, retry_after: int) -> Verdict:
        used = self._size - math.floor(tokens + 1e-9)
        return Verdict(allowed, self._size, used, self._rate, retry_after)

    def hit(self, key: str, *, enforce: bool) -> Verdict:
        """Take one token; with `enforce` off an empty bucket still admits the call."""
        now = self._clock()
        tokens = self._level(key, now)
        if tokens < 1:
            if enforce:
                self._buckets[key] = (tokens, now)
                wait = max(1, math.ceil((1 - tokens) / self._rate))
                return self._verdict(False, tokens, wait)
            self._buckets[key] = (0.0, now)
            return self._verdict(True, 0.0, 0)
        tokens -= 1
        self._buckets[key] = (tokens, now)
        return self._verdict(True, tokens, 0)

    def clear(self) -> None:
        self._buckets.clear()

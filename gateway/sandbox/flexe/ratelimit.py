"""Flexe's rate limit: 100 calls per fixed 60-second window per token."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

LIMIT = 100
WINDOW_S = 60


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset: int
    retry_after: int

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
        }


class FixedWindowLimiter:
    """Windows are aligned to multiples of WINDOW_S on the injected clock."""

    def __init__(
        self,
        clock: Callable[[], float],
        limit: int = LIMIT,
        window_s: int = WINDOW_S,
    ) -> None:
        self._clock = clock
        self._limit = limit
        self._window_s = window_s
        self._windows: dict[str, tuple[int, int]] = {}

    def hit(self, key: str, *, enforce: bool) -> Verdict:
        """Count one call; with `enforce` off calls always pass but still count."""
        now = self._clock()
        window = math.floor(now / self._window_s)
        reset = (window + 1) * self._window_s
        start, used = self._windows.get(key, (window, 0))
        if start != window:
            used = 0
        if enforce and used >= self._limit:
            retry_after = max(1, math.ceil(reset - now))
            return Verdict(False, self._limit, 0, reset, retry_after)
        used += 1
        self._windows[key] = (window, used)
        return Verdict(True, self._limit, max(0, self._limit - used), reset, 0)

    def clear(self) -> None:
        self._windows.clear()

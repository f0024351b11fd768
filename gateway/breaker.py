"""A circuit breaker per provider: stop calling a provider that keeps failing.

Closed: calls go through; `failures` consecutive failures that say the provider
is unwell (transport errors, timeouts, 5xx, 429) open it. Open: calls fail at
once, without a request, for `open_s` seconds. Then one probe is let through
(half-open): its success closes the breaker, its failure opens it again. A 4xx
answer is the caller's problem, not the provider's health: it counts as neither.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    """Consecutive-failure breaker; single-threaded (one event loop)."""

    def __init__(
        self,
        failures: int,
        open_s: float,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failures < 1 or open_s < 0:
            raise ValueError("failures must be >= 1 and open_s >= 0")
        self.failures = failures
        self.open_s = open_s
        self._clock = clock
        self._consecutive = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._probing or self._clock() - self._opened_at >= self.open_s:
            return "half_open"
        return "open"

    def allow(self) -> float | None:
        """None: the call may go out (as the probe, when half-open); else the
        seconds until a probe will be let through."""
        if self._opened_at is None:
            return None
        left = self._opened_at + self.open_s - self._clock()
        if left > 0:
            return left
        if self._probing:
            # One probe at a time; the others wait for its verdict.
            return max(self.open_s, 0.001)
        self._probing = True
        return None

    def success(self) -> None:
        """The provider answered (2xx, or a 4xx that is the caller's fault)."""
        self._consecutive = 0
        self._opened_at = None
        self._probing = False

    def failure(self) -> None:
        """The provider failed in a way that says it is unwell."""
        self._consecutive += 1
        if self._probing or self._consecutive >= self.failures:
            self._opened_at = self._clock()
            self._probing = False

    def release(self) -> None:
        """A call let through ended without a verdict (cancelled): free the probe."""
        self._probing = False

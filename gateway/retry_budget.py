"""A retry budget per provider: retries may add only a fraction to the traffic.

Over a sliding window, retries may number at most `min_retries` plus `ratio`
times the first attempts sent in it. During an outage the load on the provider
stays close to what callers ask for, instead of multiplying by the retry count;
the floor lets a quiet provider still retry a call or two.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

WINDOW_S = 10.0
MIN_RETRIES = 3


class RetryBudget:
    """Counts first attempts and retries over the last `window_s` seconds."""

    def __init__(
        self,
        ratio: float,
        *,
        window_s: float = WINDOW_S,
        min_retries: int = MIN_RETRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ratio < 0 or window_s <= 0 or min_retries < 0:
            raise ValueError("ratio and min_retries must be >= 0, window_s > 0")
        self.ratio = ratio
        self.window_s = window_s
        self.min_retries = min_retries
        self._clock = clock
        self._firsts: deque[float] = deque()
        self._retries: deque[float] = deque()

    def _prune(self, now: float) -> None:
        horizon = now - self.window_s
        for stamps in (self._firsts, self._retries):
            while stamps and stamps[0] <= horizon:
                stamps.popleft()

    def record_attempt(self) -> None:
        """A first attempt is being sent."""
        now = self._clock()
        self._prune(now)
        self._firsts.append(now)

    def try_retry(self) -> bool:
        """Take one retry from the budget; False: none left, give up now."""
        now = self._clock()
        self._prune(now)
        allowed = self.min_retries + self.ratio * len(self._firsts)
        if len(self._retries) + 1 > allowed:
            return False
        self._retries.append(now)
        return True

"""Client-side rate limiting: stay inside a provider's budget instead of tripping it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class TokenBucket:
    """A token bucket shared by every request this process sends to one provider.

    Requests reserve a token at once (the balance may go negative) and sleep
    until their reservation is covered, so waiters are served in arrival order
    and a burst of loader calls is spread out rather than answered with 429s.
    """

    def __init__(
        self,
        rate_per_s: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError("rate_per_s must be > 0 and burst >= 1")
        self.rate = rate_per_s
        self.burst = float(burst)
        self._clock = clock
        self._tokens = float(burst)
        self._stamp = clock()

    def reserve(self) -> float:
        """Take one token; return how many seconds to wait before using it."""
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        self._tokens -= 1
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    async def acquire(self, max_wait: float | None = None) -> bool:
        """Wait until a request may be sent; False at once (and the token handed
        back) when that would take longer than `max_wait` seconds."""
        wait = self.reserve()
        if max_wait is not None and wait > max_wait:
            self._tokens += 1
            return False
        if wait > 0:
            await asyncio.sleep(wait)
        return True

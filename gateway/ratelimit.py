"""Client-side rate limiting: stay inside a provider's budget instead of tripping it."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable


class TokenBucket:
    """A token bucket shared by every request this process sends to one provider.

    Requests reserve a token at once (the balance may go negative) and sleep
    until their reservation is covered, so waiters are served in arrival order
    and a burst of loader calls is spread out rather than answered with 429s.

    A waiter cancelled before its turn (its operation's client went away) sent
    nothing. When no reservation was made after it, its token goes back, as if
    it had never asked; otherwise later waiters already sleep towards their
    slots and its slot stays unused (giving it back would let the next request
    share a slot with the last waiter: a burst the provider did not allow).
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
        self._serials = itertools.count()
        # Reservations still waiting, in arrival order: serial -> cancelled.
        self._waiting: dict[int, bool] = {}

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
            serial = next(self._serials)
            self._waiting[serial] = False
            try:
                await asyncio.sleep(wait)
            except asyncio.CancelledError:
                self._cancelled(serial)
                raise
            self._served(serial)
        return True

    def _served(self, serial: int) -> None:
        # Cancelled waiters before this one had their slots in the past: those
        # tokens are spent, never to be handed back.
        while self._waiting:
            first = next(iter(self._waiting))
            if first > serial:
                return
            del self._waiting[first]

    def _cancelled(self, serial: int) -> None:
        """Hand back the tokens of the cancelled waiters at the queue's tail."""
        self._waiting[serial] = True
        while self._waiting:
            last = next(reversed(self._waiting))
            if not self._waiting[last]:
                return
            del self._waiting[last]
            # Exact while in debt: refilling is linear below the burst cap.
            self._tokens += 1

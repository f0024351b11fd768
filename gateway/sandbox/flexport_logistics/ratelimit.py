"""LAPI's sandbox rate limit: a token bucket per token, 10 req/s, burst 20 (§2.1)."""

from __future__ import annotations

from collections.abc import Callable

from ..token_bucket import TokenBucket, Verdict

RATE_PER_S = 10.0
BURST = 20


def limiter(clock: Callable[[], float]) -> TokenBucket:
    """LAPI's bucket."""
    return TokenBucket(clock, RATE_PER_S, BURST)


__all__ = ["BURST", "RATE_PER_S", "TokenBucket", "Verdict", "limiter"]

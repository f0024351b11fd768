"""The sandbox's v3 rate limit (inferred): a token bucket of 10, refilled 5 per second.

Buckets are per API token and read the injected clock, so tests move time
instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Callable

from ..token_bucket import TokenBucket, Verdict

RATE_PER_S = 5.0
BURST = 10


def limiter(clock: Callable[[], float]) -> TokenBucket:
    """v3's bucket."""
    return TokenBucket(clock, RATE_PER_S, BURST)


__all__ = ["BURST", "RATE_PER_S", "TokenBucket", "Verdict", "limiter"]

"""TokenBucket: bursts up to capacity, then spaced at the refill rate."""

from __future__ import annotations

import pytest

from gateway.ratelimit import TokenBucket


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_burst_then_spaces_requests() -> None:
    clock = Clock()
    bucket = TokenBucket(2.0, 3, clock=clock)
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.reserve() == pytest.approx(0.5)
    assert bucket.reserve() == pytest.approx(1.0)


def test_bucket_refills_over_time_up_to_burst() -> None:
    clock = Clock()
    bucket = TokenBucket(2.0, 3, clock=clock)
    for _ in range(3):
        bucket.reserve()
    clock.now += 1.0  # two tokens back
    assert [bucket.reserve() for _ in range(2)] == [0.0, 0.0]
    assert bucket.reserve() > 0
    clock.now += 100
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]


def test_bucket_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="rate_per_s"):
        TokenBucket(0, 1)

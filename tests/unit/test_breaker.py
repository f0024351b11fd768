"""CircuitBreaker: opens on consecutive failures, probes once, closes on success."""

from __future__ import annotations

import pytest

from gateway.breaker import CircuitBreaker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def state(breaker: CircuitBreaker) -> str:
    # A plain str: mypy would otherwise narrow the Literal across calls.
    return breaker.state


def test_opens_after_consecutive_failures_only() -> None:
    breaker = CircuitBreaker(3, 10.0, clock=Clock())
    breaker.failure()
    breaker.failure()
    breaker.success()  # resets the run
    breaker.failure()
    breaker.failure()
    assert state(breaker) == "closed"
    assert breaker.allow() is None
    breaker.failure()
    assert state(breaker) == "open"


def test_open_fails_fast_with_time_left_then_lets_one_probe_through() -> None:
    clock = Clock()
    breaker = CircuitBreaker(1, 10.0, clock=clock)
    breaker.failure()
    clock.now += 4
    assert breaker.allow() == pytest.approx(6.0)
    clock.now += 6
    assert state(breaker) == "half_open"
    assert breaker.allow() is None  # the probe
    assert breaker.allow() is not None  # everyone else waits for its verdict
    breaker.success()
    assert state(breaker) == "closed"
    assert breaker.allow() is None


def test_failed_probe_reopens_for_a_full_period() -> None:
    clock = Clock()
    breaker = CircuitBreaker(5, 10.0, clock=clock)
    for _ in range(5):
        breaker.failure()
    clock.now += 10
    assert breaker.allow() is None
    breaker.failure()  # one failure is enough while half-open
    assert state(breaker) == "open"
    assert breaker.allow() == pytest.approx(10.0)


def test_released_probe_lets_the_next_caller_probe() -> None:
    clock = Clock()
    breaker = CircuitBreaker(1, 1.0, clock=clock)
    breaker.failure()
    clock.now += 1
    assert breaker.allow() is None
    breaker.release()
    assert breaker.allow() is None


def test_breaker_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="failures"):
        CircuitBreaker(0, 1.0)

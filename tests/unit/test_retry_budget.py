"""RetryBudget: a floor of retries plus a fraction of first attempts, per window."""

from __future__ import annotations

import pytest

from gateway.retry_budget import RetryBudget


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_quiet_provider_still_gets_the_floor() -> None:
    budget = RetryBudget(0.1, window_s=10, min_retries=3, clock=Clock())
    budget.record_attempt()
    assert [budget.try_retry() for _ in range(4)] == [True, True, True, False]


def test_retries_scale_with_first_attempts() -> None:
    budget = RetryBudget(0.1, window_s=10, min_retries=3, clock=Clock())
    for _ in range(50):
        budget.record_attempt()
    granted = sum(budget.try_retry() for _ in range(100))
    assert granted == 3 + 5


def test_window_slides() -> None:
    clock = Clock()
    budget = RetryBudget(0.0, window_s=10, min_retries=2, clock=clock)
    assert budget.try_retry()
    assert budget.try_retry()
    assert not budget.try_retry()
    clock.now += 5
    assert not budget.try_retry()
    clock.now += 5  # the first two retries left the window
    assert budget.try_retry()
    assert budget.try_retry()
    assert not budget.try_retry()


def test_budget_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="ratio"):
        RetryBudget(-1)

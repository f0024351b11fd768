"""provider_time: the time one operation waits on each provider."""

from __future__ import annotations

import time

import pytest

from gateway import provider_time


def test_nothing_waited_is_nothing_used() -> None:
    span = (time.monotonic(), time.monotonic() + 10)
    assert provider_time.used(span, "flexe") == 0.0


def test_concurrent_waits_count_once_and_other_providers_not_at_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    span = (1000.0, 1010.0)
    with provider_time.waiting(span, "flexe"):
        now[0] += 1
        with provider_time.waiting(span, "flexe"):
            now[0] += 2
            assert provider_time.used(span, "flexe") == 3.0
        now[0] += 1
    with provider_time.waiting(span, "flxpoint"):
        now[0] += 4
    assert provider_time.used(span, "flexe") == 4.0
    assert provider_time.used(span, "flxpoint") == 4.0
    # Another operation's span starts from nothing, even with equal values.
    assert provider_time.used(tuple([1000.0, 1010.0]), "flexe") == 0.0  # type: ignore[arg-type]


def test_an_operation_past_its_deadline_is_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [5000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    monkeypatch.setattr(provider_time, "_swept", 0.0)
    span = (5000.0, 5001.0)
    with provider_time.waiting(span, "flexe"):
        now[0] += 0.5
    assert id(span) in provider_time._operations
    now[0] += 2
    provider_time.used((now[0], now[0] + 1), "flexe")
    assert id(span) not in provider_time._operations


def test_no_span_counts_nothing() -> None:
    with provider_time.waiting(None, "flexe"):
        pass

"""Per operation, the time spent waiting on each provider: what its budget counts.

A provider's budget (`ProviderSettings.budget_s`) bounds how long one operation
waits on that provider, not how long since the operation started: time the
operation spent waiting on another provider (a hung one, holding a merged
list) is not charged to this one, so its nested calls, which could only start
once that list was in, are not cut for a budget they never used. Concurrent
calls to one provider count once (the union of their intervals).

Operations are told apart by their `gateway.http.deadline` span, the tuple the
view sets per query: it reaches every task of the operation, single-flight
fetches detached from its scope included. An entry is dropped once its span's
end has passed, since no call of that operation may run after it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Span = tuple[float, float]


@dataclass
class _Waits:
    """One provider's waits in one operation."""

    spent: float = 0.0
    active: int = 0
    since: float = 0.0

    def used(self, now: float) -> float:
        return self.spent + (now - self.since if self.active else 0.0)


@dataclass
class _Operation:
    span: Span
    """Held so `id(span)` names no other tuple while the entry exists."""
    providers: dict[str, _Waits] = field(default_factory=dict)


_operations: dict[int, _Operation] = {}
_swept = 0.0
_SWEEP_EVERY_S = 1.0


def _entry(span: Span, now: float) -> _Operation:
    global _swept
    if now - _swept >= _SWEEP_EVERY_S:
        # Amortised: at most one pass a second over the operations of the
        # last deadline's length.
        _swept = now
        for key in [k for k, op in _operations.items() if op.span[1] < now]:
            del _operations[key]
    entry = _operations.get(id(span))
    if entry is None or entry.span is not span:
        entry = _operations[id(span)] = _Operation(span)
    return entry


@contextmanager
def waiting(span: Span | None, provider: str) -> Iterator[None]:
    """Count the time inside as the operation waiting on `provider`."""
    if span is None:
        yield
        return
    waits = _entry(span, time.monotonic()).providers.setdefault(provider, _Waits())
    if waits.active == 0:
        waits.since = time.monotonic()
    waits.active += 1
    try:
        yield
    finally:
        waits.active -= 1
        if waits.active == 0:
            waits.spent += time.monotonic() - waits.since


def used(span: Span, provider: str) -> float:
    """Seconds the operation of `span` has waited on `provider` so far."""
    now = time.monotonic()
    waits = _entry(span, now).providers.get(provider)
    return 0.0 if waits is None else waits.used(now)

"""Deterministic instants for seed history: ages, and moments between two instants."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from ..clock import truncate_ms


def ago(rng: random.Random, anchor: datetime, low_h: float, high_h: float) -> datetime:
    """An instant between `low_h` and `high_h` hours before the anchor."""
    return truncate_ms(anchor - timedelta(hours=rng.uniform(low_h, high_h)))


def steps(
    rng: random.Random, start: datetime, end: datetime, count: int
) -> list[datetime]:
    """`count` increasing instants strictly between `start` and `end`."""
    span = end - start
    cuts = sorted(rng.uniform(0.02, 0.98) for _ in range(count))
    moments: list[datetime] = []
    for cut in cuts:
        moment = truncate_ms(start + span * cut)
        if moments and moment <= moments[-1]:
            moment = moments[-1] + timedelta(milliseconds=1)
        moments.append(moment)
    return moments

"""The sandbox's request log during a run: requests, 429s and rate per provider."""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp

EVENTS_SUFFIX = "/events"
"""The Flexport Logistics events feed the gateway follows in the background."""


@dataclass(frozen=True)
class Limit:
    """A provider's published limit: a token bucket, or a fixed window."""

    rate_per_s: float
    burst: int
    window_s: float | None = None

    def allowed(self, seconds: float) -> int:
        """The most requests the limit lets through in `seconds`."""
        if self.window_s is not None:
            # A run can straddle one more window than it lasts.
            return self.burst * (math.ceil(seconds / self.window_s) + 1)
        return self.burst + int(self.rate_per_s * seconds)

    def __str__(self) -> str:
        if self.window_s is not None:
            return f"{self.burst} / {self.window_s:.0f} s"
        return f"{self.rate_per_s:g}/s, burst {self.burst}"


LIMITS: dict[str, Limit] = {
    # /work/shared/providers.md §5 (the sandbox's defaults).
    "flexe": Limit(100 / 60, 100, window_s=60),
    "flexport_logistics": Limit(10, 20),
    "flexport_v3": Limit(5, 10),
    "flxpoint": Limit(2, 40),
}


@dataclass
class Tally:
    """Every logged provider request from `since` on, by sequence number."""

    since: int
    entries: dict[int, dict[str, Any]] = field(default_factory=dict)

    def by_provider(self, *, events: bool = True) -> Counter[str]:
        return Counter(
            e["provider"]
            for e in self.entries.values()
            if events or not e["path"].endswith(EVENTS_SUFFIX)
        )

    def events(self) -> Counter[str]:
        return Counter(
            e["provider"]
            for e in self.entries.values()
            if e["path"].endswith(EVENTS_SUFFIX)
        )

    def with_status(self, status: int) -> Counter[str]:
        return Counter(
            e["provider"] for e in self.entries.values() if e["status"] == status
        )

    def pending(self) -> Counter[str]:
        return Counter(
            e["provider"] for e in self.entries.values() if e["status"] is None
        )


async def last_seq(sandbox_url: str) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{sandbox_url}/_sandbox") as resp,
    ):
        return int((await resp.json())["lastSeq"])


async def collect(tally: Tally, sandbox_url: str) -> None:
    """Read the log from the oldest entry still in flight (or the newest seen) on."""
    pending = [s for s, e in tally.entries.items() if e["status"] is None]
    since = min(pending) - 1 if pending else max(tally.entries, default=tally.since)
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{sandbox_url}/_sandbox/requests", params={"since": str(since)}
        ) as resp,
    ):
        body = await resp.json()
    for entry in body["requests"]:
        tally.entries[entry["seq"]] = entry


async def follow(tally: Tally, sandbox_url: str, every_s: float = 2.0) -> None:
    """Collect until cancelled, so the bounded log never drops an entry unseen."""
    while True:
        await collect(tally, sandbox_url)
        await asyncio.sleep(every_s)

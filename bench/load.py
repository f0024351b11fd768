"""A closed-loop load generator: N workers POST one document for a fixed time."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson


@dataclass
class Run:
    """What one timed run measured."""

    concurrency: int
    seconds: float
    latencies_s: list[float] = field(default_factory=list)
    upstream: list[int] = field(default_factory=list)
    by_provider: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    cpu_s: float = 0.0

    @property
    def queries(self) -> int:
        return len(self.latencies_s)

    def percentile_ms(self, q: float) -> float:
        if not self.latencies_s:
            return float("nan")
        ordered = sorted(self.latencies_s)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def qps(self) -> float:
        return self.queries / self.seconds

    @property
    def upstream_per_query(self) -> float:
        return statistics.fmean(self.upstream) if self.upstream else float("nan")

    @property
    def cpu_ms_per_query(self) -> float:
        return 1000 * self.cpu_s / self.queries if self.queries else float("nan")


async def post(
    session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
) -> dict[str, Any]:
    """One GraphQL request; the decoded JSON answer."""
    async with session.post(url, data=body, headers=headers) as resp:
        data: dict[str, Any] = orjson.loads(await resp.read())
        return data


async def timed_run(
    url: str,
    query: str,
    concurrency: int,
    seconds: float,
    headers: dict[str, str] | None = None,
) -> Run:
    """Run `concurrency` workers for `seconds`, each sending again on an answer."""
    body = orjson.dumps({"query": query})
    all_headers = {"content-type": "application/json", **(headers or {})}
    run = Run(concurrency, seconds)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        deadline = time.monotonic() + seconds

        async def worker() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                data = await post(session, url, body, all_headers)
                elapsed = time.perf_counter() - started
                if data.get("errors") or not data.get("data"):
                    run.errors += 1
                    continue
                run.latencies_s.append(elapsed)
                cost = data.get("extensions", {}).get("cost", {})
                run.upstream.append(int(cost.get("upstreamRequests", 0)))
                run.by_provider.update(cost.get("upstreamByProvider", {}))

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        run.seconds = time.monotonic() - started
    return run

"""A closed-loop load generator: N workers POST one document for a fixed time."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson

OnAnswer = Callable[[float, dict[str, Any]], None]
"""Called with the latency and the decoded body of every answer."""


@dataclass
class Run:
    """What one timed run measured.

    `latencies_s` holds the clean answers (data and no errors), `answer_latencies_s`
    every answer (HTTP 200 with a JSON object), errors or not; what never came
    back (client timeout, connection error, another status) is in `unanswered`.
    """

    concurrency: int
    seconds: float
    latencies_s: list[float] = field(default_factory=list)
    upstream: list[int] = field(default_factory=list)
    by_provider: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    cpu_s: float = 0.0
    answer_latencies_s: list[float] = field(default_factory=list)
    codes: Counter[str] = field(default_factory=Counter)
    unanswered: Counter[str] = field(default_factory=Counter)

    @property
    def queries(self) -> int:
        return len(self.latencies_s)

    @property
    def answered(self) -> int:
        return len(self.answer_latencies_s)

    def percentile_ms(self, q: float) -> float:
        return percentile_ms(self.latencies_s, q)

    def answer_percentile_ms(self, q: float) -> float:
        return percentile_ms(self.answer_latencies_s, q)

    def slower_than(self, seconds: float) -> int:
        return sum(1 for s in self.answer_latencies_s if s > seconds)

    @property
    def qps(self) -> float:
        return self.queries / self.seconds

    @property
    def upstream_per_query(self) -> float:
        return statistics.fmean(self.upstream) if self.upstream else float("nan")

    @property
    def cpu_ms_per_query(self) -> float:
        return 1000 * self.cpu_s / self.queries if self.queries else float("nan")


def percentile_ms(latencies_s: list[float], q: float) -> float:
    """The `q` quantile (nearest rank, 1.0 is the maximum) in milliseconds."""
    if not latencies_s:
        return float("nan")
    ordered = sorted(latencies_s)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def error_codes(body: dict[str, Any]) -> set[str]:
    """The distinct `extensions.code` values of an answer's errors."""
    return {
        str((e.get("extensions") or {}).get("code", "NO_CODE"))
        for e in body.get("errors") or []
    }


async def post(
    session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
) -> dict[str, Any]:
    """One GraphQL request; the decoded JSON answer."""
    async with session.post(url, data=body, headers=headers) as resp:
        data: dict[str, Any] = orjson.loads(await resp.read())
        return data


async def answer_of(
    session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
) -> tuple[dict[str, Any] | None, str | None]:
    """The JSON object answered with HTTP 200, or None and why there was none."""
    try:
        async with session.post(url, data=body, headers=headers) as resp:
            raw = await resp.read()
            if resp.status != 200:
                return None, f"HTTP {resp.status}"
    except TimeoutError:
        return None, "client timeout"
    except aiohttp.ClientError as exc:
        return None, type(exc).__name__
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None, "not JSON"
    if not isinstance(data, dict):
        return None, "not a JSON object"
    return data, None


async def timed_run(
    url: str,
    query: str,
    concurrency: int,
    seconds: float,
    headers: dict[str, str] | None = None,
    *,
    variables: dict[str, Any] | None = None,
    timeout_s: float | None = None,
    on_answer: OnAnswer | None = None,
) -> Run:
    """Run `concurrency` workers for `seconds`, each sending again on an answer.

    `timeout_s` bounds each request on the client side; what runs over it counts
    as unanswered.
    """
    payload: dict[str, Any] = {"query": query}
    if variables is not None:
        payload["variables"] = variables
    body = orjson.dumps(payload)
    all_headers = {"content-type": "application/json", **(headers or {})}
    run = Run(concurrency, seconds)
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        deadline = time.monotonic() + seconds

        async def worker() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                data, failure = await answer_of(session, url, body, all_headers)
                elapsed = time.perf_counter() - started
                if data is None:
                    run.unanswered[failure or "unknown"] += 1
                    run.errors += 1
                    continue
                run.answer_latencies_s.append(elapsed)
                run.codes.update(error_codes(data))
                cost = (data.get("extensions") or {}).get("cost") or {}
                run.by_provider.update(cost.get("upstreamByProvider") or {})
                if on_answer is not None:
                    on_answer(elapsed, data)
                if data.get("errors") or not data.get("data"):
                    run.errors += 1
                    continue
                run.latencies_s.append(elapsed)
                run.upstream.append(int(cost.get("upstreamRequests", 0)))

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        run.seconds = time.monotonic() - started
    return run

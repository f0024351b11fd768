"""The all-provider order board under load on a cold gateway, against the targets.

    .venv/bin/python -m bench.board_load [--seconds 60] [--concurrency 32]
                                         [--first 50] [--hang flexe]

Starts the sandbox with its real rate limits (`bench/stack.py`) and a fresh
gateway process on all four providers with default settings (deadline,
per-provider budgets, client-side rate limits, breaker, cache, polling), then
sends the all-provider board from N closed-loop clients for a fixed time.
With `--hang <slug>` every request to that provider is accepted and never
answered. Prints markdown tables: the figures next to the targets, and the
upstream requests per provider from the sandbox's request log next to the
published rate limits.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench import procs, stack, upstream
from bench.load import Run, percentile_ms, timed_run

# One board for the benchmark and the tests that pin its upstream requests.
from tests.api.test_order_board import ORDER_BOARD

ORDER_PROVIDERS = ("flexe", "flexport_logistics", "flxpoint")
"""Providers with orders (Flexport v3 has purchase orders only)."""
RSS_GROWTH_MIB = 50.0


@dataclass
class HangCheck:
    """Per answer with a hung provider: are the other providers' orders all there?"""

    hung: str
    complete_s: list[float] = field(default_factory=list)
    incomplete: Counter[str] = field(default_factory=Counter)
    hung_errors: int = 0

    def __call__(self, elapsed: float, body: dict[str, Any]) -> None:
        others = {p.upper() for p in ORDER_PROVIDERS if p != self.hung}
        edges = ((body.get("data") or {}).get("orders") or {}).get("edges") or []
        present = {(e.get("node") or {}).get("provider") for e in edges}
        blamed = {
            str((e.get("extensions") or {}).get("provider"))
            for e in body.get("errors") or []
        }
        if self.hung.upper() in blamed:
            self.hung_errors += 1
        missing = others - present
        wrong = blamed & others
        if missing:
            self.incomplete["no orders from " + ", ".join(sorted(missing))] += 1
        elif wrong:
            self.incomplete["errors naming " + ", ".join(sorted(wrong))] += 1
        else:
            self.complete_s.append(elapsed)


@dataclass
class Measured:
    run: Run
    tally: upstream.Tally
    rss_start: float
    rss_end: float
    cpu_s: float
    first_wave_s: float
    rss_warm: float
    hang: HangCheck | None


async def hang_provider(sandbox_url: str, slug: str) -> None:
    """Every request to `slug` is accepted and held (the sandbox's HANG_S)."""
    rule = {"provider": slug, "path": "*", "fault": "timeout", "times": None}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{sandbox_url}/_sandbox/faults", json=rule) as resp,
    ):
        assert resp.status == 201, await resp.text()


async def measure(
    args: argparse.Namespace, gw: procs.Proc, sandbox_url: str, since: int
) -> Measured:
    tally = upstream.Tally(since)
    follower = asyncio.create_task(upstream.follow(tally, sandbox_url))
    check = HangCheck(args.hang) if args.hang else None
    order: list[float] = []
    rss_warm: list[float] = []

    def on_answer(elapsed: float, body: dict[str, Any]) -> None:
        order.append(elapsed)
        if len(order) == args.concurrency:
            rss_warm.append(procs.rss_mib(gw.pid))
        if check is not None:
            check(elapsed, body)

    rss_start = procs.rss_mib(gw.pid)
    cpu_before = procs.cpu_seconds(gw.pid)
    run = await timed_run(
        gw.url + "/graphql",
        ORDER_BOARD,
        args.concurrency,
        args.seconds,
        variables={"first": args.first},
        timeout_s=args.timeout,
        on_answer=on_answer,
    )
    cpu_s = procs.cpu_seconds(gw.pid) - cpu_before
    rss_end = procs.rss_mib(gw.pid)
    follower.cancel()
    end = await upstream.last_seq(sandbox_url)
    await upstream.collect(tally, sandbox_url)
    tally.entries = {s: e for s, e in tally.entries.items() if s <= end}
    first_wave = max(order[: args.concurrency], default=float("nan"))
    warm = rss_warm[0] if rss_warm else float("nan")
    return Measured(run, tally, rss_start, rss_end, cpu_s, first_wave, warm, check)


def yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def ms(millis: float) -> str:
    return "n/a" if math.isnan(millis) else f"{millis:,.0f} ms"


def figures(m: Measured, args: argparse.Namespace) -> list[str]:
    run, deadline_ms = m.run, 1000 * args.deadline
    sent = run.answered + sum(run.unanswered.values())
    unanswered = ", ".join(f"{k}: {v}" for k, v in run.unanswered.most_common())
    codes = ", ".join(f"`{k}`: {v}" for k, v in run.codes.most_common()) or "none"
    p99, top = run.answer_percentile_ms(0.99), run.answer_percentile_ms(1.0)
    slow = run.slower_than(args.deadline)
    over_429 = sum(m.tally.with_status(429).values())
    growth = m.rss_end - m.rss_start
    some = run.answered > 0
    rows = [
        "| figure | measured | target | met |",
        "| --- | --- | --- | --- |",
        f"| answered (HTTP 200, JSON) | {run.answered} of {sent}"
        f"{f' (not answered: {unanswered})' if unanswered else ''} "
        f"| every request | {yes(run.answered == sent)} |",
        f"| answers without errors | {run.queries} | | |",
        f"| answers with each error code | {codes} | | |",
        f"| latency p50 / p99 / max | {ms(run.answer_percentile_ms(0.5))} / "
        f"{ms(p99)} / {ms(top)} | p99 ≤ deadline ({ms(deadline_ms)}) "
        f"| {yes(p99 <= deadline_ms)} |",
        f"| answers slower than the deadline | {slow} | 0 "
        f"| {yes(some and slow == 0)} |",
        f"| slowest of the first {args.concurrency} answers (cold) "
        f"| {ms(1000 * m.first_wave_s)} | | |",
        f"| answers/s | {run.answered / run.seconds:.1f} | | |",
        f"| gateway CPU per answer | "
        f"{1000 * m.cpu_s / max(run.answered, 1):.0f} ms "
        f"({m.cpu_s / run.seconds:.0%} of a core) | | |",
        f"| upstream 429s (rate limit spent) | {over_429} | 0 | {yes(over_429 == 0)} |",
        f"| gateway RSS start / end | {m.rss_start:.0f} / {m.rss_end:.0f} MiB "
        f"(+{growth:.0f}) | growth < {RSS_GROWTH_MIB:.0f} MiB "
        f"| {yes(growth < RSS_GROWTH_MIB)} |",
        f"| gateway RSS after the first {args.concurrency} answers / end "
        f"| {m.rss_warm:.0f} / {m.rss_end:.0f} MiB (+{m.rss_end - m.rss_warm:.0f}) "
        "| | |",
    ]
    if m.hang is not None:
        rows += hang_rows(m, args)
    return rows


def hang_rows(m: Measured, args: argparse.Namespace) -> list[str]:
    check = m.hang
    assert check is not None
    budget_ms = 1000 * args.budget
    complete = len(check.complete_s)
    incomplete = ", ".join(f"{k}: {v}" for k, v in check.incomplete.most_common())
    over = sum(1 for s in check.complete_s if s > args.budget)
    p50, p99, top = (percentile_ms(check.complete_s, q) for q in (0.5, 0.99, 1.0))
    return [
        f"| answers with every other provider's orders and no error naming them "
        f"| {complete} of {m.run.answered}{f' ({incomplete})' if incomplete else ''} "
        f"| all | {yes(0 < complete == m.run.answered)} |",
        f"| answers with an error naming {check.hung.upper()} "
        f"| {check.hung_errors} | | |",
        f"| those answers: p50 / p99 / max | {ms(p50)} / {ms(p99)} / {ms(top)} "
        f"| within the budget ({ms(budget_ms)}) | {yes(top <= budget_ms)} |",
        f"| those answers slower than the budget | {over} | 0 "
        f"| {yes(complete > 0 and over == 0)} |",
    ]


def provider_rows(m: Measured, seconds: float) -> list[str]:
    total = m.tally.by_provider()
    events = m.tally.events()
    limited = m.tally.with_status(429)
    pending = m.tally.pending()
    rows = [
        "| provider | upstream requests (sandbox log) | of which `/events` "
        "| in flight at the end | Σ `upstreamByProvider` | 429s | requests/s "
        "| published limit | allowed in the run | within |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for slug, limit in upstream.LIMITS.items():
        count = total[slug]
        allowed = limit.allowed(seconds)
        rows.append(
            f"| {slug} | {count} | {events[slug]} | {pending[slug]} "
            f"| {m.run.by_provider[slug.upper()]} | {limited[slug]} "
            f"| {count / seconds:.2f} | {limit} | {allowed} "
            f"| {yes(count <= allowed and not limited[slug])} |"
        )
    return rows


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.board_load")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--first", type=int, default=50, help="board page size")
    parser.add_argument(
        "--hang", choices=list(upstream.LIMITS), help="a provider that never answers"
    )
    parser.add_argument(
        "--timeout", type=float, help="client timeout (default: deadline + 5 s)"
    )
    args = parser.parse_args(argv)
    # The gateway's own defaults, unless the environment overrides them.
    args.deadline = float(os.environ.get("GATEWAY_DEADLINE_S", "10"))
    budget_key = f"GATEWAY_PROVIDERS__{(args.hang or 'flexe').upper()}__BUDGET_S"
    args.budget = float(os.environ.get(budget_key, "8"))
    if args.timeout is None:
        args.timeout = args.deadline + 5
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cores = os.cpu_count() or 1
    # The gateway gets core 0 to itself; the sandbox and the client share the rest.
    gateway_core = 0 if cores > 1 else None
    other_core = 1 if cores > 1 else None
    hang = f", {args.hang} hung" if args.hang else ""
    print(
        f"# all-provider board, first: {args.first}, concurrency "
        f"{args.concurrency}, {args.seconds:g} s, cold gateway{hang}: "
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {cores} cores, "
        f"Python {platform.python_version()}, sandbox rate limits on, gateway "
        f"defaults (deadline {args.deadline:g} s, budget {args.budget:g} s), "
        f"client timeout {args.timeout:g} s\n"
    )
    with stack.sandbox(other_core) as sandbox:
        if other_core is not None:
            os.sched_setaffinity(0, {other_core})
        if args.hang:
            asyncio.run(hang_provider(sandbox.url, args.hang))
        since = asyncio.run(upstream.last_seq(sandbox.url))
        with stack.gateway(sandbox.url, gateway_core) as gw:
            m = asyncio.run(measure(args, gw, sandbox.url, since))
    print("\n".join(figures(m, args)))
    print()
    print("\n".join(provider_rows(m, m.run.seconds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

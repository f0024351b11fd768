"""The order-board benchmark: latency, throughput, upstream calls and CPU per query.

    .venv/bin/python -m bench.order_board [--seconds 10] [--latency-ms 20]

Starts the sandbox (20 ms on every request, rate limits lifted) and, for each
scenario, a gateway process pinned to one core with only Flexe in use; a
closed-loop client sends the Flexe order-board query at concurrency 1 and 32
for a fixed time. Gateway CPU is read from /proc before and after each run.
Scenarios: batched without the entity cache (the real cost of a fresh board),
batched with the cache (a repeat served from it), and batching and caching
both off (what the loaders save).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
from collections.abc import Sequence

from bench import procs
from bench.load import Run, timed_run

ORDER_BOARD = """
{ orders(first: 50, filter: {providers: [FLEXE]}) { edges { node {
    id provider status externalId createdAt
    lines { sku quantity shippedQuantity inventory { provider available } }
    shipments { status carrier trackingNumbers }
    attachments { name url } } } } }
"""

SCENARIOS: dict[str, dict[str, str]] = {
    "batched, no cache": {"GATEWAY_CACHE__ENABLED": "false"},
    "batched, cached repeat": {},
    "batching and cache off": {
        "GATEWAY_CACHE__ENABLED": "false",
        "GATEWAY_BATCHING": "false",
    },
}


async def measure(
    url: str, pid: int, concurrency: int, seconds: float, warmup_s: float
) -> Run:
    """Warm up, then one timed run with the gateway's CPU time attached."""
    await timed_run(url, ORDER_BOARD, concurrency, warmup_s)
    before = procs.cpu_seconds(pid)
    run = await timed_run(url, ORDER_BOARD, concurrency, seconds)
    run.cpu_s = procs.cpu_seconds(pid) - before
    return run


def row(name: str, run: Run) -> str:
    return (
        f"| {name} | {run.concurrency} | {run.queries} | {run.percentile_ms(0.5):.1f} "
        f"| {run.percentile_ms(0.99):.1f} | {run.qps:.1f} "
        f"| {run.upstream_per_query:.1f} | {run.cpu_ms_per_query:.1f} "
        f"| {run.errors} |"
    )


HEADER = (
    "| scenario | concurrency | queries | p50 ms | p99 ms | queries/s "
    "| upstream/query | gateway CPU ms/query | errors |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.order_board")
    parser.add_argument("--seconds", type=float, default=10.0, help="per run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per run")
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 32])
    parser.add_argument(
        "--scenario", choices=list(SCENARIOS), action="append", help="default: all"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cores = os.cpu_count() or 1
    # The gateway gets core 0 to itself; the sandbox and the client share the rest.
    gateway_core = 0 if cores > 1 else None
    other_core = 1 if cores > 1 else None
    print(
        f"# order board: {platform.processor() or platform.machine()}, {cores} cores, "
        f"Python {platform.python_version()}, sandbox latency {args.latency_ms} ms, "
        f"{args.seconds} s per run"
    )
    print(HEADER)
    with procs.sandbox(args.latency_ms, other_core) as sandbox:
        if other_core is not None:
            os.sched_setaffinity(0, {other_core})
        for name in args.scenario or list(SCENARIOS):
            env = SCENARIOS[name]
            with procs.gateway(sandbox.url, ["flexe"], gateway_core, env) as gw:
                for concurrency in args.concurrency:
                    run = asyncio.run(
                        measure(
                            gw.url + "/graphql",
                            gw.pid,
                            concurrency,
                            args.seconds,
                            args.warmup,
                        )
                    )
                    print(row(name, run), flush=True)
                print(f"<!-- {name}: gateway RSS {procs.rss_mib(gw.pid):.0f} MiB -->")
    return 0


if __name__ == "__main__":
    sys.exit(main())

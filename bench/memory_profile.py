"""Where the gateway's memory goes under the board load: tracemalloc growth.

    .venv/bin/python -m bench.memory_profile [--seconds 60] [--concurrency 32]
                                             [--out /tmp/memprof] [--top 25]

Runs `bench.board_load`'s load against a gateway started through
`bench.memtrace` (tracemalloc, 25 frames; slower than the real thing), takes a
snapshot before the load, after the first wave of answers and at the end, and
prints RSS next to the live Python heap and the top growth by line and by
traceback. Allocator high-water (RSS well above the traced heap) shows as the
gap between the two.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import board_load, procs, stack
from bench.load import timed_run


def snap(pid: int, directory: Path, n: int) -> None:
    """Ask the traced gateway for snapshot `n`, and wait until it is written."""
    os.kill(pid, signal.SIGUSR1)
    figures = directory / f"{n}.txt"
    deadline = time.monotonic() + 120
    while not figures.exists() and time.monotonic() < deadline:
        time.sleep(0.2)


async def load(args: argparse.Namespace, gw: procs.Proc, directory: Path) -> None:
    answered = [0]
    loop = asyncio.get_running_loop()
    waves: list[asyncio.Future[None]] = []

    def on_answer(elapsed: float, body: dict[str, Any]) -> None:
        answered[0] += 1
        if answered[0] == args.concurrency:
            # Off the event loop: the gateway pauses while it dumps.
            waves.append(loop.run_in_executor(None, snap, gw.pid, directory, 1))

    await timed_run(
        gw.url + "/graphql",
        board_load.ORDER_BOARD,
        args.concurrency,
        args.seconds,
        variables={"first": args.first},
        timeout_s=60,
        on_answer=on_answer,
    )
    await asyncio.gather(*waves)
    print(f"answered: {answered[0]}")


def figures(directory: Path, n: int) -> dict[str, float]:
    text = (directory / f"{n}.txt").read_text().split("\n")
    return {k: float(v) for k, v in (line.split() for line in text if line)}


def report(directory: Path, top: int) -> None:
    names = ("start", "first wave", "end")
    keys = [k for k in figures(directory, 0) if k != "gc_objects"]
    print("| snapshot | " + " | ".join(keys) + " |")
    print("| --- " * (len(keys) + 1) + "|")
    for n, name in enumerate(names):
        f = figures(directory, n)
        print(f"| {name} | " + " | ".join(f"{f[k]:g}" for k in keys) + " |")
    if not (directory / "2.snap").exists():
        return
    drop = tracemalloc.Filter(False, tracemalloc.__file__)
    start, end = (
        tracemalloc.Snapshot.load(str(directory / f"{n}.snap")).filter_traces([drop])
        for n in (0, 2)
    )
    later = [("end", end)]
    if (directory / "peak.snap").exists():
        peak = tracemalloc.Snapshot.load(str(directory / "peak.snap"))
        later.insert(0, ("peak", peak.filter_traces([drop])))
    for name, snapshot in later:
        print(f"\n## growth start -> {name} by line\n")
        for stat in snapshot.compare_to(start, "lineno")[:top]:
            print(stat)
    print("\n## growth start -> peak/end by traceback\n")
    for stat in later[0][1].compare_to(start, "traceback")[: top // 2]:
        print(f"{stat.size_diff / 1024:+.0f} KiB, {stat.count_diff:+d} blocks")
        for line in stat.traceback.format(limit=12, most_recent_first=True):
            print("   ", line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory_profile")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--first", type=int, default=50)
    parser.add_argument("--out", type=Path, default=Path("/tmp/memprof"))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--report-only", action="store_true")
    parser.add_argument(
        "--env", action="append", default=[], help="KEY=VALUE for the gateway"
    )
    args = parser.parse_args(argv)
    directory: Path = args.out
    if not args.report_only:
        for old in directory.glob("*.*"):
            old.unlink()
        cores = os.cpu_count() or 1
        gateway_core, other_core = (0, 1) if cores > 1 else (None, None)
        launcher = ("-m", "bench.memtrace", str(directory))
        env = dict(item.split("=", 1) for item in args.env)
        with (
            stack.sandbox(other_core) as sandbox,
            stack.gateway(sandbox.url, gateway_core, env, launcher) as gw,
        ):
            snap(gw.pid, directory, 0)
            asyncio.run(load(args, gw, directory))
            snap(gw.pid, directory, 2)
    report(directory, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())

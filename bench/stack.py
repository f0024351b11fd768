"""Load-benchmark processes: a rate-limited sandbox that can hang, a default gateway."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager

from aiohttp import web

from bench import procs
from gateway.sandbox import SandboxConfig, create_sandbox

HANG_S = 24 * 3600.0
"""How long a "timeout" fault holds a request: for a benchmark, forever."""


def sandbox(core: int | None) -> AbstractContextManager[procs.Proc]:
    """`python -m bench.stack`: the simulated providers with their real rate limits
    (no added latency), whose "timeout" faults never answer."""
    port = procs.free_port()
    argv = [sys.executable, "-m", "bench.stack", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    return procs.running(procs.pinned(core, argv), url, "/_sandbox")


def gateway(
    sandbox_url: str,
    core: int | None,
    env: Mapping[str, str] | None = None,
    launcher: Sequence[str] = ("-m", "gateway"),
) -> AbstractContextManager[procs.Proc]:
    """A gateway process on every provider at the sandbox, with default settings
    (client-side rate limits, deadline, budgets, breaker, cache, polling).

    `launcher` replaces `-m gateway` (bench/memory_profile.py traces it)."""
    port = procs.free_port()
    settings = {"GATEWAY_LOG_LEVEL": "WARNING", **(env or {})}
    for slug, token in procs.SANDBOX_TOKENS.items():
        key = f"GATEWAY_PROVIDERS__{slug.upper()}"
        settings[f"{key}__TOKEN"] = token
        settings[f"{key}__BASE_URL"] = f"{sandbox_url}/{slug.replace('_', '-')}"
    argv = [sys.executable, *launcher, "--no-sandbox", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    return procs.running(procs.pinned(core, argv), url, "/healthz", settings)


async def serve(port: int) -> None:
    config = SandboxConfig(rate_limits=True, fault_timeout_s=HANG_S)
    runner = web.AppRunner(create_sandbox(config), access_log=None)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    try:
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stack")
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(serve(parser.parse_args(argv).port))
    return 0


if __name__ == "__main__":
    sys.exit(main())

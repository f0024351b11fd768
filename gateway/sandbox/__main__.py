"""`python -m gateway.sandbox --port N`: serve the sandbox alone on loopback."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence

from aiohttp import web

from . import SandboxConfig, create_sandbox

logger = logging.getLogger("gateway.sandbox")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m gateway.sandbox",
        description="Simulated provider APIs for the fulfilment gateway.",
    )
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to bind (default 127.0.0.1; the sandbox has no real auth)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument(
        "--no-rate-limits",
        action="store_true",
        help="never answer 429 (for benchmarks)",
    )
    parser.add_argument(
        "--webhook-target",
        metavar="URL",
        help="gateway base URL; webhooks go to URL/webhooks/<provider> "
        "(default: only to subscriptions made through the provider APIs)",
    )
    parser.add_argument(
        "--live-speed",
        type=float,
        default=0.0,
        help="move objects along on their own; 1 = a few changes every 5 s, "
        "0 = off (default)",
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    config = SandboxConfig(
        seed=args.seed,
        latency_ms=args.latency_ms,
        rate_limits=not args.no_rate_limits,
        webhook_target=args.webhook_target,
        live_speed=max(0.0, args.live_speed),
    )
    runner = web.AppRunner(create_sandbox(config), access_log=None)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not available on Windows; KeyboardInterrupt is handled in main() there.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    try:
        site = web.TCPSite(runner, args.host, args.port)
        await site.start()
        logger.info(
            "Sandbox listening on http://%s:%d (Flexe at /flexe, control at /_sandbox)",
            args.host,
            args.port,
        )
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        logger.error("Cannot listen on %s:%d: %s", args.host, args.port, exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

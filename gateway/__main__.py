"""`python -m gateway` (or `fulfillment-gateway serve`): run gateway and sandbox."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys

from aiohttp import web
from pydantic import SecretStr, ValidationError

from gateway.settings import Settings

log = logging.getLogger("gateway")


def sandbox_prefix(slug: str) -> str:
    """Where the sandbox serves a provider: `flexport_v3` -> `/flexport-v3`."""
    return "/" + slug.replace("_", "-")


def point_at_sandbox(settings: Settings, sandbox_url: str) -> Settings:
    """A copy of `settings` whose enabled providers all talk to the sandbox."""
    from gateway.sandbox import SANDBOX_TOKENS

    providers = {
        slug: provider.model_copy(
            update={
                "base_url": sandbox_url.rstrip("/") + sandbox_prefix(slug),
                "token": SecretStr(SANDBOX_TOKENS[slug]),
            }
        )
        for slug, provider in settings.providers.items()
        if provider.enabled
    }
    return settings.model_copy(update={"providers": providers, "sandbox": True})


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="fulfillment-gateway",
        description="GraphQL gateway over Flexe, Flexport and Flxpoint.",
    )
    parser.add_argument("command", nargs="?", default="serve", choices=["serve"])
    parser.add_argument("--host", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="gateway port (default 8000)")
    parser.add_argument(
        "--sandbox-port", type=int, help="port of the built-in sandbox (default 8001)"
    )
    parser.add_argument(
        "--sandbox",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="serve the simulated providers and use them (default: when no "
        "provider has a token)",
    )
    return parser.parse_args(argv)


def build_settings(args: argparse.Namespace) -> Settings:
    overrides = {
        key: value
        for key, value in {
            "host": args.host,
            "port": args.port,
            "sandbox_port": args.sandbox_port,
            "sandbox": args.sandbox,
        }.items()
        if value is not None
    }
    return Settings(**overrides)


async def serve(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM, then close every connection cleanly."""
    from gateway.app import create_app

    runners: list[web.AppRunner] = []
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        sandbox_note = ""
        if settings.sandbox_mode():
            from gateway.sandbox import create_sandbox

            sandbox_runner = web.AppRunner(create_sandbox(), access_log=None)
            await sandbox_runner.setup()
            site = web.TCPSite(
                sandbox_runner, settings.sandbox_host, settings.sandbox_port
            )
            await site.start()
            runners.append(sandbox_runner)
            sandbox_url = f"http://{settings.sandbox_host}:{_bound_port(site)}"
            settings = point_at_sandbox(settings, sandbox_url)
            sandbox_note = f" (sandbox providers at {sandbox_url})"
        runner = web.AppRunner(create_app(settings), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        runners.append(runner)
        log.info(
            "GraphiQL at http://%s:%d/graphql%s",
            settings.host,
            _bound_port(site),
            sandbox_note,
        )
        await stop.wait()
        log.info("shutting down")
    finally:
        for runner in reversed(runners):
            await runner.cleanup()


def _bound_port(site: web.TCPSite) -> int:
    server = site._server
    sockets = getattr(server, "sockets", None) or []
    return int(sockets[0].getsockname()[1]) if sockets else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        settings = build_settings(args)
    except ValidationError as exc:
        print(f"invalid configuration:\n{exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m gateway` (or `fulfillment-gateway serve`): run gateway and sandbox."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal
import sys
from typing import TYPE_CHECKING, Any

from aiohttp import web
from pydantic import SecretStr, ValidationError

from gateway.settings import Settings

if TYPE_CHECKING:
    from gateway.sandbox import SandboxConfig

log = logging.getLogger("gateway")


def sandbox_prefix(slug: str) -> str:
    """Where the sandbox serves a provider: `flexport_v3` -> `/flexport-v3`."""
    return "/" + slug.replace("_", "-")


def point_at_sandbox(
    settings: Settings, sandbox_url: str, config: SandboxConfig | None = None
) -> Settings:
    """A copy of `settings` whose enabled providers all talk to the sandbox, and
    accept the webhooks it sends (signed with `config`'s secrets)."""
    from gateway.sandbox import SANDBOX_TOKENS, SandboxConfig

    config = config or SandboxConfig()

    def sandbox_values(slug: str) -> dict[str, Any]:
        values: dict[str, Any] = {
            "base_url": sandbox_url.rstrip("/") + sandbox_prefix(slug),
            "token": SecretStr(SANDBOX_TOKENS[slug]),
        }
        secret = config.webhook_secrets.get(slug)
        if secret is not None:
            values["webhook_secret"] = SecretStr(secret)
        if slug == "flexport_logistics":
            # Unsigned: the secret is the token the sandbox sends in this header
            # (or, with a username, the Basic password).
            values["webhook_auth_header"] = config.webhook_auth_header
            values["webhook_username"] = config.webhook_username
        return values

    providers = {
        slug: provider.model_copy(update=sandbox_values(slug))
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
    parser.add_argument(
        "--sandbox-speed",
        type=float,
        help="how fast the sandbox moves objects along on its own, sending "
        "webhooks (default 1: a few changes every 5 s; 0: off)",
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
            "sandbox_speed": args.sandbox_speed,
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
        sandbox_config: SandboxConfig | None = None
        if settings.sandbox_mode():
            from gateway.sandbox import SandboxConfig, create_sandbox

            sandbox_config = SandboxConfig(live_speed=settings.sandbox_speed)
            sandbox_runner = web.AppRunner(
                create_sandbox(sandbox_config), access_log=None
            )
            await sandbox_runner.setup()
            site = web.TCPSite(
                sandbox_runner, settings.sandbox_host, settings.sandbox_port
            )
            await site.start()
            runners.append(sandbox_runner)
            sandbox_url = f"http://{settings.sandbox_host}:{_bound_port(site)}"
            settings = point_at_sandbox(settings, sandbox_url, sandbox_config)
            sandbox_note = f" (sandbox providers at {sandbox_url})"
        # aiohttp waits this long for handlers in flight, then cancels them.
        # handler_cancellation: a client that hangs up cancels its handler, so
        # an abandoned query stops spending the providers' rate budgets (off by
        # default in aiohttp; gateway.operation says what it cancels).
        runner = web.AppRunner(
            create_app(settings),
            access_log=None,
            shutdown_timeout=settings.shutdown_grace_s,
            handler_cancellation=True,
        )
        await runner.setup()
        freeze_startup_objects()
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        runners.append(runner)
        port = _bound_port(site)
        if sandbox_config is not None:
            # Known only now that the gateway is bound; the emitter reads it
            # at each event, so changes from now on reach the gateway.
            sandbox_config.webhook_target = f"http://{_loopback(settings.host)}:{port}"
        log.info(
            "GraphiQL at http://%s:%d/graphql%s", settings.host, port, sandbox_note
        )
        await stop.wait()
        log.info("shutting down")
    finally:
        for runner in reversed(runners):
            await runner.cleanup()


def freeze_startup_objects() -> None:
    """Move what start-up made (modules, the schema, providers: ~110 k objects)
    out of the cyclic GC's reach, once, for the life of the process.

    A full collection otherwise scans them all each time and runs only once
    the garbage reaching the oldest generation is a quarter of them, so a
    request's cyclic garbage (strawberry's and graphql-core's execution
    objects) piles up between collections and fragments pymalloc's arenas.
    Frozen, full collections see only what requests made: cheap, and often.
    Only the real server does this: a test process makes many apps.
    """
    gc.collect()
    gc.freeze()


def _loopback(host: str) -> str:
    """Where this process reaches a server it bound on `host`."""
    if host in ("", "0.0.0.0"):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


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

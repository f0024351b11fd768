"""A stand-in for the gateway's webhook endpoint, and helpers to wait and verify."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from gateway.sandbox import EMITTER_KEY, SandboxConfig

from .conftest import FakeClock

FAST_RETRIES = {
    "flexe": (0.01, 0.01),
    "flexport_logistics": (0.01, 0.01),
    "flexport_v3": (0.01, 0.01),
}
FLEXE_SECRET = "sandbox-flexe-webhook-secret"
LAPI_TOKEN = "sandbox-flexport-logistics-webhook-token"
V3_SECRET = "sandbox-flexport-v3-webhook-secret"


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Records every request; answers `status`, or the next of `answers` first.

    With `gate`, every answer waits until the gate is set.
    """

    requests: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    status: int = 200
    gate: asyncio.Event | None = None

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.requests.append(
            Received(request.method, request.path, dict(request.headers), body)
        )
        if self.gate is not None:
            await self.gate.wait()
        return web.Response(status=self.answers.pop(0) if self.answers else self.status)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    def at(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]


def config_for(target: str, clock: FakeClock, **changes: Any) -> SandboxConfig:
    values: dict[str, Any] = {
        "order_count": 120,
        "clock": clock,
        "webhook_target": target,
        "webhook_retry_delays_s": dict(FAST_RETRIES),
    }
    values.update(changes)
    return SandboxConfig(**values)


async def until(check: Callable[[], bool], within: float = 5.0) -> None:
    """Poll `check` until it holds; fail after `within` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not check():
        assert loop.time() < deadline, "timed out waiting"
        await asyncio.sleep(0.005)


async def settled(app: web.Application) -> None:
    """Wait until no delivery in the log is still pending."""
    log = app[EMITTER_KEY].log
    await until(lambda: all(d.state != "pending" for d in log.entries()))


def flexe_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"sha256={digest}"


def hub_signatures(secret: str, body: bytes) -> tuple[str, str]:
    sha256 = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    sha1 = hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()
    return f"sha256={sha256}", f"sha1={sha1}"


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()

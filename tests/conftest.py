"""Shared fixtures: the sandbox over real HTTP, a gateway pointed at it, helpers."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import redis.asyncio as aioredis
from aiohttp import ClientSession
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from redis.exceptions import RedisError

from gateway.app import create_app
from gateway.sandbox import SANDBOX_TOKENS, SandboxConfig, create_sandbox
from gateway.settings import (
    BreakerSettings,
    PollSettings,
    ProviderSettings,
    RetrySettings,
    Settings,
)
from gateway.settings import provider_settings as defaults_for

GQL = Callable[..., Awaitable[dict[str, Any]]]
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig()


@pytest.fixture
async def sandbox(aiohttp_server: Any, sandbox_config: SandboxConfig) -> TestServer:
    """The simulated providers on 127.0.0.1, fresh for each test."""
    server: TestServer = await aiohttp_server(create_sandbox(sandbox_config))
    return server


def provider_settings(
    sandbox: TestServer, slug: str, **overrides: Any
) -> ProviderSettings:
    """Settings for one provider pointed at the sandbox."""
    values: dict[str, Any] = {
        "base_url": str(sandbox.make_url("/" + slug.replace("_", "-"))),
        "token": SecretStr(SANDBOX_TOKENS[slug]),
        "timeout_s": 5.0,
    }
    values.update(overrides)
    return defaults_for(slug, **values)


# A generous retry floor and a breaker that does not trip: these tests count
# each call's retries, several failing calls a second;
# tests/providers/test_outage.py tests the budget and the breaker themselves.
FAST_RETRY = RetrySettings(
    max_retries=2, backoff_base_s=0, backoff_cap_s=0, budget_floor=50
).with_breaker(BreakerSettings(failures=1_000))
NO_POLLING = PollSettings(providers=[])
"""Tests count upstream requests: no poller in the background unless asked."""


@pytest.fixture
def settings(sandbox: TestServer) -> Settings:
    return Settings(
        sandbox=True,
        providers={"flexe": provider_settings(sandbox, "flexe")},
        retry=FAST_RETRY,
        polling=NO_POLLING,
    )


def all_providers(sandbox: TestServer) -> Settings:
    """Settings with every registered provider pointed at the sandbox."""
    from gateway.providers import REGISTRY

    return Settings(
        sandbox=True,
        providers={slug: provider_settings(sandbox, slug) for slug in REGISTRY},
        retry=FAST_RETRY,
        polling=NO_POLLING,
    )


@pytest.fixture
async def gateway(aiohttp_client: Any, settings: Settings) -> TestClient:  # type: ignore[type-arg]
    """The gateway app in process, talking to the sandbox over HTTP."""
    client: TestClient = await aiohttp_client(create_app(settings))  # type: ignore[type-arg]
    return client


@pytest.fixture
def gql(gateway: TestClient) -> GQL:  # type: ignore[type-arg]
    """POST a GraphQL document; assert HTTP 200 and return the JSON body."""

    async def run(
        query: str, variables: dict[str, Any] | None = None, **headers: str
    ) -> dict[str, Any]:
        resp = await gateway.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert resp.status == 200, await resp.text()
        body: dict[str, Any] = await resp.json()
        return body

    return run


class SandboxControl:
    """The sandbox's /_sandbox/ control surface, for assertions on upstream traffic."""

    def __init__(self, server: TestServer) -> None:
        self.server = server

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        async with (
            ClientSession() as session,
            session.request(method, self.server.make_url(path), **kwargs) as resp,
        ):
            assert resp.status < 300, await resp.text()
            return None if resp.status == 204 else await resp.json()

    async def requests(self, provider: str | None = None) -> list[dict[str, Any]]:
        params = {"provider": provider} if provider else {}
        data = await self._call("GET", "/_sandbox/requests", params=params)
        found: list[dict[str, Any]] = data["requests"]
        return found

    async def count(self, provider: str | None = None, path: str | None = None) -> int:
        found = await self.requests(provider)
        return sum(1 for r in found if path is None or r["path"] == path)

    async def clear(self) -> None:
        await self._call("DELETE", "/_sandbox/requests")

    async def settings(self, **values: Any) -> None:
        await self._call("PATCH", "/_sandbox/settings", json=values)

    async def clear_faults(self) -> None:
        await self._call("DELETE", "/_sandbox/faults")

    async def fault(
        self,
        path: str,
        fault: str,
        *,
        provider: str = "flexe",
        method: str = "GET",
        times: int | None = 1,
        retry_after: int = 0,
    ) -> None:
        await self._call(
            "POST",
            "/_sandbox/faults",
            json={
                "provider": provider,
                "method": method,
                "path": path,
                "fault": fault,
                "times": times,
                "retryAfter": retry_after,
            },
        )

    async def advance(self, provider: str, type_: str, id_: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._call(
            "POST",
            "/_sandbox/advance",
            json={"provider": provider, "type": type_, "id": id_},
        )
        return result


@pytest.fixture
def control(sandbox: TestServer) -> SandboxControl:
    return SandboxControl(sandbox)


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A unique key prefix on the local Redis, deleted afterwards."""
    client = aioredis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        await client.aclose()
        message = (
            f"Redis at {REDIS_URL} is not reachable ({exc}): the tests that need Redis "
            "did NOT run (with CI set they fail instead)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"test:cache:{uuid.uuid4().hex}:"
    try:
        yield prefix
    finally:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()

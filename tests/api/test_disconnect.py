"""A client that hangs up cancels its query's upstream work, not others' nor a write."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast

import orjson
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from gateway.app import create_app
from gateway.settings import Settings
from gateway.view import GatewayView
from tests.api.mutations import ORDER_CREATE, order_input
from tests.api.world import LAPI
from tests.conftest import (
    FAST_RETRY,
    NO_POLLING,
    SandboxControl,
    all_providers,
    provider_settings,
)

Client = TestClient[web.Request, web.Application]
LISTING = "{ orders(first: 5, filter: {providers: [FLEXE]}) { edges { node { id } } } }"
PAGE_OF_3 = (
    "{ orders(first: 3, filter: {providers: [FLEXE]}) { edges { node { id } } } }"
)
ORDER = "query($id: ID!) { order(id: $id) { id status } }"
SETTLE_S = 1.5
"""Long enough for two more attempts of a 0.5 s upstream timeout."""


def hung_flexe(sandbox: TestServer, **overrides: Any) -> Settings:
    """Flexe times out after 0.5 s and retries twice at once; no deadline or
    budget cuts that short, so only a disconnect stops the retries."""
    values: dict[str, Any] = {"timeout_s": 0.5, "budget_s": 30.0, **overrides}
    return Settings(
        sandbox=True,
        providers={"flexe": provider_settings(sandbox, "flexe", **values)},
        retry=FAST_RETRY,
        polling=NO_POLLING,
        deadline_s=30.0,
    )


class RawRequest:
    """A POST /graphql over a socket of its own, so the test decides when the
    client hangs up."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer

    @classmethod
    async def send(
        cls,
        client: Client,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> RawRequest:
        _, writer = await asyncio.open_connection(client.host, client.port)
        body = orjson.dumps({"query": query, "variables": variables})
        head = [
            "POST /graphql HTTP/1.1",
            f"Host: {client.host}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
            *(f"{name}: {value}" for name, value in (headers or {}).items()),
        ]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await writer.drain()
        return cls(writer)

    async def hang_up(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


async def until(check: Callable[[], Awaitable[bool]], timeout_s: float = 5.0) -> None:
    """Poll `check` until it holds; fail after `timeout_s`."""
    for _ in range(int(timeout_s / 0.02)):
        if await check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"still not so after {timeout_s} s")


def upstream_count(
    control: SandboxControl, provider: str, prefix: str
) -> Callable[[], Awaitable[int]]:
    async def count() -> int:
        found = await control.requests(provider)
        return sum(1 for r in found if r["path"].startswith(prefix))

    return count


def view_of(client: Client) -> GatewayView:
    app = cast(TestServer, client.server).app
    for route in app.router.routes():
        if isinstance(route.handler, GatewayView):
            return route.handler
    raise AssertionError("no GatewayView routed")


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Records with a traceback or at ERROR: a cancelled task that complained,
    an exception nobody retrieved, a handler that failed."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.exc_info or r.levelno >= logging.ERROR
    ]


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        # A list page not cached yet: its fetch is single-flight, in a task
        # of its own.
        (PAGE_OF_3, {}),
        # An order by id, fresh: a DataLoader batch, in a task of its own.
        (ORDER, {"Cache-Control": "no-cache"}),
    ],
    ids=["listing", "loader"],
)
async def test_a_client_that_hangs_up_stops_its_upstream_calls(
    aiohttp_client: Any,
    sandbox: TestServer,
    control: SandboxControl,
    caplog: pytest.LogCaptureFixture,
    query: str,
    headers: dict[str, str],
) -> None:
    client: Client = await aiohttp_client(create_app(hung_flexe(sandbox)))
    listed = await client.post("/graphql", json={"query": LISTING})
    order_id = (await listed.json())["data"]["orders"]["edges"][0]["node"]["id"]
    await control.clear()
    await control.fault("/v2/orders*", "timeout", times=None)
    count = upstream_count(control, "flexe", "/v2/orders")
    caplog.set_level(logging.INFO)

    request = await RawRequest.send(client, query, {"id": order_id}, headers)
    await until(lambda: _reached(count, 1))
    await request.hang_up()
    await asyncio.sleep(SETTLE_S)

    # Without the cancellation: two retries after the 0.5 s timeouts.
    assert await count() == 1
    assert len(view_of(client).inflight) == 0
    assert tracebacks(caplog) == []


async def test_a_call_queued_in_the_rate_limiter_is_never_sent(
    aiohttp_client: Any,
    sandbox: TestServer,
    control: SandboxControl,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = hung_flexe(sandbox, rate_limit_per_s=1.0, rate_limit_burst=1)
    client: Client = await aiohttp_client(create_app(settings))
    listed = await client.post("/graphql", json={"query": LISTING})
    order_id = (await listed.json())["data"]["orders"]["edges"][0]["node"]["id"]
    await control.clear()
    count = upstream_count(control, "flexe", "/v2/orders")
    caplog.set_level(logging.INFO)

    # The listing spent the one token: this batch load waits a second for it.
    queued = await RawRequest.send(
        client, ORDER, {"id": order_id}, {"Cache-Control": "no-cache"}
    )
    await asyncio.sleep(0.3)
    await queued.hang_up()
    await asyncio.sleep(SETTLE_S)

    # Without the cancellation the queued call is sent when its turn comes.
    assert await count() == 0
    assert tracebacks(caplog) == []


async def test_a_shared_fetch_outlives_the_first_client_and_not_the_last(
    aiohttp_client: Any,
    sandbox: TestServer,
    control: SandboxControl,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client: Client = await aiohttp_client(create_app(hung_flexe(sandbox)))
    inflight = view_of(client).inflight
    await control.fault("/v2/orders", "timeout", times=None)
    count = upstream_count(control, "flexe", "/v2/orders")
    caplog.set_level(logging.INFO)

    first = await RawRequest.send(client, LISTING)
    await until(lambda: _reached(count, 1))
    second = await RawRequest.send(client, LISTING)
    await asyncio.sleep(0.1)  # the second joins the fetch in flight
    await first.hang_up()
    # The fetch goes on for the second: its retry after the 0.5 s timeout.
    await until(lambda: _reached(count, 2))
    assert len(inflight) == 1
    await second.hang_up()
    await asyncio.sleep(SETTLE_S)

    # Without the cancellation: one more retry nobody waits for.
    assert await count() == 2
    assert len(inflight) == 0
    assert tracebacks(caplog) == []


async def test_the_second_client_gets_the_answer_of_a_fetch_the_first_left(
    aiohttp_client: Any,
    sandbox: TestServer,
    control: SandboxControl,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = hung_flexe(sandbox, timeout_s=5.0)
    client: Client = await aiohttp_client(create_app(settings))
    await control.settings(latencyMs=800)
    count = upstream_count(control, "flexe", "/v2/orders")
    caplog.set_level(logging.INFO)

    first = await RawRequest.send(client, LISTING)
    await until(lambda: _reached(count, 1))
    second = asyncio.create_task(client.post("/graphql", json={"query": LISTING}))
    await asyncio.sleep(0.1)  # the second joins the fetch in flight
    await first.hang_up()
    resp = await second
    body = await resp.json()

    assert resp.status == 200
    assert "errors" not in body
    assert len(body["data"]["orders"]["edges"]) == 5
    assert await count() == 1, "the second client joined the first one's fetch"
    assert tracebacks(caplog) == []


async def test_a_write_whose_client_hangs_up_runs_to_its_end(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client: Client = await aiohttp_client(create_app(all_providers(sandbox)))
    await control.clear()
    # The first POST answers 503 with Retry-After: 1; the retry succeeds.
    await control.fault(
        f"{LAPI}/outbounds",
        "503",
        provider="flexport_logistics",
        method="POST",
        retry_after=1,
    )

    async def posts() -> list[int | None]:
        return [
            r["status"]
            for r in await control.requests("flexport_logistics")
            if (r["method"], r["path"]) == ("POST", f"{LAPI}/outbounds")
        ]

    order = order_input("FLEXPORT_LOGISTICS", "B2B", "GW-LEFT")
    request = await RawRequest.send(client, ORDER_CREATE, {"input": order})
    await until(lambda: _holds(posts, [503]))
    await request.hang_up()  # while the gateway waits to retry

    # Not cut in half: the retry is sent and the order exists.
    await until(lambda: _holds(posts, [503, 200]))
    found = await client.post(
        "/graphql",
        json={
            "query": """{ orderByExternalId(provider: FLEXPORT_LOGISTICS,
                externalId: "GW-LEFT") { externalId } }"""
        },
    )
    body = await found.json()
    assert body["data"]["orderByExternalId"] == {"externalId": "GW-LEFT"}
    assert len(view_of(client).orphaned_writes) == 0


async def _reached(count: Callable[[], Awaitable[int]], expected: int) -> bool:
    return await count() >= expected


async def _holds(read: Callable[[], Awaitable[Any]], expected: Any) -> bool:
    return bool(await read() == expected)

"""A prefetch started for a merged list is cancelled with its operation."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from gateway.app import create_app
from gateway.settings import Settings
from tests.api.test_disconnect import (
    SETTLE_S,
    Client,
    RawRequest,
    tracebacks,
    until,
    upstream_count,
)
from tests.conftest import FAST_RETRY, NO_POLLING, SandboxControl, provider_settings

BOARD = """{ orders(first: 5, filter: {providers: [FLEXE, FLXPOINT]}) {
  edges { node { id lines { sku } } } } }"""


async def test_a_client_that_hangs_up_stops_the_prefetch_it_started(
    aiohttp_client: Any,
    sandbox: TestServer,
    control: SandboxControl,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Both time out after 0.5 s and retry twice at once; nothing but the
    # disconnect cuts them that short.
    settings = Settings(
        sandbox=True,
        providers={
            slug: provider_settings(sandbox, slug, timeout_s=0.5, budget_s=30.0)
            for slug in ("flexe", "flxpoint")
        },
        retry=FAST_RETRY,
        polling=NO_POLLING,
        deadline_s=30.0,
    )
    client: Client = await aiohttp_client(create_app(settings))
    # Flxpoint's list hangs, so Flexe's orders are the page's candidates and
    # their lines are prefetched before the list is done: that call hangs too.
    await control.fault(
        "/fulfillment-requests", "timeout", provider="flxpoint", times=None
    )
    await control.fault("/v2/lines", "timeout", times=None)
    await control.clear()
    lines = upstream_count(control, "flexe", "/v2/lines")
    caplog.set_level(logging.INFO)

    request = await RawRequest.send(client, BOARD)
    await until(lambda: _reached(lines, 1))
    await request.hang_up()
    await asyncio.sleep(SETTLE_S)

    # Without the cancellation: two retries after the 0.5 s timeouts.
    assert await lines() == 1
    assert tracebacks(caplog) == []


async def _reached(count: Any, n: int) -> bool:
    return bool(await count() >= n)

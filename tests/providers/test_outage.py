"""A provider outage: retries stay within the budget, the breaker sheds the load."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from gateway import errors
from gateway.app import PROVIDERS, create_app
from gateway.http import create_session
from gateway.providers.base import OrderFilter, PageRequest
from gateway.providers.flexe import FlexeProvider
from gateway.retry_budget import MIN_RETRIES
from gateway.settings import BreakerSettings, RetrySettings, Settings
from tests.conftest import SandboxControl, provider_settings

OPEN_S = 0.5
RETRY = RetrySettings(max_retries=3, backoff_base_s=0, backoff_cap_s=0).with_breaker(
    BreakerSettings(failures=5, open_s=OPEN_S)
)


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with create_session() as session:
        yield session


@pytest.fixture
def flexe(sandbox: TestServer, session: aiohttp.ClientSession) -> FlexeProvider:
    return FlexeProvider(provider_settings(sandbox, "flexe"), session, RETRY)


def state(flexe: FlexeProvider) -> str:
    return flexe.upstream.breaker.state


async def read(flexe: FlexeProvider) -> Any:
    return await flexe.list_orders(OrderFilter(), PageRequest(size=5))


async def test_outage_is_bounded_by_the_budget_then_shed_by_the_breaker(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    await control.clear()
    await control.fault("/v2/orders", "503", provider="flexe", times=None)
    n = 20
    results = await asyncio.gather(
        *(read(flexe) for _ in range(n)), return_exceptions=True
    )
    assert all(isinstance(r, errors.ProviderUnavailable) for r in results)
    sent = len(await control.requests("flexe"))
    # Without a budget this would be n * (1 + max_retries) = 80.
    assert n <= sent <= n + MIN_RETRIES + int(RETRY.budget_ratio * n)
    assert state(flexe) == "open"

    await control.clear()
    for _ in range(5):
        with pytest.raises(errors.ProviderUnavailable, match="circuit open") as info:
            await read(flexe)
        assert info.value.retryable
        assert info.value.retry_after is not None
        assert 0 < info.value.retry_after <= OPEN_S
    assert await control.requests("flexe") == []

    # Still down after open_s: one probe goes out and the circuit opens again.
    await asyncio.sleep(OPEN_S)
    with pytest.raises(errors.ProviderUnavailable):
        await read(flexe)
    assert len(await control.requests("flexe")) == 1
    assert state(flexe) == "open"

    # Back up: after open_s one probe closes the circuit and reads work again.
    await control.clear_faults()
    await control.clear()
    await asyncio.sleep(OPEN_S)
    assert state(flexe) == "half_open"
    assert len((await read(flexe)).items) == 5
    assert state(flexe) == "closed"
    assert len(await control.requests("flexe")) == 1
    pages = await asyncio.gather(*(read(flexe) for _ in range(5)))
    assert all(len(page.items) == 5 for page in pages)


async def test_only_one_probe_while_half_open(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    await control.fault("/v2/orders", "503", provider="flexe", times=None)
    for _ in range(2):
        with pytest.raises(errors.ProviderUnavailable):
            await read(flexe)
    assert state(flexe) == "open"
    await control.clear_faults()
    await control.clear()
    await asyncio.sleep(OPEN_S)
    results = await asyncio.gather(
        *(read(flexe) for _ in range(4)), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, errors.ProviderUnavailable)]
    assert len(refused) == 3
    assert all("circuit open" in str(r) for r in refused)
    assert len(await control.requests("flexe")) == 1
    assert state(flexe) == "closed"


async def test_client_errors_do_not_open_the_circuit(
    flexe: FlexeProvider, control: SandboxControl
) -> None:
    await control.fault("/v2/orders", "404", provider="flexe", times=None)
    for _ in range(10):
        with pytest.raises(errors.NotFound):
            await flexe.get_orders(["x"])
    assert state(flexe) == "closed"
    assert await control.count("flexe", "/v2/orders") == 10


async def test_readyz_reports_an_open_circuit(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    settings = Settings(
        providers={"flexe": provider_settings(sandbox, "flexe")},
        retry=RetrySettings(max_retries=0),
        breaker=BreakerSettings(failures=1, open_s=60),
    )
    client = await aiohttp_client(create_app(settings))
    await control.fault("/v2/orders", "503", provider="flexe", times=1)
    first = await client.get("/readyz")
    assert first.status == 503
    assert await first.json() == {
        "status": "unavailable",
        "providers": {"FLEXE": "UPSTREAM_UNAVAILABLE"},
        "circuits": {"FLEXE": "open"},
    }
    await control.clear()
    second = await client.get("/readyz")
    assert second.status == 503
    assert (await second.json())["circuits"] == {"FLEXE": "open"}
    assert await control.requests("flexe") == []
    flexe = client.server.app[PROVIDERS]["flexe"]
    assert state(flexe) == "open"

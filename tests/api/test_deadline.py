"""A hung provider costs one deadline, not every query its timeouts and retries."""

from __future__ import annotations

import time
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from gateway.app import create_app
from gateway.providers import REGISTRY
from gateway.sandbox.config import SandboxConfig
from gateway.settings import Settings
from tests.conftest import FAST_RETRY, NO_POLLING, SandboxControl, provider_settings

Client = TestClient  # type: ignore[type-arg]
ORDERS = """{ orders(first: 10) { edges { node { provider externalId } } } }"""


async def test_a_provider_that_never_answers_is_cut_at_its_budget(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    settings = Settings(
        sandbox=True,
        providers={
            slug: provider_settings(
                sandbox, slug, timeout_s=5.0, budget_s=1.0 if slug == "flexe" else 8.0
            )
            for slug in REGISTRY
        },
        retry=FAST_RETRY,
        polling=NO_POLLING,
        deadline_s=3.0,
    )
    client: Client = await aiohttp_client(create_app(settings))
    await control.fault("/v2/orders", "timeout", provider="flexe", times=None)
    started = time.monotonic()
    resp = await client.post("/graphql", json={"query": ORDERS})
    took = time.monotonic() - started
    body = await resp.json()
    # Without the budget: Flexe's 5 s timeout, three times over.
    assert took < 2.5, f"took {took:.1f} s"
    providers = {e["node"]["provider"] for e in body["data"]["orders"]["edges"]}
    assert providers
    assert "FLEXE" not in providers
    [error] = body["errors"]
    assert error["extensions"]["provider"] == "FLEXE"
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["retryable"] is True
    assert "did not answer within 1 s" in error["message"]


BOARD = """{ orders(first: 10) { edges { node {
  provider lines { sku inventory { available } } } } } }"""


# No rate limits, client-side or in the sandbox: their waits would count
# against budgets this short.
@pytest.mark.parametrize("sandbox_config", [SandboxConfig(rate_limits=False)])
async def test_a_providers_budget_counts_only_the_time_spent_waiting_on_it(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    # Flexe hangs for its 1.5 s budget; the merged list waits for it, so the
    # others' inventory calls start after 1.5 s. Their budget is 1 s: counted
    # from the operation's start it would be spent, and their stock cut.
    budgets = {"flexe": 1.5, "flexport_logistics": 1.0, "flxpoint": 1.0}
    settings = Settings(
        sandbox=True,
        providers={
            slug: provider_settings(
                sandbox,
                slug,
                timeout_s=5.0,
                budget_s=budgets.get(slug, 8.0),
                rate_limit_per_s=None,
            )
            for slug in REGISTRY
        },
        retry=FAST_RETRY,
        polling=NO_POLLING,
        deadline_s=4.0,
    )
    client: TestClient[Any, Any] = await aiohttp_client(create_app(settings))
    await control.fault("/v2/orders", "timeout", provider="flexe", times=None)
    resp = await client.post("/graphql", json={"query": BOARD})
    body = await resp.json()
    [error] = body["errors"]
    assert error["extensions"]["provider"] == "FLEXE"
    assert error["extensions"]["retryable"] is True
    nodes = [e["node"] for e in body["data"]["orders"]["edges"]]
    assert {n["provider"] for n in nodes} == {"FLEXPORT_LOGISTICS", "FLXPOINT"}
    assert all(line["inventory"] is not None for n in nodes for line in n["lines"])

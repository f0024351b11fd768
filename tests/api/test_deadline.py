"""A hung provider costs one deadline, not every query its timeouts and retries."""

from __future__ import annotations

import time
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from gateway.app import create_app
from gateway.providers import REGISTRY
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

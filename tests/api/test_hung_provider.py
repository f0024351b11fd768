"""A hung provider costs its own data only: the others' orders come out whole."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from gateway.app import create_app
from gateway.providers import REGISTRY
from gateway.sandbox.config import SandboxConfig
from gateway.settings import ProviderSettings, Settings
from tests.api.test_order_board import ORDER_BOARD
from tests.conftest import FAST_RETRY, NO_POLLING, SandboxControl, provider_settings

Client = TestClient[Any, Any]

# Flexe's budget short, so the test is quick; the other providers' budgets
# wide, since a busy machine can spend a second on their calls alone. That a
# provider's budget is not spent by waiting on another is pinned in
# tests/api/test_deadline.py; here it is what the others' data looks like.
BUDGET_S, DEADLINE_S = 1.0, 4.0


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    # With Flexe out, Flxpoint holds about half the page: one shipments call
    # per request is more than its rate limit's burst, and the waits (or 429s)
    # would count against budgets this short.
    return SandboxConfig(rate_limits=False)


async def _hung_flexe(
    aiohttp_client: Any,
    sandbox: TestServer,
    control: SandboxControl,
    *,
    flexe_timeout_s: float = 5.0,
    times: int | None = None,
    others_budget_s: float = DEADLINE_S,
) -> Client:
    """A gateway on every provider, Flexe's order list hanging `times` times."""

    def settings(slug: str) -> ProviderSettings:
        timeout_s = flexe_timeout_s if slug == "flexe" else 5.0
        budget_s = BUDGET_S if slug == "flexe" else others_budget_s
        # No client-side rate limit either (Flexport Logistics alone would
        # wait 4 s for its 52 calls).
        return provider_settings(
            sandbox, slug, timeout_s=timeout_s, budget_s=budget_s, rate_limit_per_s=None
        )

    client: Client = await aiohttp_client(
        create_app(
            Settings(
                sandbox=True,
                providers={slug: settings(slug) for slug in REGISTRY},
                retry=FAST_RETRY,
                polling=NO_POLLING,
                deadline_s=DEADLINE_S,
            )
        )
    )
    await control.fault("/v2/orders", "timeout", provider="flexe", times=times)
    await control.clear()
    return client


async def _board(client: Client, first: int) -> dict[str, Any]:
    resp = await client.post(
        "/graphql", json={"query": ORDER_BOARD, "variables": {"first": first}}
    )
    assert resp.status == 200
    body: dict[str, Any] = await resp.json()
    return body


async def _requests(control: SandboxControl) -> list[dict[str, Any]]:
    # The Flexport Logistics index follows its events feed in the background.
    return [r for r in await control.requests() if not r["path"].endswith("/events")]


async def test_a_hung_provider_leaves_the_others_orders_whole(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await _hung_flexe(aiohttp_client, sandbox, control)
    body = await _board(client, 50)
    [error] = body["errors"]
    assert error["extensions"]["provider"] == "FLEXE"
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["retryable"] is True
    assert error["path"] == ["orders"]
    nodes = [e["node"] for e in body["data"]["orders"]["edges"]]
    assert len(nodes) == 50
    per_provider = Counter(n["provider"] for n in nodes)
    assert set(per_provider) == {"FLEXPORT_LOGISTICS", "FLXPOINT"}
    for node in nodes:
        assert node["shipments"] is not None, node
        assert node["attachments"] is not None, node
        assert node["lines"], node
        assert all(line["inventory"] is not None for line in node["lines"]), node
    requests = await _requests(control)
    by_provider = Counter(r["provider"] for r in requests)
    flxpoint_shipments = sum(
        1
        for r in requests
        if r["provider"] == "flxpoint" and "shipment" in r["path"].lower()
    )
    # Flexe: its one list call, cut at its budget (no time left for a retry).
    # Flexport Logistics: as on the healthy board (one GET per order of its
    # window, the catalogue, one warehouse call). Flxpoint: the list read to
    # its end (4 pages of 100), its inventory (2 pages of variant rows: the
    # page's SKUs are stocked at several sources each), and one shipments call
    # per fulfilment request on the page, none for the rest of its window.
    assert flxpoint_shipments == per_provider["FLXPOINT"]
    assert by_provider == {
        "flexe": 1,
        "flexport_logistics": 52,
        "flxpoint": 6 + per_provider["FLXPOINT"],
    }


async def test_no_per_object_read_for_an_order_the_page_leaves_out(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    client = await _hung_flexe(aiohttp_client, sandbox, control)
    body = await _board(client, 10)
    nodes = [e["node"] for e in body["data"]["orders"]["edges"]]
    on_page = sum(1 for n in nodes if n["provider"] == "FLXPOINT")
    # Flxpoint's window holds 10 fulfilment requests, fewer of which are among
    # the 10 newest of both providers: the prefetch must not ask shipments of
    # the others (Flxpoint has no batch filter: one call per request).
    assert 0 < on_page < 10
    assert all(n["shipments"] is not None for n in nodes)
    shipment_calls = [
        r
        for r in await _requests(control)
        if r["provider"] == "flxpoint" and "shipment" in r["path"].lower()
    ]
    assert len(shipment_calls) == on_page


async def test_no_per_object_read_for_an_order_a_late_provider_pushes_out(
    aiohttp_client: Any, sandbox: TestServer, control: SandboxControl
) -> None:
    # Flexe's first list call hangs past its 0.3 s timeout and the retry
    # answers: the others' windows are in first, and prefetch starts on them
    # while Flexe, with the newest orders, is still to push some out.
    client = await _hung_flexe(
        aiohttp_client, sandbox, control, flexe_timeout_s=0.3, times=1
    )
    body = await _board(client, 50)
    assert "errors" not in body, body["errors"]
    nodes = [e["node"] for e in body["data"]["orders"]["edges"]]
    per_provider = Counter(n["provider"] for n in nodes)
    assert set(per_provider) == {"FLEXE", "FLEXPORT_LOGISTICS", "FLXPOINT"}
    assert all(n["shipments"] is not None for n in nodes)
    requests = await _requests(control)
    shipment_calls = sum(
        1
        for r in requests
        if r["provider"] == "flxpoint" and "shipment" in r["path"].lower()
    )
    # One per fulfilment request on the page (Flxpoint has no batch filter),
    # none for those of its window that Flexe's orders pushed out.
    assert shipment_calls == per_provider["FLXPOINT"]

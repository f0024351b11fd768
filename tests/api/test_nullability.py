"""A failed provider call nulls only the field that needed it, and nothing is
lost without an error or a full page (stale LAPI index entries are dropped)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from gateway.app import PROVIDERS, create_app
from gateway.models import OrderKind
from gateway.providers.flexport_logistics import (
    FlexportLogisticsProvider,
    IndexEntry,
    IndexFilter,
    MemoryOrderIndex,
    OrderIndex,
    RedisOrderIndex,
)
from tests.api.world import LAPI
from tests.conftest import GQL, REDIS_URL, SandboxControl, all_providers

LINES = """
{ orders(first: 20, filter: {providers: [FLEXE]}) { edges { node {
    providerId lines { sku inventory { available } } } } } }
"""

LAPI_PAGE = """
{
  orders(first: 10, filter: {providers: [FLEXPORT_LOGISTICS]}) {
    edges { node { providerId } } pageInfo { hasNextPage endCursor } } }
"""


async def test_failed_inventory_nulls_only_inventory(
    gql: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/inventory", "500", provider="flexe", times=None)
    body = await gql(LINES)
    nodes = [edge["node"] for edge in body["data"]["orders"]["edges"]]
    assert len(nodes) == 20
    lines = [
        (i, j, line) for i, n in enumerate(nodes) for j, line in enumerate(n["lines"])
    ]
    assert lines
    assert all(line["sku"] and line["inventory"] is None for _, _, line in lines)
    paths = {tuple(error["path"]) for error in body["errors"]}
    assert paths == {
        ("orders", "edges", i, "node", "lines", j, "inventory") for i, j, _ in lines
    }
    assert {error["extensions"]["provider"] for error in body["errors"]} == {"FLEXE"}


def _lapi_path(order_id: str) -> str:
    """The LAPI read of a domain order id (B2B outbounds, DTC orders)."""
    prefix, _, number = order_id.partition("-")
    return f"{LAPI}{ {'B2B': '/outbounds', 'DTC': '/orders'}[prefix] }/{number}"


async def test_lapi_404s_refill_the_page_and_leave_the_index(
    aiohttp_client: Any,
    sandbox: TestServer,
    control: SandboxControl,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = await aiohttp_client(create_app(all_providers(sandbox)))

    async def run() -> Any:
        # Fresh data, not the page the first read cached.
        resp = await client.post(
            "/graphql",
            json={"query": LAPI_PAGE},
            headers={"Cache-Control": "no-cache"},
        )
        assert resp.status == 200, await resp.text()
        return await resp.json()

    before = await run()
    assert "errors" not in before, before["errors"]
    ids = [edge["node"]["providerId"] for edge in before["data"]["orders"]["edges"]]
    assert len(ids) == 10
    gone = [ids[1], ids[4]]
    for order_id in gone:
        await control.fault(
            _lapi_path(order_id), "404", provider="flexport_logistics", times=None
        )

    with caplog.at_level(logging.WARNING, "gateway.providers.flexport_logistics"):
        after = await run()
    page = after["data"]["orders"]
    listed = [edge["node"]["providerId"] for edge in page["edges"]]
    if "errors" in after:
        providers = {e["extensions"].get("provider") for e in after["errors"]}
        assert "FLEXPORT_LOGISTICS" in providers, after["errors"]
    else:
        # No error: the page is full, refilled from the entries after it.
        assert len(listed) == 10
        assert page["pageInfo"]["hasNextPage"]
    assert not set(gone) & set(listed)
    assert listed[:8] == [i for i in ids if i not in gone]
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(all(order_id in m for order_id in gone) for m in warned), warned

    lapi = client.app[PROVIDERS]["flexport_logistics"]
    assert isinstance(lapi, FlexportLogisticsProvider)
    assert await lapi.index.get(gone) == {}
    assert set(await lapi.index.get(listed)) == set(listed)


@pytest.fixture(params=["memory", "redis"])
def index(request: pytest.FixtureRequest) -> OrderIndex:
    if request.param == "memory":
        return MemoryOrderIndex()
    prefix: str = request.getfixturevalue("redis_prefix")
    return RedisOrderIndex.from_url(REDIS_URL, prefix)


async def test_index_remove_forgets_entries(index: OrderIndex) -> None:
    start = datetime(2026, 9, 1, tzinfo=UTC)
    entries = [
        IndexEntry(
            f"B2B-{n}",
            OrderKind.B2B,
            status="PLANNED",
            created_at=start + timedelta(minutes=n),
            external_id=f"X-{n}",
        )
        for n in range(1, 6)
    ]
    try:
        await index.upsert(entries)
        await index.remove(["B2B-2", "B2B-4", "B2B-404"])
        page = await index.page(IndexFilter(), None, 10)
        assert [e.id for e in page.entries] == ["B2B-5", "B2B-3", "B2B-1"]
        assert await index.count() == 3
        assert await index.get(["B2B-2", "B2B-4"]) == {}
        by_external = await index.page(
            IndexFilter(external_ids=("X-2", "X-3")), None, 5
        )
        assert [e.id for e in by_external.entries] == ["B2B-3"]
    finally:
        await index.aclose()

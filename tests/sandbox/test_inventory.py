"""F15 over HTTP: snake_case inventory pages, skus[] / item_ids[] and their rules."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.sandbox import SandboxConfig

from .conftest import Api, FakeClock, only_error


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(order_count=20, clock=clock, inventory_page_size=40)


async def _all_pages(
    flexe: Api, params: list[tuple[str, str]]
) -> tuple[list[dict[str, Any]], int]:
    rows: list[dict[str, Any]] = []
    pages = 0
    token = None
    while True:
        page = await flexe.get(
            "/v2/inventory", params + ([("continuation_token", token)] if token else [])
        )
        assert set(page) == {"client_request_id", "continuation_token", "inventory"}
        rows.extend(page["inventory"])
        pages += 1
        token = page["continuation_token"]
        if token is None:
            return rows, pages


async def test_inventory_pages_cover_every_sku_at_both_reservations(flexe: Api) -> None:
    rows, pages = await _all_pages(flexe, [])
    assert pages == 300 // 40 + 1
    assert len(rows) == 600
    assert {r["reservation_id"] for r in rows} == {"res-seattle-01", "res-atlanta-02"}
    for row in rows:
        on_hand, allocated = (
            row["quantity_on_hand"]["amount"],
            row["quantity_allocated"]["amount"],
        )
        assert on_hand >= allocated >= 0
        assert row["quantity_available"]["amount"] == on_hand - allocated


async def test_inventory_by_skus_pages_and_echoes_client_request_id(flexe: Api) -> None:
    skus = [f"SKU-{10001 + n}" for n in range(90)]
    params = [("skus[]", sku) for sku in skus] + [("client_request_id", "req-42")]
    first = await flexe.get("/v2/inventory", params)
    assert first["client_request_id"] == "req-42"
    assert len({r["sku"] for r in first["inventory"]}) == 40
    rows, pages = await _all_pages(flexe, params)
    assert pages == 3
    assert sorted({r["sku"] for r in rows}) == skus
    other = await flexe.get(
        "/v2/inventory",
        [("skus[]", "SKU-10001"), ("continuation_token", first["continuation_token"])],
        expect=400,
    )
    assert only_error(other)["field"] == "continuation_token"


async def test_inventory_item_ids_override_skus_and_reservation_filter(
    flexe: Api,
) -> None:
    row = (await flexe.get("/v2/inventory", [("skus[]", "SKU-10005")]))["inventory"][0]
    page = await flexe.get(
        "/v2/inventory",
        [
            ("item_ids[]", row["item_id"]),
            ("skus[]", "SKU-10009"),
            ("reservation_id", "res-atlanta-02"),
        ],
    )
    assert [(r["sku"], r["reservation_id"]) for r in page["inventory"]] == [
        ("SKU-10005", "res-atlanta-02")
    ]


async def test_inventory_ever_in_use_rules(flexe: Api) -> None:
    everything, _ = await _all_pages(flexe, [])
    stocked, _ = await _all_pages(flexe, [("ever_in_use", "false")])
    assert 0 < len(stocked) < len(everything)
    assert all(r["quantity_on_hand"]["amount"] > 0 for r in stocked)
    body = await flexe.get(
        "/v2/inventory", [("in_use_since", "2026-10-01")], expect=400
    )
    assert only_error(body)["field"] == "in_use_since"
    recent, _ = await _all_pages(
        flexe, [("ever_in_use", "true"), ("in_use_since", "2026-10-15")]
    )
    assert recent
    assert all(r["last_updated_at"] >= "2026-10-15" for r in recent)
    assert len(recent) < len(everything)


async def test_inventory_rejects_camel_case_and_too_many_skus(flexe: Api) -> None:
    assert (
        only_error(await flexe.get("/v2/inventory", {"skus": "SKU-10001"}, expect=400))[
            "field"
        ]
        == "skus"
    )
    many = [("skus[]", f"SKU-{n}") for n in range(101)]
    assert (
        only_error(await flexe.get("/v2/inventory", many, expect=400))["field"]
        == "skus[]"
    )

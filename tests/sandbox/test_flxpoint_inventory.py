"""X10-X11: inventory variants (page/pageSize lists, filters, include flags, PUT)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.sandbox import SandboxConfig

from .conftest import FakeClock, FlxpointApi, flxpoint_error

VARIANTS = "/inventory/variants"
SEEDED = 900  # 300 catalogue SKUs at each of 3 sources
PAGE = ("page", "pageSize")


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(order_count=5, clock=clock, rate_limits=False)


async def test_every_sku_at_every_source_to_the_last_page(
    flxpoint: FlxpointApi,
) -> None:
    items, requests = await flxpoint.pages(VARIANTS, names=PAGE, size=100)
    assert (len(items), requests) == (SEEDED, 10)
    assert [v["id"] for v in items] == sorted(v["id"] for v in items)
    by_source: dict[int, set[str]] = {}
    for variant in items:
        by_source.setdefault(variant["sourceId"], set()).add(variant["sku"])
        assert (
            variant["totalQuantity"]
            == variant["quantity"] + variant["committedQuantity"]
        )
        assert variant["incomingQuantity"] >= 0
        assert variant["totalQuantityLastChangedAt"] <= variant["updatedAt"]
        assert "parent" not in variant
    assert len(by_source) == 3
    skus = {f"SKU-{10001 + n}" for n in range(300)}
    assert all(found == skus for found in by_source.values())
    other, _ = await flxpoint.pages(
        VARIANTS, names=("filterPageNumber", "filterPageSize"), size=100
    )
    assert other == items, "the FR-style spelling works here too"
    assert len(await flxpoint.get(VARIANTS)) == 20


async def test_skus_upcs_ids_and_their_precedence(flxpoint: FlxpointApi) -> None:
    first = await flxpoint.get(VARIANTS, {"pageSize": "3"})
    by_sku = await flxpoint.get(VARIANTS, {"skus": "SKU-10001,SKU-10002"})
    assert [v["sku"] for v in by_sku] == ["SKU-10001", "SKU-10002"] * 3
    one_source = await flxpoint.get(
        VARIANTS, {"skus": "SKU-10001", "sourceId": str(first[0]["sourceId"])}
    )
    assert one_source == [first[0]]
    by_upc = await flxpoint.get(VARIANTS, {"upcs": first[1]["upc"]})
    assert {v["sku"] for v in by_upc} == {first[1]["sku"]}
    ids = ",".join(str(v["id"]) for v in first)
    assert await flxpoint.get(VARIANTS, {"ids": ids}) == first
    winning = await flxpoint.get(
        VARIANTS, {"ids": str(first[2]["id"]), "skus": "SKU-10001"}
    )
    assert winning == [first[2]], "ids win over skus"
    body = await flxpoint.get(
        VARIANTS, {"skus": ",".join(f"SKU-{10001 + n}" for n in range(21))}, expect=400
    )
    assert flxpoint_error(body) == "skus accepts at most 20 values"
    allowed = await flxpoint.get(
        VARIANTS,
        {"skus": ",".join(f"SKU-{10001 + n}" for n in range(21)), "pageSize": "100"},
    )
    assert len(allowed) == 63
    body = await flxpoint.get(VARIANTS, {"ids": "1,x"}, expect=400)
    assert flxpoint_error(body) == "ids must be an integer"
    body = await flxpoint.get(VARIANTS, {"pageSize": "2", "upcs": "1,2,3"}, expect=400)
    assert flxpoint_error(body) == "upcs accepts at most 2 values"
    assert await flxpoint.get(VARIANTS, {"sourceId": "1"}) == []


async def test_updated_after_and_include_flags(flxpoint: FlxpointApi) -> None:
    items, _ = await flxpoint.pages(VARIANTS, names=PAGE)
    cutoff = sorted(v["updatedAt"] for v in items)[-25]
    recent, _ = await flxpoint.pages(VARIANTS, {"updatedAfter": cutoff}, names=PAGE)
    assert len(recent) == 25
    assert all(v["updatedAt"] >= cutoff for v in recent)
    flags = {
        "includeParent": "parent",
        "includeImages": "images",
        "includeOptions": "options",
        "includeAttributes": "attributes",
        "includeCategories": "categories",
        "includeCustomFields": "customFields",
        "includeCustomAggregates": "customAggregates",
        "includeLinkedProductVariants": "linkedProductVariants",
    }
    everything = await flxpoint.get(
        VARIANTS, {"pageSize": "1", **dict.fromkeys(flags, "true")}
    )
    plain = items[0]
    assert set(everything[0]) == set(plain) | set(flags.values())
    assert everything[0]["parent"]["id"] == plain["inventoryParentId"]
    assert everything[0]["options"][0]["name"] == "Color"
    off = await flxpoint.get(VARIANTS, {"pageSize": "1", "includeParent": "false"})
    assert off == [plain]
    body = await flxpoint.get(VARIANTS, {"includeParent": "1"}, expect=400)
    assert flxpoint_error(body) == "includeParent must be true or false"


async def _variant(flxpoint: FlxpointApi, sku: str = "SKU-10005") -> dict[str, Any]:
    found: list[dict[str, Any]] = await flxpoint.get(VARIANTS, {"skus": sku})
    return found[0]


async def test_put_modes_update_update_non_null_and_none(
    flxpoint: FlxpointApi, clock: FakeClock
) -> None:
    variant = await _variant(flxpoint)
    clock.now += 30
    updated = await flxpoint.put(
        VARIANTS,
        [
            {
                "inventoryVariantId": variant["id"],
                "quantity": 7,
                "cost": 12.34,
                "msrp": None,
                "modifyMsrp": "update",
                "map": None,
                "binLocation": "Z-01-1",
                "modifyBinLocation": "none",
            }
        ],
    )
    assert len(updated) == 1
    got = updated[0]
    assert got["quantity"] == 7
    assert got["totalQuantity"] == 7 + variant["committedQuantity"]
    assert got["cost"] == 12.34
    assert got["msrp"] is None, "update writes null"
    assert got["map"] == variant["map"], "updateNonNull (the default) skips null"
    assert got["binLocation"] == variant["binLocation"], "none ignores the value"
    assert got["updatedAt"] > variant["updatedAt"]
    assert got["totalQuantityLastChangedAt"] == got["updatedAt"]
    assert await _variant(flxpoint) == got
    clock.now += 30
    replay = await flxpoint.put(
        VARIANTS, [{"inventoryVariantId": variant["id"], "quantity": 7, "cost": 12.34}]
    )
    assert replay == [got], "a replayed PUT changes nothing, updatedAt included"


async def test_put_by_sku_needs_a_source_when_ambiguous(flxpoint: FlxpointApi) -> None:
    variant = await _variant(flxpoint, "SKU-10009")
    body = await flxpoint.put(
        VARIANTS, [{"sku": "SKU-10009", "quantity": 1}], expect=400
    )
    assert flxpoint_error(body) == (
        "sku SKU-10009 is stocked at several sources; send inventoryVariantId or sourceId"
    )
    by_item = await flxpoint.put(
        VARIANTS, [{"sku": "SKU-10009", "sourceId": variant["sourceId"], "quantity": 1}]
    )
    assert by_item[0]["id"] == variant["id"]
    by_query = await flxpoint.json(
        "PUT",
        VARIANTS,
        200,
        params={"sourceId": str(variant["sourceId"])},
        json=[{"sku": "SKU-10009", "quantity": 2, "allowBackorders": True}],
    )
    assert (by_query[0]["quantity"], by_query[0]["allowBackorders"]) == (2, True)


async def test_put_validation_is_all_or_nothing(flxpoint: FlxpointApi) -> None:
    variant = await _variant(flxpoint)
    vid = variant["id"]
    cases: list[tuple[Any, str]] = [
        (
            {"inventoryVariantId": vid},
            "Request body must be a JSON array of inventory variants",
        ),
        ([], "Request body must not be an empty array"),
        (
            [{"inventoryVariantId": vid}] * 51,
            "At most 50 inventory variants per request",
        ),
        ([{"quantity": 1}], "[0] needs inventoryVariantId or sku"),
        ([{"inventoryVariantId": 5, "quantity": 1}], "Inventory variant 5 not found"),
        (
            [{"inventoryVariantId": vid, "sku": "SKU-10006"}],
            f"[0].sku SKU-10006 does not match inventory variant {vid}",
        ),
        (
            [{"sku": "SKU-99999", "sourceId": variant["sourceId"]}],
            "No inventory variant with sku SKU-99999",
        ),
        (
            [{"inventoryVariantId": vid, "quantity": -1}],
            "[0].quantity must be an integer >= 0",
        ),
        (
            [{"inventoryVariantId": vid, "quantity": None, "modifyQuantity": "update"}],
            "[0].quantity cannot be null with modifyQuantity=update",
        ),
        (
            [{"inventoryVariantId": vid, "modifyCost": "replace"}],
            "[0].modifyCost must be one of none, update, updateNonNull",
        ),
        (
            [{"inventoryVariantId": vid, "cost": "1.00"}],
            "[0].cost must be a number between 0 and 10000000",
        ),
        ([{"inventoryVariantId": vid, "colour": "red"}], "Unknown field [0].colour"),
        (
            [{"inventoryVariantId": vid, "quantity": 1}, {"inventoryVariantId": vid}],
            f"[1] repeats inventory variant {vid}",
        ),
        (
            [{"inventoryVariantId": vid, "quantity": 3}, {"inventoryVariantId": 5}],
            "Inventory variant 5 not found",
        ),
    ]
    for body, message in cases:
        answer = await flxpoint.put(VARIANTS, body, expect=400)
        assert flxpoint_error(answer) == message, body
    assert await _variant(flxpoint) == variant
    body = await flxpoint.json("PUT", VARIANTS, 400, params={"skus": "x"}, json=[])
    assert flxpoint_error(body) == "Unknown parameter skus"

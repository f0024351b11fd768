"""X1-X2: FR lists (both page spellings, every filter and its limits) and reads."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from gateway.sandbox import SandboxConfig

from .conftest import FakeClock, FlxpointApi, flxpoint_error

FRS = "/fulfillment-requests"
SEEDED_FRS = 200
FR_STATUSES = [
    "Unprocessed",
    "Processing",
    "Processed",
    "Acknowledged",
    "Canceled",
    "Failed",
    "Voided",
    "Additional Info Required",
    "PO/FR # Exceeds Max Length",
    "Duplicate PO/FR #",
    "Cross Docked",
]
SHIPPING = ["Awaiting Shipment", "Partially Shipped", "Shipped", "Canceled"]


@pytest.fixture
def config(clock: FakeClock) -> SandboxConfig:
    return SandboxConfig(order_count=5, clock=clock, rate_limits=False)


async def _all(flxpoint: FlxpointApi, **params: str) -> list[dict[str, Any]]:
    items, _ = await flxpoint.pages(FRS, params)
    return items


async def test_pages_walk_to_the_end_under_either_spelling(
    flxpoint: FlxpointApi,
) -> None:
    walks = []
    for names, size in (
        (("filterPageNumber", "filterPageSize"), 20),
        (("filterPageNumber", "filterPageSize"), 100),
        (("page", "pageSize"), 30),
    ):
        items, requests = await flxpoint.pages(FRS, names=names, size=size)
        assert len(items) == SEEDED_FRS
        assert requests == SEEDED_FRS // size + 1, "stops on the first short page"
        ids = [fr["id"] for fr in items]
        assert ids == sorted(ids)
        assert len(set(ids)) == SEEDED_FRS
        beyond = {names[0]: str(requests + 1), names[1]: str(size)}
        assert await flxpoint.get(FRS, beyond) == []
        walks.append(items)
    assert walks[0] == walks[1] == walks[2]


async def test_default_page_is_twenty_and_first(flxpoint: FlxpointApi) -> None:
    default = await flxpoint.get(FRS)
    assert len(default) == 20
    assert default == await flxpoint.get(FRS, {"filterPageNumber": "1"})
    same = await flxpoint.get(FRS, {"filterPageSize": "20", "pageSize": "20"})
    assert same == default, "both spellings at once are fine when they agree"


async def test_page_parameter_errors(flxpoint: FlxpointApi) -> None:
    cases: list[tuple[Any, str]] = [
        (
            {"filterPageSize": "101"},
            "filterPageSize must be an integer between 1 and 100",
        ),
        ({"pageSize": "0"}, "pageSize must be an integer between 1 and 100"),
        ({"filterPageNumber": "0"}, "filterPageNumber must be an integer >= 1"),
        ({"page": "x"}, "page must be an integer >= 1"),
        (
            {"filterPageNumber": "1", "page": "2"},
            "filterPageNumber and page are the same parameter and disagree",
        ),
        (
            {"filterPageSize": "10", "pageSize": "20"},
            "filterPageSize and pageSize are the same parameter and disagree",
        ),
        (
            [("filterPageSize", "5"), ("filterPageSize", "5")],
            "filterPageSize may be given only once",
        ),
    ]
    for params, message in cases:
        body = await flxpoint.get(FRS, params, expect=400)
        assert flxpoint_error(body) == message, params


async def test_seed_covers_every_status_and_shipping_status(
    flxpoint: FlxpointApi,
) -> None:
    items = await _all(flxpoint)
    statuses = Counter(fr["fulfillmentRequestStatus"]["name"] for fr in items)
    assert set(statuses) == set(FR_STATUSES)
    assert set(Counter(fr["fulfillmentStatus"] for fr in items)) == set(SHIPPING)
    assert len({fr["sourceId"] for fr in items}) == 3
    assert len({fr["orderId"] for fr in items}) in range(130, 171)
    for fr in items:
        assert fr["fulfillmentRequestNumber"].startswith("FR-")
        assert fr["fulfillmentRequestNumber"][3:].isdigit()
        assert fr["updatedAt"] >= fr["generatedAt"]
        assert (fr["voidedAt"] is not None) == (
            fr["fulfillmentRequestStatus"]["name"] == "Voided"
        )
        for item in fr["fulfillmentRequestItems"]:
            assert item["sku"].startswith("SKU-1")
            assert (
                item["shippedQuantity"] + item["cancelledQuantity"] <= item["quantity"]
            )


async def test_filter_status_selects_each_status(flxpoint: FlxpointApi) -> None:
    total = 0
    for status in FR_STATUSES:
        items = await _all(flxpoint, filterStatus=status)
        assert items, status
        assert {fr["fulfillmentRequestStatus"]["name"] for fr in items} == {status}
        total += len(items)
    assert total == SEEDED_FRS


async def test_filter_status_and_shipping_status_take_comma_lists(
    flxpoint: FlxpointApi,
) -> None:
    both = await _all(flxpoint, filterStatus="Processing,Processed")
    processing = await _all(flxpoint, filterStatus="Processing")
    processed = await _all(flxpoint, filterStatus="Processed")
    assert len(both) == len(processing) + len(processed)
    repeated, _ = await flxpoint.pages(
        FRS, [("filterStatus", "Processing"), ("filterStatus", "Processed")]
    )
    assert repeated == both
    total = 0
    for status in SHIPPING:
        chosen = await _all(flxpoint, filterFulfilmentStatus=status)
        assert {fr["fulfillmentStatus"] for fr in chosen} == {status}
        total += len(chosen)
    assert total == SEEDED_FRS
    mixed = await _all(flxpoint, filterFulfilmentStatus="Shipped,Partially Shipped")
    assert {fr["fulfillmentStatus"] for fr in mixed} == {"Shipped", "Partially Shipped"}


async def test_unknown_status_values_are_400(flxpoint: FlxpointApi) -> None:
    body = await flxpoint.get(FRS, {"filterStatus": "Open"}, expect=400)
    assert "filterStatus must be among" in flxpoint_error(body)
    body = await flxpoint.get(FRS, {"filterFulfilmentStatus": "Delivered"}, expect=400)
    assert "filterFulfilmentStatus" in flxpoint_error(body)
    body = await flxpoint.get(FRS, {"filterFulfillmentStatus": "Shipped"}, expect=400)
    assert flxpoint_error(body) == "Unknown parameter filterFulfillmentStatus", "(sic)"


async def test_since_id_polls_forward(flxpoint: FlxpointApi) -> None:
    first = await flxpoint.get(FRS, {"filterPageSize": "50"})
    since = first[-1]["id"]
    rest = await _all(flxpoint, sinceId=str(since))
    assert len(rest) == SEEDED_FRS - 50
    assert all(fr["id"] > since for fr in rest)
    assert await flxpoint.get(FRS, {"sinceId": str(rest[-1]["id"])}) == []


async def test_find_order_id_source_and_flags(flxpoint: FlxpointApi) -> None:
    items = await _all(flxpoint)
    split = Counter(fr["orderId"] for fr in items).most_common(1)[0][0]
    by_order = await flxpoint.get(FRS, {"findOrderId": str(split)})
    assert len(by_order) == 2
    assert len({fr["sourceId"] for fr in by_order}) == 2, "a split order spans sources"
    for source in {fr["sourceId"] for fr in items}:
        chosen = await _all(flxpoint, filterSourceId=str(source))
        assert chosen
        assert chosen == [fr for fr in items if fr["sourceId"] == source]
    invoiced = await _all(flxpoint, filterInvoiced="true")
    assert invoiced
    assert all(
        fr["invoiced"] and fr["fulfillmentStatus"] == "Shipped" for fr in invoiced
    )
    assert len(await _all(flxpoint, filterInvoiced="false")) == SEEDED_FRS - len(
        invoiced
    )
    acked = await _all(flxpoint, filterIsAcknowledged="TRUE")
    assert {fr["fulfillmentRequestStatus"]["name"] for fr in acked} == {"Acknowledged"}
    assert all(fr["acknowledgedAt"] for fr in acked)
    not_acked = await _all(flxpoint, filterIsAcknowledged="false")
    assert len(acked) + len(not_acked) == SEEDED_FRS
    body = await flxpoint.get(FRS, {"filterInvoiced": "yes"}, expect=400)
    assert flxpoint_error(body) == "filterInvoiced must be true or false"
    body = await flxpoint.get(FRS, {"findOrderId": "abc"}, expect=400)
    assert flxpoint_error(body) == "findOrderId must be an integer"


async def test_updated_after_is_inclusive(flxpoint: FlxpointApi) -> None:
    items = await _all(flxpoint)
    newest = sorted(fr["updatedAt"] for fr in items)
    cutoff = newest[-10]
    recent = await _all(flxpoint, filterUpdatedAfter=cutoff)
    assert len(recent) == sum(1 for stamp in newest if stamp >= cutoff)
    assert all(fr["updatedAt"] >= cutoff for fr in recent)
    body = await flxpoint.get(FRS, {"filterUpdatedAfter": "yesterday"}, expect=400)
    assert "ISO 8601" in flxpoint_error(body)


async def test_fr_numbers_batch_lookup_and_its_alias(flxpoint: FlxpointApi) -> None:
    items = await flxpoint.get(FRS, {"filterPageSize": "60"})
    numbers = [fr["fulfillmentRequestNumber"] for fr in items]
    picked = await flxpoint.get(FRS, {"frNumbers": ",".join(numbers[:3]) + ",FR-1"})
    assert [fr["fulfillmentRequestNumber"] for fr in picked] == numbers[:3]
    repeated = await flxpoint.get(FRS, [("frNumbers", n) for n in numbers[:3]])
    assert repeated == picked
    assert await flxpoint.get(FRS, {"poNumbers": ",".join(numbers[:3])}) == picked
    agreeing = {"frNumbers": numbers[0], "poNumbers": numbers[0]}
    assert len(await flxpoint.get(FRS, agreeing)) == 1
    fifty = await flxpoint.get(
        FRS, {"frNumbers": ",".join(numbers[:50]), "filterPageSize": "100"}
    )
    assert len(fifty) == 50
    body = await flxpoint.get(FRS, {"frNumbers": ",".join(numbers[:51])}, expect=400)
    assert flxpoint_error(body) == "frNumbers accepts at most 50 values"
    body = await flxpoint.get(
        FRS, {"frNumbers": numbers[0], "poNumbers": numbers[1]}, expect=400
    )
    assert flxpoint_error(body) == "frNumbers and poNumbers (deprecated) disagree"
    body = await flxpoint.get(FRS, {"frNumbers": " , "}, expect=400)
    assert flxpoint_error(body) == "frNumbers must not be empty"


async def test_filters_combine_with_and(flxpoint: FlxpointApi) -> None:
    items = await _all(flxpoint)
    source = items[0]["sourceId"]
    combined = await _all(
        flxpoint,
        filterSourceId=str(source),
        filterStatus="Acknowledged",
        filterFulfilmentStatus="Shipped",
    )
    expected = [
        fr
        for fr in items
        if fr["sourceId"] == source
        and fr["fulfillmentRequestStatus"]["name"] == "Acknowledged"
        and fr["fulfillmentStatus"] == "Shipped"
    ]
    assert combined == expected
    assert combined


async def test_get_one_matches_the_list_and_404s(flxpoint: FlxpointApi) -> None:
    listed = (await flxpoint.get(FRS, {"filterPageSize": "1"}))[0]
    assert await flxpoint.get(f"{FRS}/{listed['id']}") == listed
    for missing in ("999", "abc", "4585401x"):
        body = await flxpoint.get(f"{FRS}/{missing}", expect=404)
        assert flxpoint_error(body) == f"Fulfillment request {missing} not found"
    assert set(listed) >= {
        "id",
        "fulfillmentRequestNumber",
        "orderId",
        "sourceId",
        "fulfillmentRequestStatus",
        "fulfillmentStatus",
        "generatedAt",
        "acknowledgedAt",
        "voidedAt",
        "updatedAt",
        "shippingAddress",
        "fulfillmentRequestItems",
    }
    assert set(listed["shippingAddress"]) == {
        "name", "firstName", "lastName", "companyName", "addressLine1",
        "addressLine2", "city", "state", "stateCode", "country", "countryCode",
        "postal", "email", "phone",
    }  # fmt: skip
    item = listed["fulfillmentRequestItems"][0]
    assert set(item) >= {
        "id", "sku", "title", "quantity", "cost", "acknowledgedQuantity",
        "cancelledQuantity", "shippedQuantity",
    }  # fmt: skip

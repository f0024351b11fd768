"""orderCreate, orderUpdate and orderCancel through GraphQL against the sandbox."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from gateway import ids
from tests.api.mutations import (
    ORDER,
    ORDER_CANCEL,
    ORDER_CREATE,
    ORDER_UPDATE,
    mutate,
    ok,
    order_input,
    writes,
)
from tests.api.world import LAPI, all_provider_gql, upstream_paths
from tests.conftest import GQL, SandboxControl


@pytest.fixture
async def every(aiohttp_client: Any, sandbox: TestServer) -> GQL:
    """A gateway on every provider, with its entity cache on (the default)."""
    return await all_provider_gql(aiohttp_client, sandbox)


@pytest.mark.parametrize(
    ("provider", "kind", "path"),
    [
        ("FLEXE", "DTC", "/v2/orders"),
        ("FLEXPORT_LOGISTICS", "B2B", f"{LAPI}/outbounds"),
        ("FLEXPORT_LOGISTICS", "DTC", f"{LAPI}/orders"),
    ],
)
async def test_order_create_returns_the_order_from_one_create(
    every: GQL, control: SandboxControl, provider: str, kind: str, path: str
) -> None:
    await control.clear()
    created = await ok(
        every, ORDER_CREATE, input=order_input(provider, kind, f"GW-{kind}-1")
    )
    order = created["order"]
    assert (order["provider"], order["kind"]) == (provider, kind)
    assert order["externalId"] == f"GW-{kind}-1"
    assert order["status"] == "PENDING"
    assert sorted((line["sku"], line["quantity"]) for line in order["lines"]) == [
        ("SKU-10001", 2),
        ("SKU-10087", 1),
    ]
    slug = provider.lower()
    assert await writes(control, slug) == [("POST", path)]
    again = await every(ORDER, {"id": order["id"]})
    assert again["data"]["order"]["id"] == order["id"]


async def test_order_create_invalid_input_is_user_errors_without_upstream_call(
    every: GQL, control: SandboxControl
) -> None:
    await control.clear()
    bad = order_input(
        "FLEXE",
        "DTC",
        "",
        recipient={"name": "A", "line1": "1 St", "city": "X", "country": "usa"},
        lines=[{"sku": "SKU-1", "quantity": 1}, {"sku": "SKU-2", "quantity": 0}],
    )
    payload = await mutate(every, ORDER_CREATE, input=bad)
    assert payload["order"] is None
    found = {tuple(e["field"]): e["code"] for e in payload["userErrors"]}
    assert found == {
        ("input", "externalId"): "INVALID",
        ("input", "recipient", "country"): "INVALID",
        ("input", "lines", "1", "quantity"): "INVALID",
    }
    assert await upstream_paths(control) == {}


async def test_order_create_missing_value_is_required(every: GQL) -> None:
    unbalanced = order_input("FLEXE", "RETAIL", "GW-R-0", flexe={"retail": {}})
    body = await every(ORDER_CREATE, {"input": unbalanced})
    # GraphQL itself refuses a missing non-null input field, before any resolver.
    assert body["errors"][0]["message"].startswith("Variable '$input'")
    retail = order_input(
        "FLEXE",
        "RETAIL",
        "GW-R-0",
        flexe={
            "retail": {
                "customerUuid": "3f0c2b1e-5d7a-4c1e-9a51-0c2f6e8b7d11",
                "shipWindowStart": "2027-01-02T00:00:00Z",
                "shipWindowEnd": "2027-01-01T00:00:00Z",
            }
        },
    )
    payload = await mutate(every, ORDER_CREATE, input=retail)
    (error,) = payload["userErrors"]
    assert error["field"] == ["input", "flexe", "retail"]
    assert "shipWindowEnd must be after shipWindowStart" in error["message"]


async def test_order_create_options_of_another_provider_are_invalid(
    every: GQL, control: SandboxControl
) -> None:
    await control.clear()
    wrong = order_input("FLEXPORT_LOGISTICS", "B2B", "GW-X", flexe={"labels": []})
    payload = await mutate(every, ORDER_CREATE, input=wrong)
    assert payload["userErrors"] == [
        {
            "field": ["input", "flexe"],
            "code": "INVALID",
            "message": "flexe is only for provider FLEXE",
        }
    ]
    assert await upstream_paths(control) == {}


@pytest.mark.parametrize(
    ("provider", "kind"),
    [("FLXPOINT", "DTC"), ("FLEXPORT_V3", "B2B"), ("FLEXE", "B2B")],
)
async def test_order_create_a_provider_cannot_do_is_not_supported(
    every: GQL, control: SandboxControl, provider: str, kind: str
) -> None:
    await control.clear()
    payload = await mutate(
        every, ORDER_CREATE, input=order_input(provider, kind, "GW-NS")
    )
    assert payload["order"] is None
    [error] = payload["userErrors"]
    assert error["code"] == "NOT_SUPPORTED"
    assert provider in error["message"]
    assert await writes(control, provider.lower()) == []


async def test_order_create_rejected_by_the_provider_names_the_input_path(
    every: GQL, control: SandboxControl
) -> None:
    unknown = order_input(
        "FLEXPORT_LOGISTICS",
        "B2B",
        "GW-UOM",
        lines=[{"sku": "SKU-10001", "quantity": 2, "unitOfMeasure": "PALLET"}],
    )
    payload = await mutate(every, ORDER_CREATE, input=unknown)
    assert payload["order"] is None
    [error] = payload["userErrors"]
    assert error["code"] == "INVALID"
    assert error["field"] == ["input", "lines", "0", "unitOfMeasure"]
    assert error["message"].startswith("FLEXPORT_LOGISTICS: ")


async def test_order_create_same_idempotency_key_makes_one_order(
    every: GQL, control: SandboxControl
) -> None:
    order = order_input("FLEXPORT_LOGISTICS", "B2B", "GW-IDEM", idempotencyKey="k-1")
    first = await ok(every, ORDER_CREATE, input=order)
    second = await ok(every, ORDER_CREATE, input=order)
    assert second["order"]["id"] == first["order"]["id"]
    posts = [r for r in await control.requests("flexport_logistics")]
    creates = [r for r in posts if r["method"] == "POST"]
    assert len(creates) == 2
    assert [r["status"] for r in creates] == [200, 200]


async def test_order_create_503_then_retry_leaves_exactly_one_order(
    every: GQL, control: SandboxControl
) -> None:
    await control.fault(
        f"{LAPI}/outbounds", "503", provider="flexport_logistics", method="POST"
    )
    created = await ok(
        every, ORDER_CREATE, input=order_input("FLEXPORT_LOGISTICS", "B2B", "GW-503")
    )
    posts = [
        r["status"]
        for r in await control.requests("flexport_logistics")
        if (r["method"], r["path"]) == ("POST", f"{LAPI}/outbounds")
    ]
    assert posts == [503, 200]
    found = await every(
        """query { orderByExternalId(provider: FLEXPORT_LOGISTICS,
             externalId: "GW-503") { id } }""",
    )
    assert found["data"]["orderByExternalId"]["id"] == created["order"]["id"]


async def test_order_create_provider_down_is_a_retryable_top_level_error(
    every: GQL, control: SandboxControl
) -> None:
    await control.fault(
        "/v2/orders", "503", provider="flexe", method="POST", times=None
    )
    body = await every(ORDER_CREATE, {"input": order_input("FLEXE", "DTC", "GW-DOWN")})
    assert body["data"] == {"orderCreate": None}
    [error] = body["errors"]
    assert error["path"] == ["orderCreate"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["retryable"] is True
    assert error["extensions"]["provider"] == "FLEXE"


async def test_order_cancel_then_read_shows_cancelled_through_the_cache(
    every: GQL, control: SandboxControl
) -> None:
    created = await ok(
        every, ORDER_CREATE, input=order_input("FLEXPORT_LOGISTICS", "DTC", "GW-C1")
    )
    order_id = created["order"]["id"]
    before = await every(ORDER, {"id": order_id})
    assert before["data"]["order"]["status"] == "PENDING"
    cancelled = await ok(every, ORDER_CANCEL, id=order_id, reason="customer asked")
    assert cancelled["order"] == {"id": order_id, "status": "CANCELLED"}
    await control.clear()
    after = await every(ORDER, {"id": order_id})
    assert after["data"]["order"]["status"] == "CANCELLED"
    # The cancel dropped the cached order: the read went upstream.
    assert len(await control.requests("flexport_logistics")) >= 1


async def test_order_cancel_too_late_is_a_conflict(
    every: GQL, control: SandboxControl
) -> None:
    created = await ok(
        every, ORDER_CREATE, input=order_input("FLEXPORT_LOGISTICS", "B2B", "GW-LATE")
    )
    order = created["order"]
    number = order["providerId"].removeprefix("B2B-")
    for _ in range(2):  # PLANNED -> BOOKED -> IN_PROGRESS
        await control.advance("flexport_logistics", "outbound", number)
    payload = await mutate(every, ORDER_CANCEL, id=order["id"])
    assert payload["order"] is None
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["id"], "CONFLICT")
    assert "cannot be cancelled" in error["message"]


async def test_order_cancel_unknown_or_malformed_id(every: GQL) -> None:
    missing = ids.encode(ids.Ref("flxpoint", "Order", "999999999"))
    payload = await mutate(every, ORDER_CANCEL, id=missing)
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["id"], "NOT_FOUND")
    payload = await mutate(every, ORDER_CANCEL, id="not-an-id")
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["id"], "INVALID")
    shipment = ids.encode(ids.Ref("flexe", "Shipment", "s-1"))
    payload = await mutate(every, ORDER_CANCEL, id=shipment)
    assert payload["userErrors"][0]["message"].endswith("not a Order")


async def test_order_update_where_the_provider_cannot_is_not_supported(
    every: GQL, control: SandboxControl
) -> None:
    created = await ok(
        every, ORDER_CREATE, input=order_input("FLEXPORT_LOGISTICS", "DTC", "GW-U")
    )
    await control.clear()
    payload = await mutate(
        every, ORDER_UPDATE, id=created["order"]["id"], input={"notes": "ring twice"}
    )
    [error] = payload["userErrors"]
    assert error["code"] == "NOT_SUPPORTED"
    assert await upstream_paths(control) == {}


async def test_order_update_needs_a_change(every: GQL) -> None:
    some = ids.encode(ids.Ref("flexe", "Order", "x"))
    payload = await mutate(every, ORDER_UPDATE, id=some, input={})
    [error] = payload["userErrors"]
    assert error["field"] == ["input"]
    assert "at least one field" in error["message"]


async def test_order_create_rate_limited_is_top_level_with_retry_after(
    every: GQL, control: SandboxControl
) -> None:
    await control.fault(
        "/v2/orders", "429", provider="flexe", method="POST", retry_after=120
    )
    body = await every(ORDER_CREATE, {"input": order_input("FLEXE", "DTC", "GW-429")})
    assert body["data"] == {"orderCreate": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["retryAfter"] == 120
    assert error["extensions"]["retryable"] is True
    # Nothing was created: a retry later makes the order.
    again = await ok(every, ORDER_CREATE, input=order_input("FLEXE", "DTC", "GW-429"))
    assert again["order"]["externalId"] == "GW-429"


async def test_order_update_of_an_unknown_order_is_not_found(every: GQL) -> None:
    missing = ids.encode(ids.Ref("flexe", "Order", "00000000-0000-0000-0000-0000"))
    payload = await mutate(every, ORDER_UPDATE, id=missing, input={"notes": "x"})
    [error] = payload["userErrors"]
    assert (error["field"], error["code"]) == (["id"], "NOT_FOUND")


async def test_order_create_garbage_answer_is_a_typed_top_level_error(
    every: GQL, control: SandboxControl
) -> None:
    await control.fault("/v2/orders", "garbage", provider="flexe", method="POST")
    order = order_input("FLEXE", "DTC", "GW-GARBAGE", idempotencyKey="garbage-1")
    body = await every(ORDER_CREATE, {"input": order})
    assert body["data"] == {"orderCreate": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UPSTREAM_INVALID_RESPONSE"
    assert error["message"] != "Unexpected error."
    # Repeating with the same key is safe whether or not the first one landed.
    again = await ok(every, ORDER_CREATE, input=order)
    assert again["order"]["externalId"] == "GW-GARBAGE"


async def test_order_create_shows_in_the_cached_order_list_at_once(
    every: GQL,
) -> None:
    newest = """{ orders(first: 1, filter: {providers: [FLEXE]}) {
      edges { node { externalId } } } }"""
    before = await every(newest)
    assert before["data"]["orders"]["edges"][0]["node"]["externalId"] != "GW-NEW"
    await ok(every, ORDER_CREATE, input=order_input("FLEXE", "DTC", "GW-NEW"))
    after = await every(newest)
    assert after["data"]["orders"]["edges"][0]["node"]["externalId"] == "GW-NEW"


async def test_order_create_a_value_the_provider_requires_is_required(
    every: GQL,
) -> None:
    # The GraphQL input leaves region and postal code optional (not every
    # provider or country needs them); Flexe requires both.
    bare = order_input(
        "FLEXE",
        "DTC",
        "GW-REQ",
        recipient={"name": "A", "line1": "1 St", "city": "X", "country": "US"},
    )
    payload = await mutate(every, ORDER_CREATE, input=bare)
    found = {tuple(e["field"]): e["code"] for e in payload["userErrors"]}
    assert found == {
        ("input", "recipient", "region"): "REQUIRED",
        ("input", "recipient", "postalCode"): "REQUIRED",
    }

"""LAPI B2B outbounds (L1-L3, L5): create, read, cancel, validation, seed coverage."""

from __future__ import annotations

import copy
from typing import Any

from .conftest import LapiApi

OUTBOUND_BODY: dict[str, Any] = {
    "type": "B2B",
    "externalId": "PO-TEST-1001",
    "orderItems": [
        {
            "productData": {"sku": "SKU-10001"},
            "quantity": 4,
            "quantityUOM": "CASE",
            "quantityPerPack": 12,
            "lineItemId": "A1",
            "unitPrice": 30.5,
        },
        {"productData": {"sku": "SKU-10002"}, "quantity": 24},
    ],
    "shipToAddress": {
        "name": "Target DC 551",
        "company": "Target",
        "street1": "1 Commerce Way",
        "city": "Denver",
        "zip": "80216",
        "state": "CO",
        "country": "US",
        "isResidential": False,
    },
    "transportationDetails": {
        "shippingPartner": "FLEXPORT",
        "shippingType": "PARCEL",
        "shippingMethod": "UPS Ground",
        "shippingSpeed": "STANDARD",
        "duties": {
            "incoterm": "DAP",
            "dutyPaymentAccountDetails": {
                "carrierName": "UPS",
                "dutyPaymentAccountId": "A1",
                "country": "US",
                "postalCode": "80216",
            },
        },
    },
    "currencyCode": "USD",
    "shipBy": "2026-11-08T00:00:00Z",
    "notes": "Appointment required",
    "retailerData": {
        "retailer": "Target",
        "purchaseOrderNumber": "4500001234",
        "shipByDate": "2026-11-08T00:00:00Z",
        "discounts": [{"type": "EARLY_PAY", "value": 2}],
        "paymentTerms": {"term": "NET30", "dueDate": "2026-12-01T00:00:00Z"},
    },
    "vasData": {"code": "LABEL"},
}


def outbound_body(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(OUTBOUND_BODY), **changes}


async def test_create_then_read_by_id_and_external_id(lapi: LapiApi) -> None:
    created = await lapi.post("/outbounds", outbound_body())
    assert created["orderStatus"] == "PLANNED"
    assert created["type"] == "B2B"
    assert created["shipments"] == []
    assert created["locationId"] == "RNO1", "default origin warehouse"
    assert created["ingestionChannel"] == "API"
    assert not {"currencyCode", "vasData"} & set(created), "create-only fields"
    first, second = created["orderItems"]
    assert first["logisticsSku"].startswith("LS"), "resolved from productData.sku"
    assert (first["quantityUOM"], first["quantityPerPack"], first["lineItemId"]) == (
        "CASE",
        12,
        "A1",
    )
    assert (second["quantityUOM"], second["quantityPerPack"], second["lineItemId"]) == (
        "EACH",
        1,
        "2",
    )
    assert created["retailerData"]["purchaseOrderNumber"] == "4500001234"
    assert created["retailerData"]["discounts"] == [{"type": "EARLY_PAY", "value": 2.0}]
    order_id = created["orderId"]
    assert isinstance(order_id, int)
    assert await lapi.get(f"/outbounds/{order_id}") == created
    assert await lapi.get("/outbounds/external_id/PO-TEST-1001") == created
    product = await lapi.get(f"/products/{first['logisticsSku']}")
    assert product["merchantSku"] == "SKU-10001"


async def test_orderitem_may_name_logistics_sku_directly(lapi: LapiApi) -> None:
    sku = (await lapi.get("/products", {"limit": "1"}))[0]["logisticsSku"]
    body = outbound_body(
        orderItems=[{"logisticsSku": sku, "quantity": 1}], externalId=None
    )
    created = await lapi.post("/outbounds", body)
    assert created["externalId"] is None
    assert created["orderItems"][0]["productData"] is None


VALIDATION_CASES: list[tuple[dict[str, Any], str]] = [
    (
        {
            "orderItems": [
                {
                    "productData": {"sku": "SKU-10001"},
                    "quantity": 1,
                    "quantityUOM": "PALLET",
                }
            ]
        },
        "orderItems[0].quantityUOM must be EACH or CASE",
    ),
    (
        {"orderItems": [{"logisticsSku": "LS1", "quantity": 1}]},
        "orderItems[0].logisticsSku LS1 is not a known product",
    ),
    (
        {"orderItems": [{"quantity": 1}]},
        "orderItems[0].logisticsSku is required when productData is absent",
    ),
    (
        {"orderItems": [{"productData": {"sku": "SKU-99999"}, "quantity": 0}]},
        "orderItems[0].productData matches no product by sku or upc; orderItems[0].quantity must be an integer >= 1",
    ),
    (
        {
            "orderItems": [
                {
                    "productData": {"sku": "SKU-10001"},
                    "quantity": 1,
                    "quantityUOM": "CASE",
                }
            ]
        },
        "orderItems[0].quantityPerPack is required",
    ),
    ({"orderItems": []}, "orderItems must not be empty"),
    ({"type": "EDI"}, "type must be one of B2B"),
    ({"currencyCode": "LTL1"}, "currencyCode must be an ISO 4217 code such as USD"),
    ({"shipBy": "soon"}, "shipBy must be an ISO 8601 date-time"),
    ({"locationId": "XXX1"}, "locationId must be one of RNO1, ATL2, CMH1"),
    (
        {
            "shipToAddress": {
                "name": "x",
                "street1": "y",
                "city": "z",
                "zip": "1",
                "country": "usa",
            }
        },
        "shipToAddress.country must be an ISO 3166-1 alpha-2 code such as US",
    ),
    (
        {
            "shipToAddress": {
                "name": "x",
                "street1": "y",
                "city": "z",
                "zip": "1",
                "country": "US",
                "isResidential": "no",
            }
        },
        "shipToAddress.state is required; shipToAddress.isResidential must be true or false",
    ),
    (
        {
            "transportationDetails": {
                "shippingPartner": "ME",
                "shippingType": "PARCEL",
                "shippingSpeed": "WARP",
            }
        },
        "transportationDetails.shippingPartner must be one of FLEXPORT, THIRD_PARTY, RECEIVER, COLLECT; transportationDetails.shippingSpeed must be one of ONE_DAY, TWO_DAY, THREE_DAY, STANDARD",
    ),
    (
        {
            "retailerData": {
                "retailer": "T",
                "charges": [{"value": -1}],
                "paymentTerms": {"due": 1},
            }
        },
        "retailerData.charges[0].type is required; retailerData.charges[0].value must be a number >= 0; retailerData.paymentTerms.due is not a known field",
    ),
    ({"distributionChannel": "WHOLESALE"}, "distributionChannel is not a known field"),
]


async def test_create_validation_names_the_field_path(
    lapi: LapiApi, unlimited: None
) -> None:
    for change, detail in VALIDATION_CASES:
        problem = await lapi.problem(
            "POST", "/outbounds", 422, json=outbound_body(**change)
        )
        assert problem["detail"] == detail, change
        assert problem["code"] == 422
        assert problem["title"] == "Unprocessable Content"


async def test_duplicate_line_item_ids_and_missing_blocks(lapi: LapiApi) -> None:
    lines = [
        {"productData": {"sku": "SKU-10001"}, "quantity": 1, "lineItemId": "X"}
    ] * 2
    body = {"type": "B2B", "orderItems": lines}
    problem = await lapi.problem("POST", "/outbounds", 422, json=body)
    assert problem["detail"] == (
        "orderItems[1].lineItemId duplicates orderItems[0].lineItemId; "
        "shipToAddress is required; transportationDetails is required"
    )


async def test_malformed_bodies_are_400(lapi: LapiApi) -> None:
    problem = await lapi.problem(
        "POST",
        "/outbounds",
        400,
        data=b"{nope",
        headers={"Content-Type": "application/json"},
    )
    assert problem["detail"] == "Request body is not valid JSON"
    problem = await lapi.problem("POST", "/outbounds", 400, json=[1])
    assert problem["detail"] == "Request body must be a JSON object"


async def test_duplicate_external_id_is_409(lapi: LapiApi) -> None:
    await lapi.post("/outbounds", outbound_body())
    problem = await lapi.problem("POST", "/outbounds", 409, json=outbound_body())
    assert problem["detail"] == "Order with externalId PO-TEST-1001 already exists"
    seeded = await lapi.problem(
        "POST", "/outbounds", 409, json=outbound_body(externalId="WHS-300001")
    )
    assert seeded["title"] == "Conflict"


async def test_unknown_orders_are_404(lapi: LapiApi) -> None:
    for path in (
        "/outbounds/1",
        "/outbounds/abc",
        "/outbounds/external_id/nope",
        "/outbounds/49201824001",
    ):
        problem = await lapi.problem("GET", path, 404)
        assert problem["detail"].startswith("Cannot find order")
    await lapi.problem("POST", "/outbounds/1/cancel", 404)


async def test_cancel_planned_then_repeat_is_unchanged(lapi: LapiApi) -> None:
    order_id = (await lapi.post("/outbounds", outbound_body()))["orderId"]
    cancelled = await lapi.post(f"/outbounds/{order_id}/cancel")
    assert cancelled["orderStatus"] == "CANCELLED"
    assert await lapi.post(f"/outbounds/{order_id}/cancel") == cancelled


async def test_cancel_booked_cancels_its_shipment(
    lapi: LapiApi, control: LapiApi
) -> None:
    order_id = (await lapi.post("/outbounds", outbound_body()))["orderId"]
    await control.post(
        "/_sandbox/advance",
        {"provider": "flexport_logistics", "type": "outbound", "id": str(order_id)},
    )
    booked = await lapi.get(f"/outbounds/{order_id}")
    assert booked["orderStatus"] == "BOOKED"
    assert [s["status"] for s in booked["shipments"]] == ["BOOKED"]
    cancelled = await lapi.post(f"/outbounds/{order_id}/cancel")
    assert [s["status"] for s in cancelled["shipments"]] == ["CANCELLED"]

"""Every mutation at a provider that cannot perform it: NOT_SUPPORTED, no upstream write."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from gateway import ids
from tests.api.mutations import (
    ACKNOWLEDGE,
    ATTACHMENT_CREATE,
    ORDER_CANCEL,
    ORDER_LINE_CANCEL,
    ORDER_LINE_CREATE,
    ORDER_UPDATE,
    PO_CANCEL,
    PO_CLOSE,
    PO_UPDATE,
    SHIPMENT_CREATE,
    mutate,
)
from tests.api.world import all_provider_gql, upstream_paths
from tests.conftest import GQL, SandboxControl


def gid(provider: str, kind: str, provider_id: str) -> str:
    return ids.encode(ids.Ref(provider, kind, provider_id))


CASES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "orderUpdate at Flxpoint",
        ORDER_UPDATE,
        {"id": gid("flxpoint", "Order", "1"), "input": {"notes": "x"}},
    ),
    (
        "orderUpdate at Flexport Logistics",
        ORDER_UPDATE,
        {"id": gid("flexport_logistics", "Order", "B2B-1"), "input": {"notes": "x"}},
    ),
    (
        "orderCancel at Flexport v3",
        ORDER_CANCEL,
        {"id": gid("flexport_v3", "Order", "1")},
    ),
    (
        "orderLineCreate at Flexport Logistics",
        ORDER_LINE_CREATE,
        {
            "orderId": gid("flexport_logistics", "Order", "DTC-1"),
            "input": {"sku": "SKU-10001", "quantity": 1},
        },
    ),
    (
        "orderLineCancel at Flxpoint",
        ORDER_LINE_CANCEL,
        {"id": gid("flxpoint", "OrderLine", "1/2")},
    ),
    (
        "fulfillmentRequestAcknowledge at Flexe",
        ACKNOWLEDGE,
        {"id": gid("flexe", "Order", "o-1")},
    ),
    (
        "shipmentCreate at Flexe",
        SHIPMENT_CREATE,
        {"input": {"orderId": gid("flexe", "Order", "o-1"), "trackingNumber": "1Z"}},
    ),
    (
        "purchaseOrderUpdate at Flexe",
        PO_UPDATE,
        {"id": gid("flexe", "PurchaseOrder", "p-1"), "input": {"incoterm": "FOB"}},
    ),
    (
        "purchaseOrderClose at Flexport Logistics",
        PO_CLOSE,
        {"id": gid("flexport_logistics", "PurchaseOrder", "1")},
    ),
    (
        "purchaseOrderCancel at Flxpoint",
        PO_CANCEL,
        {"id": gid("flxpoint", "PurchaseOrder", "1")},
    ),
    (
        "attachmentCreate at Flxpoint",
        ATTACHMENT_CREATE,
        {
            "input": {
                "orderId": gid("flxpoint", "Order", "1"),
                "documentType": "other",
                "url": "https://docs.example.com/a.pdf",
            }
        },
    ),
    (
        "attachmentCreate for a Flexport Logistics DTC order",
        ATTACHMENT_CREATE,
        {
            "input": {
                "orderId": gid("flexport_logistics", "Order", "DTC-1"),
                "documentType": "SHIPPING_LABELS",
                "url": "https://docs.example.com/a.pdf",
            }
        },
    ),
]


@pytest.fixture
async def every(aiohttp_client: Any, sandbox: TestServer) -> GQL:
    return await all_provider_gql(aiohttp_client, sandbox)


@pytest.mark.parametrize(
    ("document", "variables"),
    [(doc, variables) for _, doc, variables in CASES],
    ids=[name for name, _, _ in CASES],
)
async def test_mutation_a_provider_cannot_perform_is_not_supported(
    every: GQL, control: SandboxControl, document: str, variables: dict[str, Any]
) -> None:
    await control.clear()
    payload = await mutate(every, document, **variables)
    entity = [value for key, value in payload.items() if key != "userErrors"]
    assert entity == [None]
    [error] = payload["userErrors"]
    assert error["code"] == "NOT_SUPPORTED", error
    assert await upstream_paths(control) == {}

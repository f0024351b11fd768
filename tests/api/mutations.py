"""Mutation documents and helpers shared by the mutation tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import GQL, SandboxControl

ERRORS = "userErrors { field code message }"
ORDER_FIELDS = "id provider providerId kind status externalId lines { id sku quantity }"

ORDER_CREATE = f"""mutation($input: OrderCreateInput!) {{
  orderCreate(input: $input) {{ order {{ {ORDER_FIELDS} }} {ERRORS} }} }}"""
ORDER_UPDATE = f"""mutation($id: ID!, $input: OrderUpdateInput!) {{
  orderUpdate(id: $id, input: $input) {{
    order {{ {ORDER_FIELDS} recipient {{ name city postalCode }} labels {{ key value }} }}
    {ERRORS} }} }}"""
ORDER_CANCEL = f"""mutation($id: ID!, $reason: String) {{
  orderCancel(id: $id, reason: $reason) {{ order {{ id status }} {ERRORS} }} }}"""
ORDER_LINE_CREATE = f"""mutation($orderId: ID!, $input: OrderLineCreateInput!) {{
  orderLineCreate(orderId: $orderId, input: $input) {{
    orderLine {{ id sku quantity status externalId }} {ERRORS} }} }}"""
ORDER_LINE_CANCEL = f"""mutation($id: ID!) {{
  orderLineCancel(id: $id) {{ orderLine {{ id status cancelledQuantity }} {ERRORS} }} }}"""
ACKNOWLEDGE = f"""mutation($id: ID!, $lines: [FulfillmentRequestLineInput!]) {{
  fulfillmentRequestAcknowledge(id: $id, lines: $lines) {{
    order {{ id status rawStatus lines {{ id sku quantity allocatedQuantity
      cancelledQuantity }} }} {ERRORS} }} }}"""
SHIPMENT_CREATE = f"""mutation($input: ShipmentCreateInput!) {{
  shipmentCreate(input: $input) {{
    shipment {{ id trackingNumbers carrier }} {ERRORS} }} }}"""
PO_FIELDS = """id number status incoterm transportationMode updatedAt
  lines { itemKey sku quantity }"""
PO_CREATE = f"""mutation($input: PurchaseOrderCreateInput!) {{
  purchaseOrderCreate(input: $input) {{ purchaseOrder {{ {PO_FIELDS} }} {ERRORS} }} }}"""
PO_UPDATE = f"""mutation($id: ID!, $input: PurchaseOrderUpdateInput!) {{
  purchaseOrderUpdate(id: $id, input: $input) {{
    purchaseOrder {{ {PO_FIELDS} }} {ERRORS} }} }}"""
PO_CLOSE = f"""mutation($id: ID!) {{
  purchaseOrderClose(id: $id) {{ purchaseOrder {{ id status }} {ERRORS} }} }}"""
PO_CANCEL = f"""mutation($id: ID!) {{
  purchaseOrderCancel(id: $id) {{ purchaseOrder {{ id status }} {ERRORS} }} }}"""
INBOUND_CREATE = f"""mutation($input: InboundShipmentCreateInput!) {{
  inboundShipmentCreate(input: $input) {{
    inboundShipment {{ id purchaseOrderNumber lines {{ sku quantity }} }} {ERRORS} }} }}"""
ATTACHMENT_CREATE = f"""mutation($input: AttachmentCreateInput!) {{
  attachmentCreate(input: $input) {{
    attachment {{ id name type url contentType }} {ERRORS} }} }}"""
ORDER = "query($id: ID!) { order(id: $id) { id status lines { id quantity } } }"
PURCHASE_ORDER = f"query($id: ID!) {{ purchaseOrder(id: $id) {{ {PO_FIELDS} }} }}"


async def mutate(gql: GQL, document: str, **variables: Any) -> dict[str, Any]:
    """Run a mutation that must answer without top-level errors; its payload."""
    body = await gql(document, variables)
    assert "errors" not in body, body["errors"]
    (payload,) = body["data"].values()
    assert isinstance(payload, dict)
    return payload


async def ok(gql: GQL, document: str, **variables: Any) -> dict[str, Any]:
    """Run a mutation that must succeed: its payload, with no userErrors."""
    payload = await mutate(gql, document, **variables)
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


def recipient(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Grace Hopper",
        "line1": "1 Navy Way",
        "city": "Arlington",
        "region": "VA",
        "postalCode": "22202",
        "country": "US",
        **changes,
    }


def order_input(provider: str, kind: str, external_id: str, **changes: Any) -> Any:
    return {
        "provider": provider,
        "kind": kind,
        "externalId": external_id,
        "recipient": recipient(),
        "lines": [
            {"sku": "SKU-10001", "quantity": 2},
            {"sku": "SKU-10087", "quantity": 1},
        ],
        **changes,
    }


async def writes(control: SandboxControl, provider: str) -> list[tuple[str, str]]:
    """(method, path) of every non-GET request a provider received."""
    return [
        (r["method"], r["path"])
        for r in await control.requests(provider)
        if r["method"] != "GET"
    ]

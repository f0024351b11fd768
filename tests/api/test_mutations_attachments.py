"""attachmentCreate: multipart uploads on /graphql/upload only, URLs, size limits."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from gateway import ids
from gateway.app import create_app
from tests.api.mutations import (
    ATTACHMENT_CREATE,
    ORDER_CREATE,
    mutate,
    ok,
    order_input,
    writes,
)
from tests.api.world import LAPI
from tests.conftest import GQL, SandboxControl, all_providers

Client = TestClient  # type: ignore[type-arg]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ORDER_ATTACHMENTS = """query($id: ID!) { order(id: $id) {
  attachments { id name type url contentType } } }"""


@pytest.fixture
async def client(aiohttp_client: Any, sandbox: TestServer) -> Client:
    settings = all_providers(sandbox)
    settings.limits.max_upload_bytes = 64 * 1024
    found: Client = await aiohttp_client(create_app(settings))
    return found


@pytest.fixture
def every(client: Client) -> GQL:
    async def run(query: str, variables: dict[str, Any] | None = None) -> Any:
        resp = await client.post(
            "/graphql", json={"query": query, "variables": variables}
        )
        assert resp.status == 200, await resp.text()
        return await resp.json()

    return run


def multipart(
    input: dict[str, Any], content: bytes, query: str = ATTACHMENT_CREATE
) -> aiohttp.FormData:
    """The GraphQL multipart request spec: operations, map, then the file."""
    form = aiohttp.FormData()
    operations = {"query": query, "variables": {"input": {**input, "file": None}}}
    form.add_field("operations", json.dumps(operations))
    form.add_field("map", json.dumps({"0": ["variables.input.file"]}))
    form.add_field("0", content, filename="label.pdf")
    return form


async def upload(
    client: Client, input: dict[str, Any], content: bytes = PDF
) -> aiohttp.ClientResponse:
    return await client.post("/graphql/upload", data=multipart(input, content))


async def new_order(gql: GQL, provider: str, kind: str, external_id: str) -> Any:
    payload = await ok(
        gql, ORDER_CREATE, input=order_input(provider, kind, external_id)
    )
    return payload["order"]


async def test_upload_to_flexe_writes_the_file_then_the_attachment(
    client: Client, every: GQL, control: SandboxControl
) -> None:
    order = await new_order(every, "FLEXE", "DTC", "GW-ATT-1")
    await control.clear()
    resp = await upload(
        client,
        {"orderId": order["id"], "documentType": "shipping_label", "name": "L.pdf"},
    )
    assert resp.status == 200, await resp.text()
    payload = (await resp.json())["data"]["attachmentCreate"]
    assert payload["userErrors"] == []
    attachment = payload["attachment"]
    assert attachment["name"] == "L.pdf"
    methods = [method for method, _ in await writes(control, "flexe")]
    assert methods == ["PUT", "POST"]
    listed = await every(ORDER_ATTACHMENTS, {"id": order["id"]})
    assert [a["id"] for a in listed["data"]["order"]["attachments"]] == [
        attachment["id"]
    ]


async def test_upload_repeated_with_its_key_attaches_once(
    client: Client, every: GQL
) -> None:
    order = await new_order(every, "FLEXE", "DTC", "GW-ATT-2")
    input = {"orderId": order["id"], "documentType": "packing_slip"}
    keyed = {**input, "idempotencyKey": "att-key-1"}
    first = await (await upload(client, keyed)).json()
    second = await (await upload(client, keyed)).json()
    one = first["data"]["attachmentCreate"]["attachment"]
    assert second["data"]["attachmentCreate"]["attachment"]["id"] == one["id"]
    listed = await every(ORDER_ATTACHMENTS, {"id": order["id"]})
    assert len(listed["data"]["order"]["attachments"]) == 1


async def test_url_attachment_needs_no_upload(every: GQL) -> None:
    order = await new_order(every, "FLEXE", "DTC", "GW-ATT-3")
    payload = await ok(
        every,
        ATTACHMENT_CREATE,
        input={
            "orderId": order["id"],
            "documentType": "bill_of_lading",
            "url": "https://docs.example.com/bol-1.pdf",
        },
    )
    assert payload["attachment"]["url"] == "https://docs.example.com/bol-1.pdf"


async def test_upload_to_flexport_logistics_reaches_the_upload_url(
    client: Client, every: GQL, control: SandboxControl
) -> None:
    found = await every(
        """{ orders(first: 50, filter: {providers: [FLEXPORT_LOGISTICS],
          kinds: [B2B]}) { edges { node { id shipments { id } } } } }"""
    )
    order = next(
        edge["node"]
        for edge in found["data"]["orders"]["edges"]
        if len(edge["node"]["shipments"] or []) == 1
    )
    await control.clear()
    resp = await upload(
        client, {"orderId": order["id"], "documentType": "SHIPPING_LABELS"}
    )
    payload = (await resp.json())["data"]["attachmentCreate"]
    assert payload["userErrors"] == []
    paths = [path for _, path in await writes(control, "flexport_logistics")]
    assert any(p.startswith(f"{LAPI}/outbounds/") for p in paths)
    assert any(p.startswith("/_sandbox/uploads/") for p in paths)


async def test_upload_over_the_limit_is_413_before_anything_runs(
    client: Client, every: GQL, control: SandboxControl
) -> None:
    order = await new_order(every, "FLEXE", "DTC", "GW-ATT-BIG")
    await control.clear()
    resp = await upload(
        client,
        {"orderId": order["id"], "documentType": "other"},
        b"%PDF-" + b"x" * (64 * 1024),
    )
    assert resp.status == 413
    body = await resp.json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert "limit is 65536 bytes" in error["message"]
    assert await writes(control, "flexe") == []


async def test_upload_route_runs_only_attachment_create(client: Client) -> None:
    form = multipart(
        {"orderId": "x", "documentType": "other"},
        PDF,
        query='mutation { orderCancel(id: "x") { order { id } } }',
    )
    resp = await client.post("/graphql/upload", data=form)
    assert resp.status == 400
    body = await resp.json()
    assert "only the attachmentCreate mutation" in body["errors"][0]["message"]


async def test_graphql_route_refuses_multipart(client: Client) -> None:
    some = ids.encode(ids.Ref("flexe", "Order", "x"))
    resp = await client.post(
        "/graphql", data=multipart({"orderId": some, "documentType": "other"}, PDF)
    )
    assert resp.status == 400
    body = await resp.json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_file_as_a_json_value_is_invalid(every: GQL) -> None:
    some = ids.encode(ids.Ref("flexe", "Order", "x"))
    payload = await mutate(
        every,
        ATTACHMENT_CREATE,
        input={"orderId": some, "documentType": "other", "file": "not a file"},
    )
    [error] = payload["userErrors"]
    assert error["field"] == ["input", "file"]
    assert "/graphql/upload" in error["message"]


async def test_neither_or_both_sources_is_invalid(every: GQL) -> None:
    some = ids.encode(ids.Ref("flexe", "Order", "x"))
    payload = await mutate(
        every, ATTACHMENT_CREATE, input={"orderId": some, "documentType": "other"}
    )
    [error] = payload["userErrors"]
    assert error["field"] == ["input"]
    assert "exactly one of file and url" in error["message"]
